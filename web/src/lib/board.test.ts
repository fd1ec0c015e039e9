import { describe, expect, it } from 'vitest'
import { closePeriods, columns, moveTotals, neighbour, sumLabel, type BoardStage, type StageTotal } from './board'

const stages: BoardStage[] = [
  { id: 12, name: 'Demo', position: 2, outcome: 'open', probability: 20 },
  { id: 11, name: 'Qualified', position: 1, outcome: 'open', probability: 10 },
  { id: 13, name: 'Trial', position: 3, outcome: 'open', probability: 60 },
]

const deal = (id: number, stage_id: number, amount: number, currency = 'USD', close_date = '2026-12-01') => ({
  id,
  stage_id,
  amount,
  currency,
  close_date,
})

describe('board columns', () => {
  const totals: StageTotal[] = [
    { stage_id: 11, currency: 'USD', count: 3, amount: 350_50 },
    { stage_id: 11, currency: 'EUR', count: 1, amount: 999_00 },
    { stage_id: 12, currency: 'USD', count: 1, amount: 40_00 },
  ]
  const deals = [deal(1, 11, 100_00, 'USD', '2026-12-20'), deal(2, 11, 250_50, 'USD', '2026-12-01'), deal(3, 11, 999_00, 'EUR'), deal(4, 12, 40_00), deal(9, 99, 1)]

  it('orders columns by stage position and cards by close date', () => {
    const cols = columns(stages, deals, totals)
    expect(cols.map((c) => c.stage.name)).toEqual(['Qualified', 'Demo', 'Trial'])
    expect(cols[0].deals.map((d) => d.id)).toEqual([2, 3, 1])
    expect(cols[2].deals).toEqual([])
  })

  it('counts and sums from the server totals, per currency, largest first', () => {
    const cols = columns(stages, deals, totals)
    // The server counts 4 deals in Qualified though only 3 cards are loaded.
    expect(cols[0].count).toBe(4)
    expect(cols[0].sums).toEqual([
      { currency: 'EUR', amount: 999_00 },
      { currency: 'USD', amount: 350_50 },
    ])
    expect(cols[2].count).toBe(0)
    expect(sumLabel(cols[0].sums, 'en-US')).toBe('€999 + $351')
    expect(sumLabel([{ currency: 'EUR', amount: 125_000_000 }], 'en-US')).toBe('€1.3M')
    expect(sumLabel(cols[2].sums, 'en-US')).toBe('—')
  })

  it('moves a deal between totals, creating and emptying entries', () => {
    const moved = moveTotals(totals, deal(4, 12, 40_00), 13)
    expect(moved.find((t) => t.stage_id === 12)).toBeUndefined()
    expect(moved.find((t) => t.stage_id === 13)).toEqual({ stage_id: 13, currency: 'USD', count: 1, amount: 40_00 })
    const back = moveTotals(moved, deal(4, 13, 40_00), 11)
    expect(back.find((t) => t.stage_id === 11 && t.currency === 'USD')).toEqual({ stage_id: 11, currency: 'USD', count: 4, amount: 390_50 })
    // The input is not changed, so a rollback restores it.
    expect(totals[2]).toEqual({ stage_id: 12, currency: 'USD', count: 1, amount: 40_00 })
    expect(moveTotals(totals, deal(1, 11, 1), 11)).toBe(totals)
  })

  it('finds the neighbouring stage for keyboard moves', () => {
    expect(neighbour(stages, 11, 1)?.name).toBe('Demo')
    expect(neighbour(stages, 11, -1)).toBeUndefined()
    expect(neighbour(stages, 13, 1)).toBeUndefined()
  })
})

describe('close periods', () => {
  it('covers months and quarters, crossing the year end', () => {
    const p = Object.fromEntries(closePeriods(new Date('2026-11-23T10:00:00Z')).map((x) => [x.key, x]))
    expect(p['this-month']).toMatchObject({ gte: '2026-11-01', lte: '2026-11-30' })
    expect(p['next-month']).toMatchObject({ gte: '2026-12-01', lte: '2026-12-31' })
    expect(p['this-quarter']).toMatchObject({ gte: '2026-10-01', lte: '2026-12-31', label: 'This quarter (Q4)' })
    expect(p['next-quarter']).toMatchObject({ gte: '2027-01-01', lte: '2027-03-31', label: 'Next quarter (Q1)' })
    expect(p['overdue']).toMatchObject({ lte: '2026-11-22' })
    expect(p['any'].gte).toBeUndefined()
  })
})
