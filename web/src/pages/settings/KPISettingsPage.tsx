// KPI settings: the coverage threshold (pipeline ≥ 3× what is left to win),
// when a deal counts as stalled, and a goal for each KPI that takes one
// (e.g. a 60% win rate). Which KPIs take a goal is the server's word.
// A deal stalls after a number of days that each open stage may set, the
// workspace's number applying to the stages that set none.
import { type FormEvent, useState } from 'react'
import { type Pipeline, usePipelines } from '../../api/lists'
import { type KPIDefinition, type KPISettings, usePlanning, useKPIDefinitions, useKPISettings, useSetKPISettings } from '../../api/planning'
import { errorsUnder, formErrors } from '../../api/problem'
import { Field } from '../../components/Field'
import { PageHeader } from '../../components/PageHeader'
import { Alert, ErrorState, Loading } from '../../components/States'
import { currencyDigits } from '../../lib/money'
import { goalText, parseGoal, unitSuffix } from '../../lib/planner'
import { stallableStages, stalledDays, stalledText } from '../../lib/stalled'
import './settings.css'
import '../../dashboards.css'

/** KPISettingsPage sets the KPIs' targets and thresholds. */
export function KPISettingsPage() {
  const settings = useKPISettings()
  const defs = useKPIDefinitions()
  const pipelines = usePipelines()
  // The form remounts on a new version; the save and its message outlive it.
  const save = useSetKPISettings()
  return (
    <>
      <PageHeader
        title="KPIs"
        description="Targets and thresholds for the KPIs every dashboard shows. Revenue, margin, new pipeline and activity targets are set per period on the Targets page."
      />
      {settings.isPending || defs.isPending || pipelines.isPending ? (
        <Loading label="Loading the KPI settings…" />
      ) : settings.isError ? (
        <ErrorState error={settings.error} retry={() => void settings.refetch()} />
      ) : defs.isError ? (
        <ErrorState error={defs.error} retry={() => void defs.refetch()} />
      ) : pipelines.isError ? (
        <ErrorState error={pipelines.error} retry={() => void pipelines.refetch()} />
      ) : (
        <KPIForm key={settings.data.version} settings={settings.data} defs={defs.data} pipelines={pipelines.data} save={save} />
      )}
    </>
  )
}

function KPIForm({
  settings,
  defs,
  pipelines,
  save,
}: {
  settings: KPISettings
  defs: KPIDefinition[]
  pipelines: Pipeline[]
  save: ReturnType<typeof useSetKPISettings>
}) {
  const planning = usePlanning()
  const currency = planning.data?.currency ?? 'USD'
  const digits = currencyDigits(currency)
  const [coverage, setCoverage] = useState(String(settings.coverage_threshold))
  const [stalled, setStalled] = useState(String(settings.stalled_days))
  const [names, setNames] = useState(settings.leaderboard_names)
  const stages = stallableStages(pipelines)
  const [byStage, setByStage] = useState<Record<number, string>>(() =>
    Object.fromEntries(stages.map(({ stage }) => [stage.id, stalledText(settings.stage_stalled_days, stage.id)])),
  )
  const goalDefs = defs.filter((d) => d.takes_goal)
  const [goals, setGoals] = useState<Record<string, string>>(() =>
    Object.fromEntries(goalDefs.map((d) => [d.key, goalText(d.unit, settings.goals?.[d.key], digits)])),
  )
  const errs = save.isError ? formErrors(save.error, ['coverage_threshold', 'stalled_days', 'goals', 'stage_stalled_days']) : undefined
  const goalErrs = errorsUnder(save.error, 'goals')
  const stageErrs = errorsUnder(save.error, 'stage_stalled_days')
  // Stages the form does not show (archived since) may have an error too.
  const otherStageErrs = Object.keys(stageErrs).filter((id) => !(Number(id) in byStage))
  const defaultDays = /^\s*\d+\s*$/.test(stalled) ? Number(stalled) : settings.stalled_days
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
      stage_stalled_days: stalledDays(settings.stage_stalled_days, byStage),
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
          <Field label="Stalled after (days)" error={errs?.fields.stalled_days} hint="Days without an activity or a stage change, in every stage that sets none below">
            {(p) => <input {...p} inputMode="numeric" value={stalled} onChange={(e) => setStalled(e.target.value)} />}
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={names} onChange={(e) => setNames(e.target.checked)} /> Reps see each other’s names on the leaderboard
        </label>
      </section>
      <section className="card dash-card" aria-labelledby="kpi-stalled">
        <div className="card-header">
          <h2 id="kpi-stalled">Stalled days by stage</h2>
        </div>
        <p className="muted small">
          A deal stalls sooner in a quick stage than in a long one: set a stage’s own number of days, or leave it empty for the {defaultDays} days above.
        </p>
        {stages.length === 0 ? (
          <p className="muted">No pipeline has an open stage yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table table-compact" aria-label="Stalled days by stage">
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col">Stalled after</th>
                  <th scope="col">Pipeline</th>
                </tr>
              </thead>
              <tbody>
                {stages.map(({ pipeline, stage }) => {
                  const err = stageErrs[String(stage.id)]
                  const set = byStage[stage.id] !== ''
                  return (
                    <tr key={stage.id}>
                      <th scope="row">
                        <label htmlFor={`stalled-${stage.id}`}>{stage.name}</label>
                      </th>
                      <td>
                        <span className="goal-input">
                          <input
                            id={`stalled-${stage.id}`}
                            inputMode="numeric"
                            value={byStage[stage.id] ?? ''}
                            placeholder={String(defaultDays)}
                            aria-invalid={Boolean(err)}
                            aria-describedby={err ? `stalled-${stage.id}-error` : `stalled-${stage.id}-source`}
                            onChange={(e) => setByStage({ ...byStage, [stage.id]: e.target.value })}
                          />{' '}
                          days{' '}
                          <span className="muted small" id={`stalled-${stage.id}-source`}>
                            {set ? 'this stage’s own' : 'the default'}
                          </span>
                        </span>
                        {err && (
                          <p className="field-error" id={`stalled-${stage.id}-error`}>
                            {err}
                          </p>
                        )}
                      </td>
                      <td className="muted small">{pipeline}</td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
        )}
        {otherStageErrs.length > 0 && (
          <Alert>{otherStageErrs.map((id) => `Stage #${id}: ${stageErrs[id]}`).join(' ')}</Alert>
        )}
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
