import { Link } from 'react-router'
import { useCompanyDashboard } from '../../api/planning'
import { ErrorState, Loading } from '../../components/States'
import { formatMultiple, formatPercent, wholeMoney } from '../../lib/dashboards'
import { formatMoney } from '../../lib/money'
import { Bookings, OtherCurrencies, Progress, Tile } from './widgets'

/** CompanySnapshot is the company's quarter in four figures, linking to the company view. */
export function CompanySnapshot() {
  const q = useCompanyDashboard(undefined)
  if (q.isPending) {
    return <Loading label="Loading this quarter…" />
  }
  if (q.isError) {
    return <ErrorState error={q.error} retry={() => void q.refetch()} />
  }
  const d = q.data
  const c = d.currency
  const cov = (d.kpis ?? []).find((k) => k.key === 'pipeline_coverage')
  return (
    <section className="snapshot" aria-labelledby="snapshot-title">
      <div className="card-header">
        <h2 id="snapshot-title">This quarter ({d.period.key})</h2>
        <Link to="/company" className="card-link">
          Open the company view
        </Link>
      </div>
      <div className="stats dash-tiles">
        <Tile
          label="Attainment"
          value={formatPercent(d.attainment.ratio)}
          sub={
            <>
              {formatMoney(d.attainment.won, c)} of {d.attainment.target === null ? 'no target' : formatMoney(d.attainment.target, c)}
              <OtherCurrencies totals={d.other_currencies} amount="won" />
              <Progress ratio={d.attainment.ratio} label="Company attainment" />
              <Bookings attainment={d.attainment} currency={c} />
            </>
          }
        />
        <Tile label="System forecast (P50)" value={wholeMoney(d.forecast.p50, c)} sub={`P10 ${wholeMoney(d.forecast.p10, c)} · P90 ${wholeMoney(d.forecast.p90, c)}`} />
        <Tile label="Pipeline coverage" value={formatMultiple(cov?.value)} sub={`Goal ${formatMultiple(cov?.target ?? 3)}`} />
      </div>
    </section>
  )
}
