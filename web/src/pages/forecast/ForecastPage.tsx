// The forecast page: everyone submits their own commit and best case,
// pre-filled from their deals; a manager sees their team's submissions and
// sum and records an adjusted call with a reason; an admin the company's.
// Every submission is kept and listed, and accuracy is measured against
// what was won.
import { useNavigate, useSearchParams } from 'react-router'
import { useCompanyRollup, useSubmissions, useTeamRollup } from '../../api/planning'
import { useTeams } from '../../api/queries'
import { atLeast } from '../../api/types'
import { PageHeader } from '../../components/PageHeader'
import { ErrorState, Loading } from '../../components/States'
import { useMe } from '../../session'
import { Card, PeriodPicker, usePeriod } from '../dashboards/widgets'
import { AccuracyCard, ForecastSubmit, RollupGrid, SubmissionTable } from './Forecast'

/** ForecastPage is my forecast, and for managers and admins the roll-ups they call. */
export function ForecastPage() {
  const me = useMe()
  const [period, setPeriod] = usePeriod()
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const teams = useTeams()
  const isAdmin = atLeast(me.user.role, 'admin')
  const mine = (teams.data ?? []).filter((t) => isAdmin || t.manager_id === me.user.id)
  const teamId = params.get('team') ? Number(params.get('team')) : mine[0]?.id
  const team = mine.find((t) => t.id === teamId)

  return (
    <>
      <PageHeader
        title="Forecast"
        description="Your commit and best case for the quarter, pre-filled from your deals; your team’s submissions and your call."
        actions={
          <>
            {mine.length > 1 && (
              <select
                aria-label="Team"
                value={team?.id ?? ''}
                onChange={(e) => {
                  const next = new URLSearchParams(params)
                  next.set('team', e.target.value)
                  void navigate(`/forecast?${next.toString()}`, { replace: true })
                }}
              >
                {mine.map((t) => (
                  <option key={t.id} value={t.id}>
                    Team {t.name}
                  </option>
                ))}
              </select>
            )}
            <PeriodPicker value={period} onChange={setPeriod} />
          </>
        }
      />
      <div className="dash">
        <div className="dash-grid">
          <Card id="my-forecast" title={mine.length > 0 ? 'My own forecast' : 'My forecast'}>
            <ForecastSubmit period={period} userId={me.user.id} />
          </Card>
          <AccuracyCard
            id="forecast-accuracy"
            title={team ? 'Team forecast accuracy' : 'My forecast accuracy'}
            filter={{ period, quarters: 4, user_id: team ? undefined : me.user.id, team_id: team?.id }}
            byWeek
          />
        </div>
        {team && <TeamCall period={period} teamId={team.id} name={team.name} />}
        {isAdmin && <CompanyCall period={period} />}
      </div>
    </>
  )
}

function TeamCall({ period, teamId, name }: { period: string | undefined; teamId: number; name: string }) {
  const rollup = useTeamRollup(teamId, period)
  const calls = useSubmissions({ period: period ?? rollup.data?.period, scope: 'team', team_id: teamId })
  if (rollup.isPending) {
    return <Loading label="Loading the team’s forecast…" />
  }
  if (rollup.isError) {
    return <ErrorState error={rollup.error} retry={() => void rollup.refetch()} />
  }
  return (
    <>
      <RollupGrid rollup={rollup.data} canCall scope="team" title={`Team ${name}: submissions, sum and my call`} />
      <Card id="team-calls" title={`My calls for team ${name}`} wide>
        <CallHistory calls={calls} currency={rollup.data.currency} />
      </Card>
    </>
  )
}

function CompanyCall({ period }: { period: string | undefined }) {
  const rollup = useCompanyRollup(period)
  const calls = useSubmissions({ period: period ?? rollup.data?.period, scope: 'company' })
  if (rollup.isPending) {
    return <Loading />
  }
  if (rollup.isError) {
    return <ErrorState error={rollup.error} retry={() => void rollup.refetch()} />
  }
  return (
    <>
      <RollupGrid rollup={rollup.data} canCall scope="company" title="Company: teams’ calls, sum and the company call" />
      <Card id="company-calls" title="Company calls" wide>
        <CallHistory calls={calls} currency={rollup.data.currency} />
      </Card>
    </>
  )
}

function CallHistory({ calls, currency }: { calls: ReturnType<typeof useSubmissions>; currency: string }) {
  if (calls.isPending) {
    return <Loading />
  }
  if (calls.isError) {
    return <ErrorState error={calls.error} retry={() => void calls.refetch()} />
  }
  if (calls.data.length === 0) {
    return <p className="muted">No call yet for this quarter.</p>
  }
  return <SubmissionTable rows={[...calls.data].reverse()} currency={currency} />
}
