// Forecast submission (a rep's own, pre-filled from their deals) and the
// roll-up grid (a team's or the company's, with the manager's adjusted call).
import { type FormEvent, useState } from 'react'
import { Link } from 'react-router'
import {
  type ForecastAccuracy,
  type ForecastRollup,
  type ForecastSubmission,
  useEndedAccuracy,
  useMyPrefill,
  useSubmissions,
  useSubmitForecast,
} from '../../api/planning'
import { formErrors } from '../../api/problem'
import { Field } from '../../components/Field'
import { Alert, EmptyState, ErrorState, Loading } from '../../components/States'
import { minorToDecimal } from '../../lib/csv'
import { accuracyTrend, adjustment, formatPercent } from '../../lib/dashboards'
import { formatDateTime } from '../../lib/format'
import { formatMoney, parseMoney } from '../../lib/money'
import { Card, ExportButton, Lines } from '../dashboards/widgets'

/** ForecastSubmit is my forecast for a period: pre-filled commit and best case, adjusted, with a comment; and every earlier submission. */
export function ForecastSubmit({ period, userId }: { period: string | undefined; userId: number }) {
  const prefill = useMyPrefill(period)
  const history = useSubmissions({ period, scope: 'rep', user_id: userId })
  const submit = useSubmitForecast()
  const currency = prefill.data?.currency ?? 'USD'
  const latest = history.data?.[history.data.length - 1]
  const [commit, setCommit] = useState<string | null>(null)
  const [best, setBest] = useState<string | null>(null)
  const [comment, setComment] = useState('')
  const [done, setDone] = useState<ForecastSubmission | null>(null)

  if (prefill.isPending) {
    return <Loading label="Reading your deals…" />
  }
  if (prefill.isError) {
    return <ErrorState error={prefill.error} retry={() => void prefill.refetch()} />
  }
  const p = prefill.data
  const shown = (v: string | null, minor: number) => v ?? minorToDecimal(minor, currency)
  const commitText = shown(commit, latest?.commit ?? p.commit)
  const bestText = shown(best, latest?.best_case ?? p.best_case)
  const errs = submit.isError ? formErrors(submit.error, ['commit', 'best_case', 'comment']) : undefined

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    const c = parseMoney(commitText, currency)
    const b = parseMoney(bestText, currency)
    submit.mutate(
      { period: period ?? p.period, commit: c ?? undefined, best_case: b ?? undefined, comment },
      {
        onSuccess: (s) => {
          setDone(s)
          setCommit(null)
          setBest(null)
          setComment('')
        },
      },
    )
  }

  return (
    <div className="forecast-submit">
      <p className="muted">
        Your deals say: won {formatMoney(p.won, currency)}, commit {formatMoney(p.commit, currency)}, best case{' '}
        {formatMoney(p.best_case, currency)} ({p.deals?.length ?? 0} deals).
      </p>
      <form className="forecast-form" onSubmit={onSubmit} aria-label="Submit my forecast">
        <Field label={`Commit (${currency})`} error={errs?.fields.commit} hint={adjustment(parseMoney(commitText, currency) ?? p.commit, p.commit, currency)}>
          {(props) => <input {...props} inputMode="decimal" value={commitText} onChange={(e) => setCommit(e.target.value)} />}
        </Field>
        <Field label={`Best case (${currency})`} error={errs?.fields.best_case} hint={adjustment(parseMoney(bestText, currency) ?? p.best_case, p.best_case, currency)}>
          {(props) => <input {...props} inputMode="decimal" value={bestText} onChange={(e) => setBest(e.target.value)} />}
        </Field>
        <Field label="Comment" error={errs?.fields.comment} hint="Optional; your manager sees it">
          {(props) => <input {...props} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="What changed since last week" />}
        </Field>
        <button type="submit" className="button button-primary" disabled={submit.isPending}>
          {submit.isPending ? 'Submitting…' : 'Submit forecast'}
        </button>
      </form>
      {errs?.form && <Alert>{errs.form}</Alert>}
      {done && <Alert kind="success">Forecast submitted: commit {formatMoney(done.commit, currency)}, best case {formatMoney(done.best_case, currency)}.</Alert>}
      <h3 className="subhead">Your submissions</h3>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <ErrorState error={history.error} retry={() => void history.refetch()} />
      ) : history.data.length === 0 ? (
        <p className="muted">No submission yet for this period.</p>
      ) : (
        <SubmissionTable rows={[...history.data].reverse()} currency={currency} />
      )}
    </div>
  )
}

/** SubmissionTable lists forecast submissions, newest first as given, with each adjustment from what the deals said. */
export function SubmissionTable({ rows, currency }: { rows: ForecastSubmission[]; currency: string }) {
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label="Forecast submissions">
        <thead>
          <tr>
            <th>Submitted</th>
            <th className="num">Commit</th>
            <th className="num">Best case</th>
            <th>Comment</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id}>
              <td className="col-date">{formatDateTime(s.submitted_at)}</td>
              <td className="num">
                {formatMoney(s.commit, currency)}
                <span className="cell-sub">{adjustment(s.commit, s.prefill_commit, currency)}</span>
              </td>
              <td className="num">{formatMoney(s.best_case, currency)}</td>
              <td>{s.comment}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** RollupGrid is a team's (or the company's) forecast: every row's latest, the sum, and the call with its reason, which the manager can record. */
export function RollupGrid({ rollup, canCall, scope, title }: { rollup: ForecastRollup; canCall: boolean; scope: 'team' | 'company'; title: string }) {
  const currency = rollup.currency
  const rows = rollup.rows ?? []
  const submit = useSubmitForecast()
  const [commit, setCommit] = useState('')
  const [best, setBest] = useState('')
  const [reason, setReason] = useState('')
  const errs = submit.isError ? formErrors(submit.error, ['commit', 'best_case', 'comment']) : undefined
  const call = rollup.call

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    submit.mutate(
      {
        period: rollup.period,
        scope,
        team_id: scope === 'team' ? (rollup.team_id ?? undefined) : undefined,
        commit: parseMoney(commit || minorToDecimal(rollup.sum_commit, currency), currency) ?? undefined,
        best_case: parseMoney(best || minorToDecimal(rollup.sum_best_case, currency), currency) ?? undefined,
        comment: reason,
      },
      { onSuccess: () => (setCommit(''), setBest(''), setReason('')) },
    )
  }

  return (
    <Card
      id={`rollup-${scope}`}
      title={title}
      actions={
        <ExportButton
          name={['forecast rollup', title, rollup.period]}
          rows={rows}
          columns={[
            { header: 'Name', value: (r) => r.name },
            { header: 'Kind', value: (r) => r.kind },
            { header: 'Submitted', value: (r) => r.submission?.submitted_at ?? '' },
            { header: `Commit (${currency})`, value: (r) => minorToDecimal(r.commit, currency) },
            { header: `Best case (${currency})`, value: (r) => minorToDecimal(r.best_case, currency) },
            { header: 'Comment', value: (r) => r.submission?.comment ?? '' },
          ]}
        />
      }
    >
      {rows.length === 0 ? (
        <EmptyState title="Nobody to roll up">This team has no members or sub-teams yet.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact" aria-label={title}>
            <thead>
              <tr>
                <th>Name</th>
                <th>Submitted</th>
                <th className="num">Commit</th>
                <th className="num">Best case</th>
                <th>Comment</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.kind}-${r.user_id ?? r.team_id}`}>
                  <td>
                    {r.kind === 'rep' && r.user_id ? <Link to={`/reps/${r.user_id}`}>{r.name}</Link> : r.team_id ? <Link to={`/team/${r.team_id}`}>{r.name}</Link> : r.name}
                  </td>
                  <td className="col-date">{r.submission ? formatDateTime(r.submission.submitted_at) : <span className="badge">Not submitted</span>}</td>
                  <td className="num">{formatMoney(r.commit, currency)}</td>
                  <td className="num">{formatMoney(r.best_case, currency)}</td>
                  <td className="muted">{r.submission?.comment}</td>
                </tr>
              ))}
              <tr className="row-total">
                <th scope="row">Sum</th>
                <td />
                <td className="num">{formatMoney(rollup.sum_commit, currency)}</td>
                <td className="num">{formatMoney(rollup.sum_best_case, currency)}</td>
                <td />
              </tr>
              <tr className="row-call">
                <th scope="row">{scope === 'team' ? 'Manager’s call' : 'Company call'}</th>
                <td className="col-date">{call ? formatDateTime(call.submitted_at) : '—'}</td>
                <td className="num">{call ? formatMoney(call.commit, currency) : '—'}</td>
                <td className="num">{call ? formatMoney(call.best_case, currency) : '—'}</td>
                <td>{call?.comment}</td>
              </tr>
            </tbody>
          </table>
        </div>
      )}
      {canCall && (
        <form className="forecast-form" onSubmit={onSubmit} aria-label="Record my call">
          <Field label={`Your commit call (${currency})`} error={errs?.fields.commit} hint={`Sum: ${formatMoney(rollup.sum_commit, currency)}`}>
            {(props) => <input {...props} inputMode="decimal" value={commit} placeholder={minorToDecimal(rollup.sum_commit, currency)} onChange={(e) => setCommit(e.target.value)} />}
          </Field>
          <Field label={`Best case call (${currency})`} error={errs?.fields.best_case} hint={`Sum: ${formatMoney(rollup.sum_best_case, currency)}`}>
            {(props) => <input {...props} inputMode="decimal" value={best} placeholder={minorToDecimal(rollup.sum_best_case, currency)} onChange={(e) => setBest(e.target.value)} />}
          </Field>
          <Field label="Reason" error={errs?.fields.comment} hint="Required for a call">
            {(props) => <input {...props} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why your call differs from the sum" />}
          </Field>
          <button type="submit" className="button button-primary" disabled={submit.isPending}>
            Record call
          </button>
        </form>
      )}
      {errs?.form && <Alert>{errs.form}</Alert>}
      {submit.isSuccess && <Alert kind="success">Your call is recorded.</Alert>}
    </Card>
  )
}


/**
 * AccuracyCard is forecast accuracy over the quarters up to the last one
 * that ended, for a rep, a team or everything the viewer may see: the mean
 * error of each quarter (the server's by_quarter, oldest first) as a line
 * and a table, and with byWeek how accuracy improves week by week.
 */
export function AccuracyCard({
  id,
  title,
  filter,
  byWeek = false,
}: {
  id: string
  title: string
  filter: { period: string | undefined; quarters: number; user_id?: number; team_id?: number }
  byWeek?: boolean
}) {
  const { accuracy, last, ready } = useEndedAccuracy(filter)
  return (
    <Card id={id} title={`${title}${last ? ` · ${countWords[filter.quarters] ?? filter.quarters} quarters to ${last}` : ''}`}>
      {!ready ? (
        <Loading />
      ) : last === undefined ? (
        <EmptyState title="No quarter has ended yet">Accuracy is measured once a quarter ends, against what was won.</EmptyState>
      ) : accuracy.isPending ? (
        <Loading />
      ) : accuracy.isError ? (
        <ErrorState error={accuracy.error} retry={() => void accuracy.refetch()} />
      ) : (
        <AccuracyTrend data={accuracy.data} byWeek={byWeek} />
      )}
    </Card>
  )
}

const countWords: Record<number, string> = { 2: 'two', 3: 'three', 4: 'four', 5: 'five', 6: 'six', 7: 'seven', 8: 'eight' }

/** AccuracyTrend is forecast accuracy by quarter (and with byWeek, by week of the quarter) as charts and a table. */
export function AccuracyTrend({ data, byWeek }: { data: ForecastAccuracy; byWeek: boolean }) {
  const quarters = accuracyTrend(data.by_quarter ?? [])
  if (quarters.length === 0) {
    return <EmptyState title="Not measured yet">Accuracy is measured from weekly snapshots of submitted forecasts against what was won.</EmptyState>
  }
  const weeks = (data.by_week ?? []).map((w) => ({ week: `W${w.week}`, meanErrorPct: w.mean_error_bp / 100 }))
  return (
    <>
      <Lines data={quarters} x="period" series={[{ key: 'meanErrorPct', name: 'Mean error (% of actual)' }]} format={(v) => `${v}%`} label="Mean forecast error by quarter" height={180} />
      <table className="table table-compact" aria-label="Forecast accuracy by quarter">
        <thead>
          <tr>
            <th>Quarter</th>
            <th className="num">Mean error</th>
            <th className="num">Snapshots</th>
          </tr>
        </thead>
        <tbody>
          {quarters.map((q) => (
            <tr key={q.period}>
              <td>
                {q.period}
                {!q.final && <span className="muted"> (running)</span>}
              </td>
              <td className="num">{q.meanErrorPct === null ? '—' : formatPercent(q.meanErrorPct / 100, 1)}</td>
              <td className="num">{q.points}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {byWeek && weeks.length > 0 && (
        <>
          <h3 className="subhead">By week of the quarter</h3>
          <Lines data={weeks} x="week" series={[{ key: 'meanErrorPct', name: 'Mean error (% of actual)' }]} format={(v) => `${v}%`} label="Mean forecast error by week of quarter" height={180} />
        </>
      )}
    </>
  )
}
