import '../../sales.css'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { ApiError, errorMessage } from '../../api/problem'
import { useTeams, useUsers } from '../../api/queries'
import {
  moveDeal,
  salesKeys,
  useBoardDeals,
  useDealTotals,
  usePipelines,
  type Deal,
  type DealTotal,
  type Pipeline,
  type Stage,
} from '../../api/sales'
import type { FieldError, User } from '../../api/types'
import { Avatar } from '../../components/Avatar'
import { PageHeader } from '../../components/PageHeader'
import { Alert, EmptyState, ErrorState, Loading } from '../../components/States'
import { closePeriods, columns, moveTotals, neighbour, sumLabel, type Column } from '../../lib/board'
import { formatDate } from '../../lib/format'
import { formatMoney } from '../../lib/money'
import { useMe } from '../../session'
import { QuickAddButton } from '../search/QuickAdd'
import { ExitCriteriaDialog } from './ExitCriteriaDialog'

/** A move the server refused for exit criteria, waiting for the inline form. */
interface Pending {
  deal: Deal
  target: Stage
  errors: FieldError[]
}

/**
 * BoardPage is the pipeline as columns of deal cards, one per stage, each
 * headed by its count and total. Cards move by dragging (mouse, pen or
 * touch) or with the keyboard; a move shows at once and is undone if the
 * server refuses it. A move refused for exit criteria opens a small form
 * asking for exactly what is missing.
 */
export function BoardPage() {
  const me = useMe()
  const [params, setParams] = useSearchParams()
  const pipelines = usePipelines()
  const users = useUsers()
  const teams = useTeams()
  const periods = useMemo(() => closePeriods(), [])
  const live = (pipelines.data ?? []).filter((p) => !p.archived_at)
  const pipeline = live.find((p) => String(p.id) === params.get('pipeline')) ?? live[0]
  const period = periods.find((p) => p.key === params.get('close')) ?? periods[0]
  const owner = params.get('owner') ?? ''
  const team = params.get('team') ?? ''
  const filter = {
    pipeline_id: pipeline?.id,
    owner_id: owner || undefined,
    team_id: team || undefined,
    'close_date[gte]': period.gte,
    'close_date[lte]': period.lte,
  }
  const deals = useBoardDeals(filter, Boolean(pipeline))
  const totals = useDealTotals(filter, Boolean(pipeline))
  const setParam = (k: string, v: string) =>
    setParams(
      (old) => {
        const n = new URLSearchParams(old)
        if (v) n.set(k, v)
        else n.delete(k)
        return n
      },
      { replace: true },
    )

  return (
    <div className="board-page">
      <PageHeader
        title="Pipeline"
        description="Every open deal by stage. Drag a card to move it; the stage’s exit criteria are checked as it goes."
        actions={<QuickAddButton kind="deal" label="New deal" />}
      />
      {pipelines.isPending ? (
        <Loading label="Loading the pipeline…" />
      ) : pipelines.isError ? (
        <ErrorState error={pipelines.error} retry={() => void pipelines.refetch()} />
      ) : !pipeline ? (
        <EmptyState title="No pipeline yet">An admin defines the sales process in Settings.</EmptyState>
      ) : (
        <>
          <div className="filters board-filters" role="group" aria-label="Board filters">
            {live.length > 1 && (
              <label>
                <span>Pipeline</span>
                <select value={pipeline.id} onChange={(e) => setParam('pipeline', e.target.value)}>
                  {live.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              <span>Owner</span>
              <select value={owner} onChange={(e) => setParam('owner', e.target.value)}>
                <option value="">Everyone</option>
                <option value={me.user.id}>Me</option>
                {(users.data ?? [])
                  .filter((u) => u.id !== me.user.id)
                  .map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
              </select>
            </label>
            {(teams.data ?? []).length > 0 && (
              <label>
                <span>Team</span>
                <select value={team} onChange={(e) => setParam('team', e.target.value)}>
                  <option value="">All teams</option>
                  {(teams.data ?? []).map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              <span>Closing</span>
              <select value={period.key} onChange={(e) => setParam('close', e.target.value === 'any' ? '' : e.target.value)}>
                {periods.map((p) => (
                  <option key={p.key} value={p.key}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
            {(deals.isFetching || totals.isFetching) && <span className="spinner spinner-small" role="status" aria-label="Updating" />}
          </div>
          {deals.isError || totals.isError ? (
            <ErrorState
              error={deals.error ?? totals.error}
              retry={() => {
                void deals.refetch()
                void totals.refetch()
              }}
            />
          ) : deals.isPending || totals.isPending ? (
            <Loading label="Loading deals…" />
          ) : (
            <Board pipeline={pipeline} deals={deals.data} totals={totals.data} filter={filter} users={users.data ?? []} />
          )}
        </>
      )}
    </div>
  )
}

type Filter = Record<string, string | number | undefined>

function Board({
  pipeline,
  deals,
  totals,
  filter,
  users,
}: {
  pipeline: Pipeline
  deals: Deal[]
  totals: DealTotal[]
  filter: Filter
  users: User[]
}) {
  const qc = useQueryClient()
  const navigate = useNavigate()
  const [pending, setPending] = useState<Pending>()
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string }>()
  const [announce, setAnnounce] = useState('')
  const stages = pipeline.stages.filter((s) => !s.archived_at)
  const open = stages.filter((s) => s.outcome === 'open')
  const closed = stages.filter((s) => s.outcome !== 'open')
  const cols = columns(open, deals, totals)
  const closedCols = columns(closed, [], totals)
  const allTargets = [...open, ...closed]
  const owners = new Map(users.map((u) => [u.id, u]))
  const dealKey = salesKeys.boardDeals(filter)
  const totalKey = salesKeys.totals(filter)

  const move = useMutation({
    mutationFn: ({ deal, target }: { deal: Deal; target: Stage }) => moveDeal(deal, { stage_id: target.id }),
    onMutate: async ({ deal, target }) => {
      await Promise.all([qc.cancelQueries({ queryKey: dealKey }), qc.cancelQueries({ queryKey: totalKey })])
      const before = { deals: qc.getQueryData<Deal[]>(dealKey), totals: qc.getQueryData<DealTotal[]>(totalKey) }
      qc.setQueryData<Deal[]>(dealKey, (old) =>
        target.outcome === 'open'
          ? old?.map((d) => (d.id === deal.id ? { ...d, stage_id: target.id, stage_name: target.name } : d))
          : old?.filter((d) => d.id !== deal.id),
      )
      qc.setQueryData<DealTotal[]>(totalKey, (old) => old && moveTotals(old, deal, target.id))
      return before
    },
    onError: (err, { deal, target }, before) => {
      qc.setQueryData(dealKey, before?.deals)
      qc.setQueryData(totalKey, before?.totals)
      if (err instanceof ApiError && err.status === 422 && err.problem?.errors?.some((e) => e.field !== 'stage_id')) {
        setPending({ deal, target, errors: err.problem.errors })
        setAnnounce(`${deal.name} needs more before it can move to ${target.name}.`)
      } else if (err instanceof ApiError && err.status === 412) {
        setNotice({ kind: 'error', text: `${deal.name} was changed by someone else just now; the board is reloaded, try the move again.` })
      } else {
        setNotice({ kind: 'error', text: `${deal.name} could not move: ${errorMessage(err)}` })
      }
    },
    onSuccess: (moved, { target }) => {
      qc.setQueryData<Deal[]>(dealKey, (old) => old?.map((d) => (d.id === moved.id ? moved : d)))
      setNotice({ kind: 'success', text: `${moved.name} moved to ${target.name}.` })
      setAnnounce(`${moved.name} moved to ${target.name}.`)
    },
    onSettled: () => qc.invalidateQueries({ queryKey: salesKeys.deals }),
  })

  const drop = (deal: Deal, stageId: number) => {
    const target = allTargets.find((s) => s.id === stageId)
    if (!target || target.id === deal.stage_id) {
      return
    }
    setNotice(undefined)
    move.mutate({ deal, target })
  }

  const drag = usePointerDrag(drop)
  const [carry, setCarry] = useState<{ deal: Deal; to: number }>()
  const carryKeys = (e: React.KeyboardEvent, deal: Deal) => {
    if (!carry) {
      if (e.key === ' ' || e.key === 'Enter') {
        e.preventDefault()
        setCarry({ deal, to: deal.stage_id })
        setAnnounce(`Picked up ${deal.name}. Use the left and right arrow keys to choose a stage, Enter to drop it there, Escape to cancel.`)
      }
      return
    }
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault()
      const next = neighbour(allTargets, carry.to, e.key === 'ArrowRight' ? 1 : -1)
      if (next) {
        setCarry({ ...carry, to: next.id })
        setAnnounce(`${next.name}.`)
      }
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      setCarry(undefined)
      drop(carry.deal, carry.to)
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      setCarry(undefined)
      setAnnounce(`${carry.deal.name} stays in its stage.`)
    }
  }
  const over = drag.state?.over ?? carry?.to
  const carried = drag.state?.deal ?? carry?.deal

  return (
    <>
      <div className="visually-hidden" aria-live="assertive">
        {announce}
      </div>
      {notice && (
        <div className="board-notice">
          <Alert
            kind={notice.kind}
            action={
              <button type="button" className="button button-small button-quiet" onClick={() => setNotice(undefined)}>
                Dismiss
              </button>
            }
          >
            {notice.text}
          </Alert>
        </div>
      )}
      {deals.length === 0 && cols.every((c) => c.count === 0) && (
        <div className="board-empty">
          <EmptyState title="No open deals match">Change the filters, or add a deal with “New deal”.</EmptyState>
        </div>
      )}
      <div className={drag.state ? 'board dragging' : 'board'} aria-label={`${pipeline.name} pipeline`} role="region">
        {cols.map((col) => (
          <StageColumn
            key={col.stage.id}
            col={col}
            over={carried !== undefined && over === col.stage.id && carried.stage_id !== col.stage.id}
          >
            {col.deals.map((d) => (
              <DealCard
                key={d.id}
                deal={d}
                owner={owners.get(d.owner_id)}
                lifted={carried?.id === d.id}
                carrying={carry?.deal.id === d.id}
                onPointerDown={(e) => drag.start(e, d)}
                onKeyDown={(e) => carryKeys(e, d)}
                onOpen={() => navigate(`/deals/${d.id}`)}
                clickGuard={drag.justDragged}
              />
            ))}
            {col.count > col.deals.length && (
              <p className="board-more">
                {col.count - col.deals.length} more in this stage — narrow the filters to see them.
              </p>
            )}
          </StageColumn>
        ))}
        <div className="board-closed">
          {closedCols.map((col) => (
            <div
              key={col.stage.id}
              data-stage-id={col.stage.id}
              className={[
                'closed-zone',
                `closed-${col.stage.outcome}`,
                carried && over === col.stage.id ? 'drop-over' : '',
              ].join(' ')}
            >
              <span className="closed-name">{col.stage.name}</span>
              <span className="closed-meta">
                {col.count} · {sumLabel(col.sums)}
              </span>
              <span className="closed-hint">Drop a deal here to mark it {col.stage.name.toLowerCase()}</span>
            </div>
          ))}
        </div>
      </div>
      {drag.state?.moved && <DragGhost deal={drag.state.deal} x={drag.state.x} y={drag.state.y} width={drag.state.width} dx={drag.state.dx} dy={drag.state.dy} />}
      {pending && (
        <ExitCriteriaDialog
          deal={pending.deal}
          target={pending.target}
          errors={pending.errors}
          onClose={() => setPending(undefined)}
          onMoved={(moved) => {
            setPending(undefined)
            setNotice({ kind: 'success', text: `${moved.name} moved to ${pending.target.name}.` })
            void qc.invalidateQueries({ queryKey: salesKeys.deals })
          }}
        />
      )}
    </>
  )
}

function StageColumn({ col, over, children }: { col: Column<Deal, Stage>; over: boolean; children: React.ReactNode }) {
  const s = col.stage
  const criteria = [
    ...s.exit_criteria.fields.map((f) => f.replace(/^custom\./, '').replace(/_id$/, '').replace(/_/g, ' ')),
    ...s.exit_criteria.activities.map((a) => `${a.count > 1 ? a.count + ' ' : ''}${a.type}`),
  ]
  return (
    <section className={over ? 'column drop-over' : 'column'} data-stage-id={s.id} aria-labelledby={`stage-${s.id}`}>
      <header className="column-head" title={s.description || undefined}>
        <div className="column-title">
          <h2 id={`stage-${s.id}`}>{s.name}</h2>
          <span className="column-prob">{s.probability}%</span>
        </div>
        <div className="column-meta">
          <span className="column-count" aria-label={`${col.count} deals`}>
            {col.count}
          </span>
          <span className="column-total">{sumLabel(col.sums)}</span>
        </div>
        {criteria.length > 0 && <p className="column-criteria">To move on: {criteria.join(', ')}</p>}
      </header>
      <ul className="column-cards">{children}</ul>
    </section>
  )
}

function DealCard({
  deal,
  owner,
  lifted,
  carrying,
  onPointerDown,
  onKeyDown,
  onOpen,
  clickGuard,
}: {
  deal: Deal
  owner?: User
  lifted: boolean
  carrying: boolean
  onPointerDown: (e: React.PointerEvent<HTMLElement>) => void
  onKeyDown: (e: React.KeyboardEvent) => void
  onOpen: () => void
  clickGuard: () => boolean
}) {
  const overdue = deal.close_date !== null && deal.close_date < new Date().toISOString().slice(0, 10)
  return (
    <li
      className={['deal-card', lifted ? 'lifted' : '', carrying ? 'carrying' : ''].join(' ')}
      data-deal-id={deal.id}
      onPointerDown={onPointerDown}
      onClick={(e) => {
        if (clickGuard() || (e.target as HTMLElement).closest('button, a')) {
          return
        }
        onOpen()
      }}
    >
      <div className="card-top">
        <Link
          to={`/deals/${deal.id}`}
          className="card-name"
          draggable={false}
          onClick={(e) => {
            if (clickGuard()) {
              e.preventDefault()
            }
          }}
        >
          {deal.name}
        </Link>
        <button
          type="button"
          className="card-handle"
          aria-label={`Move ${deal.name}`}
          aria-pressed={carrying}
          onKeyDown={onKeyDown}
          onClick={(e) => e.preventDefault()}
        >
          <svg viewBox="0 0 12 18" width="10" height="15" aria-hidden="true">
            {[3, 9].flatMap((x) => [3, 9, 15].map((y) => <circle key={`${x}${y}`} cx={x} cy={y} r="1.5" fill="currentColor" />))}
          </svg>
        </button>
      </div>
      <div className="card-amount">{deal.amount > 0 ? formatMoney(deal.amount, deal.currency) : <span className="muted">No amount</span>}</div>
      <div className="card-foot">
        <span className={overdue ? 'card-date overdue' : 'card-date'} title={deal.close_date_estimated ? 'Estimated close date' : 'Close date'}>
          {deal.close_date_estimated ? '~' : ''}
          {formatDate(deal.close_date + 'T12:00:00Z')}
        </span>
        {owner && (
          <span title={`Owner: ${owner.name}`}>
            <Avatar name={owner.name} id={owner.id} size={22} />
          </span>
        )}
      </div>
      {deal.next_step && <p className="card-next">{deal.next_step}</p>}
    </li>
  )
}

function DragGhost({ deal, x, y, width, dx, dy }: { deal: Deal; x: number; y: number; width: number; dx: number; dy: number }) {
  return (
    <div className="drag-ghost" style={{ left: x - dx, top: y - dy, width }} aria-hidden="true">
      <div className="card-name">{deal.name}</div>
      <div className="card-amount">{deal.amount > 0 ? formatMoney(deal.amount, deal.currency) : 'No amount'}</div>
    </div>
  )
}

interface DragState {
  deal: Deal
  x: number
  y: number
  dx: number
  dy: number
  width: number
  moved: boolean
  over?: number
}

/**
 * usePointerDrag drags cards with pointer events, so mouse, pen and touch
 * all work. A press becomes a drag after the pointer moves 6px; on release
 * over a column, onDrop gets the card and the column's stage.
 */
function usePointerDrag(onDrop: (deal: Deal, stageId: number) => void) {
  const [state, setState] = useState<DragState>()
  const ref = useRef<DragState>(undefined)
  const dragged = useRef(0)
  const dropRef = useRef(onDrop)
  dropRef.current = onDrop

  useEffect(() => {
    if (!state) {
      return
    }
    const stageAt = (x: number, y: number) => {
      const el = document.elementsFromPoint(x, y).find((e) => (e as HTMLElement).dataset?.stageId)
      return el ? Number((el as HTMLElement).dataset.stageId) : undefined
    }
    const move = (e: PointerEvent) => {
      const s = ref.current
      if (!s) return
      const moved = s.moved || Math.hypot(e.clientX - s.x, e.clientY - s.y) > 6
      const next = { ...s, moved, x: moved ? e.clientX : s.x, y: moved ? e.clientY : s.y, over: moved ? stageAt(e.clientX, e.clientY) : undefined }
      ref.current = next
      setState(next)
    }
    const up = (e: PointerEvent) => {
      const s = ref.current
      ref.current = undefined
      setState(undefined)
      if (s?.moved) {
        dragged.current = Date.now()
        const over = stageAt(e.clientX, e.clientY)
        if (over !== undefined) {
          dropRef.current(s.deal, over)
        }
      }
    }
    const cancel = () => {
      ref.current = undefined
      setState(undefined)
    }
    const key = (e: KeyboardEvent) => e.key === 'Escape' && cancel()
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
    window.addEventListener('pointercancel', cancel)
    window.addEventListener('keydown', key)
    return () => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
      window.removeEventListener('pointercancel', cancel)
      window.removeEventListener('keydown', key)
    }
  }, [state !== undefined]) // eslint-disable-line react-hooks/exhaustive-deps

  return {
    state,
    start: (e: React.PointerEvent<HTMLElement>, deal: Deal) => {
      if (e.button !== 0 || (e.target as HTMLElement).closest('.card-handle')) {
        return
      }
      // A new press starts a new gesture: the click that ends it is its
      // own, whatever the last drag was.
      dragged.current = 0
      const r = e.currentTarget.getBoundingClientRect()
      const s = { deal, x: e.clientX, y: e.clientY, dx: e.clientX - r.left, dy: e.clientY - r.top, width: r.width, moved: false }
      ref.current = s
      setState(s)
    },
    /** Whether a drag ended a moment ago, so the click that follows it does not open the card. */
    justDragged: () => Date.now() - dragged.current < 300,
  }
}
