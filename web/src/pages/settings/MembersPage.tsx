import { useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { idempotencyKey } from '../../api/client'
import { errorMessage, formErrors, isStale } from '../../api/problem'
import { keys, useCreateUser, useUpdateUser, useUsers } from '../../api/queries'
import { roles, type Role, type User } from '../../api/types'
import { Avatar } from '../../components/Avatar'
import { Field } from '../../components/Field'
import { Icon } from '../../components/Icon'
import { Modal } from '../../components/Modal'
import { PageHeader } from '../../components/PageHeader'
import { roleHelp, roleNames } from '../../components/RoleBadge'
import { Alert, EmptyState, ErrorState, Loading } from '../../components/States'
import { formatDate } from '../../lib/format'
import { useMe } from '../../session'

/** MembersPage lists the workspace's members; admins add members and change roles. */
export function MembersPage() {
  const me = useMe()
  const users = useUsers()
  const [adding, setAdding] = useState(false)
  const [added, setAdded] = useState<User | null>(null)

  return (
    <>
      <PageHeader
        title="Members"
        description={`Everyone who can sign in to ${me.workspace.name}, and what their role lets them do.`}
        actions={
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            <Icon name="plus" />
            Add member
          </button>
        }
      />
      {added && (
        <Alert kind="success" action={<button type="button" className="button button-quiet" onClick={() => setAdded(null)}>Dismiss</button>}>
          {added.name} was added as {roleNames[added.role ?? 'rep'].toLowerCase()}. Share their email and
          password with them so they can sign in.
        </Alert>
      )}
      {users.isPending ? (
        <Loading label="Loading members…" />
      ) : users.isError ? (
        <ErrorState error={users.error} retry={() => users.refetch()} />
      ) : users.data.length === 0 ? (
        <EmptyState title="No members yet" />
      ) : (
        <MemberTable users={users.data} meId={me.user.id} />
      )}
      {adding && (
        <AddMemberDialog
          onClose={() => setAdding(false)}
          onAdded={(u) => {
            setAdding(false)
            setAdded(u)
          }}
        />
      )}
    </>
  )
}

function MemberTable({ users, meId }: { users: User[]; meId: number }) {
  const update = useUpdateUser()
  const qc = useQueryClient()
  const sorted = [...users].sort((a, b) => a.name.localeCompare(b.name))
  const failed = update.isError ? update.variables?.user : undefined

  return (
    <>
      {failed && (
        <Alert
          kind={isStale(update.error) ? 'warning' : 'error'}
          action={
            isStale(update.error) ? (
              <button
                type="button"
                className="button"
                onClick={() => {
                  update.reset()
                  void qc.invalidateQueries({ queryKey: keys.users })
                }}
              >
                Reload members
              </button>
            ) : undefined
          }
        >
          {isStale(update.error)
            ? `${failed.name} was changed by someone else since this page loaded, so their role was not changed. Reload to see the current details, then try again.`
            : `${failed.name}’s role was not changed: ${formErrors(update.error, []).form ?? errorMessage(update.error)}`}
        </Alert>
      )}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col" className="col-date">
                Joined
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((u) => {
              const saving = update.isPending && update.variables?.user.id === u.id
              return (
                <tr key={u.id}>
                  <td>
                    <div className="cell-person">
                      <Avatar name={u.name} id={u.id} />
                      <div className="person">
                        <span className="person-name">
                          {u.name}
                          {u.id === meId && <span className="muted"> (you)</span>}
                        </span>
                        <span className="person-sub">{u.email}</span>
                      </div>
                    </div>
                  </td>
                  <td>
                    <div className="role-cell">
                      <select
                        aria-label={`Role of ${u.name}`}
                        value={u.role}
                        disabled={saving}
                        onChange={(e) => update.mutate({ user: u, update: { role: e.target.value as Role } })}
                      >
                        {[...roles].reverse().map((r) => (
                          <option key={r} value={r}>
                            {roleNames[r]}
                          </option>
                        ))}
                      </select>
                      {saving && <span className="muted">Saving…</span>}
                    </div>
                  </td>
                  <td className="col-date">{formatDate(u.created_at)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </>
  )
}

/** A password the admin can hand over; the member can change it after signing in. */
function suggestPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  const b = new Uint8Array(14)
  crypto.getRandomValues(b)
  return Array.from(b, (x) => alphabet[x % alphabet.length]).join('')
}

function AddMemberDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (u: User) => void }) {
  const create = useCreateUser()
  const [key] = useState(idempotencyKey)
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('rep')
  const [password, setPassword] = useState(suggestPassword)
  const errors = formErrors(create.error, ['name', 'email', 'role', 'password'])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate({ body: { name, email, role, password }, key }, { onSuccess: onAdded })
  }

  return (
    <Modal title="Add a member" onClose={onClose}>
      <form onSubmit={submit} noValidate className="modal-body">
        {errors.form && <Alert>{errors.form}</Alert>}
        <Field label="Name" error={errors.fields.name}>
          {(p) => <input {...p} name="name" autoComplete="off" autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Email" error={errors.fields.email}>
          {(p) => (
            <input {...p} name="email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        <fieldset className={errors.fields.role ? 'field field-invalid' : 'field'}>
          <legend>Role</legend>
          <div className="choice-list">
            {[...roles].reverse().map((r) => (
              <label key={r} className="choice">
                <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} />
                <span>
                  <span className="choice-title">{roleNames[r]}</span>
                  <span className="choice-help">{roleHelp[r]}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.fields.role && <p className="field-error">{errors.fields.role}</p>}
        </fieldset>
        <Field
          label="First password"
          error={errors.fields.password}
          hint="Share it with them privately. At least 10 characters."
        >
          {(p) => (
            <div className="input-with-button">
              <input
                {...p}
                name="password"
                autoComplete="new-password"
                spellCheck={false}
                className="mono"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              <button type="button" className="button" onClick={() => setPassword(suggestPassword())}>
                New
              </button>
            </div>
          )}
        </Field>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Adding…' : 'Add member'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
