// The planning views render what the server sends: a plan's steps with how
// many and by when, a team's plans side by side, a ramp's months.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { FunnelPlan, Ramp } from '../../api/planning'
import { RampSchedule } from '../targets/RampCard'
import { PlanSteps, PlanSummary, TeamPlanTable } from './PlanViews'

const plan: FunnelPlan = {
  user_id: 7,
  period: { key: '2026-Q4', kind: 'quarter', fiscal_year: 2026, number: 4, start: '2026-10-01', end: '2026-12-31' },
  currency: 'USD',
  target: 10_000_000,
  won: 4_000_000,
  remaining: 6_000_000,
  avg_deal_size: 2_000_000,
  win_rate: 0.3,
  cycle_days: 42,
  wins_needed: 3,
  basis: 'rep',
  steps: [
    { step: 'Leads', stage_id: null, needed: 40, by: '2026-10-20', conversion: 0.25 },
    { step: 'Demo completed', stage_id: 3, needed: 6, by: '2026-11-15', conversion: 0.5 },
  ],
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('PlanSteps', () => {
  it('lists each step with how many are needed, by when, and the wins', () => {
    const t = text(renderToStaticMarkup(createElement(PlanSteps, { plan })))
    expect(t).toContain('Leads 40')
    expect(t).toContain('25% become deals')
    expect(t).toContain('Demo completed 6')
    expect(t).toContain('Wins 3')
  })
  it('says when there is no history to plan from', () => {
    const t = text(renderToStaticMarkup(createElement(PlanSteps, { plan: { ...plan, steps: [] } })))
    expect(t).toContain('Not enough history')
  })
})

describe('PlanSummary', () => {
  it('shows the target, what is left and the wins needed', () => {
    const t = text(renderToStaticMarkup(createElement(PlanSummary, { plan })))
    expect(t).toContain('$100,000')
    expect(t).toContain('Still to win $60,000')
    expect(t).toContain('Wins needed 3')
    expect(t).toContain('42 days')
  })
})

describe('TeamPlanTable', () => {
  it('puts every rep’s steps under one set of columns, and says why a rep has no plan', () => {
    const html = renderToStaticMarkup(
      createElement(TeamPlanTable, {
        currency: 'USD',
        rows: [
          { userId: 7, name: 'Ana', plan },
          { userId: 8, name: 'Bo', plan: null, error: 'target: there is no revenue target for Bo in 2026-Q4; give one' },
        ],
      }),
    )
    const t = text(html)
    expect(html.match(/<th scope="col"/g)?.length).toBe(4 + 2)
    expect(t).toContain('Ana $100,000 $60,000 3 40')
    expect(t).toContain('Bo target: there is no revenue target')
  })
})

describe('RampSchedule', () => {
  it('lists the ramp’s months, then the full target', () => {
    const ramp: Ramp = { user_id: 7, start: '2026-11-01', percents: [25, 50], updated_at: '2026-11-01T00:00:00Z', version: 1 }
    const t = text(renderToStaticMarkup(createElement(RampSchedule, { ramp, name: 'Ana' })))
    expect(t).toContain('Nov 2026 25%')
    expect(t).toContain('Dec 2026 50%')
    expect(t).toContain('After 100%')
  })
  it('says a rep without a ramp carries the full target', () => {
    const ramp: Ramp = { user_id: 7, start: null, percents: [], updated_at: '2026-11-01T00:00:00Z', version: 0 }
    expect(text(renderToStaticMarkup(createElement(RampSchedule, { ramp, name: 'Ana' })))).toContain('Ana has no ramp')
  })
})
