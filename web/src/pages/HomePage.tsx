import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { useTeams, useUsers } from '../api/queries'
import { atLeast, roles, type Team, type User } from '../api/types'
import { Avatar } from '../components/Avatar'
import { PageHeader } from '../components/PageHeader'
import { RoleBadge, roleNames } from '../components/RoleBadge'
import { EmptyState, ErrorState, Loading } from '../components/States'
import { formatDate, plural } from '../lib/format'
import { teamPath, teamTree } from '../lib/teams'
import { useMe } from '../session'
import { CompanySnapshot } from './dashboards/CompanySnapshot'
import { MyDashboard } from './dashboards/RepHome'
import { TeamPage } from './dashboards/TeamPage'

function greeting(now = new Date()): string {
  const h = now.getHours()
  return h < 12 ? 'Good morning' : h < 18 ? 'Good afternoon' : 'Good evening'
}

/**
 * HomePage is where a member lands: a rep's own dashboard, a manager's team
 * view, and for admins the company's quarter and the workspace at a glance.
 */
export function HomePage() {
  const me = useMe()
  if (me.user.role === 'rep') {
    return <MyDashboard />
  }
  if (me.user.role === 'manager') {
    return <TeamPage />
  }
  return <WorkspaceHome />
}

/** WorkspaceHome is the workspace at a glance: who is in it, how its teams are organised, and where the member sits. */
function WorkspaceHome() {
  const me = useMe()
  const users = useUsers()
  const teams = useTeams()
  const firstName = me.user.name.split(/\s+/)[0]
  const isAdmin = atLeast(me.user.role, 'admin')

  return (
    <>
      <PageHeader
        title={`${greeting()}, ${firstName}`}
        description={
          <>
            {me.workspace.name} · you are {me.user.role === 'admin' ? 'an' : 'a'}{' '}
            {me.user.role ? roleNames[me.user.role].toLowerCase() : 'member'} here
          </>
        }
      />
      {users.isPending || teams.isPending ? (
        <Loading label="Loading your workspace…" />
      ) : users.isError || teams.isError ? (
        <ErrorState
          error={users.error ?? teams.error}
          retry={() => {
            void users.refetch()
            void teams.refetch()
          }}
        />
      ) : (
        <>
          {isAdmin && <CompanySnapshot />}
          <Summary me={me.user} users={users.data} teams={teams.data} isAdmin={isAdmin} />
        </>
      )}
    </>
  )
}

function Summary({ me, users, teams, isAdmin }: { me: User; users: User[]; teams: Team[]; isAdmin: boolean }) {
  const byId = new Map(users.map((u) => [u.id, u]))
  const mine = teams.filter((t) => t.manager_id === me.id || (t.member_ids ?? []).includes(me.id))
  const counts = roles.map((r) => ({ role: r, n: users.filter((u) => u.role === r).length }))
  const recent = [...users].sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, 6)

  return (
    <div className="home">
      <section className="stats" aria-label="Workspace summary">
        <Stat label="Members" value={users.length} to={isAdmin ? '/settings/members' : undefined}>
          {counts
            .filter((c) => c.n > 0)
            .reverse()
            .map((c) => plural(c.n, roleNames[c.role].toLowerCase()))
            .join(' · ')}
        </Stat>
        <Stat label="Teams" value={teams.length} to={isAdmin ? '/settings/teams' : undefined}>
          {teams.length === 0
            ? 'None yet'
            : plural(teams.filter((t) => t.parent_id === null).length, 'top-level team')}
        </Stat>
        <Stat label="Your teams" value={mine.length}>
          {mine.length === 0 ? 'Not on a team yet' : mine.map((t) => t.name).join(', ')}
        </Stat>
      </section>

      <div className="home-grid">
        <section className="card" aria-labelledby="home-teams">
          <div className="card-header">
            <h2 id="home-teams">Teams</h2>
            {isAdmin && teams.length > 0 && (
              <Link to="/settings/teams" className="card-link">
                Manage teams
              </Link>
            )}
          </div>
          {teams.length === 0 ? (
            <EmptyState
              title="No teams yet"
              action={
                isAdmin && (
                  <Link to="/settings/teams" className="button button-primary">
                    Create the first team
                  </Link>
                )
              }
            >
              Teams group sellers under a manager; managers see their teams’ records and roll up their forecasts.
            </EmptyState>
          ) : (
            <ul className="tree-list">
              {teamTree(teams).map(({ team, depth }) => {
                const manager = team.manager_id !== null ? byId.get(team.manager_id) : undefined
                const isMine = mine.includes(team)
                return (
                  <li key={team.id} style={{ paddingLeft: `${depth * 1.25 + 0.25}rem` }} title={teamPath(teams, team)}>
                    <span className={depth > 0 ? 'tree-name tree-child' : 'tree-name'}>
                      {team.name}
                      {isMine && <span className="badge badge-soft">Yours</span>}
                    </span>
                    <span className="tree-meta">
                      {manager ? `Managed by ${manager.name}` : 'No manager'} ·{' '}
                      {plural((team.member_ids ?? []).length, 'member')}
                    </span>
                  </li>
                )
              })}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="home-members">
          <div className="card-header">
            <h2 id="home-members">Newest members</h2>
            {isAdmin && (
              <Link to="/settings/members" className="card-link">
                {users.length > recent.length ? `All ${users.length} members` : 'Manage members'}
              </Link>
            )}
          </div>
          <ul className="people-list">
            {recent.map((u) => (
              <li key={u.id}>
                <Avatar name={u.name} id={u.id} />
                <div className="person">
                  <span className="person-name">
                    {u.name}
                    {u.id === me.id && <span className="muted"> (you)</span>}
                  </span>
                  <span className="person-sub">Joined {formatDate(u.created_at)}</span>
                </div>
                <RoleBadge role={u.role} />
              </li>
            ))}
          </ul>
          {isAdmin && users.length < 2 && (
            <p className="card-foot">
              You are the only member so far. <Link to="/settings/members">Add your team</Link> so they can sign in.
            </p>
          )}
        </section>
      </div>
    </div>
  )
}

function Stat({ label, value, to, children }: { label: string; value: number; to?: string; children?: ReactNode }) {
  const body = (
    <>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      <span className="stat-sub">{children}</span>
    </>
  )
  return to ? (
    <Link to={to} className="stat stat-link">
      {body}
    </Link>
  ) : (
    <div className="stat">{body}</div>
  )
}
