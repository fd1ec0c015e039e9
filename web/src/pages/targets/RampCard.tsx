// A new rep's ramp: the share of the full target they carry in each of
// their first months. Their manager (or an admin) sets it; targets set from
// then on apply it, and everyone who sees the rep's targets sees it.
import { type FormEvent, useState } from 'react'
import { type Ramp, useRamp, useSetRamp } from '../../api/planning'
import { formErrors } from '../../api/problem'
import { useTeams, useUsers } from '../../api/queries'
import { atLeast } from '../../api/types'
import { Field } from '../../components/Field'
import { Alert, ErrorState, Loading } from '../../components/States'
import { defaultRamp, parseRamp, rampMonths } from '../../lib/planner'
import { useMe } from '../../session'
import { Card } from '../dashboards/widgets'
import '../settings/settings.css'

/** RampCard shows a rep's ramp schedule and, for their manager, sets it. */
export function RampCard({ today }: { today: string }) {
  const me = useMe()
  const users = useUsers()
  const teams = useTeams()
  const isAdmin = atLeast(me.user.role, 'admin')
  const isManager = atLeast(me.user.role, 'manager')
  // Managers pick among their teams' members (admins among every rep); reps see their own.
  const managed = new Set((teams.data ?? []).filter((t) => isAdmin || t.manager_id === me.user.id).flatMap((t) => t.member_ids ?? []))
  const reps = isManager ? (users.data ?? []).filter((u) => u.id !== me.user.id && (managed.has(u.id) || (isAdmin && u.role === 'rep'))) : []
  const [picked, setPicked] = useState<number | undefined>(undefined)
  const userId = isManager ? (picked ?? reps[0]?.id) : me.user.id
  const ramp = useRamp(userId)
  // The form remounts on a new version; the save and its message outlive it.
  const save = useSetRamp()
  const name = (id: number) => users.data?.find((u) => u.id === id)?.name ?? `#${id}`

  return (
    <Card id="ramp" title="Ramp for a new rep">
      {isManager && (
        <Field label="Rep">
          {(props) => (
            <select {...props} value={userId ?? ''} onChange={(e) => setPicked(Number(e.target.value))}>
              {reps.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {userId === undefined ? (
        <p className="muted">No rep to ramp: add members to your teams first.</p>
      ) : ramp.isPending ? (
        <Loading />
      ) : ramp.isError ? (
        <ErrorState error={ramp.error} retry={() => void ramp.refetch()} />
      ) : (
        <>
          <RampSchedule ramp={ramp.data} name={name(userId)} />
          {isManager && <RampForm key={`${userId}-${ramp.data.version}`} userId={userId} ramp={ramp.data} today={today} save={save} />}
        </>
      )}
    </Card>
  )
}

/** RampSchedule lists a ramp's months and the share of the full target carried in each. */
export function RampSchedule({ ramp, name }: { ramp: Ramp; name: string }) {
  const percents = ramp.percents ?? []
  if (percents.length === 0 || !ramp.start) {
    return <p className="muted">{name} has no ramp: they carry their full target from the start.</p>
  }
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label={`Ramp of ${name}`}>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col" className="num">
              Share of the full target
            </th>
          </tr>
        </thead>
        <tbody>
          {rampMonths(ramp.start, percents).map((m) => (
            <tr key={m.key}>
              <th scope="row">{m.label}</th>
              <td className="num">{m.percent}%</td>
            </tr>
          ))}
          <tr className="row-total">
            <th scope="row">After</th>
            <td className="num">100%</td>
          </tr>
        </tbody>
      </table>
    </div>
  )
}

function RampForm({ userId, ramp, today, save }: { userId: number; ramp: Ramp; today: string; save: ReturnType<typeof useSetRamp> }) {
  const hasRamp = (ramp.percents ?? []).length > 0 && Boolean(ramp.start)
  const [start, setStart] = useState((hasRamp ? ramp.start : today)?.slice(0, 7) ?? '')
  const [text, setText] = useState((hasRamp ? (ramp.percents ?? []) : defaultRamp).join(', '))
  const percents = parseRamp(text)
  const errs = save.isError ? formErrors(save.error, ['start', 'percents']) : undefined

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate({ userId, body: { start: `${start}-01`, percents: percents ?? [] } })
  }
  return (
    <form className="stack-form ramp-form" onSubmit={onSubmit} aria-label="Set the ramp">
      <div className="form-row">
        <Field label="First month" error={errs?.fields.start}>
          {(props) => <input {...props} type="month" value={start} onChange={(e) => setStart(e.target.value)} required />}
        </Field>
        <Field
          label="Monthly percentages"
          error={errs?.fields.percents ?? (percents === null && text.trim() ? 'Whole percentages from 0 to 100, separated by commas' : undefined)}
          hint={percents && start ? `${rampMonths(`${start}-01`, percents).map((m) => `${m.label} ${m.percent}%`).join(' · ')}, then 100%` : 'e.g. 25, 50, 75'}
        >
          {(props) => <input {...props} value={text} onChange={(e) => setText(e.target.value)} required />}
        </Field>
      </div>
      <button type="submit" className="button button-primary" disabled={save.isPending || percents === null || !start}>
        Save ramp
      </button>
      {errs?.form && <Alert>{errs.form}</Alert>}
      {save.isSuccess && save.variables.userId === userId && <Alert kind="success">Ramp saved; targets set from now on apply it.</Alert>}
    </form>
  )
}
