// Inline edits are written with If-Match. When someone else saved the record
// first (412), the edit is replayed on their version: fields they did not
// touch keep ours without asking; a field both changed is a conflict shown
// with their value and ours, and nothing typed is lost.

/** A field both people changed: what it was, what they saved, what we typed. */
export interface Conflict {
  field: string
  base: unknown
  theirs: unknown
  mine: unknown
}

/** The outcome of replaying an edit on the latest version of a record. */
export interface Merge {
  /** Our changes that still apply and differ from what is saved now; send these with the latest version. */
  update: Record<string, unknown>
  /** Fields both changed to different values; the person decides. */
  conflicts: Conflict[]
  /** Fields they changed that we did not: shown so the person knows the page moved. */
  theirChanges: string[]
}

/** Reads a field, custom.<key> reading the custom values. */
export function fieldValue(record: Record<string, unknown>, field: string): unknown {
  const key = /^custom\.(.+)$/.exec(field)?.[1]
  if (key) {
    const c = record.custom as Record<string, unknown> | null | undefined
    return c?.[key] ?? null
  }
  return record[field] ?? null
}

/** Deep equality of JSON values (objects by keys, in any order). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return (a ?? null) === (b ?? null)
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    return false
  }
  const ka = Object.keys(a as object)
  const kb = Object.keys(b as object)
  return (
    ka.length === kb.length &&
    ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  )
}

/**
 * merge replays mine (field → value we want, as read from a form) made on
 * base onto theirs, the version saved meanwhile. fields lists what the page
 * shows, to report the other person's changes to them.
 */
export function merge(
  base: Record<string, unknown>,
  theirs: Record<string, unknown>,
  mine: Record<string, unknown>,
  fields: readonly string[] = Object.keys(mine),
): Merge {
  const out: Merge = { update: {}, conflicts: [], theirChanges: [] }
  for (const [field, value] of Object.entries(mine)) {
    const b = fieldValue(base, field)
    const t = fieldValue(theirs, field)
    if (same(t, value)) {
      continue // saved already, by them or by us
    }
    if (same(t, b)) {
      out.update[field] = value // they did not touch it
      continue
    }
    out.conflicts.push({ field, base: b, theirs: t, mine: value })
  }
  for (const field of fields) {
    if (!(field in mine) && !same(fieldValue(base, field), fieldValue(theirs, field))) {
      out.theirChanges.push(field)
    }
  }
  return out
}

/**
 * patchBody turns field → value (custom.<key> included) into a PATCH body:
 * custom values go under "custom".
 */
export function patchBody(values: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(values)) {
    const key = /^custom\.(.+)$/.exec(field)?.[1]
    if (key) {
      body.custom = { ...((body.custom as object) ?? {}), [key]: value }
    } else {
      body[field] = value
    }
  }
  return body
}
