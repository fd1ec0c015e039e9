// The notes beside dashboard figures render what the server sends: amounts
// in other currencies left out of a sum, bookings against their target, and
// forecast accuracy by quarter.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { ForecastAccuracy } from '../../api/planning'
import { AccuracyTrend } from '../forecast/Forecast'
import { Bookings, OtherCurrencies } from './widgets'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()

const other = [
  { currency: 'EUR', won: 1_240_000, won_deals: 2, open_pipeline: 5_000_000, open_deals: 1 },
  { currency: 'JPY', won: 0, won_deals: 0, open_pipeline: 700_000, open_deals: 1 },
]

describe('OtherCurrencies', () => {
  it('notes each currency with an amount, in its own units', () => {
    expect(text(renderToStaticMarkup(createElement(OtherCurrencies, { totals: other, amount: 'won' })))).toBe('+ €12,400 in EUR not included')
    expect(text(renderToStaticMarkup(createElement(OtherCurrencies, { totals: other, amount: 'open_pipeline', what: 'open' })))).toBe(
      '+ €50,000 open in EUR not included + ¥700,000 open in JPY not included',
    )
  })
  it('renders nothing when every deal is in the report’s currency', () => {
    expect(renderToStaticMarkup(createElement(OtherCurrencies, { totals: [], amount: 'won' }))).toBe('')
  })
})

describe('Bookings', () => {
  it('shows bookings with a bar against the bookings target', () => {
    const html = renderToStaticMarkup(createElement(Bookings, { attainment: { won: 150_000, bookings_target: 200_000, bookings_ratio: 0.75 }, currency: 'USD' }))
    expect(text(html)).toBe('Bookings 75%: $1,500 of $2,000')
    expect(html).toContain('aria-label="Bookings against target"')
    expect(html).toContain('aria-valuenow="75"')
  })
  it('shows nothing without a bookings target', () => {
    expect(renderToStaticMarkup(createElement(Bookings, { attainment: { won: 150_000, bookings_target: null, bookings_ratio: null }, currency: 'USD' }))).toBe('')
  })
})

describe('AccuracyTrend', () => {
  const data: ForecastAccuracy = {
    currency: 'USD',
    points: [],
    by_week: [],
    by_quarter: [
      { period: '2026-Q1', mean_error_bp: 1250, points: 13, final: true },
      { period: '2026-Q2', mean_error_bp: null, points: 2, final: true },
      { period: '2026-Q3', mean_error_bp: 830, points: 5, final: false },
    ],
  }
  it('lists the quarters oldest first with their mean error', () => {
    const t = text(renderToStaticMarkup(createElement(AccuracyTrend, { data, byWeek: false })))
    expect(t).toContain('2026-Q1 12.5% 13 2026-Q2 — 2 2026-Q3 (running) 8.3% 5')
  })
  it('says when nothing was measured yet', () => {
    const t = text(renderToStaticMarkup(createElement(AccuracyTrend, { data: { ...data, by_quarter: [] }, byWeek: false })))
    expect(t).toContain('Not measured yet')
  })
})
