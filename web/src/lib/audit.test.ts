import { describe, expect, it } from 'vitest'
import { changes, describe as describeAction, fieldLabel, showValue, type Lookup } from './audit'

const lookup: Lookup = {
  user: (id) => ({ 1: 'Ada Lovelace', 2: 'Alan Turing' })[id],
  team: (id) => ({ 7: 'Sales' })[id],
  time: (iso) => `time(${iso})`,
}

describe('changes', () => {
  it('lists only the fields an update changed, without bookkeeping', () => {
    const before = { id: 3, name: 'EMEA', manager_id: 1, member_ids: [1], version: 1, updated_at: 'a' }
    const after = { id: 3, name: 'Europe', manager_id: 1, member_ids: [1, 2], version: 2, updated_at: 'b' }
    expect(changes(before, after)).toEqual([
      { field: 'name', before: 'EMEA', after: 'Europe' },
      { field: 'member_ids', before: [1], after: [1, 2] },
    ])
  })

  it('lists every set field of a created record', () => {
    expect(changes(null, { id: 1, name: 'Sales', parent_id: null, created_at: 'x' })).toEqual([
      { field: 'name', before: undefined, after: 'Sales' },
      { field: 'parent_id', before: undefined, after: null },
    ])
  })

  it('has nothing to list for entries without records', () => {
    expect(changes(null, null)).toEqual([])
    expect(changes('x', [1])).toEqual([])
  })
})

describe('showValue', () => {
  it('names members and teams instead of showing ids', () => {
    expect(showValue('manager_id', 1, lookup)).toBe('Ada Lovelace')
    expect(showValue('member_ids', [1, 2, 9], lookup)).toBe('Ada Lovelace, Alan Turing, #9')
    expect(showValue('parent_id', 7, lookup)).toBe('Sales')
  })

  it('formats times, and shows nothing as a dash', () => {
    expect(showValue('expires_at', '2026-11-23T12:00:00Z', lookup)).toBe('time(2026-11-23T12:00:00Z)')
    expect(showValue('parent_id', null, lookup)).toBe('—')
    expect(showValue('member_ids', [], lookup)).toBe('—')
    expect(showValue('name', 'Sales', lookup)).toBe('Sales')
    expect(showValue('active', false, lookup)).toBe('false')
  })
})

describe('describe and fieldLabel', () => {
  it('reads like a sentence', () => {
    expect(describeAction('create', 'api_token')).toBe('created an API token')
    expect(describeAction('update', 'user')).toBe('updated a member')
    expect(describeAction('login', 'user')).toBe('signed in')
    expect(describeAction('archive', 'deal_stage')).toBe('archive a deal stage')
    expect(fieldLabel('manager_id')).toBe('Manager')
    expect(fieldLabel('close_date')).toBe('Close date')
  })
})
