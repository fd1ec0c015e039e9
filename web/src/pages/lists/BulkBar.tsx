import { useState, type FormEvent } from 'react'
import { errorMessage, humanize } from '../../api/problem'
import { useBulkUpdate, type BulkResult, type Row } from '../../api/lists'
import { atLeast } from '../../api/types'
import { Alert } from '../../components/States'
import { plural } from '../../lib/format'
import { useMe } from '../../session'
import { rowName, type EntityDef, type RenderContext } from './entities'

/**
 * BulkBar changes the owner (and, for deals, the stage) of the selected
 * records. The server applies each change as a single edit would, so a
 * deal whose exit criteria are not met stays where it is; the result lists
 * those with the reason.
 */
export function BulkBar({
  def,
  ids,
  rows,
  ctx,
  onDone,
  onClear,
}: {
  def: EntityDef
  ids: number[]
  rows: Row[]
  ctx: RenderContext
  onDone: () => void
  onClear: () => void
}) {
  const me = useMe()
  const bulk = useBulkUpdate(def.entity as 'deals')
  const [ownerId, setOwnerId] = useState('')
  const [stageId, setStageId] = useState('')
  const [override, setOverride] = useState('')
  const [result, setResult] = useState<{ res: BulkResult; names: Map<number, string> } | null>(null)
  const canOverride = atLeast(me.user.role, 'manager') && ctx.pipelines.some((p) => p.allow_override)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const names = new Map(rows.filter((r) => ids.includes(r.id)).map((r) => [r.id, rowName(r)]))
    bulk.mutate(
      {
        ids,
        owner_id: ownerId ? Number(ownerId) : undefined,
        stage_id: stageId ? Number(stageId) : undefined,
        override_reason: override.trim() || undefined,
      },
      {
        onSuccess: (res) => {
          setResult({ res, names })
          setOwnerId('')
          setStageId('')
          setOverride('')
          onDone()
        },
      },
    )
  }
  const users = [...ctx.users.values()].sort((a, b) => a.name.localeCompare(b.name))

  return (
    <div className="bulk-area">
      {ids.length > 0 && (
        <form className="bulk-bar" onSubmit={submit} aria-label="Change the selected records">
          <span className="bulk-count">{plural(ids.length, def.one)} selected</span>
          {def.bulk.includes('owner') && (
            <label>
              Owner
              <select value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
                <option value="">Keep</option>
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {def.bulk.includes('stage') && (
            <label>
              Stage
              <select value={stageId} onChange={(e) => setStageId(e.target.value)}>
                <option value="">Keep</option>
                {ctx.pipelines.map((p) => (
                  <optgroup key={p.id} label={p.name}>
                    {(p.stages ?? [])
                      .filter((s) => s.outcome === 'open')
                      .map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.name}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
            </label>
          )}
          {stageId && canOverride && (
            <label>
              Override reason
              <input
                type="text"
                placeholder="Only to skip unmet exit criteria"
                value={override}
                onChange={(e) => setOverride(e.target.value)}
              />
            </label>
          )}
          <button type="submit" className="button button-small button-primary" disabled={bulk.isPending || (!ownerId && !stageId)}>
            {bulk.isPending ? 'Applying…' : 'Apply'}
          </button>
          <button type="button" className="button button-small button-quiet" onClick={onClear}>
            Clear selection
          </button>
        </form>
      )}
      {bulk.isError && <Alert>{errorMessage(bulk.error)}</Alert>}
      {result && <BulkReport result={result.res} names={result.names} one={def.one} onClose={() => setResult(null)} />}
    </div>
  )
}

/** BulkReport says how many changed and, for each record that did not, why. */
export function BulkReport({
  result,
  names,
  one,
  onClose,
}: {
  result: BulkResult
  names: Map<number, string>
  one: string
  onClose: () => void
}) {
  const failed = (result.items ?? []).filter((i) => !i.ok)
  return (
    <Alert
      kind={failed.length === 0 ? 'success' : 'warning'}
      action={
        <button type="button" className="button button-small" onClick={onClose}>
          Dismiss
        </button>
      }
    >
      <p className="strong">
        {plural(result.updated, one)} changed{failed.length > 0 ? `; ${plural(result.failed, one)} not changed:` : '.'}
      </p>
      {failed.length > 0 && (
        <ul className="bulk-failures">
          {failed.map((f) => (
            <li key={f.id}>
              <span className="strong">{names.get(f.id) ?? `#${f.id}`}</span>
              {' — '}
              {f.errors && f.errors.length > 0
                ? f.errors.map((e) => `${humanize(e.field.replace(/^activities\./, ''))} ${e.message}`).join('; ')
                : f.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  )
}
