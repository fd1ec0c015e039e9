import { useState, type FormEvent } from 'react'
import { errorMessage, formErrors } from '../../api/problem'
import { useCustomFieldUsage, useCustomFields, usePicklists, type CustomField, type Picklist } from '../../api/lists'
import { keyFromLabel, useAddPicklistValue, useCreateCustomField, useUpdateCustomField, useUpdatePicklistValue } from '../../api/settings'
import { Field } from '../../components/Field'
import { Icon } from '../../components/Icon'
import { Modal } from '../../components/Modal'
import { PageHeader } from '../../components/PageHeader'
import { Alert, EmptyState, ErrorState, Loading } from '../../components/States'
import './settings.css'

const recordTypes = [
  { value: 'deal', label: 'Deals' },
  { value: 'account', label: 'Accounts' },
  { value: 'contact', label: 'Contacts' },
  { value: 'lead', label: 'Leads' },
] as const

const fieldTypes: { value: string; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'long_text', label: 'Long text' },
  { value: 'number', label: 'Number' },
  { value: 'money', label: 'Money' },
  { value: 'date', label: 'Date' },
  { value: 'boolean', label: 'Yes / no' },
  { value: 'picklist', label: 'Picklist (one value)' },
  { value: 'multi_picklist', label: 'Picklist (several values)' },
  { value: 'user', label: 'Member' },
  { value: 'reference', label: 'Link to a record' },
]

const listNames: Record<string, string> = {
  industry: 'Industry',
  company_size: 'Company size',
  lead_source: 'Lead source',
  buying_role: 'Buying role',
  won_reason: 'Won reasons',
  lost_reason: 'Lost reasons',
}

/**
 * FieldsPage lets admins define custom fields, each with the purpose that
 * justifies it, and keep the picklists whose values fields take.
 */
export function FieldsPage() {
  const fields = useCustomFields()
  const picklists = usePicklists()
  const usage = useCustomFieldUsage()
  const [type, setType] = useState<string>('deal')
  const [adding, setAdding] = useState(false)
  const [editing, setEditing] = useState<CustomField | null>(null)
  const shown = (fields.data ?? []).filter((f) => f.entity_type === type).sort((a, b) => a.position - b.position)

  return (
    <>
      <PageHeader
        title="Fields and picklists"
        description="Every custom field says why it exists and who uses it; sellers see that purpose where they fill it in. Retire fields nobody needs."
        actions={
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            <Icon name="plus" />
            New field
          </button>
        }
      />
      <div className="tabs" role="tablist" aria-label="Record type">
        {recordTypes.map((t) => (
          <button key={t.value} type="button" role="tab" aria-selected={t.value === type} className={t.value === type ? 'tab is-active' : 'tab'} onClick={() => setType(t.value)}>
            {t.label}
            <span className="tab-count">{(fields.data ?? []).filter((f) => f.entity_type === t.value && !f.retired_at).length}</span>
          </button>
        ))}
      </div>
      {fields.isPending ? (
        <Loading label="Loading fields…" />
      ) : fields.isError ? (
        <ErrorState error={fields.error} retry={() => fields.refetch()} />
      ) : shown.length === 0 ? (
        <EmptyState title="No custom fields here" action={<button type="button" className="button" onClick={() => setAdding(true)}>Add a field</button>}>
          Add a field only when someone will use what is typed into it.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Type</th>
                <th scope="col">Purpose</th>
                <th scope="col">Filled in</th>
                <th scope="col" className="col-actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((f) => (
                <tr key={f.id} className={f.retired_at ? 'row-inactive' : undefined}>
                  <td>
                    <span className="strong">{f.label}</span>
                    {f.required && <span className="badge badge-soft">required</span>}
                    {f.retired_at && <span className="badge">retired</span>}
                    <span className="cell-sub mono">custom.{f.key}</span>
                  </td>
                  <td>
                    {fieldTypes.find((t) => t.value === f.type)?.label ?? f.type}
                    {f.picklist && <span className="cell-sub">{listNames[f.picklist] ?? f.picklist}</span>}
                  </td>
                  <td className="purpose-cell">{f.purpose}</td>
                  <td>
                    <FillRate usage={usage.data?.find((u) => u.field?.id === f.id)} />
                  </td>
                  <td className="col-actions">
                    <button type="button" className="button button-small" onClick={() => setEditing(f)}>
                      Edit<span className="visually-hidden"> {f.label}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 className="section-title picklists-title">Picklists</h2>
      <p className="page-description">The known values of a field. Retiring a value keeps it on the records that have it but stops new ones from choosing it.</p>
      {picklists.isPending ? (
        <Loading label="Loading picklists…" />
      ) : picklists.isError ? (
        <ErrorState error={picklists.error} retry={() => picklists.refetch()} />
      ) : (
        <div className="picklist-grid">
          {(picklists.data ?? []).map((p) => (
            <PicklistCard key={p.list} picklist={p} />
          ))}
        </div>
      )}
      {adding && <NewFieldDialog entityType={type} picklists={picklists.data ?? []} onClose={() => setAdding(false)} />}
      {editing && <EditFieldDialog field={editing} onClose={() => setEditing(null)} />}
    </>
  )
}

/** FillRate says how many records fill a field; one nobody fills is flagged, since it may not be needed. */
function FillRate({ usage }: { usage?: { filled: number; records: number } }) {
  if (!usage) {
    return <span className="muted">—</span>
  }
  if (usage.records === 0) {
    return <span className="muted">No records yet</span>
  }
  const pct = Math.round((usage.filled / usage.records) * 100)
  return (
    <span className={usage.filled === 0 ? 'fill-rate is-unused' : 'fill-rate'} title={`${usage.filled} of ${usage.records} records`}>
      <span className="fill-bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      {usage.filled === 0 ? 'Never filled' : `${pct}%`}
    </span>
  )
}

function PicklistCard({ picklist }: { picklist: Picklist }) {
  const add = useAddPicklistValue()
  const update = useUpdatePicklistValue()
  const [label, setLabel] = useState('')
  const errors = formErrors(add.error, ['value', 'label'])
  const name = listNames[picklist.list] ?? picklist.list.replace(/_/g, ' ')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const value = keyFromLabel(label)
    add.mutate({ list: picklist.list, value, label: label.trim() }, { onSuccess: () => setLabel('') })
  }
  return (
    <section className="card picklist-card" aria-label={`Picklist ${name}`}>
      <h3 className="card-title">{name}</h3>
      <ul className="picklist-values">
        {(picklist.values ?? []).map((v) => (
          <li key={v.value} className={v.retired_at ? 'is-retired' : undefined}>
            <span>
              {v.label}
              {v.retired_at && <span className="muted small"> (retired)</span>}
            </span>
            <button
              type="button"
              className="button button-small button-quiet"
              disabled={update.isPending}
              onClick={() => update.mutate({ list: picklist.list, value: v.value, body: { retired: !v.retired_at } })}
            >
              {v.retired_at ? 'Restore' : 'Retire'}
              <span className="visually-hidden"> {v.label}</span>
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-add" onSubmit={submit}>
        <input
          aria-label={`New value for ${name}`}
          placeholder="Add a value"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
        />
        <button type="submit" className="button button-small" disabled={!label.trim() || add.isPending}>
          Add
        </button>
      </form>
      {(errors.form || errors.fields.value || errors.fields.label) && (
        <p className="field-error">{[errors.form, errors.fields.value, errors.fields.label].filter(Boolean).join(' ')}</p>
      )}
      {update.isError && <p className="field-error">{errorMessage(update.error)}</p>}
    </section>
  )
}

function NewFieldDialog({ entityType, picklists, onClose }: { entityType: string; picklists: Picklist[]; onClose: () => void }) {
  const create = useCreateCustomField()
  const [entity, setEntity] = useState(entityType)
  const [label, setLabel] = useState('')
  const [key, setKey] = useState('')
  const [keyTouched, setKeyTouched] = useState(false)
  const [type, setType] = useState('text')
  const [purpose, setPurpose] = useState('')
  const [picklist, setPicklist] = useState('')
  const [required, setRequired] = useState(false)
  const errors = formErrors(create.error, ['entity_type', 'label', 'key', 'type', 'purpose', 'picklist'])
  const isPicklist = type === 'picklist' || type === 'multi_picklist'
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate(
      { entity_type: entity, label, key: keyTouched ? key : keyFromLabel(label), type, purpose, picklist: isPicklist ? picklist : undefined, required },
      { onSuccess: onClose },
    )
  }
  return (
    <Modal title="New custom field" onClose={onClose} wide>
      <form className="modal-body" onSubmit={submit} noValidate>
        {errors.form && <Alert>{errors.form}</Alert>}
        <div className="form-grid">
          <Field label="On" error={errors.fields.entity_type}>
            {(p) => (
              <select {...p} value={entity} onChange={(e) => setEntity(e.target.value)}>
                {recordTypes.map((t) => (
                  <option key={t.value} value={t.value}>
                    {t.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Label" error={errors.fields.label}>
            {(p) => <input {...p} autoFocus value={label} onChange={(e) => setLabel(e.target.value)} />}
          </Field>
          <Field label="Key" error={errors.fields.key} hint="Its name in the API, imports and exports; it never changes.">
            {(p) => (
              <input
                {...p}
                className="mono"
                value={keyTouched ? key : keyFromLabel(label)}
                onChange={(e) => {
                  setKeyTouched(true)
                  setKey(e.target.value)
                }}
              />
            )}
          </Field>
          <Field label="Type" error={errors.fields.type}>
            {(p) => (
              <select {...p} value={type} onChange={(e) => setType(e.target.value)}>
                {fieldTypes.map((t) => (
                  <option key={t.value} value={t.value}>
                    {t.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {isPicklist && (
            <Field label="Picklist" error={errors.fields.picklist} hint="An existing list, or a new name; add its values below the fields.">
              {(p) => (
                <>
                  <input {...p} list="picklist-names" value={picklist} onChange={(e) => setPicklist(keyFromLabel(e.target.value) || e.target.value)} />
                  <datalist id="picklist-names">
                    {picklists.map((l) => (
                      <option key={l.list} value={l.list} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
          )}
        </div>
        <Field label="Purpose" error={errors.fields.purpose} hint="Why it exists and who uses it, e.g. “Finance needs it to invoice”. Sellers see this where they fill the field.">
          {(p) => <textarea {...p} rows={2} value={purpose} onChange={(e) => setPurpose(e.target.value)} />}
        </Field>
        <label className="choice">
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />
          <span>
            <span className="choice-title">Required</span>
            <span className="choice-help">Every new or changed record must fill it. Use sparingly.</span>
          </span>
        </label>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Adding…' : 'Add field'}
          </button>
        </div>
      </form>
    </Modal>
  )
}

function EditFieldDialog({ field, onClose }: { field: CustomField; onClose: () => void }) {
  const update = useUpdateCustomField()
  const [label, setLabel] = useState(field.label)
  const [purpose, setPurpose] = useState(field.purpose)
  const [required, setRequired] = useState(field.required)
  const errors = formErrors(update.error, ['label', 'purpose', 'required'])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate({ field, body: { label, purpose, required } }, { onSuccess: onClose })
  }
  return (
    <Modal title={`Edit ${field.label}`} onClose={onClose}>
      <form className="modal-body" onSubmit={submit} noValidate>
        {errors.form && <Alert>{errors.form}</Alert>}
        <Field label="Label" error={errors.fields.label}>
          {(p) => <input {...p} value={label} onChange={(e) => setLabel(e.target.value)} />}
        </Field>
        <Field label="Purpose" error={errors.fields.purpose}>
          {(p) => <textarea {...p} rows={3} value={purpose} onChange={(e) => setPurpose(e.target.value)} />}
        </Field>
        <label className="choice">
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />
          <span className="choice-title">Required</span>
        </label>
        <div className="modal-actions">
          <button
            type="button"
            className="button button-danger-quiet"
            disabled={update.isPending}
            onClick={() => update.mutate({ field, body: { retired: !field.retired_at } }, { onSuccess: onClose })}
          >
            {field.retired_at ? 'Reinstate field' : 'Retire field'}
          </button>
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
