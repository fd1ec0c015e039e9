// The API's types under the names the app uses. They come from schema.d.ts,
// which is generated from the server's OpenAPI document; when a schema is
// renamed there, only the line here changes.
import type { components } from './schema'

type Schemas = components['schemas']

export type Problem = Schemas['Problem']
export type FieldError = Schemas['FieldError']
export type Workspace = Schemas['Workspace']
export type User = Schemas['User']
/** The session as the API sends it. */
export type SessionResponse = Schemas['SessionInfo']
/** A signed-in member's session: their user and workspace are always present. */
export type SessionInfo = Omit<SessionResponse, 'user' | 'workspace'> & { user: User; workspace: Workspace }
export type Role = NonNullable<User['role']>
export type NewUser = Schemas['NewUser']
export type UserUpdate = Schemas['UserUpdate']
export type Team = Schemas['Team']
export type TeamInput = Schemas['TeamInput']
export type APIToken = Schemas['APIToken']
export type NewToken = Schemas['NewToken']
export type AuditEntry = Schemas['AuditEntry']

/** The roles from least to most powerful, as the server ranks them. */
export const roles: readonly Role[] = ['rep', 'manager', 'admin']

/** Reports whether role has at least the powers of min (mirrors attain.Role.AtLeast). */
export function atLeast(role: Role | undefined, min: Role): boolean {
  return role !== undefined && roles.indexOf(role) >= roles.indexOf(min)
}
