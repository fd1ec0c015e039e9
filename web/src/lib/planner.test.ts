import { describe, expect, it } from 'vitest'
import { finishedQuarter, goalText, parseGoal, parseRamp, periodGroups, periodLabel, rampMonths, stepColumns, teamPlanRows, unitSuffix } from './planner'

const q = (key: string, start: string, end: string) => ({ key, kind: 'quarter', start, end })
const m = (key: string) => ({ key, kind: 'month', start: `${key}-01`, end: `${key}-28` })

describe('periodLabel', () => {
  it('names months, quarters by their months, and years by key', () => {
    expect(periodLabel(m('2026-11'))).toBe('November 2026')
    expect(periodLabel(q('2027-Q1', '2026-04-01', '2026-06-30'))).toBe('2027-Q1 · Apr–Jun')
    expect(periodLabel({ key: 'FY2026', kind: 'year', start: '2026-01-01', end: '2026-12-31' })).toBe('FY2026')
    expect(periodLabel({ key: '2026-Q1', kind: 'quarter', start: null, end: null })).toBe('2026-Q1')
  })
})

describe('periodGroups', () => {
  it('offers the server’s quarters, months and year, marking the current ones', () => {
    const cur = q('2026-Q4', '2026-10-01', '2026-12-31')
    const groups = periodGroups({
      quarters: [q('2027-Q1', '2027-01-01', '2027-03-31'), cur],
      months: [m('2026-12'), m('2027-01')],
      current_quarter: cur,
      current_month: m('2026-12'),
      current_year: { key: 'FY2026', kind: 'year', start: '2026-01-01', end: '2026-12-31' },
    })
    expect(groups.map((g) => g.label)).toEqual(['Quarters', 'Months', 'Fiscal year'])
    expect(groups[0].options.map((o) => o.key)).toEqual(['2027-Q1', '2026-Q4'])
    expect(groups[0].options[1].label).toBe('2026-Q4 · Oct–Dec (this quarter)')
    expect(groups[1].options[0].label).toBe('December 2026 (this month)')
    expect(groups[2].options[0].label).toBe('FY2026 (this year)')
  })
})

describe('stepColumns', () => {
  it('merges the steps of several plans in funnel order, each once', () => {
    const s = (...names: string[]) => ({ steps: names.map((step) => ({ step, needed: 1, by: '2026-12-01' })) })
    expect(stepColumns([s('Qualified', 'Demo', 'Proposal'), s('Leads', 'Qualified', 'Proposal'), s('Proposal', 'Contract'), { steps: null }])).toEqual([
      'Leads',
      'Qualified',
      'Demo',
      'Proposal',
      'Contract',
    ])
  })
})

describe('ramps', () => {
  it('lists a ramp’s months from its start, across a year end', () => {
    expect(rampMonths('2026-11-01', [25, 50, 75])).toEqual([
      { key: '2026-11', label: 'Nov 2026', percent: 25 },
      { key: '2026-12', label: 'Dec 2026', percent: 50 },
      { key: '2027-01', label: 'Jan 2027', percent: 75 },
    ])
  })
  it('parses typed percentages and refuses what is not one', () => {
    expect(parseRamp('25, 50,75%')).toEqual([25, 50, 75])
    expect(parseRamp('25 50; 100')).toEqual([25, 50, 100])
    expect(parseRamp('')).toBeNull()
    expect(parseRamp('25, 150')).toBeNull()
    expect(parseRamp('25, half')).toBeNull()
  })
})

describe('KPI goals', () => {
  it('shows ratios as percentages and money per day in major units', () => {
    expect(goalText('ratio', 0.6)).toBe('60')
    expect(goalText('ratio', 0.125)).toBe('12.5')
    expect(goalText('days', 45)).toBe('45')
    expect(goalText('money_per_day', 150000, 2)).toBe('1500')
    expect(goalText('count', undefined)).toBe('')
  })
  it('parses typed goals back to what the server stores', () => {
    expect(parseGoal('ratio', '60%')).toBe(0.6)
    expect(parseGoal('ratio', '12,5')).toBe(0.125)
    expect(parseGoal('days', ' 30 ')).toBe(30)
    expect(parseGoal('money_per_day', '1500', 2)).toBe(150000)
    expect(parseGoal('money_per_day', '1500', 0)).toBe(1500)
    expect(parseGoal('count', '')).toBeUndefined()
    expect(parseGoal('count', 'lots')).toBeNaN()
  })
  it('names the unit after the input', () => {
    expect(unitSuffix('ratio', 'EUR')).toBe('%')
    expect(unitSuffix('money_per_day', 'EUR')).toBe('EUR per day')
  })
})

describe('finishedQuarter', () => {
  const qs = [q('2027-Q1', '2027-01-01', '2027-03-31'), q('2026-Q4', '2026-10-01', '2026-12-31'), q('2026-Q3', '2026-07-01', '2026-09-30'), q('2026-Q2', '2026-04-01', '2026-06-30')]
  it('measures the last finished quarter while the chosen one runs', () => {
    expect(finishedQuarter(qs, '2026-12-06', undefined)).toBe('2026-Q3')
    expect(finishedQuarter(qs, '2026-12-06', '2026-Q4')).toBe('2026-Q3')
    expect(finishedQuarter(qs, '2026-12-06', '2027-Q1')).toBe('2026-Q3')
  })
  it('measures a chosen quarter that has ended', () => {
    expect(finishedQuarter(qs, '2026-12-06', '2026-Q2')).toBe('2026-Q2')
  })
  it('has none before any quarter ended', () => {
    expect(finishedQuarter(qs, '2026-01-02', undefined)).toBeUndefined()
  })
})

describe('team plan rows', () => {
  it('keeps each member’s plan, and says why one has none', () => {
    const plan = { steps: [] }
    expect(
      teamPlanRows([
        { user_id: 1, name: 'Ada', plan },
        { user_id: 2, name: 'Bo', plan: null, missing: 'there is no revenue target for Bo in 2026-Q3' },
      ]),
    ).toEqual([
      { userId: 1, name: 'Ada', plan, error: undefined },
      { userId: 2, name: 'Bo', plan: null, error: 'There is no revenue target for Bo in 2026-Q3.' },
    ])
  })
})
