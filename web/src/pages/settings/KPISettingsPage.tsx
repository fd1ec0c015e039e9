// KPI settings: the coverage threshold (pipeline ≥ 3× what is left to win),
// when a deal counts as stalled, and a goal for each KPI that takes one
// (e.g. a 60% win rate). Which KPIs take a goal is the server's word.
import { type FormEvent, useState } from 'react'
import { type KPIDefinition, type KPISettings, usePlanning, useKPIDefinitions, useKPISettings, useSetKPISettings } from '../../api/planning'
import { errorsUnder, formErrors } from '../../api/problem'
import { Field } from '../../components/Field'
import { PageHeader } from '../../components/PageHeader'
import { Alert, ErrorState, Loading } from '../../components/States'
import { currencyDigits } from '../../lib/money'
import { goalText, parseGoal, unitSuffix } from '../../lib/planner'
import './settings.css'
import '../../dashboards.css'

/** KPISettingsPage sets the KPIs' targets and thresholds. */
export function KPISettingsPage() {
  const settings = useKPISettings()
  const defs = useKPIDefinitions()
  // The form remounts on a new version; the save and its message outlive it.
  const save = useSetKPISettings()
  return (
    <>
      <PageHeader
        title="KPIs"
        description="Targets and thresholds for the KPIs every dashboard shows. Revenue, margin, new pipeline and activity targets are set per period on the Targets page."
      />
      {settings.isPending || defs.isPending ? (
        <Loading label="Loading the KPI settings…" />
      ) : settings.isError ? (
        <ErrorState error={settings.error} retry={() => void settings.refetch()} />
      ) : defs.isError ? (
        <ErrorState error={defs.error} retry={() => void defs.refetch()} />
      ) : (
        <KPIForm key={settings.data.version} settings={settings.data} defs={defs.data} save={save} />
      )}
    </>
  )
}

function KPIForm({ settings, defs, save }: { settings: KPISettings; defs: KPIDefinition[]; save: ReturnType<typeof useSetKPISettings> }) {
  const planning = usePlanning()
  const currency = planning.data?.currency ?? 'USD'
  const digits = currencyDigits(currency)
  const [coverage, setCoverage] = useState(String(settings.coverage_threshold))
  const [stalled, setStalled] = useState(String(settings.stalled_days))
  const [names, setNames] = useState(settings.leaderboard_names)
  const goalDefs = defs.filter((d) => d.takes_goal)
  const [goals, setGoals] = useState<Record<string, string>>(() =>
    Object.fromEntries(goalDefs.map((d) => [d.key, goalText(d.unit, settings.goals?.[d.key], digits)])),
  )
  const errs = save.isError ? formErrors(save.error, ['coverage_threshold', 'stalled_days', 'goals']) : undefined
  const goalErrs = errorsUnder(save.error, 'goals')
  const others = defs.filter((d) => !d.takes_goal)

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    const g: Record<string, number> = {}
    for (const d of goalDefs) {
      const v = parseGoal(d.unit, goals[d.key] ?? '', digits)
      if (v !== undefined) {
        g[d.key] = Number.isNaN(v) ? -1 : v
      }
    }
    save.mutate({
      ...settings,
      coverage_threshold: Number(coverage.replace(/×|x$/i, '').trim()) || 0,
      stalled_days: Number(stalled) || 0,
      leaderboard_names: names,
      goals: g,
    })
  }

  return (
    <form className="kpi-form" onSubmit={onSubmit} aria-label="KPI settings" noValidate>
      <section className="card dash-card" aria-labelledby="kpi-thresholds">
        <div className="card-header">
          <h2 id="kpi-thresholds">Thresholds</h2>
        </div>
        <div className="form-row">
          <Field label="Pipeline coverage threshold (×)" error={errs?.fields.coverage_threshold} hint="Open pipeline should be at least this many times what is left to win; 3× is the usual rule">
            {(p) => <input {...p} inputMode="decimal" value={coverage} onChange={(e) => setCoverage(e.target.value)} />}
          </Field>
          <Field label="Stalled after (days)" error={errs?.fields.stalled_days} hint="Days without an activity or a stage change">
            {(p) => <input {...p} inputMode="numeric" value={stalled} onChange={(e) => setStalled(e.target.value)} />}
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={names} onChange={(e) => setNames(e.target.checked)} /> Reps see each other’s names on the leaderboard
        </label>
      </section>
      <section className="card dash-card" aria-labelledby="kpi-goals">
        <div className="card-header">
          <h2 id="kpi-goals">Goals</h2>
        </div>
        <p className="muted small">Each dashboard marks a KPI met or below against its goal. Leave a goal empty for none.</p>
        <div className="table-wrap">
          <table className="table table-compact" aria-label="KPI goals">
            <thead>
              <tr>
                <th scope="col">KPI</th>
                <th scope="col">Goal</th>
                <th scope="col">What it measures</th>
              </tr>
            </thead>
            <tbody>
              {goalDefs.map((d) => {
                const err = goalErrs[d.key]
                return (
                  <tr key={d.key}>
                    <th scope="row">
                      <label htmlFor={`goal-${d.key}`}>{d.name}</label>
                    </th>
                    <td>
                      <span className="goal-input">
                        {d.lower_better ? 'at most ' : 'at least '}
                        <input
                          id={`goal-${d.key}`}
                          inputMode="decimal"
                          value={goals[d.key] ?? ''}
                          aria-invalid={Boolean(err)}
                          aria-describedby={err ? `goal-${d.key}-error` : undefined}
                          onChange={(e) => setGoals({ ...goals, [d.key]: e.target.value })}
                        />{' '}
                        {unitSuffix(d.unit, currency)}
                      </span>
                      {err && (
                        <p className="field-error" id={`goal-${d.key}-error`}>
                          {err}
                        </p>
                      )}
                    </td>
                    <td className="muted small">{d.doc}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
        <p className="muted small">
          Measured against period targets instead: {others.filter((d) => d.target_source && d.target_source !== 'threshold').map((d) => d.name).join(', ')}. Without a target:{' '}
          {others.filter((d) => !d.target_source).map((d) => d.name).join(', ')}.
        </p>
      </section>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save KPI settings'}
        </button>
      </div>
      {errs?.form && <Alert>{errs.form}</Alert>}
      {save.isSuccess && <Alert kind="success">KPI settings saved; dashboards use them now.</Alert>}
    </form>
  )
}
