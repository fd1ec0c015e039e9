import { useEffect, useMemo, useRef, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { ApiError, formErrors } from '../../api/problem'
import { useTeams, useUsers } from '../../api/queries'
import {
  exportURL,
  useActivityTypes,
  useCustomFields,
  useNames,
  usePicklists,
  usePipelines,
  useRecordList,
  useSavedViews,
  type Entity,
  type Row,
  type SavedView,
} from '../../api/lists'
import { PageHeader } from '../../components/PageHeader'
import { Alert, EmptyState, ErrorState, Loading } from '../../components/States'
import { plural } from '../../lib/format'
import { nextSort, parseQuery, sameQuery, toQuery, type ListState } from '../../lib/listQuery'
import { BulkBar } from './BulkBar'
import { ColumnPicker } from './ColumnPicker'
import { ConvertLeadDialog } from './ConvertLeadDialog'
import { customColumns, entities, type ColumnDef, type RenderContext } from './entities'
import { FilterBar } from './FilterBar'
import { ViewMenu } from './ViewMenu'
import './lists.css'

/**
 * ListPage is the list of one kind of record: filters, sort and columns
 * live in the address bar (so a list can be bookmarked and shared), saved
 * views keep them on the server, rows load page after page as you scroll.
 */
export function ListPage({ entity }: { entity: Entity }) {
  const def = entities[entity]
  const [params, setParams] = useSearchParams()
  const state = useMemo(() => parseQuery(params.toString()), [params])
  const query = toQuery(state)
  const viewId = Number(params.get('view')) || undefined
  const views = useSavedViews(entity)
  const view = views.data?.find((v) => v.id === viewId)
  const colsParam = params.get('cols')
  const columnKeys = colsParam ? colsParam.split(',').filter(Boolean) : (view?.columns?.length ? view.columns : def.defaultColumns)

  const users = useUsers()
  const teams = useTeams()
  const pipelines = usePipelines()
  const fields = useCustomFields()
  const picklists = usePicklists()
  const activityTypes = useActivityTypes()
  const list = useRecordList(entity, query)
  const [selected, setSelected] = useState<Set<number>>(new Set())
  const [converting, setConverting] = useState<Row | null>(null)

  // A different list (new filters) starts with nothing selected.
  useEffect(() => setSelected(new Set()), [entity, query])

  const allColumns: ColumnDef[] = useMemo(
    () => [...def.columns, ...customColumns(fields.data ?? [], def.customType)],
    [def, fields.data],
  )
  const columns = columnKeys.map((k) => allColumns.find((c) => c.key === k)).filter((c): c is ColumnDef => !!c)
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data])
  const accountIds = columnKeys.includes('account_id') ? rows.map((r) => r.account_id).filter((x): x is number => typeof x === 'number') : []
  const accountNames = useNames('accounts', accountIds)
  const dealIds = columnKeys.includes('deal_id') ? rows.map((r) => r.deal_id).filter((x): x is number => typeof x === 'number') : []
  const dealNames = useNames('deals', dealIds)

  const ctx: RenderContext = useMemo(() => {
    const stages: RenderContext['stages'] = new Map()
    for (const p of pipelines.data ?? []) {
      for (const s of p.stages ?? []) {
        stages.set(s.id, { ...s, pipeline: p.name })
      }
    }
    return {
      users: new Map((users.data ?? []).map((u) => [u.id, u])),
      teams: new Map((teams.data ?? []).map((t) => [t.id, t])),
      stages,
      pipelines: pipelines.data ?? [],
      names: new Map([
        ['accounts', accountNames.data ?? new Map<number, string>()],
        ['deals', dealNames.data ?? new Map<number, string>()],
      ]),
      picklists: new Map([
        ...(picklists.data ?? []).map((l) => [l.list, new Map((l.values ?? []).map((v) => [v.value, v.label]))] as const),
        ['activity_type', new Map((activityTypes.data ?? []).map((t) => [t.key, t.name]))] as const,
      ]),
      currency: 'USD',
    }
  }, [users.data, teams.data, pipelines.data, accountNames.data, dealNames.data, picklists.data, activityTypes.data])

  /** Replaces the list state (and optionally view and columns) in the address bar. */
  const go = (next: ListState, opts: { view?: SavedView | null; cols?: string[] | null } = {}) => {
    const p = new URLSearchParams(toQuery(next))
    const v = opts.view === undefined ? view : opts.view
    if (v) {
      p.set('view', String(v.id))
    }
    const cols = opts.cols === undefined ? colsParam?.split(',') : opts.cols
    if (cols && cols.length > 0) {
      p.set('cols', cols.join(','))
    }
    setParams(p, { replace: opts.view === undefined && opts.cols === undefined })
  }

  const openView = (v: SavedView | null) => {
    if (!v) {
      go({ filters: [] }, { view: null, cols: null })
      return
    }
    go(parseQuery(v.query), { view: v, cols: null })
  }

  const changed = view ? !sameQuery(state, parseQuery(view.query)) || (colsParam !== null && colsParam !== (view.columns ?? []).join(',')) : false
  const sorter = (c: ColumnDef) => c.sort && (() => go({ ...state, sort: nextSort(state.sort, c.sort!) }))
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id))
  const toggle = (id: number) =>
    setSelected((s) => {
      const n = new Set(s)
      if (n.has(id)) {
        n.delete(id)
      } else {
        n.add(id)
      }
      return n
    })
  const bulk = def.bulk.length > 0

  // Infinite scroll: the next page loads when the end of the table comes into view.
  const sentinel = useRef<HTMLDivElement>(null)
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list
  useEffect(() => {
    const el = sentinel.current
    if (!el || !hasNextPage || typeof IntersectionObserver === 'undefined') {
      return
    }
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) {
        void fetchNextPage()
      }
    }, { rootMargin: '400px' })
    io.observe(el)
    return () => io.disconnect()
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, rows.length])

  return (
    <div className="list-page">
      <PageHeader
        title={view ? view.name : def.title}
        description={view ? `${def.title} · saved view${view.shared ? ', shared with the workspace' : ''}` : def.description}
        actions={
          <>
            {entity !== 'activities' && (
              <Link className="button" to={`/import?kind=${entity}`}>
                Import
              </Link>
            )}
            <a className="button" href={exportURL(entity, query)} download>
              Export CSV
            </a>
          </>
        }
      />
      <div className="list-toolbar">
        <ViewMenu entity={entity} views={views.data ?? []} current={view} changed={changed} state={state} columns={columnKeys} onOpen={openView} />
        {def.presets && (
          <div className="presets" role="group" aria-label="Quick filters">
            {def.presets.map((p) => {
              const on = sameQuery(state, parseQuery(p.query))
              return (
                <button
                  key={p.label}
                  type="button"
                  className={on ? 'preset is-on' : 'preset'}
                  aria-pressed={on}
                  onClick={() => go(on ? { filters: [] } : parseQuery(p.query), { view: null })}
                >
                  {p.label}
                </button>
              )
            })}
          </div>
        )}
        <ColumnPicker
          columns={allColumns}
          chosen={columnKeys}
          onChange={(cols) => go(state, { cols })}
          onReset={() => go(state, { cols: null })}
        />
      </div>
      <FilterBar def={def} state={state} ctx={ctx} columns={allColumns} onChange={(s) => go(s)} />
      {bulk && (
        <BulkBar
          def={def}
          ids={[...selected]}
          rows={rows}
          ctx={ctx}
          onDone={() => setSelected(new Set())}
          onClear={() => setSelected(new Set())}
        />
      )}
      {list.isPending ? (
        <Loading label={`Loading ${def.title.toLowerCase()}…`} />
      ) : list.isError ? (
        list.error instanceof ApiError && list.error.status === 422 ? (
          <Alert
            kind="warning"
            action={
              <button type="button" className="button" onClick={() => go({ filters: [] }, { view: null })}>
                Clear the filters
              </button>
            }
          >
            This list cannot be shown with these filters. {formErrors(list.error, []).form}
          </Alert>
        ) : (
          <ErrorState error={list.error} retry={() => list.refetch()} />
        )
      ) : rows.length === 0 ? (
        state.filters.length > 0 ? (
          <EmptyState
            title={`No ${def.title.toLowerCase()} match these filters`}
            action={
              <button type="button" className="button" onClick={() => go({ ...state, filters: [] })}>
                Clear the filters
              </button>
            }
          >
            Loosen or remove a filter to see more.
          </EmptyState>
        ) : (
          <EmptyState
            title={`No ${def.title.toLowerCase()} yet`}
            action={
              entity !== 'activities' ? (
                <Link className="button button-primary" to={`/import?kind=${entity}`}>
                  Import {def.title.toLowerCase()} from CSV
                </Link>
              ) : undefined
            }
          >
            {def.title} you create, or that are shared with you, appear here.
          </EmptyState>
        )
      ) : (
        <>
          <div className={list.isFetching && !list.isFetchingNextPage ? 'table-wrap list-table is-refreshing' : 'table-wrap list-table'}>
            <table className="table table-compact">
              <thead>
                <tr>
                  {bulk && (
                    <th scope="col" className="col-check">
                      <input
                        type="checkbox"
                        aria-label={allSelected ? 'Select none' : `Select all ${rows.length} shown`}
                        checked={allSelected}
                        onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
                      />
                    </th>
                  )}
                  {columns.map((c) => {
                    const sorted = c.sort && state.sort?.field === c.sort ? (state.sort.desc ? 'descending' : 'ascending') : undefined
                    const onSort = sorter(c)
                    return (
                      <th key={c.key} scope="col" aria-sort={sorted} className={c.numeric ? 'num' : undefined} title={c.title}>
                        {onSort ? (
                          <button type="button" className="sort-button" onClick={onSort}>
                            {c.label}
                            <span className="sort-mark" aria-hidden="true">
                              {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '↕'}
                            </span>
                          </button>
                        ) : (
                          c.label
                        )}
                      </th>
                    )
                  })}
                  {entity === 'leads' && (
                    <th scope="col" className="col-actions">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} className={selected.has(r.id) ? 'is-selected' : undefined}>
                    {bulk && (
                      <td className="col-check">
                        <input
                          type="checkbox"
                          aria-label={`Select ${rowLabel(r, columns, ctx)}`}
                          checked={selected.has(r.id)}
                          onChange={() => toggle(r.id)}
                        />
                      </td>
                    )}
                    {columns.map((c, i) => (
                      <td key={c.key} className={c.numeric ? 'num' : undefined}>
                        {i === 0 && def.href ? (
                          <Link className="row-link" to={def.href(r)}>
                            {c.render(r, ctx) || <span className="muted">Untitled</span>}
                          </Link>
                        ) : (
                          c.render(r, ctx)
                        )}
                      </td>
                    ))}
                    {entity === 'leads' && (
                      <td className="col-actions">
                        {r.converted_at ? (
                          <span className="muted small">Converted</span>
                        ) : (
                          <button type="button" className="button button-small" onClick={() => setConverting(r)}>
                            Convert<span className="visually-hidden"> {rowLabel(r, columns, ctx)}</span>
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="list-foot" ref={sentinel}>
            <span className="muted">
              {plural(rows.length, def.one)} shown{list.hasNextPage ? '; more below' : ''}
            </span>
            {list.hasNextPage && (
              <button type="button" className="button" disabled={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
                {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
            {list.isFetchNextPageError && <Alert>The next rows could not be loaded. Try “Load more” again.</Alert>}
          </div>
        </>
      )}
      {converting && <ConvertLeadDialog lead={converting} onClose={() => setConverting(null)} />}
    </div>
  )
}

function rowLabel(r: Row, columns: ColumnDef[], ctx: RenderContext): string {
  const v = columns[0]?.render(r, ctx)
  return typeof v === 'string' && v ? v : `#${r.id}`
}
