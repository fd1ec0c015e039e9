// A list's filters and sort in the API's list syntax (`field[op]=value`,
// `sort=-field`), the one syntax of the API, the CLI, exports and saved
// views. The page keeps its state here and in the address bar.

/** The filter operators the API knows. */
export type FilterOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'prefix' | 'null'

export const filterOps: readonly FilterOp[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'prefix', 'null']

/** One condition: field, operator and the value as the API takes it. */
export interface Filter {
  field: string
  op: FilterOp
  value: string
}

/** A list's sort; ties are broken by id on the server. */
export interface Sort {
  field: string
  desc: boolean
}

/** ListState is what a view of a list is: filters and sort. */
export interface ListState {
  filters: Filter[]
  sort?: Sort
}

/** The words for each operator, as people read them. */
export const opLabels: Record<FilterOp, string> = {
  eq: 'is',
  ne: 'is not',
  lt: 'before / below',
  lte: 'on or before / at most',
  gt: 'after / above',
  gte: 'on or after / at least',
  in: 'is any of',
  prefix: 'starts with',
  null: 'is empty',
}

// Parameters that page through a list, or belong to the page showing it
// (the saved view open, the columns chosen), rather than filter it.
const reserved = new Set(['sort', 'limit', 'cursor', 'q', 'format', 'view', 'cols'])

/** The query string of a state, without "?": `amount[gte]=100&sort=-amount`. Stable order. */
export function toQuery(state: ListState): string {
  const parts: string[] = []
  for (const f of state.filters) {
    if (f.field === '' || (f.value === '' && f.op !== 'null')) {
      continue
    }
    const key = f.op === 'eq' ? f.field : `${f.field}[${f.op}]`
    parts.push(`${encodeKey(key)}=${encodeURIComponent(f.op === 'null' ? f.value || 'true' : f.value)}`)
  }
  if (state.sort?.field) {
    parts.push(`sort=${state.sort.desc ? '-' : ''}${encodeURIComponent(state.sort.field)}`)
  }
  return parts.join('&')
}

// Brackets stay readable in the address bar; the server accepts both forms.
function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%5B/gi, '[').replace(/%5D/gi, ']')
}

/** Reads a query string (with or without "?") back into a state; paging parameters are ignored. */
export function parseQuery(query: string): ListState {
  const params = new URLSearchParams(query.replace(/^\?/, ''))
  const state: ListState = { filters: [] }
  for (const [key, value] of params) {
    const m = /^([^[\]]+)(?:\[([a-z]+)\])?$/.exec(key)
    if (!m) {
      continue
    }
    const field = m[1]
    if (field === 'sort') {
      state.sort = value ? { field: value.replace(/^-/, ''), desc: value.startsWith('-') } : undefined
      continue
    }
    if (reserved.has(field)) {
      continue
    }
    const op = (m[2] ?? 'eq') as FilterOp
    if (!filterOps.includes(op)) {
      continue
    }
    state.filters.push({ field, op, value })
  }
  return state
}

/** Reports whether two states ask for the same list. */
export function sameQuery(a: ListState, b: ListState): boolean {
  return canonical(a) === canonical(b)
}

function canonical(s: ListState): string {
  return toQuery(s).split('&').sort().join('&')
}

/** The state with the filter at index i replaced (or removed when f is null). */
export function withFilter(state: ListState, i: number, f: Filter | null): ListState {
  const filters = [...state.filters]
  if (f === null) {
    filters.splice(i, 1)
  } else if (i >= filters.length) {
    filters.push(f)
  } else {
    filters[i] = f
  }
  return { ...state, filters }
}

/** The next sort when a column header is clicked: ascending, then descending, then the list's default. */
export function nextSort(current: Sort | undefined, field: string): Sort | undefined {
  if (current?.field !== field) {
    return { field, desc: false }
  }
  return current.desc ? undefined : { field, desc: true }
}
