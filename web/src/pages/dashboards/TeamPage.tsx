// The manager's team view: a row per rep, drill-down to each rep, and the
// team's forecast roll-up with the manager's adjusted call.
import { Link, useNavigate, useParams } from 'react-router'
import { useTeamDashboard, useTeamRollup } from '../../api/planning'
import { useTeams } from '../../api/queries'
import { atLeast } from '../../api/types'
import { PageHeader } from '../../components/PageHeader'
import { EmptyState, ErrorState, Loading } from '../../components/States'
import { minorToDecimal, ratioCell } from '../../lib/csv'
import { formatMultiple, formatPercent, major, otherCurrencyNotes, shortMoney, wholeMoney } from '../../lib/dashboards'
import { formatMoney } from '../../lib/money'
import { useMe } from '../../session'
import { AccuracyCard, RollupGrid } from '../forecast/Forecast'
import { Card, ExportButton, MoneyBars, PeriodPicker, usePeriod } from './widgets'

/** TeamPage is a team's dashboard; managers see the teams they manage, admins any. */
export function TeamPage() {
  const me = useMe()
  const params = useParams()
  const navigate = useNavigate()
  const [period, setPeriod] = usePeriod()
  const teams = useTeams()
  const isAdmin = atLeast(me.user.role, 'admin')
  const mine = (teams.data ?? []).filter((t) => isAdmin || t.manager_id === me.user.id || (t.member_ids ?? []).includes(me.user.id))
  const id = params.id ? Number(params.id) : mine[0]?.id
  const team = (teams.data ?? []).find((t) => t.id === id)
  const dash = useTeamDashboard(id, period)
  const rollup = useTeamRollup(id, period)
  const canCall = team !== undefined && (isAdmin || team.manager_id === me.user.id)

  return (
    <>
      <PageHeader
        title={dash.data ? `Team ${dash.data.name}` : 'Team'}
        description="Every rep’s quarter, the team’s forecast and your call."
        actions={
          <>
            {mine.length > 1 && (
              <select aria-label="Team" value={id ?? ''} onChange={(e) => navigate(`/team/${e.target.value}${period ? `?period=${period}` : ''}`)}>
                {mine.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
            <PeriodPicker value={period} onChange={setPeriod} />
          </>
        }
      />
      {teams.isPending ? (
        <Loading />
      ) : id === undefined ? (
        <EmptyState title="You manage no team">A manager sees their teams here; an admin can make you a team’s manager in Settings → Teams.</EmptyState>
      ) : dash.isPending ? (
        <Loading label="Loading the team…" />
      ) : dash.isError ? (
        <ErrorState error={dash.error} retry={() => void dash.refetch()} />
      ) : (
        <div className="dash">
          <TeamTable d={dash.data} />
          <div className="dash-grid">
            <Card id="team-chart" title="Won and forecast by rep">
              <MoneyBars
                data={(dash.data.rows ?? []).map((r) => ({ name: r.name.split(' ')[0], won: major(r.won, dash.data.currency), forecast: major(r.forecast, dash.data.currency) }))}
                series={[
                  { key: 'won', name: 'Won' },
                  { key: 'forecast', name: 'System forecast (P50)' },
                ]}
                currency={dash.data.currency}
                label="Won and forecast amount by rep"
              />
            </Card>
            <AccuracyCard id="team-accuracy" title="Forecast accuracy by quarter" filter={{ period, quarters: 4, team_id: id }} />
          </div>
          {rollup.isPending ? (
            <Loading />
          ) : rollup.isError ? (
            <ErrorState error={rollup.error} retry={() => void rollup.refetch()} />
          ) : (
            <RollupGrid rollup={rollup.data} canCall={canCall} scope="team" title={`Forecast roll-up · ${dash.data.name}`} />
          )}
        </div>
      )}
    </>
  )
}

// TeamTable fits its ten columns in a 1280px window: whole amounts, the
// targets and commit in short form (exact in their title and the CSV), and
// amounts in other currencies in a note below the table, not in the total.
function TeamTable({ d }: { d: NonNullable<ReturnType<typeof useTeamDashboard>['data']> }) {
  const c = d.currency
  const rows = d.rows ?? []
  const short = (minor: number) => <span title={formatMoney(minor, c)}>{shortMoney(minor, c)}</span>
  const notes = [...otherCurrencyNotes(d.other_currencies, 'won', 'won'), ...otherCurrencyNotes(d.other_currencies, 'open_pipeline', 'open')]
  const cell = (r: (typeof rows)[number], total = false) => (
    <>
      <td className="num" title={formatMoney(r.won, c)}>
        {wholeMoney(r.won, c)}
        <span className="cell-sub">of {r.target === null ? '—' : short(r.target)}</span>
      </td>
      <td className={`num ${r.attainment !== null && r.attainment >= 1 ? 'good' : ''}`}>{formatPercent(r.attainment)}</td>
      <td className={`num ${r.bookings_attainment !== null && r.bookings_attainment >= 1 ? 'good' : ''}`}>
        {formatPercent(r.bookings_attainment)}
        <span className="cell-sub">{r.bookings_target === null ? 'no target' : <>of {short(r.bookings_target)}</>}</span>
      </td>
      <td className="num" title={formatMoney(r.forecast, c)}>
        {wholeMoney(r.forecast, c)}
        <span className="cell-sub">commit {short(r.commit)}</span>
      </td>
      <td className="num">{formatMultiple(r.coverage)}</td>
      <td className="num">{formatPercent(r.win_rate)}</td>
      <td className="num">
        {r.activities}
        {r.activity_target !== null && <span className="cell-sub">of {r.activity_target}</span>}
      </td>
      <td className="num">{r.accuracy === null ? '—' : formatPercent(r.accuracy)}</td>
      <td className="col-actions">{!total && <Link to={`/deals?owner_id=${r.user_id}&status=open`}>Deals</Link>}</td>
    </>
  )
  return (
    <Card
      id="team-reps"
      title="Reps"
      actions={
        <ExportButton
          name={['team', d.name, d.period.key]}
          rows={[...rows, { ...d.total, name: 'Total' }]}
          columns={[
            { header: 'Rep', value: (r) => r.name },
            { header: `Won (${c})`, value: (r) => minorToDecimal(r.won, c) },
            { header: `Target (${c})`, value: (r) => minorToDecimal(r.target, c) },
            { header: 'Attainment', value: (r) => ratioCell(r.attainment) },
            { header: `Bookings target (${c})`, value: (r) => minorToDecimal(r.bookings_target, c) },
            { header: 'Bookings attainment', value: (r) => ratioCell(r.bookings_attainment) },
            { header: `Forecast (${c})`, value: (r) => minorToDecimal(r.forecast, c) },
            { header: `Commit (${c})`, value: (r) => minorToDecimal(r.commit, c) },
            { header: `Open pipeline (${c})`, value: (r) => minorToDecimal(r.open_pipeline, c) },
            { header: 'Coverage', value: (r) => ratioCell(r.coverage) },
            { header: 'Win rate', value: (r) => ratioCell(r.win_rate) },
            { header: 'Activities', value: (r) => r.activities },
            { header: 'Accuracy', value: (r) => ratioCell(r.accuracy) },
          ]}
        />
      }
    >
      {rows.length === 0 ? (
        <EmptyState title="No reps in this team" />
      ) : (
        <div className="table-wrap">
          <table className="table table-compact team-table" aria-label={`Reps of ${d.name}`}>
            <thead>
              <tr>
                <th>Rep</th>
                <th className="num">Won</th>
                <th className="num">Attainment</th>
                <th className="num" title="Bookings won against the bookings target">
                  Bookings
                </th>
                <th className="num">Forecast</th>
                <th className="num">Coverage</th>
                <th className="num">Win rate</th>
                <th className="num">Activities</th>
                <th className="num">Accuracy</th>
                <th className="col-actions">
                  <span className="visually-hidden">Drill down</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.user_id}>
                  <td>
                    <Link to={`/reps/${r.user_id}?period=${d.period.key}`}>{r.name}</Link>
                  </td>
                  {cell(r)}
                </tr>
              ))}
              <tr className="row-total" aria-describedby={notes.length > 0 ? 'team-reps-note' : undefined}>
                <th scope="row">
                  Total
                  {notes.length > 0 && <sup aria-hidden="true">*</sup>}
                </th>
                {cell(d.total, true)}
              </tr>
            </tbody>
          </table>
        </div>
      )}
      {rows.length > 0 && notes.length > 0 && (
        <p className="table-note" id="team-reps-note" title="Attain keeps no exchange rates: amounts in other currencies are listed apart, not converted.">
          <span aria-hidden="true">* </span>Totals in {c} only: {notes.join('; ')}.
        </p>
      )}
    </Card>
  )
}
