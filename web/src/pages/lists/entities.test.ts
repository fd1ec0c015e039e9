import { describe, expect, it } from 'vitest'
import type { CustomField, Row } from '../../api/lists'
import { customColumns, entities, rowName } from './entities'

const field = (key: string, type: string, extra: Partial<CustomField> = {}): CustomField =>
  ({ id: key.length, key, label: key.toUpperCase(), type, purpose: `why ${key}`, entity_type: 'deal', retired_at: null, ...extra }) as CustomField

const row = (custom: Record<string, unknown>): Row => ({ id: 1, version: 1, custom })

describe('list columns', () => {
  it('offers live custom fields of the list’s kind, with their purpose as the header’s title', () => {
    const cols = customColumns(
      [field('zone', 'text'), field('old', 'text', { retired_at: '2026-01-01T00:00:00Z' }), field('size', 'number', { entity_type: 'account' })],
      'deal',
    )
    expect(cols.map((c) => [c.key, c.title])).toEqual([['custom.zone', 'why zone']])
    expect(customColumns([field('zone', 'text')], undefined)).toEqual([])
  })

  it('shows custom values as people read them', () => {
    const [text, money, list, flag, ref] = customColumns(
      [field('a', 'text'), field('b', 'money'), field('c', 'multi_picklist'), field('d', 'boolean'), field('e', 'reference')],
      'deal',
    )
    const ctx = {} as never
    expect(text.render(row({ a: 'North' }), ctx)).toBe('North')
    expect(money.render(row({ b: { amount: 250000, currency: 'USD' } }), ctx)).toMatch(/2,500/)
    expect(list.render(row({ c: ['x', 'y'] }), ctx)).toBe('x, y')
    expect(flag.render(row({ d: false }), ctx)).toBe('No')
    expect(ref.render(row({ e: { type: 'account', id: 4 } }), ctx)).toBe('account #4')
    expect(text.render(row({}), ctx)).toBe('')
  })

  it('names rows for messages', () => {
    expect(rowName({ id: 1, version: 1, name: 'Acme renewal' })).toBe('Acme renewal')
    expect(rowName({ id: 2, version: 1, first_name: 'Ada', last_name: 'Lovelace' })).toBe('Ada Lovelace')
    expect(rowName({ id: 3, version: 1 })).toBe('#3')
  })

  it('shows only columns it knows by default', () => {
    for (const def of Object.values(entities)) {
      const keys = new Set(def.columns.map((c) => c.key))
      expect(def.defaultColumns.filter((k) => !keys.has(k))).toEqual([])
    }
  })
})
