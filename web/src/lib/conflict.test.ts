import { describe, expect, it } from 'vitest'
import { merge, patchBody, same } from './conflict'

describe('conflict merge', () => {
  const base = { name: 'Acme', next_step: 'Call', amount: 100, custom: { region: 'EU' }, version: 3 }

  it('replays a change on a field the other person did not touch', () => {
    const theirs = { ...base, amount: 200, version: 4 }
    const m = merge(base, theirs, { next_step: 'Send proposal' }, ['name', 'next_step', 'amount'])
    expect(m.update).toEqual({ next_step: 'Send proposal' })
    expect(m.conflicts).toEqual([])
    expect(m.theirChanges).toEqual(['amount'])
  })

  it('reports a field both changed with the base, their value and mine', () => {
    const theirs = { ...base, next_step: 'Book demo', version: 4 }
    const m = merge(base, theirs, { next_step: 'Send proposal' })
    expect(m.update).toEqual({})
    expect(m.conflicts).toEqual([{ field: 'next_step', base: 'Call', theirs: 'Book demo', mine: 'Send proposal' }])
  })

  it('sees no conflict when both made the same change', () => {
    const theirs = { ...base, next_step: 'Send proposal', version: 4 }
    expect(merge(base, theirs, { next_step: 'Send proposal' })).toEqual({ update: {}, conflicts: [], theirChanges: [] })
  })

  it('compares custom fields and objects by value', () => {
    const theirs = { ...base, custom: { region: 'US' } }
    const m = merge(base, theirs, { 'custom.region': 'APAC' })
    expect(m.conflicts[0]).toMatchObject({ field: 'custom.region', base: 'EU', theirs: 'US', mine: 'APAC' })
    expect(same({ amount: 1, currency: 'EUR' }, { currency: 'EUR', amount: 1 })).toBe(true)
    expect(same(null, undefined)).toBe(true)
    expect(same([1, 2], { 0: 1, 1: 2 })).toBe(false)
  })

  it('builds a PATCH body with custom values nested', () => {
    expect(patchBody({ name: 'X', 'custom.region': 'EU', 'custom.tier': 2 })).toEqual({
      name: 'X',
      custom: { region: 'EU', tier: 2 },
    })
  })
})
