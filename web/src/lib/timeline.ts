// Shaping a record's timeline for reading: field changes made together (one
// save, one import, the creation) become one entry, and changes the timeline
// already tells another way (a stage move) are left out.

/** The parts of a timeline item this needs; the rest is carried along. */
export interface Item {
  kind: string
  at: string
  actor_id: number | null
  id: number
  [key: string]: unknown
}

/** One entry of the shown timeline: an item, or the field changes of one save. */
export type Entry<T extends Item> =
  | { kind: 'item'; item: T }
  | { kind: 'changes'; at: string; actor_id: number | null; created: boolean; changes: T[] }

/** Fields whose changes a stage move or the system explains; not shown as changes. */
export const quietFields = new Set([
  'stage_id',
  'stage_entered_at',
  'status',
  'closed_at',
  'last_activity_at',
  'updated_at',
  'version',
  'close_date_estimated',
  'pipeline_id',
])

/**
 * entries groups consecutive changes with the same time and author into one
 * entry (created when every old value was empty) and drops quiet fields.
 */
export function entries<T extends Item>(items: T[]): Entry<T>[] {
  const out: Entry<T>[] = []
  for (const it of items) {
    if (it.kind !== 'change') {
      out.push({ kind: 'item', item: it })
      continue
    }
    if (quietFields.has(String(it.field))) {
      continue
    }
    const last = out[out.length - 1]
    const isNew = it.old === null || it.old === undefined || it.old === ''
    if (last && last.kind === 'changes' && last.at === it.at && last.actor_id === it.actor_id) {
      last.changes.push(it)
      last.created = last.created && isNew
    } else {
      out.push({ kind: 'changes', at: it.at, actor_id: it.actor_id, created: isNew, changes: [it] })
    }
  }
  return out
}
