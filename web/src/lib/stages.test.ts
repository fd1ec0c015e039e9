import { describe, expect, it } from 'vitest'
import type { Stage } from '../api/lists'
import { addStage, draftsFrom, moveStage, stagesChanged, toInputs } from './stages'

const stage = (id: number, name: string, position: number, outcome = 'open'): Stage =>
  ({
    id,
    name,
    position,
    outcome,
    probability: outcome === 'won' ? 100 : outcome === 'lost' ? 0 : 10 * position,
    forecast_category: outcome === 'won' ? 'closed_won' : outcome === 'lost' ? 'closed_lost' : 'pipeline',
    buyer_step: '',
    description: '',
    pipeline_id: 1,
    exit_criteria: { fields: position === 1 ? ['amount'] : [], activities: [] },
  }) as Stage

const stages = [stage(3, 'Won', 3, 'won'), stage(1, 'Qualified', 1), stage(2, 'Demo', 2), stage(4, 'Lost', 4, 'lost')]

describe('stage drafts', () => {
  it('orders by position and keeps ids and criteria', () => {
    const d = draftsFrom(stages)
    expect(d.map((s) => s.name)).toEqual(['Qualified', 'Demo', 'Won', 'Lost'])
    expect(d[0].id).toBe(1)
    expect(d[0].exit_criteria?.fields).toEqual(['amount'])
  })

  it('adds a stage before won and lost', () => {
    const d = addStage(draftsFrom(stages), 'Trial')
    expect(d.map((s) => s.name)).toEqual(['Qualified', 'Demo', 'Trial', 'Won', 'Lost'])
    expect(d[2].id).toBeUndefined()
    // Never less likely than the stage before it (Demo: 20%).
    expect(d[2].probability).toBe(60)
    expect(d[2].forecast_category).toBe('pipeline')
    expect(stagesChanged(d, stages)).toBe(true)
  })

  it('moves open stages among themselves only', () => {
    const d = draftsFrom(stages)
    expect(moveStage(d, 1, -1).map((s) => s.name)).toEqual(['Demo', 'Qualified', 'Won', 'Lost'])
    expect(moveStage(d, 1, 1).map((s) => s.name)).toEqual(['Qualified', 'Demo', 'Won', 'Lost'])
    expect(moveStage(d, 0, -1).map((s) => s.name)).toEqual(['Qualified', 'Demo', 'Won', 'Lost'])
  })

  it('sends inputs without screen keys and with trimmed text', () => {
    const d = addStage(draftsFrom(stages), '  Trial ')
    const inputs = toInputs(d)
    expect(inputs[2]).not.toHaveProperty('key')
    expect(inputs[2].name).toBe('Trial')
    expect(stagesChanged(draftsFrom(stages), stages)).toBe(false)
  })
})
