// Editing a pipeline's stages as a draft: the list the admin reorders and
// changes before saving it, as one new version, with PUT .../stages.
import type { Stage, StageInput } from '../api/lists'

/** StageDraft is a stage being edited; key identifies it on screen before it has an id. */
export type StageDraft = StageInput & { key: string }

let seq = 0
const nextKey = () => `new-${++seq}`

/** The drafts of a pipeline's current stages, in order. */
export function draftsFrom(stages: readonly Stage[]): StageDraft[] {
  return [...stages]
    .sort((a, b) => a.position - b.position)
    .map((s) => ({
      key: `stage-${s.id}`,
      id: s.id,
      name: s.name,
      probability: s.probability,
      forecast_category: s.forecast_category,
      outcome: s.outcome,
      buyer_step: s.buyer_step,
      description: s.description,
      exit_criteria: {
        fields: [...(s.exit_criteria?.fields ?? [])],
        activities: (s.exit_criteria?.activities ?? []).map((a) => ({ ...a })),
      },
    }))
}

/**
 * A new open stage, placed after the last open stage (before won and lost).
 * Its probability is halfway from the stage before it to 99, since a deal
 * moving forward must not become less likely; its forecast category is the
 * previous stage's.
 */
export function addStage(drafts: readonly StageDraft[], name = ''): StageDraft[] {
  let at = drafts.findIndex((d) => d.outcome && d.outcome !== 'open')
  if (at < 0) {
    at = drafts.length
  }
  const prev = at > 0 ? drafts[at - 1] : undefined
  const p = prev?.probability ?? 0
  const stage: StageDraft = {
    key: nextKey(),
    name,
    probability: prev ? Math.min(99, p + Math.ceil((99 - p) / 2)) : 10,
    forecast_category: prev?.forecast_category || 'pipeline',
    outcome: 'open',
    buyer_step: '',
    description: '',
    exit_criteria: { fields: [], activities: [] },
  }
  const out = [...drafts]
  out.splice(at, 0, stage)
  return out
}

/**
 * Moves the stage at i by one place up (-1) or down (+1). Open stages stay
 * before the won and lost stages, as the server requires; a move that would
 * break that returns the drafts unchanged.
 */
export function moveStage(drafts: readonly StageDraft[], i: number, by: -1 | 1): StageDraft[] {
  const j = i + by
  if (j < 0 || j >= drafts.length || isOpen(drafts[i]) !== isOpen(drafts[j])) {
    return [...drafts]
  }
  const out = [...drafts]
  ;[out[i], out[j]] = [out[j], out[i]]
  return out
}

function isOpen(d: StageDraft): boolean {
  return !d.outcome || d.outcome === 'open'
}

/** The stages as PUT .../stages takes them: without screen keys, blank text trimmed. */
export function toInputs(drafts: readonly StageDraft[]): StageInput[] {
  return drafts.map((d) => {
    const { key, ...s } = d
    void key
    return {
      ...s,
      name: s.name.trim(),
      buyer_step: s.buyer_step?.trim() || undefined,
      description: s.description?.trim() || undefined,
      exit_criteria: {
        fields: s.exit_criteria?.fields ?? [],
        activities: (s.exit_criteria?.activities ?? []).filter((a) => a.type),
      },
    }
  })
}

/** Reports whether the drafts differ from the saved stages. */
export function stagesChanged(drafts: readonly StageDraft[], stages: readonly Stage[]): boolean {
  return JSON.stringify(toInputs(drafts)) !== JSON.stringify(toInputs(draftsFrom(stages)))
}
