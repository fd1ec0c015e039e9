import { describe, expect, it } from 'vitest'
import { entries } from './timeline'

const change = (id: number, at: string, field: string, old: unknown, nw: unknown, actor = 1) => ({ kind: 'change', id, at, actor_id: actor, field, old, new: nw })

describe('timeline entries', () => {
  it('groups the changes of one save and marks a creation', () => {
    const out = entries([
      { kind: 'activity', id: 9, at: '2026-11-23T10:00:00Z', actor_id: 1 },
      change(3, '2026-11-23T09:00:00Z', 'next_step', 'Call', 'Demo'),
      change(2, '2026-11-23T09:00:00Z', 'amount', 100, 200),
      change(1, '2026-11-22T09:00:00Z', 'name', null, 'Acme'),
      change(0, '2026-11-22T09:00:00Z', 'city', '', 'Berlin'),
    ])
    expect(out.map((e) => e.kind)).toEqual(['item', 'changes', 'changes'])
    expect(out[1]).toMatchObject({ created: false })
    expect(out[1].kind === 'changes' && out[1].changes.map((c) => (c as { field?: string }).field)).toEqual(['next_step', 'amount'])
    expect(out[2]).toMatchObject({ created: true })
  })

  it('leaves out what a stage move already tells, and keeps authors apart', () => {
    const out = entries([
      change(5, '2026-11-23T09:00:00Z', 'stage_id', 2, 3),
      change(4, '2026-11-23T09:00:00Z', 'stage_entered_at', 'a', 'b'),
      change(3, '2026-11-23T09:00:00Z', 'amount', 1, 2, 1),
      change(2, '2026-11-23T09:00:00Z', 'amount', 2, 3, 2),
    ])
    expect(out).toHaveLength(2)
  })
})
