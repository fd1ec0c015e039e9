// A rep's dashboard: attainment, forecast, pipeline by stage, coverage,
// deals needing attention, activities against goal, leaderboard place.
import { Link, useParams } from 'react-router'
import { type RepDashboard, useMyDashboard, useRepDashboard } from '../../api/planning'
import { useActivityTypes, useCustomFields } from '../../api/sales'
import { PageHeader } from '../../components/PageHeader'
import { EmptyState, ErrorState, Loading } from '../../components/States'
import { minorToDecimal, ratioCell } from '../../lib/csv'
import { attentionLabel, formatKPI, formatKPITarget, formatMultiple, formatPercent, pipelineBars } from '../../lib/dashboards'
import { leaderboardWindow, wholeMoney } from '../../lib/dashboards'
import { missingLabel } from '../../lib/exitCriteria'
import { formatDate } from '../../lib/format'
import { formatMoney } from '../../lib/money'
import { useMe } from '../../session'
import { ForecastSubmit } from '../forecast/Forecast'
import { Bookings, Card, ExportButton, MoneyBars, OtherCurrencies, PeriodPicker, Progress, Tile, usePeriod } from './widgets'

/** MyDashboard is the signed-in member's own dashboard (rep home). */
export function MyDashboard() {
  const me = useMe()
  const [period, setPeriod] = usePeriod()
  const q = useMyDashboard(period)
  return (
    <>
      <PageHeader
        title={`Hello, ${me.user.name.split(/\s+/)[0]}`}
        description={q.data ? `Your quarter: ${q.data.period.key} · ${formatDate(q.data.period.start)} – ${formatDate(q.data.period.end)}` : 'Your quarter'}
        actions={<PeriodPicker value={period} onChange={setPeriod} />}
      />
      {q.isPending ? (
        <Loading label="Loading your numbers…" />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => void q.refetch()} />
      ) : (
        <RepView d={q.data} own period={period} />
      )}
    </>
  )
}

/** RepDashboardPage is a rep's dashboard as their manager (or an admin) sees it. */
export function RepDashboardPage() {
  const id = Number(useParams().id)
  const [period, setPeriod] = usePeriod()
  const q = useRepDashboard(id, period)
  return (
    <>
      <PageHeader
        title={q.data ? q.data.name : 'Rep'}
        description={
          <>
            <Link to="/team">Team view</Link> · <Link to={`/deals?owner_id=${id}&status=open`}>Open deals</Link>
          </>
        }
        actions={<PeriodPicker value={period} onChange={setPeriod} />}
      />
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} retry={() => void q.refetch()} /> : <RepView d={q.data} own={false} period={period} />}
    </>
  )
}

function RepView({ d, own, period }: { d: RepDashboard; own: boolean; period: string | undefined }) {
  const c = d.currency
  const a = d.attainment
  const f = d.forecast
  const attention = d.attention ?? []
  const activities = d.activities ?? []
  const lb = d.leaderboard
  const types = useActivityTypes()
  const fields = useCustomFields('deal')
  const missing = (key: string) => missingLabel(key, types.data, fields.data)
  // Bookings equal the won amount; they are worth a line only against their own target.
  const kpis = (d.kpis ?? []).filter((k) => k.key !== 'bookings' || (k.target_amount ?? null) !== null)
  return (
    <div className="dash">
      <section className="stats dash-tiles" aria-label="Headline figures">
        <Tile
          label="Attainment"
          value={formatPercent(a.ratio)}
          sub={
            <>
              {formatMoney(a.won, c)} won of {a.target === null ? 'no target' : formatMoney(a.target, c)}
              <OtherCurrencies totals={d.other_currencies} amount="won" />
              <Progress ratio={a.ratio} label="Attainment against target" />
              <Bookings attainment={a} currency={c} />
            </>
          }
          tone={a.ratio === null ? '' : a.ratio >= 1 ? 'met' : 'below'}
        />
        <Tile label="System forecast" value={wholeMoney(f.p50, c)} sub={`P10 ${wholeMoney(f.p10, c)} · P90 ${wholeMoney(f.p90, c)}`} />
        <Tile
          label="Pipeline coverage"
          value={formatMultiple(d.coverage.value)}
          sub={
            <>
              Goal {formatMultiple(d.coverage.target ?? 3)} of what is left to win
              <OtherCurrencies totals={d.other_currencies} amount="open_pipeline" what="open" />
            </>
          }
          tone={(d.coverage.status ?? '') as 'met' | 'below' | ''}
        />
        <Tile
          label="Leaderboard"
          value={lb.position > 0 ? `#${lb.position}` : '—'}
          sub={lb.of > 0 ? `of ${lb.of} reps by attainment` : 'No ranking yet'}
        />
      </section>

      <div className="dash-grid">
        {own && (
          <Card id="my-forecast" title="My forecast" wide>
            <ForecastSubmit period={period ?? d.period.key} userId={d.user_id} />
          </Card>
        )}

        <Card
          id="pipeline"
          title="Pipeline by stage"
          actions={
            <ExportButton
              name={[d.name, 'pipeline', d.period.key]}
              rows={d.pipeline ?? []}
              columns={[
                { header: 'Stage', value: (s) => s.name },
                { header: 'Deals', value: (s) => s.deals },
                { header: `Amount (${c})`, value: (s) => minorToDecimal(s.amount, c) },
                { header: `Weighted (${c})`, value: (s) => minorToDecimal(s.weighted, c) },
              ]}
            />
          }
        >
          {(d.pipeline ?? []).length === 0 ? (
            <EmptyState title="No open deals closing this period" />
          ) : (
            <>
              <MoneyBars
                data={pipelineBars(d.pipeline ?? [], c)}
                series={[
                  { key: 'amount', name: 'Amount' },
                  { key: 'weighted', name: 'Weighted' },
                ]}
                currency={c}
                label="Open pipeline by stage: amount and weighted amount"
              />
              <table className="table table-compact" aria-label="Pipeline by stage">
                <thead>
                  <tr>
                    <th>Stage</th>
                    <th className="num">Deals</th>
                    <th className="num">Amount</th>
                    <th className="num">Weighted</th>
                  </tr>
                </thead>
                <tbody>
                  {(d.pipeline ?? []).map((s) => (
                    <tr key={s.stage_id}>
                      <td>{s.name}</td>
                      <td className="num">{s.deals}</td>
                      <td className="num">{formatMoney(s.amount, c)}</td>
                      <td className="num">{formatMoney(s.weighted, c)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <OtherCurrencies totals={d.other_currencies} amount="open_pipeline" />
            </>
          )}
        </Card>

        <Card
          id="attention"
          title="Deals needing attention"
          actions={
            <ExportButton
              name={[d.name, 'attention', d.period.key]}
              rows={attention}
              columns={[
                { header: 'Deal', value: (x) => x.name },
                { header: 'Stage', value: (x) => x.stage_name },
                { header: 'Amount', value: (x) => minorToDecimal(x.amount, x.currency || c) },
                { header: 'Currency', value: (x) => x.currency || c },
                { header: 'Close date', value: (x) => x.close_date },
                { header: 'Idle days', value: (x) => x.idle_days },
                { header: 'Reasons', value: (x) => (x.reasons ?? []).map(attentionLabel).join('; ') },
                { header: 'Missing', value: (x) => (x.missing ?? []).map(missing).join('; ') },
              ]}
            />
          }
        >
          {attention.length === 0 ? (
            <EmptyState title="Nothing needs attention">Every open deal is moving and has what its stage asks for.</EmptyState>
          ) : (
            <ul className="attention-list">
              {attention.map((x) => (
                <li key={x.deal_id}>
                  <Link to={`/deals/${x.deal_id}`} className="attention-name">
                    {x.name}
                  </Link>
                  <span className="attention-meta">
                    {x.stage_name} · {formatMoney(x.amount, x.currency || c)} · closes {formatDate(x.close_date)} · idle {x.idle_days} days
                  </span>
                  <span className="attention-reasons">
                    {(x.reasons ?? []).map((r) => (
                      <span key={r} className={`badge reason reason-${r}`}>
                        {attentionLabel(r)}
                      </span>
                    ))}
                    {(x.missing ?? []).length > 0 && <span className="muted"> missing: {(x.missing ?? []).map(missing).join(', ')}</span>}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card
          id="activities"
          title="Activities against goal"
          actions={
            <ExportButton
              name={[d.name, 'activities', d.period.key]}
              rows={activities}
              columns={[
                { header: 'Type', value: (x) => x.name },
                { header: 'Done', value: (x) => x.count },
                { header: 'Goal', value: (x) => x.target },
              ]}
            />
          }
        >
          {activities.length === 0 ? (
            <EmptyState title="No activities logged this period" />
          ) : (
            <ul className="goal-list">
              {activities.map((x) => (
                <li key={x.type}>
                  <span className="goal-name">{x.name}</span>
                  <span className="goal-count">
                    {x.count}
                    {x.target !== null && <span className="muted"> / {x.target}</span>}
                  </span>
                  {x.target !== null && <Progress ratio={x.target > 0 ? x.count / x.target : 1} label={`${x.name} against goal`} />}
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card id="leaderboard" title="Leaderboard">
          {(lb.entries ?? []).length === 0 ? (
            <EmptyState title="No ranking yet" />
          ) : (
            <ol className="leaderboard">
              {leaderboardWindow(lb.entries ?? []).map((e, i) =>
                e === null ? (
                  <li key={`gap-${i}`} className="leader-gap" aria-hidden="true">
                    ⋯
                  </li>
                ) : (
                <li key={e.position} className={e.you ? 'leader-you' : undefined}>
                  <span className="leader-pos">#{e.position}</span>
                  <span className="leader-name">{e.you ? 'You' : e.name || 'A colleague'}</span>
                  <span className="leader-ratio">{formatPercent(e.ratio)}</span>
                </li>
                ),
              )}
            </ol>
          )}
        </Card>

        <Card
          id="kpis"
          title="KPIs"
          actions={
            <ExportButton
              name={[d.name, 'kpis', d.period.key]}
              rows={kpis}
              columns={[
                { header: 'KPI', value: (k) => k.name },
                { header: 'Unit', value: (k) => k.unit },
                { header: 'Value', value: (k) => (k.unit === 'money' ? minorToDecimal(k.amount, c) : ratioCell(k.value)) },
                { header: 'Target', value: (k) => (k.target_amount !== undefined ? minorToDecimal(k.target_amount, c) : k.target) },
                { header: 'Status', value: (k) => k.status },
              ]}
            />
          }
        >
          <table className="table table-compact" aria-label="KPIs">
            <tbody>
              {kpis.map((k) => (
                <tr key={k.key}>
                  <td>{k.name}</td>
                  <td className="num strong">{formatKPI(k, c)}</td>
                  <td className="num muted">{formatKPITarget(k, c)}</td>
                  <td>{k.status && <span className={`badge status-${k.status}`}>{k.status === 'met' ? 'Met' : 'Below'}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <OtherCurrencies totals={d.other_currencies} amount="won" what="won" />
          <OtherCurrencies totals={d.other_currencies} amount="open_pipeline" what="open" />
        </Card>
      </div>
    </div>
  )
}
