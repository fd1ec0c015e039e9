import { useEffect, useId, useState, type FormEvent } from 'react'
import { Icon } from '../../components/Icon'
import { formatDate } from '../../lib/format'
import type { Filter, FilterOp, ListState } from '../../lib/listQuery'
import { currencyDigits, formatMoney, parseMoney } from '../../lib/money'
import type { ColumnDef, EntityDef, FilterKind, RenderContext } from './entities'

/** The operators offered for each kind of field, with words that fit it. */
const kindOps: Record<FilterKind, [FilterOp, string][]> = {
  picklist: [['eq', 'is'], ['ne', 'is not'], ['null', 'is empty']],
  text: [['prefix', 'starts with'], ['eq', 'is'], ['ne', 'is not'], ['null', 'is empty']],
  money: [['gte', 'at least'], ['lte', 'at most'], ['eq', 'is'], ['gt', 'above'], ['lt', 'below']],
  number: [['eq', 'is'], ['gte', 'at least'], ['lte', 'at most'], ['ne', 'is not'], ['null', 'is empty']],
  date: [['gte', 'on or after'], ['lt', 'before'], ['lte', 'on or before'], ['eq', 'on']],
  time: [['gte', 'on or after'], ['lt', 'before'], ['null', 'is empty']],
  user: [['eq', 'is'], ['ne', 'is not']],
  team: [['eq', 'is'], ['ne', 'is not'], ['null', 'is empty']],
  stage: [['eq', 'is'], ['ne', 'is not']],
  pipeline: [['eq', 'is'], ['ne', 'is not']],
  choice: [['eq', 'is'], ['ne', 'is not']],
  bool: [['eq', 'is']],
}

function opWord(kind: FilterKind, op: FilterOp): string {
  return kindOps[kind].find(([o]) => o === op)?.[1] ?? op
}

/** The value of a filter as people read it: names for ids, money in major units. */
export function describeValue(col: ColumnDef, f: Filter, ctx: RenderContext): string {
  const kind = col.filter?.kind ?? 'text'
  if (f.op === 'null') {
    return f.value === 'false' ? 'is not empty' : ''
  }
  const one = (v: string) => {
    switch (kind) {
      case 'user':
        return ctx.users.get(Number(v))?.name ?? `#${v}`
      case 'team':
        return ctx.teams.get(Number(v))?.name ?? `#${v}`
      case 'stage': {
        const s = ctx.stages.get(Number(v))
        return s ? (ctx.pipelines.length > 1 ? `${s.name} (${s.pipeline})` : s.name) : `#${v}`
      }
      case 'pipeline':
        return ctx.pipelines.find((p) => p.id === Number(v))?.name ?? `#${v}`
      case 'choice':
        return col.filter?.choices?.find((c) => c.value === v)?.label ?? v
      case 'picklist':
        return ctx.picklists.get(col.filter?.list ?? '')?.get(v) ?? v
      case 'money':
        return formatMoney(Number(v), ctx.currency)
      case 'date':
      case 'time':
        return formatDate(v)
    }
    return `“${v}”`
  }
  return f.op === 'in' ? f.value.split(',').map(one).join(' or ') : one(f.value)
}

/**
 * FilterBar shows the list's filters as removable chips, a box to find by
 * name, and a small form to add a filter on any filterable column.
 */
export function FilterBar({
  def,
  state,
  ctx,
  columns,
  onChange,
}: {
  def: EntityDef
  state: ListState
  ctx: RenderContext
  columns: ColumnDef[]
  onChange: (s: ListState) => void
}) {
  const filterable = columns.filter((c) => c.filter)
  const findIndex = state.filters.findIndex((f) => f.field === def.findField && f.op === 'prefix')
  const [find, setFind] = useState(findIndex >= 0 ? state.filters[findIndex].value : '')
  const [adding, setAdding] = useState(false)

  // Typing filters after a short pause, so each keystroke is not a request.
  const current = findIndex >= 0 ? state.filters[findIndex].value : ''
  useEffect(() => setFind(current), [current])
  useEffect(() => {
    if (find === current) {
      return
    }
    const t = setTimeout(() => {
      const rest = state.filters.filter((_, i) => i !== findIndex)
      onChange({ ...state, filters: find.trim() ? [...rest, { field: def.findField!, op: 'prefix', value: find.trim() }] : rest })
    }, 300)
    return () => clearTimeout(t)
  })

  const chips = state.filters.map((f, i) => ({ f, i })).filter(({ i }) => i !== findIndex)
  return (
    <div className="filter-bar">
      {def.findField && (
        <input
          type="search"
          className="find-box"
          placeholder={`Find ${def.title.toLowerCase()} by name`}
          aria-label={`Find ${def.title.toLowerCase()} by name`}
          value={find}
          onChange={(e) => setFind(e.target.value)}
        />
      )}
      <ul className="chips" aria-label="Filters">
        {chips.map(({ f, i }) => {
          const col = filterable.find((c) => c.filter!.field === f.field)
          const label = col?.label ?? f.field
          const text = col ? `${label} ${opWord(col.filter!.kind, f.op)} ${describeValue(col, f, ctx)}` : `${f.field} ${f.op} ${f.value}`
          return (
            <li key={`${f.field}-${f.op}-${i}`} className="chip">
              <span>{text.trim()}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove filter: ${text.trim()}`}
                onClick={() => onChange({ ...state, filters: state.filters.filter((_, j) => j !== i) })}
              >
                ×
              </button>
            </li>
          )
        })}
      </ul>
      {adding ? (
        <AddFilter
          columns={filterable}
          ctx={ctx}
          onCancel={() => setAdding(false)}
          onAdd={(f) => {
            onChange({ ...state, filters: [...state.filters, f] })
            setAdding(false)
          }}
        />
      ) : (
        <button type="button" className="button button-small" onClick={() => setAdding(true)}>
          <Icon name="plus" size={16} />
          Add filter
        </button>
      )}
      {state.filters.length > 0 && !adding && (
        <button type="button" className="button button-small button-quiet" onClick={() => onChange({ ...state, filters: [] })}>
          Clear all
        </button>
      )}
    </div>
  )
}

function AddFilter({
  columns,
  ctx,
  onAdd,
  onCancel,
}: {
  columns: ColumnDef[]
  ctx: RenderContext
  onAdd: (f: Filter) => void
  onCancel: () => void
}) {
  const id = useId()
  const [key, setKey] = useState(columns[0]?.key ?? '')
  const col = columns.find((c) => c.key === key) ?? columns[0]
  const kind = col?.filter?.kind ?? 'text'
  const [op, setOp] = useState<FilterOp>(kindOps[kind][0][0])
  const [value, setValue] = useState('')
  const [error, setError] = useState('')

  const pickColumn = (k: string) => {
    setKey(k)
    const c = columns.find((x) => x.key === k)
    setOp(kindOps[c?.filter?.kind ?? 'text'][0][0])
    setValue('')
    setError('')
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!col?.filter) {
      return
    }
    let v = value.trim()
    if (op === 'null') {
      v = 'true'
    } else if (v === '') {
      setError('Give a value.')
      return
    } else if (kind === 'money') {
      const minor = parseMoney(v, ctx.currency)
      if (minor === null || minor === undefined) {
        setError(`Type an amount, e.g. 25,000 or 25000.${'0'.repeat(currencyDigits(ctx.currency))}`)
        return
      }
      v = String(minor)
    }
    onAdd({ field: col.filter.field, op, value: v })
  }

  return (
    <form className="add-filter" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()} aria-label="Add a filter">
      <select aria-label="Field" value={col?.key} onChange={(e) => pickColumn(e.target.value)} autoFocus>
        {columns.map((c) => (
          <option key={c.key} value={c.key}>
            {c.label}
          </option>
        ))}
      </select>
      <select aria-label="Condition" value={op} onChange={(e) => setOp(e.target.value as FilterOp)}>
        {kindOps[kind].map(([o, label]) => (
          <option key={o} value={o}>
            {label}
          </option>
        ))}
      </select>
      {op !== 'null' && <ValueInput id={id} kind={kind} col={col} ctx={ctx} value={value} onChange={setValue} />}
      <button type="submit" className="button button-small button-primary">
        Apply
      </button>
      <button type="button" className="button button-small button-quiet" onClick={onCancel}>
        Cancel
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  )
}

function ValueInput({
  id,
  kind,
  col,
  ctx,
  value,
  onChange,
}: {
  id: string
  kind: FilterKind
  col?: ColumnDef
  ctx: RenderContext
  value: string
  onChange: (v: string) => void
}) {
  const common = { id, 'aria-label': 'Value', value, onChange: (e: { target: { value: string } }) => onChange(e.target.value) }
  switch (kind) {
    case 'user':
      return (
        <select {...common}>
          <option value="">Choose a member</option>
          {[...ctx.users.values()]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
        </select>
      )
    case 'team':
      return (
        <select {...common}>
          <option value="">Choose a team</option>
          {[...ctx.teams.values()].map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      )
    case 'stage':
      return (
        <select {...common}>
          <option value="">Choose a stage</option>
          {ctx.pipelines.map((p) => (
            <optgroup key={p.id} label={p.name}>
              {(p.stages ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      )
    case 'pipeline':
      return (
        <select {...common}>
          <option value="">Choose a pipeline</option>
          {ctx.pipelines.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      )
    case 'picklist':
      return (
        <select {...common}>
          <option value="">Choose</option>
          {[...(ctx.picklists.get(col?.filter?.list ?? '') ?? new Map<string, string>())].map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      )
    case 'choice':
    case 'bool':
      return (
        <select {...common}>
          <option value="">Choose</option>
          {(kind === 'bool' ? [{ value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }] : (col?.filter?.choices ?? [])).map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      )
    case 'date':
    case 'time':
      return <input type="date" {...common} />
    case 'money':
      return <input type="text" inputMode="decimal" placeholder={`Amount in ${ctx.currency}`} {...common} />
    case 'number':
      return <input type="number" {...common} />
  }
  return <input type="text" placeholder="Value" {...common} />
}
