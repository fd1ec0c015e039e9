// The pipeline board's logic: deals grouped into stage columns, each headed
// by the server's count and totals, and how a move changes them before the
// server confirms it (optimistic update).
import { currencyDigits } from './money'

/** The parts of a stage the board uses. */
export interface BoardStage {
  id: number
  name: string
  position: number
  outcome: string
  probability: number
}

/** The parts of a deal the board uses. */
export interface BoardDeal {
  id: number
  stage_id: number
  amount: number
  currency: string
  close_date: string | null
}

/** A count and total amount of deals in one stage and currency, as GET /deals/totals sends them. */
export interface StageTotal {
  stage_id: number
  currency: string
  count: number
  amount: number
}

/** A sum of money in one currency. */
export interface Sum {
  currency: string
  amount: number
}

/** One column of the board. */
export interface Column<D extends BoardDeal, S extends BoardStage = BoardStage> {
  stage: S
  /** The cards loaded for the stage, soonest close date first. */
  deals: D[]
  /** How many deals the stage holds (more than deals when not all are loaded). */
  count: number
  /** The stage's total per currency, the largest first. */
  sums: Sum[]
}

/**
 * columns groups deals into a column per stage, in stage order. Counts and
 * sums come from totals (the server's, over every matching deal) so a
 * column is right even when only some of its cards are loaded; cards of a
 * stage the board does not show are left out.
 */
export function columns<D extends BoardDeal, S extends BoardStage>(stages: S[], deals: D[], totals: StageTotal[]): Column<D, S>[] {
  const ordered = [...stages].sort((a, b) => a.position - b.position)
  return ordered.map((stage) => {
    const mine = totals.filter((t) => t.stage_id === stage.id)
    return {
      stage,
      deals: deals
        .filter((d) => d.stage_id === stage.id)
        .sort((a, b) => (a.close_date ?? '').localeCompare(b.close_date ?? '') || a.id - b.id),
      count: mine.reduce((n, t) => n + t.count, 0),
      sums: mine
        .filter((t) => t.count > 0)
        .map((t) => ({ currency: t.currency, amount: t.amount }))
        .sort((a, b) => b.amount - a.amount || a.currency.localeCompare(b.currency)),
    }
  })
}

/**
 * moveTotals returns totals as they are once deal moves to stage toStageId:
 * one fewer, and its amount less, in its old stage; one more in the new one.
 */
export function moveTotals(totals: StageTotal[], deal: BoardDeal, toStageId: number): StageTotal[] {
  if (deal.stage_id === toStageId) {
    return totals
  }
  const out = totals.map((t) => ({ ...t }))
  const from = out.find((t) => t.stage_id === deal.stage_id && t.currency === deal.currency)
  if (from) {
    from.count = Math.max(0, from.count - 1)
    from.amount -= deal.amount
  }
  const to = out.find((t) => t.stage_id === toStageId && t.currency === deal.currency)
  if (to) {
    to.count += 1
    to.amount += deal.amount
  } else {
    out.push({ stage_id: toStageId, currency: deal.currency, count: 1, amount: deal.amount })
  }
  return out.filter((t) => t.count > 0)
}

/** Money shortened for a column head: 125000000 EUR → "€1.3M". */
export function formatCompact(minor: number, currency: string, locale?: string): string {
  const major = minor / 10 ** currencyDigits(currency)
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      notation: 'compact',
      maximumFractionDigits: major < 1000 ? 0 : 1,
    }).format(major)
  } catch {
    return `${Math.round(major)} ${currency}`
  }
}

/** A column's total as words: "$12.5K", "€9.9K + $3.5K", or "—" for an empty column. */
export function sumLabel(sums: Sum[], locale?: string): string {
  if (sums.length === 0) {
    return '—'
  }
  return sums.map((s) => formatCompact(s.amount, s.currency, locale)).join(' + ')
}

/**
 * neighbour returns the open stage next to stageId in direction dir (+1 to
 * the right, -1 to the left), or undefined at either end: what the arrow
 * keys pick while a card is carried with the keyboard.
 */
export function neighbour(stages: BoardStage[], stageId: number, dir: 1 | -1): BoardStage | undefined {
  const ordered = [...stages].sort((a, b) => a.position - b.position)
  const i = ordered.findIndex((s) => s.id === stageId)
  return i < 0 ? undefined : ordered[i + dir]
}

/** A close period the board filters on: close_date from gte to lte, both inclusive. */
export interface ClosePeriod {
  key: string
  label: string
  gte?: string
  lte?: string
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10)
}

function utc(y: number, m: number, day: number): Date {
  return new Date(Date.UTC(y, m, day))
}

/** The close periods offered, relative to now (UTC dates): overdue, this and next month and quarter, this year. */
export function closePeriods(now: Date = new Date()): ClosePeriod[] {
  const y = now.getUTCFullYear()
  const m = now.getUTCMonth()
  const q = Math.floor(m / 3) * 3
  const today = utc(y, m, now.getUTCDate())
  const yesterday = utc(y, m, now.getUTCDate() - 1)
  return [
    { key: 'any', label: 'Any close date' },
    { key: 'overdue', label: 'Overdue', lte: iso(yesterday) },
    { key: 'this-month', label: 'This month', gte: iso(utc(y, m, 1)), lte: iso(utc(y, m + 1, 0)) },
    { key: 'next-month', label: 'Next month', gte: iso(utc(y, m + 1, 1)), lte: iso(utc(y, m + 2, 0)) },
    { key: 'this-quarter', label: `This quarter (Q${q / 3 + 1})`, gte: iso(utc(y, q, 1)), lte: iso(utc(y, q + 3, 0)) },
    {
      key: 'next-quarter',
      label: `Next quarter (Q${((q / 3 + 1) % 4) + 1})`,
      gte: iso(utc(y, q + 3, 1)),
      lte: iso(utc(y, q + 6, 0)),
    },
    { key: 'this-year', label: `This year (${y})`, gte: iso(utc(y, 0, 1)), lte: iso(utc(y, 11, 31)) },
    { key: 'next-90', label: 'Next 90 days', gte: iso(today), lte: iso(utc(y, m, now.getUTCDate() + 90)) },
  ]
}
