import { useState, type FormEvent } from 'react'
import { errorMessage, formErrors } from '../../api/problem'
import { useActivityTypes, type ActivityType } from '../../api/lists'
import { keyFromLabel, useCreateActivityType, useUpdateActivityType } from '../../api/settings'
import { Field } from '../../components/Field'
import { PageHeader } from '../../components/PageHeader'
import { Alert, ErrorState, Loading } from '../../components/States'
import './settings.css'

/**
 * ActivityTypesPage keeps the short list of key activities sellers log.
 * Fewer is better: each should be something that moves a deal.
 */
export function ActivityTypesPage() {
  const types = useActivityTypes()
  const create = useCreateActivityType()
  const [name, setName] = useState('')
  const errors = formErrors(create.error, ['key', 'name'])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate({ key: keyFromLabel(name), name: name.trim() }, { onSuccess: () => setName('') })
  }
  const live = (types.data ?? []).filter((t) => !t.retired_at).length
  return (
    <>
      <PageHeader
        title="Activity types"
        description="The key activities sellers log on deals and contacts, and that exit criteria can require. Keep the list short: about five."
      />
      <form className="card inline-form activity-form" onSubmit={submit} noValidate>
        <Field label="New activity type" error={errors.fields.name || errors.fields.key} hint={name ? `Key: ${keyFromLabel(name)}` : 'e.g. “Site visit”'}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <button type="submit" className="button button-primary" disabled={!name.trim() || create.isPending}>
          Add type
        </button>
      </form>
      {errors.form && <Alert>{errors.form}</Alert>}
      {types.isPending ? (
        <Loading label="Loading activity types…" />
      ) : types.isError ? (
        <ErrorState error={types.error} retry={() => types.refetch()} />
      ) : (
        <>
          {live > 7 && <Alert kind="info">{live} types in use. Sellers log more when the list is short; retire the ones nobody uses.</Alert>}
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col" className="col-actions">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...(types.data ?? [])].sort((a, b) => a.position - b.position).map((t) => (
                  <ActivityTypeRow key={t.id} type={t} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  )
}

function ActivityTypeRow({ type }: { type: ActivityType }) {
  const update = useUpdateActivityType()
  const [name, setName] = useState(type.name)
  const save = () => {
    if (name.trim() && name.trim() !== type.name) {
      update.mutate({ id: type.id, body: { name: name.trim() } })
    }
  }
  return (
    <tr className={type.retired_at ? 'row-inactive' : undefined}>
      <td>
        <input
          className="cell-input"
          aria-label={`Name of ${type.name}`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          onBlur={save}
          onKeyDown={(e) => e.key === 'Enter' && save()}
        />
        {update.isError && <span className="field-error">{errorMessage(update.error)}</span>}
      </td>
      <td className="mono">{type.key}</td>
      <td className="col-actions">
        <button
          type="button"
          className="button button-small button-quiet"
          disabled={update.isPending}
          onClick={() => update.mutate({ id: type.id, body: { retired: !type.retired_at } })}
        >
          {type.retired_at ? 'Reinstate' : 'Retire'}
          <span className="visually-hidden"> {type.name}</span>
        </button>
      </td>
    </tr>
  )
}
