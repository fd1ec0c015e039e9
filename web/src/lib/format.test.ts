import { describe, expect, it } from 'vitest'
import { formatRelative, initials, plural } from './format'

describe('format', () => {
  const now = new Date('2026-11-23T12:00:00Z')

  it('says how long ago in the largest whole unit', () => {
    expect(formatRelative('2026-11-23T11:59:30Z', now)).toBe('just now')
    expect(formatRelative('2026-11-23T09:00:00Z', now)).toBe('3 hours ago')
    expect(formatRelative('2026-11-22T12:00:00Z', now)).toBe('yesterday')
    expect(formatRelative('2026-12-07T12:00:00Z', now)).toBe('in 2 weeks')
  })

  it('makes initials from names of any shape', () => {
    expect(initials('Ada Lovelace')).toBe('AL')
    expect(initials('  maria  de la cruz ')).toBe('MC')
    expect(initials('Admin')).toBe('A')
    expect(initials('')).toBe('?')
  })

  it('pluralises counts', () => {
    expect(plural(1, 'member')).toBe('1 member')
    expect(plural(3, 'member')).toBe('3 members')
    expect(plural(2, 'sales rep')).toBe('2 sales reps')
  })
})
