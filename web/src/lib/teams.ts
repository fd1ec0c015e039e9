// The team hierarchy as the pages show it.
import type { Team } from '../api/types'

/** A team in tree order, with its depth below the top level. */
export interface TeamRow {
  team: Team
  depth: number
}

/**
 * Orders teams as a tree: each team followed by its sub-teams, siblings by
 * name. A team whose parent is missing (not visible, or deleted) is shown at
 * the top level rather than lost, and a cycle cannot loop forever.
 */
export function teamTree(teams: readonly Team[]): TeamRow[] {
  const ids = new Set(teams.map((t) => t.id))
  const children = new Map<number | null, Team[]>()
  for (const t of teams) {
    const parent = t.parent_id !== null && ids.has(t.parent_id) && t.parent_id !== t.id ? t.parent_id : null
    const list = children.get(parent) ?? []
    list.push(t)
    children.set(parent, list)
  }
  for (const list of children.values()) {
    list.sort((a, b) => a.name.localeCompare(b.name))
  }
  const rows: TeamRow[] = []
  const seen = new Set<number>()
  const walk = (parent: number | null, depth: number) => {
    for (const t of children.get(parent) ?? []) {
      if (seen.has(t.id)) {
        continue
      }
      seen.add(t.id)
      rows.push({ team: t, depth })
      walk(t.id, depth + 1)
    }
  }
  walk(null, 0)
  // Teams caught in a cycle have no path from the top; list them anyway.
  for (const t of [...teams].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!seen.has(t.id)) {
      seen.add(t.id)
      rows.push({ team: t, depth: 0 })
      walk(t.id, 1)
    }
  }
  return rows
}

/** The ids of the team and every team under it: the choices a team cannot take as its parent. */
export function selfAndDescendants(teams: readonly Team[], id: number): Set<number> {
  const out = new Set<number>([id])
  let grew = true
  while (grew) {
    grew = false
    for (const t of teams) {
      if (t.parent_id !== null && out.has(t.parent_id) && !out.has(t.id)) {
        out.add(t.id)
        grew = true
      }
    }
  }
  return out
}

/** The path of names from the top team down to t, e.g. "Sales / EMEA / France". */
export function teamPath(teams: readonly Team[], t: Team): string {
  const byId = new Map(teams.map((x) => [x.id, x]))
  const names = [t.name]
  const seen = new Set([t.id])
  let p = t.parent_id
  while (p !== null && !seen.has(p)) {
    const parent = byId.get(p)
    if (!parent) {
      break
    }
    names.unshift(parent.name)
    seen.add(p)
    p = parent.parent_id
  }
  return names.join(' / ')
}
