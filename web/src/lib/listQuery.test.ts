import { describe, expect, it } from 'vitest'
import { nextSort, parseQuery, sameQuery, toQuery, withFilter, type ListState } from './listQuery'

describe('list query', () => {
  const state: ListState = {
    filters: [
      { field: 'amount', op: 'gte', value: '100000' },
      { field: 'owner_id', op: 'eq', value: '7' },
      { field: 'name', op: 'prefix', value: 'acme & co' },
      { field: 'account_id', op: 'null', value: 'true' },
    ],
    sort: { field: 'amount', desc: true },
  }

  it('writes the API syntax', () => {
    expect(toQuery(state)).toBe('amount[gte]=100000&owner_id=7&name[prefix]=acme%20%26%20co&account_id[null]=true&sort=-amount')
  })

  it('reads back what it writes', () => {
    expect(parseQuery('?' + toQuery(state))).toEqual(state)
  })

  it('skips blank filters and paging parameters', () => {
    expect(toQuery({ filters: [{ field: 'name', op: 'prefix', value: '' }] })).toBe('')
    expect(parseQuery('cursor=abc&limit=5&view=3&cols=name,amount&stage_id[in]=1,2&bad[op]=1')).toEqual({
      filters: [{ field: 'stage_id', op: 'in', value: '1,2' }],
    })
  })

  it('reads percent-encoded brackets as the server does', () => {
    expect(parseQuery('amount%5Bgte%5D=5&sort=close_date')).toEqual({
      filters: [{ field: 'amount', op: 'gte', value: '5' }],
      sort: { field: 'close_date', desc: false },
    })
  })

  it('compares states regardless of order', () => {
    const a = parseQuery('a=1&b=2&sort=-x')
    const b = parseQuery('sort=-x&b=2&a=1')
    expect(sameQuery(a, b)).toBe(true)
    expect(sameQuery(a, parseQuery('a=1'))).toBe(false)
  })

  it('edits filters by position', () => {
    const s = withFilter({ filters: [] }, 0, { field: 'status', op: 'eq', value: 'open' })
    expect(s.filters).toHaveLength(1)
    expect(withFilter(s, 0, null).filters).toHaveLength(0)
  })

  it('cycles the sort of a column', () => {
    expect(nextSort(undefined, 'amount')).toEqual({ field: 'amount', desc: false })
    expect(nextSort({ field: 'amount', desc: false }, 'amount')).toEqual({ field: 'amount', desc: true })
    expect(nextSort({ field: 'amount', desc: true }, 'amount')).toBeUndefined()
    expect(nextSort({ field: 'amount', desc: true }, 'name')).toEqual({ field: 'name', desc: false })
  })
})
