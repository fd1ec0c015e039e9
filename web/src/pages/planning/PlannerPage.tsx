// The funnel planner: from a target and a rep's own history (conversion at
// each stage, deal size, cycle time), how many leads, deals and demos they
// need and by when. Reps plan for themselves; managers for each of their
// people, or a whole team side by side (one request for the whole team).
import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { usePlanning, useFunnelPlan, useTeamFunnelPlan } from '../../api/planning'
import { formErrors } from '../../api/problem'
import { useTeams, useUsers } from '../../api/queries'
import { atLeast } from '../../api/types'
import { Field } from '../../components/Field'
import { PageHeader } from '../../components/PageHeader'
import { EmptyState, ErrorState, Loading } from '../../components/States'
import { formatMoney, parseMoney } from '../../lib/money'
import { minorToDecimal } from '../../lib/csv'
import { periodGroups, stepColumns, teamPlanRows } from '../../lib/planner'
import { useMe } from '../../session'
import { Card, ExportButton } from '../dashboards/widgets'
import { PlanSteps, PlanSummary, TeamPlanTable } from './PlanViews'
import '../../dashboards.css'

/** PlannerPage plans the funnel for a rep or a team and a period; the choice is kept in the address bar. */
export function PlannerPage() {
  const me = useMe()
  const planning = usePlanning()
  const teams = useTeams()
  const users = useUsers()
  const [params, setParams] = useSearchParams()
  const isManager = atLeast(me.user.role, 'manager')
  const isAdmin = atLeast(me.user.role, 'admin')
  const mine = (teams.data ?? []).filter((t) => isAdmin || t.manager_id === me.user.id)
  const period = params.get('period') || planning.data?.current_quarter.key
  const teamId = params.get('team') ? Number(params.get('team')) : undefined
  const team = mine.find((t) => t.id === teamId)
  const who = team ? undefined : params.get('rep') ? Number(params.get('rep')) : me.user.id
  const [targetText, setTargetText] = useState('')
  const currency = planning.data?.currency ?? 'USD'
  const target = targetText.trim() ? (parseMoney(targetText, currency) ?? -1) : undefined
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params)
    if (v === undefined) {
      next.delete(k)
    } else {
      next.set(k, v)
    }
    setParams(next, { replace: true })
  }
  // The people a manager plans for: their teams' members, and themselves.
  const people = new Set<number>([me.user.id, ...mine.flatMap((t) => t.member_ids ?? [])])
  const name = (id: number) => users.data?.find((u) => u.id === id)?.name ?? `#${id}`

  return (
    <>
      <PageHeader title="Funnel planner" description="How many leads, deals and demos a target needs, and by when, from the rep’s own conversion rates, deal size and cycle time." />
      <div className="dash">
        <Card id="plan-for" title="Plan for">
          <form className="stack-form" aria-label="Plan for" onSubmit={(e) => e.preventDefault()}>
            <div className="form-row">
              <Field label="Period">
                {(props) => (
                  <select {...props} value={period ?? ''} onChange={(e) => set('period', e.target.value)}>
                    {planning.data &&
                      periodGroups(planning.data).map((g) => (
                        <optgroup key={g.label} label={g.label}>
                          {g.options.map((o) => (
                            <option key={o.key} value={o.key}>
                              {o.label}
                            </option>
                          ))}
                        </optgroup>
                      ))}
                  </select>
                )}
              </Field>
              {isManager && (
                <Field label="Rep or team">
                  {(props) => (
                    <select
                      {...props}
                      value={team ? `team-${team.id}` : `rep-${who}`}
                      onChange={(e) => {
                        const [kind, id] = e.target.value.split('-')
                        const next = new URLSearchParams(params)
                        next.delete(kind === 'team' ? 'rep' : 'team')
                        next.set(kind, id)
                        setParams(next, { replace: true })
                      }}
                    >
                      <optgroup label="Teams (each rep side by side)">
                        {mine.map((t) => (
                          <option key={t.id} value={`team-${t.id}`}>
                            Team {t.name}
                          </option>
                        ))}
                      </optgroup>
                      <optgroup label="People">
                        {[...people]
                          .sort((a, b) => name(a).localeCompare(name(b)))
                          .map((id) => (
                            <option key={id} value={`rep-${id}`}>
                              {id === me.user.id ? `${name(id)} (me)` : name(id)}
                            </option>
                          ))}
                      </optgroup>
                    </select>
                  )}
                </Field>
              )}
              {!team && (
                <Field label={`Target (${currency})`} hint="Empty: the revenue target set for the period">
                  {(props) => <input {...props} inputMode="decimal" value={targetText} onChange={(e) => setTargetText(e.target.value)} placeholder="Their target" />}
                </Field>
              )}
            </div>
          </form>
        </Card>
        {!period ? (
          <Loading />
        ) : team ? (
          <TeamPlan period={period} teamId={team.id} currency={currency} teamName={team.name} />
        ) : (
          <RepPlan period={period} userId={who ?? me.user.id} target={target} name={name(who ?? me.user.id)} />
        )}
      </div>
    </>
  )
}

function RepPlan({ period, userId, target, name }: { period: string; userId: number; target: number | undefined; name: string }) {
  const plan = useFunnelPlan({ period, user_id: userId, target })
  if (plan.isPending) {
    return <Loading label="Working out the plan…" />
  }
  if (plan.isError) {
    const errs = formErrors(plan.error, ['target', 'period', 'user_id'])
    if (errs.fields.target) {
      return (
        <EmptyState title={`No revenue target for ${name} in ${period}`}>
          Type a target above to plan for it, or set one on the Targets page. ({errs.fields.target})
        </EmptyState>
      )
    }
    return <ErrorState error={plan.error} retry={() => void plan.refetch()} />
  }
  const p = plan.data
  return (
    <>
      <PlanSummary plan={p} />
      <Card id="plan-steps" title={`${name}’s funnel for ${formatMoney(p.remaining, p.currency)} still to win`} wide>
        <PlanSteps plan={p} />
        <p className="muted small">Rates from {p.basis === 'rep' ? `${name}’s own history` : `the ${p.basis}`}; “by” is when a deal must reach the step to close in time, from the typical days between that step and a win.</p>
      </Card>
    </>
  )
}

function TeamPlan({ period, teamId, currency, teamName }: { period: string; teamId: number; currency: string; teamName: string }) {
  const plan = useTeamFunnelPlan(teamId, period)
  if (plan.isPending) {
    return <Loading label="Working out the plans…" />
  }
  if (plan.isError) {
    return <ErrorState error={plan.error} retry={() => void plan.refetch()} />
  }
  const rows = teamPlanRows(plan.data.members ?? [])
  if (rows.length === 0) {
    return <EmptyState title="This team has no members yet" />
  }
  const steps = stepColumns(rows.flatMap((r) => (r.plan ? [r.plan] : [])))
  const c = plan.data.currency
  return (
    <Card
      id="team-plan"
      title={`Team ${teamName} · ${plan.data.period.key}`}
      wide
      actions={
        <ExportButton
          name={['funnel-plan', teamName, plan.data.period.key]}
          rows={rows}
          columns={[
            { header: 'Rep', value: (r) => r.name },
            { header: `Target (${c})`, value: (r) => minorToDecimal(r.plan?.target ?? null, c) },
            { header: `Still to win (${c})`, value: (r) => minorToDecimal(r.plan?.remaining ?? null, c) },
            { header: 'Wins needed', value: (r) => r.plan?.wins_needed ?? '' },
            ...steps.flatMap((step) => [
              { header: `${step} needed`, value: (r: (typeof rows)[number]) => r.plan?.steps?.find((s) => s.step === step)?.needed ?? '' },
              { header: `${step} by`, value: (r: (typeof rows)[number]) => r.plan?.steps?.find((s) => s.step === step)?.by ?? '' },
            ]),
            { header: 'Note', value: (r) => r.error ?? '' },
          ]}
        />
      }
    >
      <TeamPlanTable rows={rows} currency={currency} />
      <p className="muted small">Each rep’s plan is from their own revenue target and history; reps without a target for the period have none.</p>
    </Card>
  )
}
