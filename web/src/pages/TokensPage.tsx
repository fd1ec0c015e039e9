import { useState, type FormEvent } from 'react'
import { errorMessage, formErrors } from '../api/problem'
import { useCreateToken, useRevokeToken, useTokens } from '../api/queries'
import type { APIToken } from '../api/types'
import { CopyButton } from '../components/CopyButton'
import { Field } from '../components/Field'
import { Modal } from '../components/Modal'
import { PageHeader } from '../components/PageHeader'
import { Alert, EmptyState, ErrorState, Loading } from '../components/States'
import { formatDate, formatRelative } from '../lib/format'

/** Choices for how long a new token lives, in days; 0 never expires. */
const lifetimes = [
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
  { days: 0, label: 'Never' },
]

/** TokensPage lets any member create, list and revoke their personal API tokens. */
export function TokensPage() {
  const tokens = useTokens()
  const [created, setCreated] = useState<APIToken | null>(null)
  const [revoking, setRevoking] = useState<APIToken | null>(null)

  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            Tokens let scripts and other tools use the Attain API as you, with your role. Send one as{' '}
            <code>Authorization: Bearer &lt;token&gt;</code>.
          </>
        }
      />
      {created ? <NewSecret token={created} onDone={() => setCreated(null)} /> : <CreateTokenForm onCreated={setCreated} />}
      <section aria-labelledby="tokens-list" className="section">
        <h2 id="tokens-list" className="section-title">
          Your tokens
        </h2>
        {tokens.isPending ? (
          <Loading label="Loading tokens…" />
        ) : tokens.isError ? (
          <ErrorState error={tokens.error} retry={() => tokens.refetch()} />
        ) : tokens.data.length === 0 ? (
          <EmptyState title="No API tokens yet">Create one above when a script or tool needs to reach Attain.</EmptyState>
        ) : (
          <TokenTable tokens={tokens.data} onRevoke={setRevoking} />
        )}
      </section>
      {revoking && <RevokeDialog token={revoking} onClose={() => setRevoking(null)} />}
    </>
  )
}

function CreateTokenForm({ onCreated }: { onCreated: (t: APIToken) => void }) {
  const create = useCreateToken()
  const [name, setName] = useState('')
  const [days, setDays] = useState(90)
  const errors = formErrors(create.error, ['name', 'expires_at'])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const expires_at = days > 0 ? new Date(Date.now() + days * 86_400_000).toISOString() : null
    create.mutate(
      { name, expires_at },
      {
        onSuccess: (t) => {
          setName('')
          onCreated(t)
        },
      },
    )
  }

  return (
    <form className="card token-form" onSubmit={submit} noValidate aria-labelledby="new-token">
      <h2 id="new-token" className="card-title">
        Create a token
      </h2>
      {errors.form && <Alert>{errors.form}</Alert>}
      <div className="inline-form">
        <Field label="Name" error={errors.fields.name} hint="What uses it, e.g. “Nightly export”.">
          {(p) => <input {...p} name="name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Expires after" error={errors.fields.expires_at}>
          {(p) => (
            <select {...p} name="expires" value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {lifetimes.map((l) => (
                <option key={l.days} value={l.days}>
                  {l.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  )
}

function NewSecret({ token, onDone }: { token: APIToken; onDone: () => void }) {
  return (
    <section className="card secret-card" aria-labelledby="secret-title">
      <h2 id="secret-title" className="card-title">
        Copy your new token “{token.name}” now
      </h2>
      <p>This is the only time Attain shows it. Store it somewhere safe, such as a password manager.</p>
      <div className="secret-row">
        <input
          readOnly
          className="mono secret"
          aria-label="New token"
          value={token.secret ?? ''}
          onFocus={(e) => e.target.select()}
        />
        <CopyButton text={token.secret ?? ''} />
      </div>
      <div className="secret-actions">
        <button type="button" className="button button-primary" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  )
}

function status(t: APIToken, now = new Date()): { label: string; kind: string } {
  if (t.revoked_at) {
    return { label: 'Revoked', kind: 'muted' }
  }
  if (t.expires_at && new Date(t.expires_at) <= now) {
    return { label: 'Expired', kind: 'muted' }
  }
  return { label: 'Active', kind: 'ok' }
}

function TokenTable({ tokens, onRevoke }: { tokens: APIToken[]; onRevoke: (t: APIToken) => void }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Token</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">Status</th>
            <th scope="col" className="col-actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => {
            const s = status(t)
            return (
              <tr key={t.id} className={s.label === 'Active' ? undefined : 'row-inactive'}>
                <td>
                  <span className="strong">{t.name}</span>
                  <span className="cell-sub">Created {formatDate(t.created_at)}</span>
                </td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{t.last_used_at ? formatRelative(t.last_used_at) : <span className="muted">Never</span>}</td>
                <td>{t.expires_at ? formatDate(t.expires_at) : <span className="muted">Never</span>}</td>
                <td>
                  <span className={`badge badge-${s.kind}`}>{s.label}</span>
                </td>
                <td className="col-actions">
                  {s.label === 'Active' && (
                    <button type="button" className="button button-small button-danger-quiet" onClick={() => onRevoke(t)}>
                      Revoke<span className="visually-hidden"> {t.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function RevokeDialog({ token, onClose }: { token: APIToken; onClose: () => void }) {
  const revoke = useRevokeToken()
  return (
    <Modal title={`Revoke “${token.name}”?`} onClose={onClose}>
      <div className="modal-body">
        {revoke.isError && <Alert>{errorMessage(revoke.error)}</Alert>}
        <p>Anything using this token loses access at once. This cannot be undone.</p>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={revoke.isPending}
            onClick={() => revoke.mutate(token.id, { onSuccess: onClose })}
          >
            {revoke.isPending ? 'Revoking…' : 'Revoke token'}
          </button>
        </div>
      </div>
    </Modal>
  )
}
