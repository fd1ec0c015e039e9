import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'react-router'
import { call, client } from '../../api/client'
import { formErrors } from '../../api/problem'
import { salesKeys, useContactRoles, usePicklist, useRecord, type Contact } from '../../api/sales'
import { Field } from '../../components/Field'
import { PageHeader } from '../../components/PageHeader'
import { Alert } from '../../components/States'
import { EditableFields, RecordLink, useCustomDefs, type FieldDef } from './EditableFields'
import { RecordGrid, RecordState, useRecordId } from './RecordLayout'
import { Timeline } from './Timeline'
import { roleLabel } from './roles'

const contactFields: FieldDef[] = [
  { field: 'first_name', label: 'First name', kind: 'text' },
  { field: 'last_name', label: 'Last name', kind: 'text' },
  { field: 'title', label: 'Job title', kind: 'text' },
  { field: 'email', label: 'Email', kind: 'email' },
  { field: 'phone', label: 'Phone', kind: 'text' },
  { field: 'account_id', label: 'Account', kind: 'account', nullable: true },
  { field: 'owner_id', label: 'Owner', kind: 'user' },
]

/** ContactPage is one person: their fields, buying roles and timeline. */
export function ContactPage() {
  const id = useRecordId()
  const contact = useRecord<Contact>('contact', id)
  return (
    <RecordState query={contact} noun="contact">
      {(c) => <ContactView contact={c} />}
    </RecordState>
  )
}

function ContactView({ contact }: { contact: Contact }) {
  const custom = useCustomDefs('contact')
  const name = `${contact.first_name} ${contact.last_name}`.trim()
  return (
    <>
      <PageHeader
        title={name}
        description={
          <>
            {contact.title || 'Contact'}
            {contact.account_id !== null && (
              <>
                {' '}
                at <RecordLink kind="account" id={contact.account_id} />
              </>
            )}
          </>
        }
      />
      <RecordGrid side={<Timeline kind="contact" id={contact.id} />}>
        <section className="card" aria-labelledby="c-fields">
          <div className="card-header">
            <h2 id="c-fields">Details</h2>
          </div>
          <EditableFields kind="contact" record={contact} defs={[...contactFields, ...custom]} />
        </section>
        <Roles contact={contact} />
      </RecordGrid>
    </>
  )
}

function Roles({ contact }: { contact: Contact }) {
  const roles = useContactRoles(contact.id)
  const picklist = usePicklist('buying_role')
  const qc = useQueryClient()
  const [role, setRole] = useState('')
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const errs = formErrors(error, ['role', 'account_id'])
  return (
    <section className="card" aria-labelledby="c-roles">
      <div className="card-header">
        <h2 id="c-roles">Buying roles</h2>
      </div>
      {(roles.data ?? []).length === 0 ? (
        <p className="card-empty">No buying role yet: say what this person does in the purchase.</p>
      ) : (
        <ul className="related-list">
          {(roles.data ?? []).map((r) => (
            <li key={r.id}>
              <span className={`badge role-${r.role}`}>{roleLabel(r.role)}</span>
              <span>{r.deal_id !== null ? <RecordLink kind="deal" id={r.deal_id} /> : r.account_id !== null ? <RecordLink kind="account" id={r.account_id} /> : null}</span>
              <span className="muted">{[r.influence && `${r.influence} influence`, r.attitude].filter(Boolean).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
      {contact.account_id !== null ? (
        <form
          className="inline-form role-form"
          noValidate
          onSubmit={async (e) => {
            e.preventDefault()
            setBusy(true)
            setError(undefined)
            try {
              await call(client.POST('/api/v1/contacts/{id}/roles', { params: { path: { id: contact.id } }, body: { role, account_id: contact.account_id ?? undefined } }))
              setRole('')
              await Promise.all([
                qc.invalidateQueries({ queryKey: salesKeys.contactRoles(contact.id) }),
                qc.invalidateQueries({ queryKey: ['accounts', contact.account_id] }),
              ])
            } catch (err) {
              setError(err)
            } finally {
              setBusy(false)
            }
          }}
        >
          <Field label="Role on the account" error={errs.fields.role}>
            {(p) => (
              <select {...p} value={role} onChange={(e) => setRole(e.target.value)}>
                <option value="">Choose…</option>
                {(picklist.data ?? []).map((v) => (
                  <option key={v.value} value={v.value}>
                    {v.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" className="button" disabled={busy || !role}>
            Add role
          </button>
        </form>
      ) : (
        <p className="card-foot">Link the contact to an account to give them a buying role there.</p>
      )}
      {errs.form && <Alert>{errs.form}</Alert>}
      {contact.account_id !== null && (
        <p className="card-foot">
          See everyone at the account on its <Link to={`/accounts/${contact.account_id}`}>account map</Link>.
        </p>
      )}
    </section>
  )
}
