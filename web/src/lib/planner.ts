// Pure logic of the planning pages: the period choices the server's
// planning view offers, the columns of a team's funnel plan, a ramp's
// months, and KPI goals as people type them (60 for a 60% win rate). The
// figures are the server's; nothing here computes a plan or a KPI.

/** A period as the planning view sends it. */
export interface PeriodLike {
  key: string
  kind: string
  start: string | null
  end: string | null
}

/** A group of period choices for a select. */
export interface PeriodGroup {
  label: string
  options: { key: string; label: string }[]
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** A period's label: "November 2026", "2026-Q4 · Oct–Dec", "FY2026". */
export function periodLabel(p: PeriodLike): string {
  if (p.kind === 'month') {
    const [y, m] = p.key.split('-')
    return `${monthNames[Number(m) - 1]} ${y}`
  }
  if (p.kind === 'quarter') {
    const s = Number((p.start ?? '').slice(5, 7))
    const e = Number((p.end ?? '').slice(5, 7))
    if (!s || !e) {
      return p.key
    }
    return `${p.key} · ${monthNames[s - 1].slice(0, 3)}–${monthNames[e - 1].slice(0, 3)}`
  }
  return p.key
}

/**
 * The periods a plan can be made for, from the server's planning view:
 * the months ahead, the quarters (current and later first, then past), the
 * fiscal year. The current ones are marked.
 */
export function periodGroups(view: {
  months?: PeriodLike[] | null
  quarters?: PeriodLike[] | null
  current_quarter: PeriodLike
  current_month: PeriodLike
  current_year: PeriodLike
}): PeriodGroup[] {
  const mark = (p: PeriodLike, current: PeriodLike, word: string) => ({ key: p.key, label: periodLabel(p) + (p.key === current.key ? ` (this ${word})` : '') })
  return [
    { label: 'Quarters', options: (view.quarters ?? []).map((q) => mark(q, view.current_quarter, 'quarter')) },
    { label: 'Months', options: (view.months ?? []).map((m) => mark(m, view.current_month, 'month')) },
    { label: 'Fiscal year', options: [mark(view.current_year, view.current_year, 'year')] },
  ]
}

/** A step of a funnel plan, as the server sends it. */
export interface StepLike {
  step: string
  needed: number
  by: string | null
}

/** The step names of several plans, in funnel order (leads first), each once. */
export function stepColumns(plans: readonly { steps?: readonly StepLike[] | null }[]): string[] {
  const out: string[] = []
  for (const p of plans) {
    let at = 0
    for (const s of p.steps ?? []) {
      const i = out.indexOf(s.step)
      if (i < 0) {
        out.splice(at, 0, s.step)
        at++
      } else {
        at = i + 1
      }
    }
  }
  return out
}

/** One month of a ramp: its key (2026-11), label and the share of the full target carried. */
export interface RampMonth {
  key: string
  label: string
  percent: number
}

/** The months of a ramp that starts in start's month (YYYY-MM-DD), one per percentage. */
export function rampMonths(start: string, percents: readonly number[]): RampMonth[] {
  const y = Number(start.slice(0, 4))
  const m = Number(start.slice(5, 7)) - 1
  return percents.map((percent, i) => {
    const idx = y * 12 + m + i
    const yy = Math.floor(idx / 12)
    const mm = idx % 12
    return { key: `${yy}-${String(mm + 1).padStart(2, '0')}`, label: `${monthNames[mm].slice(0, 3)} ${yy}`, percent }
  })
}

/** The usual ramp of a new rep: a quarter to reach full target. */
export const defaultRamp = [25, 50, 75]

/**
 * Parses a ramp typed as "25, 50, 75": whole percentages from 0 to 100.
 * Returns null when an entry is not one; the server checks again.
 */
export function parseRamp(text: string): number[] | null {
  const parts = text
    .split(/[\s,;]+/)
    .map((s) => s.replace(/%$/, ''))
    .filter((s) => s !== '')
  if (parts.length === 0) {
    return null
  }
  const out = parts.map((s) => (/^\d{1,3}$/.test(s) ? Number(s) : NaN))
  return out.every((n) => Number.isInteger(n) && n >= 0 && n <= 100) ? out : null
}

/**
 * A KPI goal as people read and type it: ratios as percentages (0.6 → "60"),
 * money per day in major units (digits: the currency's decimals), other
 * units as they are. Empty for no goal.
 */
export function goalText(unit: string, goal: number | undefined, digits = 2): string {
  if (goal === undefined) {
    return ''
  }
  if (unit === 'ratio') {
    return String(Math.round(goal * 10000) / 100)
  }
  return unit === 'money_per_day' ? String(goal / 10 ** digits) : String(goal)
}

/**
 * Parses a typed goal back into the value the server stores: undefined for
 * none, NaN when it is not a number (the server names the field).
 */
export function parseGoal(unit: string, text: string, digits = 2): number | undefined {
  const t = text.trim().replace(/%$/, '').replace(',', '.')
  if (t === '') {
    return undefined
  }
  const n = Number(t)
  if (!Number.isFinite(n)) {
    return NaN
  }
  if (unit === 'ratio') {
    return Math.round(n * 100) / 10000
  }
  return unit === 'money_per_day' ? Math.round(n * 10 ** digits) : n
}

/** The words for a KPI's unit after a goal input. */
export function unitSuffix(unit: string, currency: string): string {
  switch (unit) {
    case 'ratio':
      return '%'
    case 'days':
      return 'days'
    case 'count':
      return ''
    case 'money_per_day':
      return `${currency} per day`
    default:
      return currency
  }
}

/**
 * The quarter whose accuracy is final for a page showing selected: selected
 * itself when it ended before today, else the latest of quarters that did
 * (undefined when none did). Running quarters are measured against what is
 * won so far, which is not yet an accuracy.
 */
export function finishedQuarter(quarters: readonly PeriodLike[], today: string, selected: string | undefined): string | undefined {
  const ended = quarters.filter((q) => q.end !== null && q.end < today)
  const sel = quarters.find((q) => q.key === selected)
  if (sel && ended.includes(sel)) {
    return sel.key
  }
  return ended.map((q) => q.key).sort().at(-1)
}

/** A team plan's member as the team table shows it: the plan, or why there is none. */
export function teamPlanRows<P>(members: readonly { user_id: number; name: string; plan: P | null; missing?: string }[]) {
  return members.map((m) => ({
    userId: m.user_id,
    name: m.name,
    plan: m.plan,
    error: m.plan === null ? sentence(m.missing || 'No plan.') : undefined,
  }))
}

function sentence(s: string): string {
  const t = s.trim()
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.')
}
