import { useQueryClient } from '@tanstack/react-query'
import { useMemo, useState, type FormEvent } from 'react'
import { idempotencyKey } from '../../api/client'
import { errorMessage, formErrors, isStale } from '../../api/problem'
import { keys, useDeleteTeam, useSaveTeam, useTeams, useUsers } from '../../api/queries'
import type { Team, User } from '../../api/types'
import { Avatar } from '../../components/Avatar'
import { Field } from '../../components/Field'
import { Icon } from '../../components/Icon'
import { Modal } from '../../components/Modal'
import { PageHeader } from '../../components/PageHeader'
import { roleNames } from '../../components/RoleBadge'
import { Alert, EmptyState, ErrorState, Loading } from '../../components/States'
import { plural } from '../../lib/format'
import { selfAndDescendants, teamPath, teamTree } from '../../lib/teams'

type Editing = { team?: Team } | null

/** TeamsPage shows the team hierarchy; admins create, edit and delete teams. */
export function TeamsPage() {
  const teams = useTeams()
  const users = useUsers()
  const [editing, setEditing] = useState<Editing>(null)
  const [deleting, setDeleting] = useState<Team | null>(null)

  return (
    <>
      <PageHeader
        title="Teams"
        description="Teams group sellers under a manager. A manager sees the records of their team and every team under it."
        actions={
          <button type="button" className="button button-primary" onClick={() => setEditing({})}>
            <Icon name="plus" />
            New team
          </button>
        }
      />
      {teams.isPending || users.isPending ? (
        <Loading label="Loading teams…" />
      ) : teams.isError || users.isError ? (
        <ErrorState
          error={teams.error ?? users.error}
          retry={() => {
            void teams.refetch()
            void users.refetch()
          }}
        />
      ) : teams.data.length === 0 ? (
        <EmptyState
          title="No teams yet"
          action={
            <button type="button" className="button button-primary" onClick={() => setEditing({})}>
              Create the first team
            </button>
          }
        >
          Create a team for each group of sellers with a manager; nest teams to mirror your organisation.
        </EmptyState>
      ) : (
        <TeamTable teams={teams.data} users={users.data} onEdit={(team) => setEditing({ team })} onDelete={setDeleting} />
      )}
      {editing && teams.data && users.data && (
        <TeamDialog
          team={editing.team}
          teams={teams.data}
          users={users.data}
          onClose={() => setEditing(null)}
        />
      )}
      {deleting && <DeleteTeamDialog team={deleting} onClose={() => setDeleting(null)} />}
    </>
  )
}

function TeamTable({
  teams,
  users,
  onEdit,
  onDelete,
}: {
  teams: Team[]
  users: User[]
  onEdit: (t: Team) => void
  onDelete: (t: Team) => void
}) {
  const byId = new Map(users.map((u) => [u.id, u]))
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Manager</th>
            <th scope="col">Members</th>
            <th scope="col" className="col-actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {teamTree(teams).map(({ team, depth }) => {
            const manager = team.manager_id !== null ? byId.get(team.manager_id) : undefined
            const members = (team.member_ids ?? []).map((id) => byId.get(id)).filter((u): u is User => !!u)
            const hasChildren = teams.some((t) => t.parent_id === team.id)
            return (
              <tr key={team.id}>
                <td>
                  <div className="team-name" style={{ paddingLeft: `${depth * 1.5}rem` }}>
                    {depth > 0 && <span className="tree-branch" aria-hidden="true" />}
                    <span>
                      <span className="strong">{team.name}</span>
                      {depth > 0 && <span className="visually-hidden">, part of {teamPath(teams, team)}</span>}
                    </span>
                  </div>
                </td>
                <td>
                  {manager ? (
                    <div className="cell-person">
                      <Avatar name={manager.name} id={manager.id} size={26} />
                      <span>{manager.name}</span>
                    </div>
                  ) : (
                    <span className="muted">No manager</span>
                  )}
                </td>
                <td>
                  <div className="avatar-stack" title={members.map((m) => m.name).join(', ')}>
                    {members.slice(0, 5).map((m) => (
                      <Avatar key={m.id} name={m.name} id={m.id} size={26} />
                    ))}
                    <span className="avatar-stack-count">{plural(members.length, 'member')}</span>
                  </div>
                </td>
                <td className="col-actions">
                  <div className="row-actions">
                    <button type="button" className="button button-small" onClick={() => onEdit(team)}>
                      Edit<span className="visually-hidden"> {team.name}</span>
                    </button>
                    <button
                      type="button"
                      className="button button-small button-danger-quiet"
                      disabled={hasChildren}
                      title={hasChildren ? 'Move or delete its sub-teams first' : undefined}
                      onClick={() => onDelete(team)}
                    >
                      Delete<span className="visually-hidden"> {team.name}</span>
                    </button>
                  </div>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function TeamDialog({
  team: initial,
  teams,
  users,
  onClose,
}: {
  team?: Team
  teams: Team[]
  users: User[]
  onClose: () => void
}) {
  const save = useSaveTeam()
  const qc = useQueryClient()
  const [key] = useState(idempotencyKey)
  // The version the form edits; a reload after a conflict moves it to the latest.
  const [team, setTeam] = useState(initial)
  const [name, setName] = useState(initial?.name ?? '')
  const [managerId, setManagerId] = useState<number | null>(initial?.manager_id ?? null)
  const [parentId, setParentId] = useState<number | null>(initial?.parent_id ?? null)
  const [memberIds, setMemberIds] = useState<number[]>(initial?.member_ids ?? [])
  const [filter, setFilter] = useState('')
  const errors = formErrors(save.error, ['name', 'manager_id', 'parent_id', 'member_ids'])

  const excluded = useMemo(() => (team ? selfAndDescendants(teams, team.id) : new Set<number>()), [team, teams])
  const parents = teamTree(teams).filter((r) => !excluded.has(r.team.id))
  const sortedUsers = [...users].sort((a, b) => a.name.localeCompare(b.name))
  const shown = sortedUsers.filter((u) => `${u.name} ${u.email}`.toLowerCase().includes(filter.trim().toLowerCase()))

  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate(
      { team, key, body: { name, manager_id: managerId, parent_id: parentId, member_ids: memberIds } },
      { onSuccess: onClose },
    )
  }
  const loadLatest = async () => {
    await qc.invalidateQueries({ queryKey: keys.teams })
    const latest = qc.getQueryData<Team[]>(keys.teams)?.find((t) => t.id === team?.id)
    save.reset()
    if (latest) {
      setTeam(latest)
      setName(latest.name)
      setManagerId(latest.manager_id)
      setParentId(latest.parent_id)
      setMemberIds(latest.member_ids ?? [])
    }
  }
  const toggle = (id: number) =>
    setMemberIds((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]))

  return (
    <Modal title={team ? `Edit ${team.name}` : 'New team'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate className="modal-body">
        {isStale(save.error) ? (
          <Alert
            kind="warning"
            action={
              <button type="button" className="button" onClick={loadLatest}>
                Load their version
              </button>
            }
          >
            Someone else changed this team while you were editing, so your changes were not saved. Load their
            version, then make your changes again.
          </Alert>
        ) : (
          errors.form && <Alert>{errors.form}</Alert>
        )}
        <div className="form-grid">
          <Field label="Name" error={errors.fields.name}>
            {(p) => (
              <input {...p} name="name" autoComplete="off" autoFocus value={name} onChange={(e) => setName(e.target.value)} />
            )}
          </Field>
          <Field label="Manager" error={errors.fields.manager_id} hint="Sees this team’s records and rolls up its forecast.">
            {(p) => (
              <select
                {...p}
                name="manager_id"
                value={managerId ?? ''}
                onChange={(e) => setManagerId(e.target.value ? Number(e.target.value) : null)}
              >
                <option value="">No manager</option>
                {sortedUsers.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({roleNames[u.role ?? 'rep']})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Part of" error={errors.fields.parent_id} hint="The team this one reports into.">
            {(p) => (
              <select
                {...p}
                name="parent_id"
                value={parentId ?? ''}
                onChange={(e) => setParentId(e.target.value ? Number(e.target.value) : null)}
              >
                <option value="">Nothing — a top-level team</option>
                {parents.map(({ team: t, depth }) => (
                  <option key={t.id} value={t.id}>
                    {'\u00a0\u00a0'.repeat(depth) + t.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <fieldset className={errors.fields.member_ids ? 'field field-invalid' : 'field'}>
          <legend>
            Members <span className="muted">({memberIds.length} selected)</span>
          </legend>
          {users.length > 8 && (
            <input
              type="search"
              className="member-filter"
              placeholder="Find a member"
              aria-label="Find a member"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
          )}
          <div className="member-picker">
            {shown.map((u) => (
              <label key={u.id} className="member-option">
                <input type="checkbox" checked={memberIds.includes(u.id)} onChange={() => toggle(u.id)} />
                <Avatar name={u.name} id={u.id} size={26} />
                <span className="person">
                  <span className="person-name">{u.name}</span>
                  <span className="person-sub">{u.email}</span>
                </span>
              </label>
            ))}
            {shown.length === 0 && <p className="muted">No member matches “{filter}”.</p>}
          </div>
          {errors.fields.member_ids && <p className="field-error">{errors.fields.member_ids}</p>}
        </fieldset>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : team ? 'Save team' : 'Create team'}
          </button>
        </div>
      </form>
    </Modal>
  )
}

function DeleteTeamDialog({ team, onClose }: { team: Team; onClose: () => void }) {
  const del = useDeleteTeam()
  return (
    <Modal title={`Delete ${team.name}?`} onClose={onClose}>
      <div className="modal-body">
        {del.isError && <Alert kind={isStale(del.error) ? 'warning' : 'error'}>{errorMessage(del.error)}</Alert>}
        <p>
          The team and its memberships are removed. Its members stay in the workspace and keep their records.
        </p>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={del.isPending}
            onClick={() => del.mutate(team, { onSuccess: onClose })}
          >
            {del.isPending ? 'Deleting…' : 'Delete team'}
          </button>
        </div>
      </div>
    </Modal>
  )
}
