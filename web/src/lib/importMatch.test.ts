import { describe, expect, it } from 'vitest'
import { importMatchHint, importMatchKeys } from './importMatch'

describe('importMatchKeys', () => {
  it('offers a key for every importable kind, external id always', () => {
    for (const kind of ['accounts', 'contacts', 'leads', 'deals', 'products', 'activities']) {
      expect(importMatchKeys[kind]?.map((k) => k.value)).toContain('external_id')
    }
  })

  it('matches deals and activities by external id only', () => {
    expect(importMatchKeys.deals.map((k) => k.value)).toEqual(['external_id'])
    expect(importMatchKeys.activities.map((k) => k.value)).toEqual(['external_id'])
  })
})

describe('importMatchHint', () => {
  it('says nothing when rows are only created', () => {
    expect(importMatchHint('deals', '')).toBeUndefined()
  })

  it('warns that a deal update may move the deal', () => {
    expect(importMatchHint('deals', 'external_id')).toMatch(/moves the deal/)
    expect(importMatchHint('accounts', 'domain')).toMatch(/history/)
  })
})
