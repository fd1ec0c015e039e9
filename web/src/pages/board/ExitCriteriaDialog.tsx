import { useState } from 'react'
import { Link } from 'react-router'
import { ApiError, errorMessage } from '../../api/problem'
import { getRecord, logActivity, moveDeal, patchRecord, useActivityTypes, useCustomFields, usePicklist, type Deal, type Stage } from '../../api/sales'
import type { FieldError } from '../../api/types'
import { idempotencyKey } from '../../api/client'
import { Field } from '../../components/Field'
import { Modal } from '../../components/Modal'
import { Alert } from '../../components/States'
import { RecordPicker } from '../search/RecordPicker'
import { exitForm, exitPlan, type MissingField } from '../../lib/exitCriteria'

/**
 * ExitCriteriaDialog completes a move the server refused: it asks for exactly
 * the fields the deal lacks, offers to log the missing activities, then
 * fills, logs and moves in that order. When the server still refuses (a
 * later stage asks for more), it asks again for what is left.
 */
export function ExitCriteriaDialog({
  deal,
  target,
  errors: initial,
  onClose,
  onMoved,
}: {
  deal: Deal
  target: Stage
  errors: FieldError[]
  onClose: () => void
  onMoved: (d: Deal) => void
}) {
  const [errors, setErrors] = useState(initial)
  const customFields = useCustomFields('deal')
  const types = useActivityTypes()
  const form = exitForm(errors, customFields.data ?? [])
  const reasonList = target.outcome === 'lost' ? 'lost_reason' : 'won_reason'
  const reasons = usePicklist(reasonList, form.fields.some((f) => f.kind === 'reason'))
  const [values, setValues] = useState<Record<string, string>>({})
  const [log, setLog] = useState<Record<string, { on: boolean; subject: string; outcome: string }>>({})
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [keys] = useState(() => new Map<string, string>())

  const typeName = (key: string) => types.data?.find((t) => t.key === key)?.name ?? key
  const logOf = (type: string) => log[type] ?? { on: true, subject: typeName(type), outcome: '' }
  const needsLines = form.fields.some((f) => f.kind === 'lines')

  const submit = async () => {
    const plan = exitPlan(form, values, deal.currency)
    setFieldErrors(plan.errors)
    setFormError(undefined)
    const skipped = form.activities.filter((a) => !logOf(a.type).on)
    if (Object.keys(plan.errors).length > 0) {
      return
    }
    if (skipped.length > 0) {
      setFormError(`The move needs the ${skipped.map((a) => typeName(a.type).toLowerCase()).join(' and ')} logged first.`)
      return
    }
    setBusy(true)
    try {
      for (const a of form.activities) {
        const l = logOf(a.type)
        for (let i = a.logged; i < a.needed; i++) {
          const k = `${a.type}-${i}`
          if (!keys.has(k)) {
            keys.set(k, idempotencyKey())
          }
          await logActivity(
            { type: a.type, deal_id: deal.id, subject: l.subject.trim() || typeName(a.type), outcome: l.outcome.trim() || undefined },
            keys.get(k),
          )
        }
      }
      let current = (await getRecord('deal', deal.id)) as Deal
      if (plan.update) {
        current = (await patchRecord('deal', deal.id, current.version, plan.update)) as Deal
      }
      const moved = await moveDeal(current, { stage_id: target.id, reason: plan.reason, reason_note: values.reason_note || undefined })
      onMoved(moved)
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.problem?.errors?.length) {
        const again = err.problem.errors
        const known = new Set(form.fields.map((f) => f.field))
        // A field the form has that the server names again was filled wrongly; say so under it.
        const under: Record<string, string> = {}
        for (const e of again) {
          if (known.has(e.field) && values[e.field]) {
            under[e.field] = e.message.charAt(0).toUpperCase() + e.message.slice(1) + '.'
          }
        }
        setFieldErrors(under)
        setErrors(again)
        setFormError(err.problem.title)
      } else {
        setFormError(errorMessage(err))
      }
    } finally {
      setBusy(false)
    }
  }

  const input = (f: MissingField, props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => {
    const v = values[f.field] ?? ''
    const set = (x: string) => setValues((old) => ({ ...old, [f.field]: x }))
    switch (f.kind) {
      case 'money':
        return <input {...props} className="input" inputMode="decimal" placeholder={`e.g. 12,500 ${deal.currency}`} value={v} onChange={(e) => set(e.target.value)} />
      case 'date':
        return <input {...props} className="input" type="date" value={v} onChange={(e) => set(e.target.value)} />
      case 'account':
      case 'contact':
        return <RecordPicker {...props} type={f.kind} value={v} onChange={set} />
      case 'boolean':
        return (
          <select {...props} className="input" value={v} onChange={(e) => set(e.target.value)}>
            <option value="">Choose…</option>
            <option value="true">Yes</option>
            <option value="false">No</option>
          </select>
        )
      case 'picklist':
        return (
          <select {...props} className="input" value={v} onChange={(e) => set(e.target.value)}>
            <option value="">Choose…</option>
            {(f.options ?? []).map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        )
      case 'reason':
        return (
          <select {...props} className="input" value={v} onChange={(e) => set(e.target.value)}>
            <option value="">Choose a reason…</option>
            {(reasons.data ?? []).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )
      default:
        return <input {...props} className="input" value={v} onChange={(e) => set(e.target.value)} autoComplete="off" />
    }
  }

  return (
    <Modal title={`Move to ${target.name}`} onClose={onClose}>
      <form
        className="modal-body exit-form"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
        noValidate
      >
        <p className="muted">
          <strong>{deal.name}</strong> needs a little more before it can move to {target.name}.
        </p>
        {formError && <Alert>{formError}</Alert>}
        {form.fields
          .filter((f) => f.kind !== 'lines')
          .map((f) => (
            <Field key={f.field} label={f.label} hint={f.help} error={fieldErrors[f.field]}>
              {(props) => input(f, props)}
            </Field>
          ))}
        {form.fields.some((f) => f.kind === 'reason') && (
          <Field label="Note (optional)" hint="What the buyer said, in a sentence.">
            {(props) => (
              <input
                {...props}
                className="input"
                value={values.reason_note ?? ''}
                onChange={(e) => setValues((o) => ({ ...o, reason_note: e.target.value }))}
              />
            )}
          </Field>
        )}
        {needsLines && (
          <Alert kind="info">
            It needs at least one line item. <Link to={`/deals/${deal.id}#lines`}>Add them on the deal</Link>, then move it.
          </Alert>
        )}
        {form.activities.map((a) => {
          const l = logOf(a.type)
          const set = (patch: Partial<typeof l>) => setLog((o) => ({ ...o, [a.type]: { ...l, ...patch } }))
          return (
            <fieldset key={a.type} className="exit-activity">
              <legend>
                {typeName(a.type)} <span className="muted">· {a.message}</span>
              </legend>
              <label className="check">
                <input type="checkbox" checked={l.on} onChange={(e) => set({ on: e.target.checked })} />
                Log the {typeName(a.type).toLowerCase()} now{a.needed - a.logged > 1 ? ` (×${a.needed - a.logged})` : ''}
              </label>
              {l.on && (
                <div className="exit-activity-fields">
                  <Field label="Subject">
                    {(props) => <input {...props} className="input" value={l.subject} onChange={(e) => set({ subject: e.target.value })} />}
                  </Field>
                  <Field label="Outcome" hint="What came of it, in a few words.">
                    {(props) => <input {...props} className="input" value={l.outcome} onChange={(e) => set({ outcome: e.target.value })} />}
                  </Field>
                </div>
              )}
            </fieldset>
          )
        })}
        {form.other.length > 0 && <Alert kind="warning">{form.other.join(' ')}</Alert>}
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy || needsLines}>
            {busy ? 'Moving…' : form.activities.length > 0 ? `Log and move to ${target.name}` : `Save and move to ${target.name}`}
          </button>
        </div>
      </form>
    </Modal>
  )
}
