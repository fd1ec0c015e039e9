// Targets: managers and admins set them top-down (split evenly or by
// weight); reps propose their own; managers approve or adjust with a reason,
// and the difference stays visible.
import { type FormEvent, useState } from 'react'
import { type Target, usePlanning, useApproveTarget, useProposeTarget, useSplitTarget, useTargets } from '../../api/planning'
import { formErrors } from '../../api/problem'
import { useTeams, useUsers } from '../../api/queries'
import { atLeast } from '../../api/types'
import { Field } from '../../components/Field'
import { PageHeader } from '../../components/PageHeader'
import { Alert, EmptyState, ErrorState, Loading } from '../../components/States'
import { minorToDecimal } from '../../lib/csv'
import { currentQuarter } from '../../lib/dashboards'
import { formatMoney, parseMoney } from '../../lib/money'
import { useMe } from '../../session'
import { Card, ExportButton, PeriodPicker, usePeriod } from '../dashboards/widgets'
import { RampCard } from './RampCard'

/** TargetsPage lists a quarter's revenue targets and sets, proposes and approves them. */
export function TargetsPage() {
  const me = useMe()
  const planning = usePlanning()
  const [picked, setPeriod] = usePeriod()
  const period = picked ?? currentQuarter(planning.data?.fiscal_start_month ?? 1, new Date())
  const targets = useTargets({ period, kind: 'revenue' })
  const users = useUsers()
  const teams = useTeams()
  const isManager = atLeast(me.user.role, 'manager')
  const currency = planning.data?.currency ?? 'USD'
  const userName = (id: number | null) => (id === null ? '' : (users.data?.find((u) => u.id === id)?.name ?? `#${id}`))
  const teamName = (id: number | null) => (id === null ? '' : (teams.data?.find((t) => t.id === id)?.name ?? `#${id}`))
  const whose = (t: Target) => (t.scope === 'company' ? 'Company' : t.scope === 'team' ? `Team ${teamName(t.team_id)}` : userName(t.user_id))
  const list = [...(targets.data ?? [])].sort((a, b) => ['company', 'team', 'rep'].indexOf(a.scope) - ['company', 'team', 'rep'].indexOf(b.scope) || whose(a).localeCompare(whose(b)))
  const proposals = list.filter((t) => t.status === 'proposed')

  return (
    <>
      <PageHeader title="Targets" description="Revenue targets for the quarter: set top-down, proposed bottom-up, approved with a reason." actions={<PeriodPicker value={picked} onChange={setPeriod} />} />
      <div className="dash">
        <div className="dash-grid">
          {isManager ? <SplitForm period={period} currency={currency} /> : <ProposeForm period={period} currency={currency} />}
          {isManager && (
            <Card id="proposals" title="Proposals waiting for you">
              {proposals.length === 0 ? (
                <EmptyState title="No proposals waiting">Reps propose their own targets here; you approve them as proposed or adjust with a reason.</EmptyState>
              ) : (
                proposals.map((t) => <ApproveRow key={t.id} target={t} name={whose(t)} currency={currency} />)
              )}
            </Card>
          )}
          <RampCard today={planning.data?.today ?? ''} />
        </div>
        <Card
          id="target-list"
          title={`Revenue targets · ${period}`}
          actions={
            <ExportButton
              name={['targets', period]}
              rows={list}
              columns={[
                { header: 'Whose', value: (t) => whose(t) },
                { header: 'Scope', value: (t) => t.scope },
                { header: `Target (${currency})`, value: (t) => minorToDecimal(t.amount, t.currency) },
                { header: `Proposed (${currency})`, value: (t) => minorToDecimal(t.proposed_amount, t.currency) },
                { header: `Difference (${currency})`, value: (t) => minorToDecimal(t.difference, t.currency) },
                { header: 'Status', value: (t) => t.status },
                { header: 'Source', value: (t) => t.source },
                { header: 'Ramp (%)', value: (t) => (t.ramp_bp === null ? '' : String(t.ramp_bp / 100)) },
                { header: 'Reason', value: (t) => t.reason },
              ]}
            />
          }
        >
          {targets.isPending ? (
            <Loading />
          ) : targets.isError ? (
            <ErrorState error={targets.error} retry={() => void targets.refetch()} />
          ) : list.length === 0 ? (
            <EmptyState title="No targets for this quarter" />
          ) : (
            <div className="table-wrap">
              <table className="table table-compact" aria-label="Targets">
                <thead>
                  <tr>
                    <th>Whose</th>
                    <th className="num">Target</th>
                    <th className="num">Proposed</th>
                    <th className="num">Difference</th>
                    <th>Status</th>
                    <th>Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((t) => (
                    <tr key={t.id}>
                      <td>{whose(t)}</td>
                      <td className="num">{t.amount === null ? '—' : formatMoney(t.amount, t.currency)}</td>
                      <td className="num">{t.proposed_amount === null ? '' : formatMoney(t.proposed_amount, t.currency)}</td>
                      <td className="num">{t.difference === null || t.difference === 0 ? '' : (t.difference > 0 ? '+' : '−') + formatMoney(Math.abs(t.difference), t.currency)}</td>
                      <td>
                        <span className={`badge ${t.status === 'approved' ? 'badge-ok' : ''}`}>{t.status}</span> <span className="muted small">{t.source}</span>
                        {t.ramp_bp !== null && t.ramp_bp < 10000 && (
                          <span className="cell-sub">
                            ramp {t.ramp_bp / 100}% of {formatMoney(t.full_amount, t.currency)}
                          </span>
                        )}
                      </td>
                      <td className="muted">{t.reason || t.proposal_comment}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </>
  )
}

function SplitForm({ period, currency }: { period: string; currency: string }) {
  const me = useMe()
  const teams = useTeams()
  const split = useSplitTarget()
  const isAdmin = atLeast(me.user.role, 'admin')
  const mine = (teams.data ?? []).filter((t) => isAdmin || t.manager_id === me.user.id)
  const [scope, setScope] = useState(isAdmin ? 'company' : 'team')
  const [teamId, setTeamId] = useState<number | undefined>(undefined)
  const [amount, setAmount] = useState('')
  const [method, setMethod] = useState('even')
  const [weights, setWeights] = useState<Record<number, string>>({})
  const [reason, setReason] = useState('')
  const team = scope === 'team' ? (teams.data ?? []).find((t) => t.id === (teamId ?? mine[0]?.id)) : undefined
  // Children of a weighted split: top-level teams for the company, members for a team.
  const children =
    scope === 'company'
      ? (teams.data ?? []).filter((t) => t.parent_id === null).map((t) => ({ id: t.id, name: t.name, scope: 'team' as const }))
      : (team?.member_ids ?? []).map((id) => ({ id, name: `#${id}`, scope: 'rep' as const }))
  const users = useUsers()
  const nameOf = (c: (typeof children)[number]) => (c.scope === 'rep' ? (users.data?.find((u) => u.id === c.id)?.name ?? c.name) : c.name)
  const errs = split.isError ? formErrors(split.error, ['amount', 'team_id', 'reason', 'method', 'children']) : undefined

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    split.mutate({
      period,
      kind: 'revenue',
      scope,
      team_id: scope === 'team' ? team?.id : undefined,
      amount: parseMoney(amount, currency) ?? -1,
      reason,
      method,
      children:
        method === 'weights'
          ? children.map((c) => ({ scope: c.scope, team_id: c.scope === 'team' ? c.id : undefined, user_id: c.scope === 'rep' ? c.id : undefined, weight: Number(weights[c.id] || 1) }))
          : undefined,
    })
  }

  return (
    <Card id="split" title="Set and split a target">
      <form className="stack-form" onSubmit={onSubmit} aria-label="Set and split a target">
        <Field label="For">
            {(props) => (
              <select {...props} value={scope} onChange={(e) => setScope(e.target.value)}>
                {isAdmin && <option value="company">The company, split among its teams</option>}
                <option value="team">A team, split among its members</option>
              </select>
            )}
          </Field>
        <div className="form-row">
          {scope === 'team' && (
            <Field label="Team" error={errs?.fields.team_id}>
              {(props) => (
                <select {...props} value={team?.id ?? ''} onChange={(e) => setTeamId(Number(e.target.value))}>
                  {mine.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </div>
        <div className="form-row">
          <Field label={`Revenue target (${currency})`} error={errs?.fields.amount}>
            {(props) => <input {...props} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />}
          </Field>
          <Field label="Split" error={errs?.fields.method}>
            {(props) => (
              <select {...props} value={method} onChange={(e) => setMethod(e.target.value)}>
                <option value="even">Evenly</option>
                <option value="weights">By weight</option>
              </select>
            )}
          </Field>
        </div>
        {method === 'weights' && (
          <fieldset className="weights">
            <legend>Weights</legend>
            {children.map((c) => (
              <label key={c.id}>
                <span>{nameOf(c)}</span>
                <input inputMode="numeric" value={weights[c.id] ?? '1'} onChange={(e) => setWeights({ ...weights, [c.id]: e.target.value })} aria-label={`Weight of ${nameOf(c)}`} />
              </label>
            ))}
          </fieldset>
        )}
        <Field label="Reason" error={errs?.fields.reason}>
          {(props) => <input {...props} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Kept in the target's history" />}
        </Field>
        <button type="submit" className="button button-primary" disabled={split.isPending}>
          Set and split
        </button>
        {errs?.form && <Alert>{errs.form}</Alert>}
        {split.isSuccess && <Alert kind="success">Set {split.data.items?.length ?? 0} targets.</Alert>}
      </form>
    </Card>
  )
}

function ProposeForm({ period, currency }: { period: string; currency: string }) {
  const propose = useProposeTarget()
  const [amount, setAmount] = useState('')
  const [comment, setComment] = useState('')
  const errs = propose.isError ? formErrors(propose.error, ['amount', 'comment']) : undefined
  return (
    <Card id="propose" title="Propose my target">
      <form
        className="stack-form"
        aria-label="Propose my target"
        onSubmit={(e) => {
          e.preventDefault()
          propose.mutate({ period, kind: 'revenue', amount: parseMoney(amount, currency) ?? -1, comment })
        }}
      >
        <Field label={`Revenue target (${currency})`} error={errs?.fields.amount}>
          {(props) => <input {...props} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />}
        </Field>
        <Field label="Comment" error={errs?.fields.comment}>
          {(props) => <input {...props} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="What your number is based on" />}
        </Field>
        <button type="submit" className="button button-primary" disabled={propose.isPending}>
          Propose
        </button>
        {errs?.form && <Alert>{errs.form}</Alert>}
        {propose.isSuccess && <Alert kind="success">Proposed; your manager will approve or adjust it.</Alert>}
      </form>
    </Card>
  )
}

function ApproveRow({ target, name, currency }: { target: Target; name: string; currency: string }) {
  const approve = useApproveTarget()
  const [amount, setAmount] = useState('')
  const [reason, setReason] = useState('')
  const errs = approve.isError ? formErrors(approve.error, ['amount', 'reason']) : undefined
  return (
    <form
      className="approve-row"
      aria-label={`Approve ${name}`}
      onSubmit={(e) => {
        e.preventDefault()
        approve.mutate({ target, amount: amount ? (parseMoney(amount, currency) ?? -1) : undefined, reason })
      }}
    >
      <div>
        <strong>{name}</strong> proposes {formatMoney(target.proposed_amount, target.currency)}
        {target.proposal_comment && <span className="muted"> · “{target.proposal_comment}”</span>}
      </div>
      <Field label="Adjust to (optional)" error={errs?.fields.amount}>
        {(props) => <input {...props} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />}
      </Field>
      <Field label="Reason" error={errs?.fields.reason}>
        {(props) => <input {...props} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <button type="submit" className="button button-primary button-small" disabled={approve.isPending}>
        {amount ? 'Approve adjusted' : 'Approve'}
      </button>
      {errs?.form && <Alert>{errs.form}</Alert>}
    </form>
  )
}
