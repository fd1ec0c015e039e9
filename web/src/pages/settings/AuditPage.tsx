import { useState } from 'react'
import { errorMessage } from '../../api/problem'
import { useAudit, useTeams, useUsers, type AuditFilter } from '../../api/queries'
import type { AuditEntry, User } from '../../api/types'
import { Avatar } from '../../components/Avatar'
import { PageHeader } from '../../components/PageHeader'
import { Alert, EmptyState, ErrorState, Loading } from '../../components/States'
import { changes, describe, fieldLabel, showValue, type Lookup } from '../../lib/audit'
import { formatDateTime, formatRelative, plural } from '../../lib/format'

const entityTypes = [
  { value: '', label: 'Everything' },
  { value: 'user', label: 'Members' },
  { value: 'team', label: 'Teams' },
  { value: 'api_token', label: 'API tokens' },
  { value: 'workspace', label: 'Workspace' },
]

/** AuditPage reads the workspace's audit log, newest first, a page at a time. */
export function AuditPage() {
  const users = useUsers()
  const teams = useTeams()
  const [filter, setFilter] = useState<AuditFilter>({})
  const audit = useAudit(filter)
  const byId = new Map((users.data ?? []).map((u) => [u.id, u]))
  const teamNames = new Map((teams.data ?? []).map((t) => [t.id, t.name]))
  const lookup: Lookup = {
    user: (id) => byId.get(id)?.name,
    team: (id) => teamNames.get(id),
    time: formatDateTime,
  }
  const entries = audit.data?.pages.flatMap((p) => p.items) ?? []

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change in the workspace: who made it, when, and what it changed. Entries cannot be edited or removed."
      />
      <div className="filters" role="group" aria-label="Filter the log">
        <label>
          <span>Show</span>
          <select
            value={filter.entity_type ?? ''}
            onChange={(e) => setFilter((f) => ({ ...f, entity_type: e.target.value || undefined }))}
          >
            {entityTypes.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>By</span>
          <select
            value={filter.actor_id ?? ''}
            onChange={(e) => setFilter((f) => ({ ...f, actor_id: e.target.value ? Number(e.target.value) : undefined }))}
          >
            <option value="">Anyone</option>
            {[...(users.data ?? [])]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
          </select>
        </label>
      </div>
      {audit.isPending ? (
        <Loading label="Loading the audit log…" />
      ) : audit.isLoadingError ? (
        <ErrorState error={audit.error} retry={() => audit.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState title="Nothing recorded yet">
          {filter.entity_type || filter.actor_id ? 'No entry matches these filters.' : 'Changes appear here as people make them.'}
        </EmptyState>
      ) : (
        <>
          <ol className="audit-list">
            {entries.map((e) => (
              <AuditRow key={e.id} entry={e} actor={e.actor_id !== null ? byId.get(e.actor_id) : undefined} lookup={lookup} />
            ))}
          </ol>
          <div className="list-foot">
            {audit.isFetchNextPageError && <Alert>{errorMessage(audit.error)}</Alert>}
            {audit.hasNextPage ? (
              <button
                type="button"
                className="button"
                disabled={audit.isFetchingNextPage}
                onClick={() => audit.fetchNextPage()}
              >
                {audit.isFetchingNextPage ? 'Loading…' : 'Show older entries'}
              </button>
            ) : (
              <span className="muted">That is the beginning of the log.</span>
            )}
          </div>
        </>
      )}
    </>
  )
}

/** The name of the record an entry is about, from the record itself. */
function subject(e: AuditEntry): string | undefined {
  for (const v of [e.after, e.before]) {
    if (typeof v === 'object' && v !== null && 'name' in v && typeof v.name === 'string') {
      return v.name
    }
  }
  return undefined
}

function AuditRow({ entry, actor, lookup }: { entry: AuditEntry; actor?: User; lookup: Lookup }) {
  const [open, setOpen] = useState(false)
  const diff = entry.action === 'login' ? [] : changes(entry.before, entry.after)
  const name = subject(entry)
  const detailsId = `audit-${entry.id}`
  // A create has no before and a delete no after: show one column then.
  const showBefore = entry.before != null
  const showAfter = entry.after != null
  return (
    <li className="audit-entry">
      <div className="audit-main">
        {actor ? <Avatar name={actor.name} id={actor.id} size={28} /> : <span className="avatar avatar-system" aria-hidden="true">·</span>}
        <span className="audit-text">
          <span className="strong">{actor?.name ?? (entry.actor_id ? `Member #${entry.actor_id}` : 'The system')}</span>{' '}
          {describe(entry.action, entry.entity_type)}
          {name && entry.action !== 'login' && <span className="strong"> {name}</span>}
        </span>
        <time dateTime={entry.at} title={formatDateTime(entry.at)} className="audit-time">
          {formatRelative(entry.at)}
        </time>
        <span className="audit-action">
          {diff.length > 0 && (
            <button
              type="button"
              className="button button-small button-quiet"
              aria-expanded={open}
              aria-controls={detailsId}
              onClick={() => setOpen(!open)}
            >
              {open ? 'Hide details' : !showBefore || !showAfter ? 'Details' : plural(diff.length, 'change')}
            </button>
          )}
        </span>
      </div>
      {open && (
        <table className="table table-compact audit-diff" id={detailsId}>
          <thead>
            <tr>
              <th scope="col">Field</th>
              {showBefore && <th scope="col">{showAfter ? 'Before' : 'Value'}</th>}
              {showAfter && <th scope="col">{showBefore ? 'After' : 'Value'}</th>}
            </tr>
          </thead>
          <tbody>
            {diff.map((c) => (
              <tr key={c.field}>
                <th scope="row">{fieldLabel(c.field)}</th>
                {showBefore && <td>{showValue(c.field, c.before, lookup)}</td>}
                {showAfter && <td>{showValue(c.field, c.after, lookup)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  )
}
