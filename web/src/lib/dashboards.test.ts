import { describe, expect, it } from 'vitest'
import {
  accuracyTrend,
  bookingsLine,
  otherCurrencyNotes,
  adjustment,
  attentionCounts,
  attentionLabel,
  currentQuarter,
  fiscalQuarterOf,
  forecastCompare,
  formatKPI,
  formatKPITarget,
  formatMultiple,
  formatPercent,
  major,
  pipelineBars,
  quarterLabel,
  quarterOptions,
  teamBars,
  trendPoints,
  leaderboardWindow,
  shortMoney,
  wholeMoney,
} from './dashboards'

const d = (s: string) => new Date(s + 'T12:00:00Z')

describe('fiscal quarters', () => {
  it.each([
    // start month, day, fiscal year, quarter (server: FiscalCalendar.QuarterOf)
    [1, '2026-11-23', 2026, 4],
    [1, '2026-01-01', 2026, 1],
    [2, '2025-02-01', 2026, 1],
    [2, '2026-01-31', 2026, 4],
    [4, '2026-05-10', 2027, 1],
    [4, '2026-03-31', 2026, 4],
    [10, '2026-11-23', 2027, 1],
  ])('start %i, %s → FY%i Q%i', (start, day, fy, q) => {
    expect(fiscalQuarterOf(start, d(day))).toEqual({ fy, q })
  })
  it('labels a quarter with its months', () => {
    expect(quarterLabel(1, 2026, 4)).toBe('Q4 FY2026 · Oct–Dec 2026')
    expect(quarterLabel(11, 2027, 1)).toBe('Q1 FY2027 · Nov 2026–Jan 2027')
  })
  it('offers quarters around today, latest first', () => {
    const opts = quarterOptions(1, d('2026-11-23'), 2, 1)
    expect(opts.map((o) => o.key)).toEqual(['2027-Q1', '2026-Q4', '2026-Q3', '2026-Q2'])
    expect(currentQuarter(1, d('2026-11-23'))).toBe('2026-Q4')
  })
})

describe('formatting', () => {
  it('formats ratios and multiples', () => {
    expect(formatPercent(0.4103)).toBe('41%')
    expect(formatPercent(null)).toBe('—')
    expect(formatPercent(1.5, 1)).toBe('150.0%')
    expect(formatMultiple(1.9785)).toBe('2.0×')
    expect(formatMultiple(117.2)).toBe('117×')
    expect(formatMultiple(undefined)).toBe('—')
  })
  it('formats KPIs by unit', () => {
    expect(formatKPI({ unit: 'money', value: null, amount: 6876000 }, 'USD')).toBe('$68,760')
    expect(formatKPI({ key: 'pipeline_coverage', unit: 'ratio', value: 1.9785 }, 'USD')).toBe('2.0×')
    expect(formatKPI({ key: 'win_rate', unit: 'ratio', value: 0.2 }, 'USD')).toBe('20%')
    expect(formatKPI({ unit: 'days', value: 84.318 }, 'USD')).toBe('84.3 days')
    expect(formatKPI({ unit: 'count', value: 12 }, 'USD')).toBe('12')
    expect(formatKPI({ unit: 'money_per_day', value: 81547.9 }, 'USD')).toBe('$815.48/day')
    expect(formatKPI({ unit: 'ratio', value: null }, 'USD')).toBe('—')
  })
  it('formats KPI targets', () => {
    expect(formatKPITarget({ key: 'attainment', unit: 'money', value: null, target_amount: 16758330 }, 'USD')).toBe('$167,583.30')
    expect(formatKPITarget({ key: 'pipeline_coverage', unit: 'ratio', value: 2, target: 3 }, 'USD')).toBe('3.0×')
    expect(formatKPITarget({ key: 'win_rate', unit: 'ratio', value: 0.2 }, 'USD')).toBe('')
  })
  it('says how a submission moved from its pre-fill', () => {
    expect(adjustment(100, 100, 'USD')).toBe('as pre-filled')
    expect(adjustment(15000, 10000, 'USD')).toBe('+$50 on the pre-fill')
    expect(adjustment(5000, 10000, 'USD')).toBe('−$50 on the pre-fill')
  })
  it('labels attention reasons and counts them', () => {
    expect(attentionLabel('no_decision_maker')).toBe('No decision maker')
    expect(attentionLabel('new_reason')).toBe('new reason')
    expect(attentionCounts([{ reasons: ['overdue', 'stalled'] }, { reasons: ['stalled'] }, { reasons: null }])).toEqual([
      { reason: 'stalled', label: 'Stalled', deals: 2 },
      { reason: 'overdue', label: 'Overdue', deals: 1 },
    ])
  })
})

describe('chart data', () => {
  it('converts money to major units by currency', () => {
    expect(major(1234500, 'USD')).toBe(12345)
    expect(major(700, 'JPY')).toBe(700)
    expect(pipelineBars([{ name: 'Trial', deals: 3, amount: 18886200, weighted: 11331720 }], 'USD')).toEqual([
      { name: 'Trial', deals: 3, amount: 188862, weighted: 113317.2 },
    ])
  })
  it('keeps a missing team target as null', () => {
    expect(teamBars([{ name: 'EMEA', won: 100, forecast: 200, target: null }], 'USD')).toEqual([{ name: 'EMEA', won: 1, forecast: 2, target: null }])
  })
  it('shapes quarterly trends', () => {
    expect(trendPoints([{ period: '2026-Q1', won: 311126200, new_pipeline: 100, win_rate: 0.26582 }], 'USD')).toEqual([
      { period: '2026-Q1', won: 3111262, newPipeline: 1, winRate: 26.6 },
    ])
  })
  it('charts the server’s accuracy by quarter in percent, oldest first as given', () => {
    const qs = [
      { period: '2026-Q1', mean_error_bp: null, points: 0, final: true },
      { period: '2026-Q2', mean_error_bp: 1000, points: 12, final: true },
      { period: '2026-Q3', mean_error_bp: null, points: 3, final: true },
      { period: '2026-Q4', mean_error_bp: 9972, points: 2, final: false },
    ]
    expect(accuracyTrend(qs)).toEqual([
      { period: '2026-Q2', meanErrorPct: 10, points: 12, final: true },
      { period: '2026-Q3', meanErrorPct: null, points: 3, final: true },
      { period: '2026-Q4', meanErrorPct: 99.72, points: 2, final: false },
    ])
  })
  it('puts the system range beside the human call and target', () => {
    const out = forecastCompare({ p10: 100, p50: 200, p90: 300, weighted: 250 }, { commit: 150, best_case: 280 }, 400, 'USD')
    expect(out.map((x) => x.name)).toEqual(['P10', 'P50', 'P90', 'Weighted', 'Commit', 'Best case', 'Target'])
    expect(out[6].value).toBe(4)
    expect(forecastCompare({ p10: 1, p50: 2, p90: 3, weighted: 2 }, null, null, 'USD')).toHaveLength(4)
  })
})

describe('headline figures', () => {
  it('notes amounts in other currencies in their own minor units, never converted', () => {
    const other = [
      { currency: 'EUR', won: 1240000, won_deals: 2, open_pipeline: 0, open_deals: 0 },
      { currency: 'JPY', won: 500000, won_deals: 1, open_pipeline: 2500000, open_deals: 3 },
      { currency: 'BHD', won: 0, won_deals: 0, open_pipeline: 1234567, open_deals: 1 },
    ]
    expect(otherCurrencyNotes(other, 'won')).toEqual(['+ €12,400 in EUR not included', '+ ¥500,000 in JPY not included'])
    // Three minor digits for the Bahraini dinar (Intl puts a no-break space after its code).
    expect(otherCurrencyNotes(other, 'open_pipeline')).toEqual(['+ ¥2,500,000 in JPY not included', '+ BHD\u00a01,234.567 in BHD not included'])
    expect(otherCurrencyNotes(other.slice(0, 1), 'won', 'won')).toEqual(['+ €12,400 won in EUR not included'])
    expect(otherCurrencyNotes(null, 'won')).toEqual([])
  })
  it('shows bookings against their target only when a bookings target is set', () => {
    expect(bookingsLine({ won: 100000, bookings_target: 200000, bookings_ratio: 0.5 }, 'USD')).toBe('Bookings 50%: $1,000 of $2,000')
    expect(bookingsLine({ won: 100000, bookings_target: null, bookings_ratio: null }, 'USD')).toBeNull()
  })
  it('rounds money to whole units', () => {
    expect(wholeMoney(368021040, 'USD')).toBe('$3,680,210')
    expect(wholeMoney(150, 'USD')).toBe('$2')
  })
  it('shortens money to three significant digits', () => {
    expect(shortMoney(15754116, 'USD')).toBe('$158K')
    expect(shortMoney(138016383, 'USD')).toBe('$1.38M')
    expect(shortMoney(9628100, 'USD')).toBe('$96.3K')
    expect(shortMoney(0, 'USD')).toBe('$0')
    expect(shortMoney(50000, 'JPY')).toBe('¥50K')
  })
  it('shows the top of the leaderboard and the places around the viewer', () => {
    const entries = Array.from({ length: 10 }, (_, i) => ({ position: i + 1, you: i + 1 === 7 }))
    expect(leaderboardWindow(entries).map((e) => e?.position ?? null)).toEqual([1, 2, 3, null, 5, 6, 7, 8, 9, null])
    expect(leaderboardWindow(entries.slice(0, 4).map((e, i) => ({ ...e, you: i === 0 }))).map((e) => e?.position ?? null)).toEqual([1, 2, 3, null])
    expect(leaderboardWindow([])).toEqual([])
  })
})
