// Pure logic of the dashboards: fiscal periods for the period picker,
// formatting of KPIs and ratios, and shaping API figures into chart data.
// The figures themselves are the server's; nothing here recomputes a KPI.
import { currencyDigits, formatMoney } from './money'

/** A fiscal quarter as the period picker offers it. */
export interface PeriodOption {
  key: string
  label: string
}

const monthShort = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/**
 * The fiscal quarter day falls in, for a fiscal year starting in startMonth
 * (1-12). Like the server's calendar, a fiscal year is named by the calendar
 * year it ends in, so with an April start 2026-05-10 is in 2027-Q1.
 */
export function fiscalQuarterOf(startMonth: number, day: Date): { fy: number; q: number } {
  const m = day.getUTCMonth() + 1
  const y = day.getUTCFullYear()
  const start = startMonth >= 1 && startMonth <= 12 ? startMonth : 1
  const fy = start > 1 && m >= start ? y + 1 : y
  const fyStartYear = start > 1 ? fy - 1 : fy
  const months = (y - fyStartYear) * 12 + m - start
  return { fy, q: Math.floor(months / 3) + 1 }
}

/** The first calendar month (year, 1-12) of fiscal quarter q of fy. */
function quarterStart(startMonth: number, fy: number, q: number): { y: number; m: number } {
  const start = startMonth >= 1 && startMonth <= 12 ? startMonth : 1
  const y0 = start > 1 ? fy - 1 : fy
  const idx = y0 * 12 + (start - 1) + 3 * (q - 1)
  return { y: Math.floor(idx / 12), m: (idx % 12) + 1 }
}

/** A quarter's key as the API reads it: "2026-Q3". */
export function quarterKey(fy: number, q: number): string {
  return `${String(fy).padStart(4, '0')}-Q${q}`
}

/** A quarter's label: "Q3 FY2026 · Jul–Sep 2026". */
export function quarterLabel(startMonth: number, fy: number, q: number): string {
  const s = quarterStart(startMonth, fy, q)
  const endIdx = s.y * 12 + s.m - 1 + 2
  const e = { y: Math.floor(endIdx / 12), m: (endIdx % 12) + 1 }
  const range =
    s.y === e.y
      ? `${monthShort[s.m - 1]}–${monthShort[e.m - 1]} ${e.y}`
      : `${monthShort[s.m - 1]} ${s.y}–${monthShort[e.m - 1]} ${e.y}`
  return `Q${q} FY${fy} · ${range}`
}

/**
 * The quarters the period picker offers: the current one, `before` quarters
 * back and `after` ahead, latest first.
 */
export function quarterOptions(startMonth: number, today: Date, before = 7, after = 2): PeriodOption[] {
  const { fy, q } = fiscalQuarterOf(startMonth, today)
  const cur = fy * 4 + (q - 1)
  const out: PeriodOption[] = []
  for (let i = cur + after; i >= cur - before; i--) {
    const f = Math.floor(i / 4)
    const n = (i % 4) + 1
    out.push({ key: quarterKey(f, n), label: quarterLabel(startMonth, f, n) })
  }
  return out
}

/** The current fiscal quarter's key. */
export function currentQuarter(startMonth: number, today: Date): string {
  const { fy, q } = fiscalQuarterOf(startMonth, today)
  return quarterKey(fy, q)
}

/** A ratio as a percentage: 0.4103 → "41%"; "—" when there is none. */
export function formatPercent(r: number | null | undefined, digits = 0): string {
  if (r === null || r === undefined || !Number.isFinite(r)) {
    return '—'
  }
  return `${(r * 100).toFixed(digits)}%`
}

/** A coverage multiple: 1.978 → "2.0×"; "—" when there is none. */
export function formatMultiple(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) {
    return '—'
  }
  return r >= 100 ? `${Math.round(r)}×` : `${r.toFixed(1)}×`
}

/** Basis points as a percentage: 11080 → "110.8%". */
export function formatBP(bp: number | null | undefined): string {
  return bp === null || bp === undefined ? '—' : `${(bp / 100).toFixed(1)}%`
}

/** The fields of a KPI the formatter reads. */
export interface KPILike {
  key?: string
  unit: string
  value: number | null
  amount?: number | null
}

/** A KPI's value as people read it, by its unit. */
export function formatKPI(k: KPILike, currency: string): string {
  switch (k.unit) {
    case 'money':
      return k.amount === undefined || k.amount === null ? '—' : formatMoney(k.amount, currency)
    case 'money_per_day':
      return k.value === null ? '—' : `${formatMoney(Math.round(k.value), currency)}/day`
    case 'ratio':
      return k.key === 'pipeline_coverage' ? formatMultiple(k.value) : formatPercent(k.value, 0)
    case 'days':
      return k.value === null ? '—' : `${k.value.toFixed(1)} days`
    default:
      return k.value === null ? '—' : String(Math.round(k.value * 100) / 100)
  }
}

/** A KPI's target as people read it, by its unit; empty when it has none. */
export function formatKPITarget(k: KPILike & { target?: number | null; target_amount?: number | null }, currency: string): string {
  if (k.target_amount !== undefined && k.target_amount !== null) {
    return formatMoney(k.target_amount, currency)
  }
  if (k.target === undefined || k.target === null) {
    return ''
  }
  return k.key === 'pipeline_coverage' ? formatMultiple(k.target) : formatKPI({ unit: k.unit, value: k.target }, currency)
}

/**
 * Minor units as a number of major units, for chart axes only (charts need
 * numbers; tables and labels use formatMoney, which never goes through floats).
 */
export function major(minor: number, currency: string): number {
  return minor / 10 ** currencyDigits(currency)
}

/** Money rounded to whole major units, for headline figures: 368021040 USD → "$3,680,210". */
export function wholeMoney(minor: number, currency: string): string {
  const unit = 10 ** currencyDigits(currency)
  return formatMoney(Math.round(minor / unit) * unit, currency)
}

/**
 * Money to three significant digits, for the small print of a crowded
 * table: 15754116 USD → "$158K", 138016383 USD → "$1.38M". The exact
 * amount goes in a title or the CSV export.
 */
export function shortMoney(minor: number, currency: string): string {
  const majorUnits = minor / 10 ** currencyDigits(currency)
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, notation: 'compact', maximumSignificantDigits: 3 }).format(majorUnits)
  } catch {
    return `${majorUnits} ${currency}`
  }
}

/**
 * The leaderboard lines worth showing: the top three and the two places
 * either side of the viewer's, with null where places are left out.
 */
export function leaderboardWindow<T extends { position: number; you: boolean }>(entries: readonly T[], around = 2, top = 3): (T | null)[] {
  const me = entries.find((e) => e.you)?.position ?? 0
  const out: (T | null)[] = []
  let last = 0
  for (const e of entries) {
    if (e.position <= top || Math.abs(e.position - me) <= around) {
      if (last > 0 && e.position > last + 1) {
        out.push(null)
      }
      out.push(e)
      last = e.position
    }
  }
  if (last > 0 && last < entries.length) {
    out.push(null)
  }
  return out
}

/** Short money for chart axes: 12345600 USD → "$123K". */
export function compactMoney(majorUnits: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(majorUnits)
  } catch {
    return String(majorUnits)
  }
}

/** What the app calls each reason a deal needs attention. */
export const attentionLabels: Record<string, string> = {
  stalled: 'Stalled',
  slipped: 'Slipped',
  overdue: 'Overdue',
  missing_exit_criteria: 'Missing exit criteria',
  no_decision_maker: 'No decision maker',
}

/** The label of an attention reason; unknown ones are shown as they come. */
export function attentionLabel(reason: string): string {
  return attentionLabels[reason] ?? reason.replace(/_/g, ' ')
}

/** Counts the deals needing attention for each reason, in the order of attentionLabels. */
export function attentionCounts(deals: readonly { reasons: string[] | null }[]): { reason: string; label: string; deals: number }[] {
  const counts = new Map<string, number>()
  for (const d of deals) {
    for (const r of d.reasons ?? []) {
      counts.set(r, (counts.get(r) ?? 0) + 1)
    }
  }
  const order = Object.keys(attentionLabels)
  return [...counts.entries()]
    .sort((a, b) => (order.indexOf(a[0]) + 1 || 99) - (order.indexOf(b[0]) + 1 || 99))
    .map(([reason, n]) => ({ reason, label: attentionLabel(reason), deals: n }))
}

/** One stage's bar in the pipeline chart. */
export interface StageBar {
  name: string
  deals: number
  amount: number
  weighted: number
}

/** The open pipeline by stage as chart bars, in major units. */
export function pipelineBars(
  stages: readonly { name: string; deals: number; amount: number; weighted: number }[],
  currency: string,
): StageBar[] {
  return stages.map((s) => ({ name: s.name, deals: s.deals, amount: major(s.amount, currency), weighted: major(s.weighted, currency) }))
}

/** Each team's won, forecast and target as chart bars, in major units. */
export function teamBars(
  teams: readonly { name: string; won: number; forecast: number; target: number | null }[],
  currency: string,
): { name: string; won: number; forecast: number; target: number | null }[] {
  return teams.map((t) => ({
    name: t.name,
    won: major(t.won, currency),
    forecast: major(t.forecast, currency),
    target: t.target === null ? null : major(t.target, currency),
  }))
}

/** Quarterly trends as chart points: won and new pipeline in major units, win rate in percent. */
export function trendPoints(
  trends: readonly { period: string; won: number; new_pipeline: number; win_rate: number | null }[],
  currency: string,
): { period: string; won: number; newPipeline: number; winRate: number | null }[] {
  return trends.map((t) => ({
    period: t.period,
    won: major(t.won, currency),
    newPipeline: major(t.new_pipeline, currency),
    winRate: t.win_rate === null ? null : Math.round(t.win_rate * 1000) / 10,
  }))
}

/** The funnel as chart bars: deals reaching each stage and the share going on. */
export function funnelBars(
  steps: readonly { name: string; reached: number; conversion: number | null }[],
): { name: string; reached: number; conversion: string }[] {
  return steps.map((s) => ({ name: s.name, reached: s.reached, conversion: formatPercent(s.conversion) }))
}

/** One quarter of forecast accuracy as the API measures it (by_quarter). */
export interface AccuracyQuarterLike {
  period: string
  mean_error_bp: number | null
  points: number
  final: boolean
}

/**
 * The server's forecast accuracy by quarter (oldest first) as chart points:
 * the mean absolute error in percent of the actual, null for a quarter whose
 * snapshots have no actual yet. Quarters without any snapshot are left out.
 */
export function accuracyTrend(quarters: readonly AccuracyQuarterLike[]): { period: string; meanErrorPct: number | null; points: number; final: boolean }[] {
  return quarters
    .filter((q) => q.points > 0)
    .map((q) => ({ period: q.period, meanErrorPct: q.mean_error_bp === null ? null : q.mean_error_bp / 100, points: q.points, final: q.final }))
}

/** The system forecast's range beside a human forecast, as chart bars in major units. */
export function forecastCompare(
  system: { p10: number; p50: number; p90: number; weighted: number },
  human: { commit: number; best_case: number } | null,
  target: number | null,
  currency: string,
): { name: string; value: number }[] {
  const out = [
    { name: 'P10', value: major(system.p10, currency) },
    { name: 'P50', value: major(system.p50, currency) },
    { name: 'P90', value: major(system.p90, currency) },
    { name: 'Weighted', value: major(system.weighted, currency) },
  ]
  if (human) {
    out.push({ name: 'Commit', value: major(human.commit, currency) }, { name: 'Best case', value: major(human.best_case, currency) })
  }
  if (target !== null) {
    out.push({ name: 'Target', value: major(target, currency) })
  }
  return out
}

/** How a submission moved from its pre-fill: "+$1,200 on the pre-fill", or "as pre-filled". */
export function adjustment(value: number, prefill: number, currency: string): string {
  const d = value - prefill
  if (d === 0) {
    return 'as pre-filled'
  }
  return `${d > 0 ? '+' : '−'}${formatMoney(Math.abs(d), currency)} on the pre-fill`
}

/** Whether a ratio met its threshold (for status colours). */
export function status(value: number | null | undefined, threshold: number | null | undefined): 'met' | 'below' | '' {
  if (value === null || value === undefined || threshold === null || threshold === undefined) {
    return ''
  }
  return value >= threshold ? 'met' : 'below'
}

/** What a scope won and has open in a currency other than the report's. */
export interface CurrencyTotalLike {
  currency: string
  won: number
  won_deals: number
  open_pipeline: number
  open_deals: number
}

/**
 * The amounts in other currencies that a figure leaves out, one note per
 * currency with an amount: "+ €12,400 in EUR not included". Attain keeps no
 * exchange rates, so these are never converted into the figure's currency;
 * each is written in its own currency's minor units. what says which
 * amount it is when a note stands beside several figures ("won", "open").
 */
export function otherCurrencyNotes(totals: readonly CurrencyTotalLike[] | null | undefined, amount: 'won' | 'open_pipeline', what = ''): string[] {
  return (totals ?? [])
    .filter((t) => t[amount] !== 0)
    .map((t) => `+ ${formatMoney(t[amount], t.currency)}${what ? ` ${what}` : ''} in ${t.currency} not included`)
}

/** Bookings against the bookings target, or null when no bookings target is set. */
export function bookingsLine(a: { won: number; bookings_target: number | null; bookings_ratio: number | null }, currency: string): string | null {
  if (a.bookings_target === null) {
    return null
  }
  return `Bookings ${formatPercent(a.bookings_ratio)}: ${formatMoney(a.won, currency)} of ${formatMoney(a.bookings_target, currency)}`
}
