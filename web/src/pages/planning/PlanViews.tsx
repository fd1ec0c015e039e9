// What a funnel plan says, shown without fetching: the headline figures,
// the steps with how many and by when, and a team's plans side by side.
import type { FunnelPlan } from '../../api/planning'
import { formatDate } from '../../lib/format'
import { formatPercent } from '../../lib/dashboards'
import { formatMoney } from '../../lib/money'
import { stepColumns } from '../../lib/planner'
import { Tile } from '../dashboards/widgets'

/** PlanSummary is a plan's headline: target, won, what is left, and the rates it is worked out from. */
export function PlanSummary({ plan }: { plan: FunnelPlan }) {
  const c = plan.currency
  return (
    <section className="stats dash-tiles" aria-label="Plan summary">
      <Tile label="Target" value={formatMoney(plan.target, c)} sub={plan.period.key} />
      <Tile label="Won so far" value={formatMoney(plan.won, c)} />
      <Tile label="Still to win" value={formatMoney(plan.remaining, c)} tone={plan.remaining === 0 ? 'met' : ''} />
      <Tile label="Wins needed" value={String(plan.wins_needed)} sub={`at ${formatMoney(plan.avg_deal_size, c)} a deal`} />
      <Tile label="Win rate" value={formatPercent(plan.win_rate)} sub={plan.cycle_days === null ? 'no cycle time yet' : `${Math.round(plan.cycle_days)} days from creation to win`} />
    </section>
  )
}

/** PlanSteps is a plan's funnel: how many leads and deals at each stage, and by when, to reach the target. */
export function PlanSteps({ plan }: { plan: FunnelPlan }) {
  const steps = plan.steps ?? []
  if (steps.length === 0) {
    return <p className="muted">Not enough history yet to work out conversion rates: win a few deals first.</p>
  }
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label="Funnel plan">
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col" className="num">
              Needed
            </th>
            <th scope="col">By</th>
            <th scope="col" className="num">
              Converts to a win
            </th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.step}>
              <th scope="row">{s.step}</th>
              <td className="num">{s.needed}</td>
              <td className="col-date">{formatDate(s.by)}</td>
              <td className="num">{s.stage_id === null ? `${formatPercent(s.conversion)} become deals` : formatPercent(s.conversion)}</td>
            </tr>
          ))}
          <tr className="row-total">
            <th scope="row">Wins</th>
            <td className="num">{plan.wins_needed}</td>
            <td className="col-date">{formatDate(plan.period.end)}</td>
            <td />
          </tr>
        </tbody>
      </table>
    </div>
  )
}

/** One rep's plan in a team's table; plan is null while it loads, error when it cannot be made. */
export interface RepPlan {
  userId: number
  name: string
  plan: FunnelPlan | null
  error?: string
}

/** TeamPlanTable is each rep's plan side by side: target, what is left, and how many at each step. */
export function TeamPlanTable({ rows, currency }: { rows: RepPlan[]; currency: string }) {
  const cols = stepColumns(rows.flatMap((r) => (r.plan ? [r.plan] : [])))
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label="Team funnel plan">
        <thead>
          <tr>
            <th scope="col">Rep</th>
            <th scope="col" className="num">
              Target
            </th>
            <th scope="col" className="num">
              Still to win
            </th>
            <th scope="col" className="num">
              Wins needed
            </th>
            {cols.map((c) => (
              <th key={c} scope="col" className="num">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.userId}>
              <th scope="row">{r.name}</th>
              {r.plan ? (
                <>
                  <td className="num">{formatMoney(r.plan.target, currency)}</td>
                  <td className="num">{formatMoney(r.plan.remaining, currency)}</td>
                  <td className="num">{r.plan.wins_needed}</td>
                  {cols.map((c) => {
                    const s = (r.plan?.steps ?? []).find((x) => x.step === c)
                    return (
                      <td key={c} className="num">
                        {s ? (
                          <>
                            {s.needed}
                            <span className="cell-sub">by {formatDate(s.by)}</span>
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                    )
                  })}
                </>
              ) : (
                <td colSpan={3 + cols.length} className="muted">
                  {r.error ?? 'Working out…'}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
