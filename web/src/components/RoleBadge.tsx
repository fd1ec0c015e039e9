import type { Role } from '../api/types'

/** The words for each role, as people read them. */
export const roleNames: Record<Role, string> = {
  admin: 'Admin',
  manager: 'Manager',
  rep: 'Sales rep',
}

/** What each role may do, for pickers and hints. */
export const roleHelp: Record<Role, string> = {
  admin: 'Manages members, teams and settings',
  manager: 'Sees and coaches the teams they manage',
  rep: 'Works their own accounts and deals',
}

/** RoleBadge shows a member's role. */
export function RoleBadge({ role }: { role?: Role }) {
  if (!role) {
    return null
  }
  return <span className={`badge badge-${role}`}>{roleNames[role]}</span>
}
