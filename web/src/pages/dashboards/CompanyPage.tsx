// The company view (admins): attainment, forecast vs target by team, the
// funnel, quarterly trends, win rates, the system forecast beside the
// human call, and forecast accuracy over time.
import { Link } from 'react-router'
import { type CompanyDashboard, useCompanyDashboard, useCompanyRollup } from '../../api/planning'
import { PageHeader } from '../../components/PageHeader'
import { EmptyState, ErrorState, Loading } from '../../components/States'
import { minorToDecimal, ratioCell } from '../../lib/csv'
import {
  compactMoney,
  forecastCompare,
  formatMultiple,
  formatPercent,
  funnelBars,
  teamBars,
  trendPoints,
  shortMoney,
  wholeMoney,
} from '../../lib/dashboards'
import { formatMoney } from '../../lib/money'
import { AccuracyCard, RollupGrid } from '../forecast/Forecast'
import { Bookings, Card, ExportButton, Lines, MoneyBars, OtherCurrencies, PeriodPicker, Progress, Tile, usePeriod } from './widgets'
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'

/** CompanyPage is the whole company's quarter, for admins. */
export function CompanyPage() {
  const [period, setPeriod] = usePeriod()
  const q = useCompanyDashboard(period)
  const rollup = useCompanyRollup(period)
  return (
    <>
      <PageHeader title="Company" description="Attainment, forecasts and the funnel across every team." actions={<PeriodPicker value={period} onChange={setPeriod} />} />
      {q.isPending ? (
        <Loading label="Loading the company’s numbers…" />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => void q.refetch()} />
      ) : (
        <div className="dash">
          <CompanyTiles d={q.data} />
          <div className="dash-grid">
            <TeamsCard d={q.data} />
            <Card id="forecast-compare" title="System forecast beside the call">
              <MoneyBars
                data={forecastCompare(q.data.forecast, rollup.data?.call ?? (rollup.data ? { commit: rollup.data.sum_commit, best_case: rollup.data.sum_best_case } : null), q.data.attainment.target, q.data.currency)}
                series={[{ key: 'value', name: 'Amount' }]}
                currency={q.data.currency}
                label="System forecast P10, P50, P90 and stage-weighted beside the human commit and best case and the target"
              />
              <p className="muted small">
                {rollup.data?.call ? 'Human figures are the latest company call.' : 'Human figures are the sum of the teams’ latest forecasts (no company call yet).'} The system range comes from{' '}
                {q.data.forecast.iterations} simulated outcomes of {q.data.forecast.open_deals} open deals.
              </p>
            </Card>
            <FunnelCard d={q.data} />
            <TrendsCard d={q.data} />
            <RatesCard title="Win rate by product" id="rates-product" rows={q.data.win_rate_by_product ?? []} period={q.data.period.key} />
            <RatesCard title="Win rate by team" id="rates-team" rows={q.data.win_rate_by_team ?? []} period={q.data.period.key} />
            <AccuracyCard id="accuracy" title="Forecast accuracy trend" filter={{ period, quarters: 6 }} />
          </div>
          {rollup.data && <RollupGrid rollup={rollup.data} canCall scope="company" title="Company forecast roll-up" />}
        </div>
      )}
    </>
  )
}

function CompanyTiles({ d }: { d: CompanyDashboard }) {
  const c = d.currency
  const a = d.attainment
  const cov = (d.kpis ?? []).find((k) => k.key === 'pipeline_coverage')
  return (
    <section className="stats dash-tiles" aria-label="Headline figures">
      <Tile
        label="Attainment"
        value={formatPercent(a.ratio)}
        sub={
          <>
            {formatMoney(a.won, c)} won of {a.target === null ? 'no target' : formatMoney(a.target, c)}
            <OtherCurrencies totals={d.other_currencies} amount="won" />
            <Progress ratio={a.ratio} label="Company attainment" />
            <Bookings attainment={a} currency={c} />
          </>
        }
      />
      <Tile label="System forecast (P50)" value={wholeMoney(d.forecast.p50, c)} sub={`P10 ${wholeMoney(d.forecast.p10, c)} · P90 ${wholeMoney(d.forecast.p90, c)}`} />
      <Tile
        label="Stage-weighted"
        value={wholeMoney(d.forecast.weighted, c)}
        sub={
          <>
            {d.forecast.open_deals} open deals
            <OtherCurrencies totals={d.other_currencies} amount="open_pipeline" what="open" />
          </>
        }
      />
      <Tile label="Pipeline coverage" value={formatMultiple(cov?.value)} sub={`Goal ${formatMultiple(cov?.target ?? 3)}`} tone={(cov?.status ?? '') as '' | 'met' | 'below'} />
    </section>
  )
}

function TeamsCard({ d }: { d: CompanyDashboard }) {
  const c = d.currency
  const teams = d.teams ?? []
  return (
    <Card
      id="teams"
      title="Forecast vs target by team"
      actions={
        <ExportButton
          name={['company teams', d.period.key]}
          rows={teams}
          columns={[
            { header: 'Team', value: (t) => t.name },
            { header: `Won (${c})`, value: (t) => minorToDecimal(t.won, c) },
            { header: `Target (${c})`, value: (t) => minorToDecimal(t.target, c) },
            { header: 'Attainment', value: (t) => ratioCell(t.ratio) },
            { header: `Forecast (${c})`, value: (t) => minorToDecimal(t.forecast, c) },
            { header: `Weighted (${c})`, value: (t) => minorToDecimal(t.weighted, c) },
            { header: 'Win rate', value: (t) => ratioCell(t.win_rate) },
          ]}
        />
      }
    >
      {teams.length === 0 ? (
        <EmptyState title="No teams yet" />
      ) : (
        <>
          <MoneyBars
            data={teamBars(teams, c)}
            series={[
              { key: 'won', name: 'Won' },
              { key: 'forecast', name: 'Forecast (P50)' },
              { key: 'target', name: 'Target' },
            ]}
            currency={c}
            label="Won, forecast and target by team"
          />
          <table className="table table-compact" aria-label="Teams">
            <thead>
              <tr>
                <th>Team</th>
                <th className="num">Won</th>
                <th className="num">Target</th>
                <th className="num">Attainment</th>
                <th className="num">Forecast</th>
              </tr>
            </thead>
            <tbody>
              {teams.map((t) => (
                <tr key={t.team_id}>
                  <td>
                    <Link to={`/team/${t.team_id}?period=${d.period.key}`}>{t.name}</Link>
                  </td>
                  <td className="num" title={formatMoney(t.won, c)}>
                    {shortMoney(t.won, c)}
                  </td>
                  <td className="num" title={t.target === null ? undefined : formatMoney(t.target, c)}>
                    {t.target === null ? '—' : shortMoney(t.target, c)}
                  </td>
                  <td className="num">{formatPercent(t.ratio)}</td>
                  <td className="num" title={formatMoney(t.forecast, c)}>
                    {shortMoney(t.forecast, c)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Card>
  )
}

function FunnelCard({ d }: { d: CompanyDashboard }) {
  const steps = d.funnel ?? []
  return (
    <Card
      id="funnel"
      title="Funnel of deals created this period"
      actions={
        <ExportButton
          name={['funnel', d.period.key]}
          rows={steps}
          columns={[
            { header: 'Stage', value: (s) => s.name },
            { header: 'Reached', value: (s) => s.reached },
            { header: 'Conversion to next', value: (s) => ratioCell(s.conversion) },
          ]}
        />
      }
    >
      {steps.length === 0 ? (
        <EmptyState title="No deals created this period" />
      ) : (
        <>
          <div className="chart" role="img" aria-label="Deals reaching each stage">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={funnelBars(steps)} layout="vertical" margin={{ left: 8, right: 16 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#e2e5e0" />
                <XAxis type="number" tick={{ fontSize: 12 }} />
                <YAxis type="category" dataKey="name" width={110} tick={{ fontSize: 12 }} />
                <Tooltip />
                <Bar dataKey="reached" name="Deals reached" fill="#2f6a57" radius={[0, 3, 3, 0]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <table className="table table-compact" aria-label="Funnel">
            <thead>
              <tr>
                <th>Stage</th>
                <th className="num">Reached</th>
                <th className="num">On to next</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((s) => (
                <tr key={s.stage_id}>
                  <td>{s.name}</td>
                  <td className="num">{s.reached}</td>
                  <td className="num">{formatPercent(s.conversion)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Card>
  )
}

function TrendsCard({ d }: { d: CompanyDashboard }) {
  const c = d.currency
  const trends = d.trends ?? []
  return (
    <Card
      id="trends"
      title="Quarterly trends"
      actions={
        <ExportButton
          name={['trends', d.period.key]}
          rows={trends}
          columns={[
            { header: 'Quarter', value: (t) => t.period },
            { header: `Won (${c})`, value: (t) => minorToDecimal(t.won, c) },
            { header: 'Won deals', value: (t) => t.won_deals },
            { header: `New pipeline (${c})`, value: (t) => minorToDecimal(t.new_pipeline, c) },
            { header: 'Win rate', value: (t) => ratioCell(t.win_rate) },
          ]}
        />
      }
    >
      {trends.length === 0 ? (
        <EmptyState title="No history yet" />
      ) : (
        <Lines
          data={trendPoints(trends, c)}
          x="period"
          series={[
            { key: 'won', name: 'Won' },
            { key: 'newPipeline', name: 'New pipeline' },
          ]}
          format={(v) => compactMoney(v, c)}
          label="Won and new pipeline by quarter"
        />
      )}
    </Card>
  )
}

function RatesCard({ title, id, rows, period }: { title: string; id: string; rows: CompanyDashboard['win_rate_by_team']; period: string }) {
  const list = rows ?? []
  return (
    <Card
      id={id}
      title={title}
      actions={
        <ExportButton
          name={[title, period]}
          rows={list}
          columns={[
            { header: 'Name', value: (r) => r.name },
            { header: 'Won', value: (r) => r.won },
            { header: 'Lost', value: (r) => r.lost },
            { header: 'Win rate', value: (r) => ratioCell(r.win_rate) },
          ]}
        />
      }
    >
      {list.length === 0 ? (
        <EmptyState title="No closed deals this period" />
      ) : (
        <table className="table table-compact" aria-label={title}>
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Won</th>
              <th className="num">Lost</th>
              <th className="num">Win rate</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td className="num">{r.won}</td>
                <td className="num">{r.lost}</td>
                <td className="num">
                  {formatPercent(r.win_rate)}
                  <Progress ratio={r.win_rate} label={`${r.name} win rate`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  )
}
