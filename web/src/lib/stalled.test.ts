import { describe, expect, it } from 'vitest'
import { stallableStages, stalledDays, stalledText } from './stalled'

const stage = (id: number, outcome: string, archived_at: string | null = null) => ({ id, name: `S${id}`, outcome, archived_at })

describe('stalled days per stage', () => {
  it('offers the active open stages of active pipelines, in order', () => {
    const got = stallableStages([
      { id: 1, name: 'New business', stages: [stage(10, 'open'), stage(11, 'open', '2026-01-01T00:00:00Z'), stage(12, 'open'), stage(13, 'won'), stage(14, 'lost')] },
      { id: 2, name: 'Old', archived_at: '2026-01-01T00:00:00Z', stages: [stage(20, 'open')] },
      { id: 3, name: 'Renewals', stages: [stage(30, 'open')] },
    ])
    expect(got.map((g) => [g.pipeline, g.stage.id])).toEqual([
      ['New business', 10],
      ['New business', 12],
      ['Renewals', 30],
    ])
  })
  it('starts each input from the saved days, empty for the default', () => {
    expect(stalledText({ '10': 14 }, 10)).toBe('14')
    expect(stalledText({ '10': 14 }, 12)).toBe('')
    expect(stalledText(null, 12)).toBe('')
  })
  it('saves what was typed, keeps hidden stages and drops emptied ones', () => {
    expect(stalledDays({ '10': 14, '11': 30, '12': 7 }, { 10: ' 21 ', 12: '' })).toEqual({ '10': 21, '11': 30 })
  })
  it('sends -1 for what is not a whole number, for the server to name', () => {
    expect(stalledDays({}, { 10: 'ten', 12: '2.5', 13: '0' })).toEqual({ '10': -1, '12': -1, '13': 0 })
  })
})
