import { useEffect, useState, type FormEvent } from 'react'
import { errorMessage, formErrors, isStale } from '../../api/problem'
import { useActivityTypes, useCustomFields, usePipelines, type Pipeline } from '../../api/lists'
import { useCreatePipeline, useReplaceStages, useUpdatePipeline } from '../../api/settings'
import { Field } from '../../components/Field'
import { Icon } from '../../components/Icon'
import { Modal } from '../../components/Modal'
import { PageHeader } from '../../components/PageHeader'
import { Alert, EmptyState, ErrorState, Loading } from '../../components/States'
import { addStage, draftsFrom, moveStage, stagesChanged, toInputs, type StageDraft } from '../../lib/stages'
import { forecastChoices } from '../lists/entities'
import './settings.css'

/** The deal fields an exit criterion may require, as the server names them (attain.ExitFields). */
const exitFields: { key: string; label: string }[] = [
  { key: 'amount', label: 'Amount' },
  { key: 'close_date', label: 'Confirmed close date' },
  { key: 'account_id', label: 'Account' },
  { key: 'primary_contact_id', label: 'Primary contact' },
  { key: 'next_step', label: 'Next step' },
  { key: 'lines', label: 'Line items' },
]

/**
 * PipelinesPage lets admins define the sales process: pipelines, their
 * ordered stages with probability, forecast category and the buyer's step,
 * and each stage's exit criteria. Saving stages makes a new version; deals
 * keep the history of the versions they moved through.
 */
export function PipelinesPage() {
  const pipelines = usePipelines()
  const [selected, setSelected] = useState<number | null>(null)
  const [creating, setCreating] = useState(false)
  const live = (pipelines.data ?? []).filter((p) => !p.archived_at)
  const current = live.find((p) => p.id === selected) ?? live[0]

  return (
    <>
      <PageHeader
        title="Pipelines and stages"
        description="Stages say what has happened with the buyer, each with a probability, a forecast category and exit criteria checked when a deal moves on."
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            <Icon name="plus" />
            New pipeline
          </button>
        }
      />
      {pipelines.isPending ? (
        <Loading label="Loading pipelines…" />
      ) : pipelines.isError ? (
        <ErrorState error={pipelines.error} retry={() => pipelines.refetch()} />
      ) : live.length === 0 || !current ? (
        <EmptyState title="No pipelines" action={<button type="button" className="button button-primary" onClick={() => setCreating(true)}>Create a pipeline</button>}>
          A pipeline is the ordered stages deals move through.
        </EmptyState>
      ) : (
        <>
          {live.length > 1 && (
            <div className="tabs" role="tablist" aria-label="Pipelines">
              {live.map((p) => (
                <button
                  key={p.id}
                  type="button"
                  role="tab"
                  aria-selected={p.id === current.id}
                  className={p.id === current.id ? 'tab is-active' : 'tab'}
                  onClick={() => setSelected(p.id)}
                >
                  {p.name}
                  {p.is_default && <span className="badge badge-soft">default</span>}
                </button>
              ))}
            </div>
          )}
          <PipelineSettings key={`${current.id}`} pipeline={current} />
          <StageEditor key={current.id} pipeline={current} />
        </>
      )}
      {creating && <NewPipelineDialog onClose={() => setCreating(false)} onCreated={(p) => { setSelected(p.id); setCreating(false) }} />}
    </>
  )
}

function PipelineSettings({ pipeline }: { pipeline: Pipeline }) {
  const update = useUpdatePipeline()
  const [name, setName] = useState(pipeline.name)
  useEffect(() => setName(pipeline.name), [pipeline.name])
  // The box follows the click at once; a refused change puts it back.
  const [override, setOverride] = useState(pipeline.allow_override)
  useEffect(() => setOverride(pipeline.allow_override), [pipeline.allow_override])
  const errors = formErrors(update.error, ['name'])
  const save = (e: FormEvent) => {
    e.preventDefault()
    if (name.trim() !== pipeline.name) {
      update.mutate({ pipeline, body: { name } })
    }
  }
  return (
    <section className="card pipeline-card" aria-label="Pipeline settings">
      <form className="pipeline-settings" onSubmit={save}>
        <Field label="Pipeline name" error={errors.fields.name}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} onBlur={save} />}
        </Field>
        <label className="choice">
          <input
            type="checkbox"
            checked={override}
            disabled={update.isPending}
            onChange={(e) => {
              const on = e.target.checked
              setOverride(on)
              update.mutate({ pipeline, body: { allow_override: on } }, { onError: () => setOverride(!on) })
            }}
          />
          <span>
            <span className="choice-title">Managers may override exit criteria</span>
            <span className="choice-help">With a reason, recorded in the deal’s stage history.</span>
          </span>
        </label>
        <div className="pipeline-actions">
          {pipeline.is_default ? (
            <span className="badge badge-ok">Default pipeline</span>
          ) : (
            <>
              <button type="button" className="button button-small" onClick={() => update.mutate({ pipeline, body: { is_default: true } })}>
                Make default
              </button>
              <button
                type="button"
                className="button button-small button-danger-quiet"
                onClick={() => update.mutate({ pipeline, body: { archived: true } })}
              >
                Archive
              </button>
            </>
          )}
          <span className="muted small">Version {pipeline.current_version}</span>
        </div>
      </form>
      {update.isError && !errors.fields.name && <Alert kind={isStale(update.error) ? 'warning' : 'error'}>{errorMessage(update.error)}</Alert>}
    </section>
  )
}

function StageEditor({ pipeline }: { pipeline: Pipeline }) {
  const save = useReplaceStages()
  const types = useActivityTypes()
  const fields = useCustomFields()
  const [drafts, setDrafts] = useState<StageDraft[]>(() => draftsFrom(pipeline.stages ?? []))
  const changed = stagesChanged(drafts, pipeline.stages ?? [])
  const names = drafts.map((_, i) => `stages[${i}]`)
  const errors = formErrors(save.error, names)
  const customDealFields = (fields.data ?? []).filter((f) => f.entity_type === 'deal' && !f.retired_at)
  const activityTypes = (types.data ?? []).filter((t) => !t.retired_at)
  const fieldErrors = stageFieldErrors(save.error)

  const set = (i: number, patch: Partial<StageDraft>) => setDrafts((d) => d.map((s, j) => (j === i ? { ...s, ...patch } : s)))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate({ pipeline, stages: toInputs(drafts) }, { onSuccess: (p) => setDrafts(draftsFrom(p.stages ?? [])) })
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Stages">
      <div className="section-head">
        <h2 className="section-title">Stages</h2>
        <div className="row-actions">
          <button type="button" className="button button-small" onClick={() => setDrafts((d) => addStage(d))}>
            <Icon name="plus" size={16} />
            Add stage
          </button>
        </div>
      </div>
      {isStale(save.error) ? (
        <Alert kind="warning">Someone else changed this pipeline while you were editing. Reload the page to see their version.</Alert>
      ) : (
        errors.form && <Alert>{errors.form}</Alert>
      )}
      <ol className="stage-list">
        {drafts.map((s, i) => {
          const open = !s.outcome || s.outcome === 'open'
          const err = (f: string) => fieldErrors.get(`stages[${i}].${f}`)
          return (
            <li
              key={s.key}
              className={`stage-card${open ? '' : ` stage-${s.outcome}`}${[...fieldErrors.keys()].some((k) => k.startsWith(`stages[${i}]`)) ? ' has-error' : ''}`}
            >
              <div className="stage-head">
                <span className="stage-number" aria-hidden="true">
                  {i + 1}
                </span>
                <Field label="Stage name" error={err('name')}>
                  {(p) => <input {...p} value={s.name} placeholder="What has happened, e.g. “Demo completed”" onChange={(e) => set(i, { name: e.target.value })} />}
                </Field>
                <div className="stage-move">
                  <button type="button" className="icon-button" aria-label={`Move ${s.name || 'stage'} up`} disabled={i === 0} onClick={() => setDrafts((d) => moveStage(d, i, -1))}>
                    ↑
                  </button>
                  <button type="button" className="icon-button" aria-label={`Move ${s.name || 'stage'} down`} disabled={i === drafts.length - 1} onClick={() => setDrafts((d) => moveStage(d, i, 1))}>
                    ↓
                  </button>
                  {open && (
                    <button
                      type="button"
                      className="button button-small button-danger-quiet"
                      onClick={() => setDrafts((d) => d.filter((_, j) => j !== i))}
                      title="Deals in a removed stage keep their history; the stage is archived"
                    >
                      Remove<span className="visually-hidden"> {s.name}</span>
                    </button>
                  )}
                </div>
              </div>
              <div className="stage-grid">
                <Field label="Probability %" error={err('probability')}>
                  {(p) => (
                    <input
                      {...p}
                      type="number"
                      min={0}
                      max={100}
                      disabled={!open}
                      value={s.probability ?? ''}
                      onChange={(e) => set(i, { probability: e.target.value === '' ? undefined : Number(e.target.value) })}
                    />
                  )}
                </Field>
                <Field label="Forecast category" error={err('forecast_category')}>
                  {(p) => (
                    <select {...p} disabled={!open} value={s.forecast_category ?? ''} onChange={(e) => set(i, { forecast_category: e.target.value })}>
                      {forecastChoices
                        .filter((c) => (open ? !c.value.startsWith('closed') : true))
                        .map((c) => (
                          <option key={c.value} value={c.value}>
                            {c.label}
                          </option>
                        ))}
                    </select>
                  )}
                </Field>
                <Field label="Buyer’s step" error={err('buyer_step')} hint={s.buyer_step ? undefined : 'Where the buyer is, e.g. Evaluation.'}>
                  {(p) => <input {...p} value={s.buyer_step ?? ''} onChange={(e) => set(i, { buyer_step: e.target.value })} />}
                </Field>
                <Field label="Outcome" error={err('outcome')}>
                  {(p) => (
                    <input {...p} readOnly value={open ? 'Open' : s.outcome === 'won' ? 'Won (closes the deal)' : 'Lost (closes the deal)'} />
                  )}
                </Field>
              </div>
              <Field label="What this stage means" error={err('description')}>
                {(p) => (
                  <textarea {...p} rows={2} value={s.description ?? ''} onChange={(e) => set(i, { description: e.target.value })} />
                )}
              </Field>
              {open && (
                <fieldset className="exit-criteria">
                  <legend>To leave this stage, a deal needs</legend>
                  <div className="exit-fields">
                    {[...exitFields, ...customDealFields.map((f) => ({ key: `custom.${f.key}`, label: f.label }))].map((f) => {
                      const on = s.exit_criteria?.fields?.includes(f.key) ?? false
                      return (
                        <label key={f.key} className="check">
                          <input
                            type="checkbox"
                            checked={on}
                            onChange={() =>
                              set(i, {
                                exit_criteria: {
                                  fields: on ? (s.exit_criteria?.fields ?? []).filter((x) => x !== f.key) : [...(s.exit_criteria?.fields ?? []), f.key],
                                  activities: s.exit_criteria?.activities ?? [],
                                },
                              })
                            }
                          />
                          {f.label}
                        </label>
                      )
                    })}
                  </div>
                  {err('exit_criteria') && <p className="field-error">{err('exit_criteria')}</p>}
                  <ul className="exit-activities">
                    {(s.exit_criteria?.activities ?? []).map((a, k) => {
                      const setAct = (patch: Partial<typeof a>) =>
                        set(i, {
                          exit_criteria: {
                            fields: s.exit_criteria?.fields ?? [],
                            activities: (s.exit_criteria?.activities ?? []).map((x, m) => (m === k ? { ...x, ...patch } : x)),
                          },
                        })
                      return (
                        <li key={k}>
                          <input
                            type="number"
                            min={1}
                            max={100}
                            aria-label="How many"
                            value={a.count}
                            onChange={(e) => setAct({ count: Number(e.target.value) })}
                          />
                          <select aria-label="Activity type" value={a.type} onChange={(e) => setAct({ type: e.target.value })}>
                            {activityTypes.map((t) => (
                              <option key={t.key} value={t.key}>
                                {t.name}
                              </option>
                            ))}
                          </select>
                          <span className="muted">done</span>
                          <button
                            type="button"
                            className="button button-small button-quiet"
                            onClick={() =>
                              set(i, {
                                exit_criteria: {
                                  fields: s.exit_criteria?.fields ?? [],
                                  activities: (s.exit_criteria?.activities ?? []).filter((_, m) => m !== k),
                                },
                              })
                            }
                          >
                            Remove
                          </button>
                          {err(`exit_criteria.activities[${k}].count`) && <span className="field-error">{err(`exit_criteria.activities[${k}].count`)}</span>}
                        </li>
                      )
                    })}
                  </ul>
                  <button
                    type="button"
                    className="button button-small"
                    disabled={activityTypes.length === 0}
                    onClick={() =>
                      set(i, {
                        exit_criteria: {
                          fields: s.exit_criteria?.fields ?? [],
                          activities: [...(s.exit_criteria?.activities ?? []), { type: activityTypes[0]?.key ?? '', count: 1 }],
                        },
                      })
                    }
                  >
                    Require an activity
                  </button>
                </fieldset>
              )}
            </li>
          )
        })}
      </ol>
      <div className="sticky-actions">
        {save.isError ? (
          <span className="field-error" role="alert">
            Not saved: {fieldErrors.size > 0 ? 'see the messages on the stages.' : errorMessage(save.error)}
          </span>
        ) : changed ? (
          <span className="muted">Unsaved changes: saving makes version {pipeline.current_version + 1}.</span>
        ) : (
          <span className="muted">All changes saved.</span>
        )}
        <button type="button" className="button" disabled={!changed} onClick={() => { save.reset(); setDrafts(draftsFrom(pipeline.stages ?? [])) }}>
          Discard
        </button>
        <button type="submit" className="button button-primary" disabled={!changed || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save stages'}
        </button>
      </div>
    </form>
  )
}

/** The server's field errors by their full path (stages[2].probability). */
function stageFieldErrors(err: unknown): Map<string, string> {
  const out = new Map<string, string>()
  const p = (err as { problem?: { errors?: { field: string; message: string }[] } } | null)?.problem
  for (const e of p?.errors ?? []) {
    const key = e.field.startsWith('stages[') && e.field.split('.').length > 2 && !e.field.includes('activities[') ? e.field.split('.').slice(0, 2).join('.') : e.field
    out.set(key, out.has(key) ? `${out.get(key)} ${e.message}` : e.message)
  }
  return out
}

function NewPipelineDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (p: Pipeline) => void }) {
  const create = useCreatePipeline()
  const [name, setName] = useState('')
  const errors = formErrors(create.error, ['name'])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate(
      {
        name,
        stages: [
          { name: 'Qualified', probability: 10, forecast_category: 'pipeline' },
          { name: 'Proposal sent', probability: 50, forecast_category: 'best_case' },
          { name: 'Won', outcome: 'won' },
          { name: 'Lost', outcome: 'lost' },
        ],
      },
      { onSuccess: onCreated },
    )
  }
  return (
    <Modal title="New pipeline" onClose={onClose}>
      <form className="modal-body" onSubmit={submit} noValidate>
        {errors.form && <Alert>{errors.form}</Alert>}
        <p>It starts with a few stages you can rename, reorder and give exit criteria.</p>
        <Field label="Name" error={errors.fields.name} hint="e.g. “Renewals” or “Partners”.">
          {(p) => <input {...p} autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create pipeline'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
