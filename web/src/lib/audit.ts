// Reading audit entries: what changed between the record before and after.

/** One field that an audited write changed. */
export interface Change {
  field: string
  before: unknown
  after: unknown
}

// Bookkeeping fields: every write touches them, and listing them would hide
// the real change.
const noise = new Set(['id', 'created_at', 'updated_at', 'version'])

/**
 * The top-level fields that differ between before and after, in a stable
 * order. A create has only after and a delete only before; both list every
 * field that has a value.
 */
export function changes(before: unknown, after: unknown): Change[] {
  const b = asObject(before)
  const a = asObject(after)
  const fields = new Set([...Object.keys(b), ...Object.keys(a)])
  const out: Change[] = []
  for (const field of fields) {
    if (noise.has(field)) {
      continue
    }
    if (JSON.stringify(b[field]) !== JSON.stringify(a[field])) {
      out.push({ field, before: b[field], after: a[field] })
    }
  }
  return out
}

function asObject(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
}

const labels: Record<string, string> = {
  manager_id: 'Manager',
  parent_id: 'Part of',
  member_ids: 'Members',
  user_id: 'Member',
  expires_at: 'Expires',
  last_used_at: 'Last used',
  revoked_at: 'Revoked',
}

/** A record field's name as people read it: `manager_id` → "Manager", `expires_at` → "Expires". */
export function fieldLabel(field: string): string {
  const words = labels[field] ?? field.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Lookup names the records that ids in audit entries point to. */
export interface Lookup {
  user: (id: number) => string | undefined
  team: (id: number) => string | undefined
  time: (iso: string) => string
}

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/**
 * A value from an audit record as short text: ids of members and teams as
 * their names (or "#id" when gone), times in the viewer's format, lists
 * joined, nothing as a dash.
 */
export function showValue(field: string, v: unknown, lookup: Lookup): string {
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) {
    return '—'
  }
  const name = (fn: (id: number) => string | undefined, x: unknown) =>
    typeof x === 'number' ? (fn(x) ?? `#${x}`) : String(x)
  switch (field) {
    case 'manager_id':
    case 'user_id':
      return name(lookup.user, v)
    case 'parent_id':
      return name(lookup.team, v)
    case 'member_ids':
      return Array.isArray(v) ? v.map((x) => name(lookup.user, x)).join(', ') : String(v)
  }
  if (typeof v === 'string') {
    return isoTime.test(v) ? lookup.time(v) : v
  }
  if (Array.isArray(v)) {
    return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ')
  }
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}

/** Words for an audit action on an entity type: ("create", "api_token") → "created an API token". */
export function describe(action: string, entityType: string): string {
  const verbs: Record<string, string> = {
    create: 'created',
    update: 'updated',
    delete: 'deleted',
    revoke: 'revoked',
    login: 'signed in',
    set_password: 'set the password of',
  }
  const nouns: Record<string, string> = {
    api_token: 'API token',
    user: 'member',
    team: 'team',
    workspace: 'workspace',
  }
  const noun = nouns[entityType] ?? entityType.replace(/_/g, ' ')
  if (action === 'login') {
    return 'signed in'
  }
  const verb = verbs[action] ?? action.replace(/_/g, ' ')
  return `${verb} ${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`
}
