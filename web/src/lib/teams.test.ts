import { describe, expect, it } from 'vitest'
import type { Team } from '../api/types'
import { selfAndDescendants, teamPath, teamTree } from './teams'

function team(id: number, name: string, parent_id: number | null = null): Team {
  return {
    id,
    name,
    parent_id,
    manager_id: null,
    member_ids: [],
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    version: 1,
  }
}

const teams = [
  team(1, 'Sales'),
  team(2, 'EMEA', 1),
  team(3, 'France', 2),
  team(4, 'Americas', 1),
  team(5, 'Customer Success'),
]

describe('teamTree', () => {
  it('lists each team under its parent, siblings by name', () => {
    expect(teamTree(teams).map((r) => `${'  '.repeat(r.depth)}${r.team.name}`)).toEqual([
      'Customer Success',
      'Sales',
      '  Americas',
      '  EMEA',
      '    France',
    ])
  })

  it('shows a team whose parent is not visible at the top level', () => {
    const rows = teamTree([team(2, 'EMEA', 1), team(3, 'France', 2)])
    expect(rows.map((r) => [r.team.name, r.depth])).toEqual([
      ['EMEA', 0],
      ['France', 1],
    ])
  })

  it('still lists teams caught in a cycle, once each', () => {
    const rows = teamTree([team(1, 'A', 2), team(2, 'B', 1)])
    expect(rows.map((r) => r.team.name).sort()).toEqual(['A', 'B'])
  })
})

describe('selfAndDescendants', () => {
  it('is every team a team cannot be moved under', () => {
    expect([...selfAndDescendants(teams, 1)].sort()).toEqual([1, 2, 3, 4])
    expect([...selfAndDescendants(teams, 2)].sort()).toEqual([2, 3])
    expect([...selfAndDescendants(teams, 5)]).toEqual([5])
  })
})

describe('teamPath', () => {
  it('names a team by its place in the hierarchy', () => {
    expect(teamPath(teams, teams[2])).toBe('Sales / EMEA / France')
    expect(teamPath(teams, teams[0])).toBe('Sales')
  })
})
