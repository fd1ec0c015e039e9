// Stalled days per stage on the KPI settings page: which stages take a
// threshold, and the map the server stores from what was typed.

/** The stages a deal can stall in: the active open stages, by pipeline and in process order. */
export function stallableStages<S extends { id: number; name: string; outcome: string; archived_at?: string | null }>(
  pipelines: readonly { id: number; name: string; archived_at?: string | null; stages?: readonly S[] | null }[],
): { pipeline: string; stage: S }[] {
  return pipelines
    .filter((p) => !p.archived_at)
    .flatMap((p) => (p.stages ?? []).filter((s) => s.outcome === 'open' && !s.archived_at).map((stage) => ({ pipeline: p.name, stage })))
}

/** The text a stage's input starts with: its saved days, or empty for the default. */
export function stalledText(saved: Record<string, number> | null | undefined, stageId: number): string {
  const n = saved?.[String(stageId)]
  return n === undefined ? '' : String(n)
}

/**
 * The stage_stalled_days to save: the saved entries of stages the form does
 * not show (an archived stage's) are kept; each shown stage gets the whole
 * number typed, none when empty (the default applies), and -1 when it is
 * not a number, so that the server names the stage's field.
 */
export function stalledDays(saved: Record<string, number> | null | undefined, typed: Record<number, string>): Record<string, number> {
  const out: Record<string, number> = { ...(saved ?? {}) }
  for (const [id, text] of Object.entries(typed)) {
    delete out[id]
    const t = text.trim()
    if (t === '') {
      continue
    }
    const n = Number(t)
    out[id] = Number.isInteger(n) ? n : -1
  }
  return out
}
