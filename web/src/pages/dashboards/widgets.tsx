// Pieces every dashboard uses: the period picker (in the address bar, so a
// view can be shared), CSV export of a table, figure tiles and charts.
import type { ReactNode } from 'react'
import { useSearchParams } from 'react-router'
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { usePlanning } from '../../api/planning'
import { type CSVColumn, csvFileName, downloadCSV, toCSV } from '../../lib/csv'
import { bookingsLine, compactMoney, type CurrencyTotalLike, currentQuarter, otherCurrencyNotes, quarterOptions } from '../../lib/dashboards'
import '../../dashboards.css'

/** The period in the address bar (?period=2026-Q4), undefined for this quarter, and a setter. */
export function usePeriod(): [string | undefined, (p: string) => void] {
  const [params, setParams] = useSearchParams()
  const period = params.get('period') || undefined
  return [
    period,
    (p) => {
      const next = new URLSearchParams(params)
      next.set('period', p)
      setParams(next, { replace: true })
    },
  ]
}

/** PeriodPicker chooses the fiscal quarter a dashboard shows. */
export function PeriodPicker({ value, onChange }: { value: string | undefined; onChange: (p: string) => void }) {
  const planning = usePlanning()
  const start = planning.data?.fiscal_start_month ?? 1
  const today = new Date()
  const options = quarterOptions(start, today)
  const current = value ?? currentQuarter(start, today)
  if (!options.some((o) => o.key === current)) {
    options.push({ key: current, label: current })
  }
  return (
    <label className="period-picker">
      <span className="visually-hidden">Period</span>
      <select value={current} onChange={(e) => onChange(e.target.value)} aria-label="Period">
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label}
            {o.key === currentQuarter(start, today) ? ' (this quarter)' : ''}
          </option>
        ))}
      </select>
    </label>
  )
}

/** ExportButton downloads a table as CSV. */
export function ExportButton<T>({ name, columns, rows }: { name: string[]; columns: CSVColumn<T>[]; rows: readonly T[] }) {
  return (
    <button
      type="button"
      className="button button-small button-quiet"
      onClick={() => downloadCSV(csvFileName(...name), toCSV(columns, rows))}
      disabled={rows.length === 0}
      aria-label={`Export ${name.join(' ')} as CSV`}
    >
      Export CSV
    </button>
  )
}

/** Tile is one headline figure. */
export function Tile({ label, value, sub, tone }: { label: string; value: ReactNode; sub?: ReactNode; tone?: 'met' | 'below' | '' }) {
  return (
    <div className={`stat tile${tone ? ` tile-${tone}` : ''}`}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {sub && <span className="stat-sub">{sub}</span>}
    </div>
  )
}

/** Progress is a bar of a ratio against 100%. */
export function Progress({ ratio, label }: { ratio: number | null | undefined; label: string }) {
  const pct = ratio === null || ratio === undefined ? 0 : Math.min(100, Math.max(0, ratio * 100))
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  )
}

/**
 * OtherCurrencies notes, beside a figure, what it leaves out in other
 * currencies ("+ €12,400 in EUR not included"): Attain keeps no exchange
 * rates, so such amounts are listed apart instead of converted or dropped.
 */
export function OtherCurrencies({
  totals,
  amount,
  what,
}: {
  totals: readonly CurrencyTotalLike[] | null | undefined
  amount: 'won' | 'open_pipeline'
  what?: string
}) {
  const notes = otherCurrencyNotes(totals, amount, what)
  if (notes.length === 0) {
    return null
  }
  return (
    <span className="other-currencies" title="Attain keeps no exchange rates: amounts in other currencies are listed apart, not converted.">
      {notes.map((n) => (
        <span key={n}>{n}</span>
      ))}
    </span>
  )
}

/** Bookings shows bookings against the bookings target beside attainment, only when a bookings target is set. */
export function Bookings({ attainment, currency }: { attainment: { won: number; bookings_target: number | null; bookings_ratio: number | null }; currency: string }) {
  const line = bookingsLine(attainment, currency)
  if (line === null) {
    return null
  }
  return (
    <>
      <span className="bookings">{line}</span>
      <Progress ratio={attainment.bookings_ratio} label="Bookings against target" />
    </>
  )
}

/** Card is a titled dashboard section with optional actions (such as export). */
export function Card({ title, actions, children, id, wide }: { title: string; actions?: ReactNode; children: ReactNode; id: string; wide?: boolean }) {
  return (
    <section className={wide ? 'card dash-card dash-wide' : 'card dash-card'} aria-labelledby={id}>
      <div className="card-header">
        <h2 id={id}>{title}</h2>
        {actions && <div className="card-actions">{actions}</div>}
      </div>
      {children}
    </section>
  )
}

const colors = ['#2f6a57', '#8fbcaa', '#3b82c4', '#c98a1b', '#7a5ea8', '#b42318']

/** MoneyBars draws bars of money series (major units) by name; the table beside it carries the exact figures. */
export function MoneyBars({
  data,
  series,
  currency,
  label,
  height = 240,
}: {
  data: readonly object[]
  series: { key: string; name: string }[]
  currency: string
  label: string
  height?: number
}) {
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data as Record<string, unknown>[]} margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e5e0" />
          <XAxis dataKey="name" tick={{ fontSize: 12 }} interval={0} />
          <YAxis tickFormatter={(v: number) => compactMoney(v, currency)} tick={{ fontSize: 12 }} width={64} />
          <Tooltip formatter={(v) => compactMoney(Number(v), currency)} />
          {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
          {series.map((s, i) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} fill={colors[i % colors.length]} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}

/** Lines draws series over an x key (quarters); unit formats the axis. */
export function Lines({
  data,
  x,
  series,
  format,
  label,
  height = 240,
}: {
  data: readonly object[]
  x: string
  series: { key: string; name: string }[]
  format: (v: number) => string
  label: string
  height?: number
}) {
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={data as Record<string, unknown>[]} margin={{ top: 8, right: 16, left: 8, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e5e0" />
          <XAxis dataKey={x} tick={{ fontSize: 12 }} />
          <YAxis tickFormatter={format} tick={{ fontSize: 12 }} width={64} />
          <Tooltip formatter={(v) => format(Number(v))} />
          {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
          {series.map((s, i) => (
            <Line key={s.key} dataKey={s.key} name={s.name} stroke={colors[i % colors.length]} strokeWidth={2} dot isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  )
}
