// Server state of the record lists, saved views, bulk edits, lead
// conversion and the sales process settings. Pages use these hooks and
// never call fetch themselves.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { call, client, idempotencyKey, ifMatch } from './client'
import type { components } from './schema'

type Schemas = components['schemas']

export type Deal = Schemas['Deal']
export type Account = Schemas['Account']
export type Contact = Schemas['Contact']
export type Lead = Schemas['Lead']
export type Activity = Schemas['Activity']
export type Pipeline = Schemas['Pipeline']
export type Stage = Schemas['Stage']
export type StageInput = Schemas['StageInput']
export type CustomField = Schemas['CustomField']
export type NewCustomField = Schemas['NewCustomField']
export type CustomFieldUpdate = Schemas['CustomFieldUpdate']
export type Picklist = Schemas['Picklist']
export type PicklistValue = Schemas['PicklistValue']
export type ActivityType = Schemas['ActivityType']
export type SavedView = Schemas['SavedView']
export type SavedViewInput = Schemas['SavedViewInput']
export type BulkUpdate = Schemas['BulkUpdate']
export type BulkResult = Schemas['BulkResult']
export type LeadConversion = Schemas['LeadConversion']
export type LeadConversionResult = Schemas['LeadConversionResult']

/** The lists, named as in the API's paths. */
export type Entity = 'deals' | 'accounts' | 'contacts' | 'leads' | 'activities'

/** A row of any list: every record has an id and a version; the rest depends on the list. */
export type Row = { id: number; version: number; custom?: Record<string, unknown> | null } & Record<string, unknown>

export const listKeys = {
  all: ['list'] as const,
  list: (entity: Entity, query: string) => ['list', entity, query] as const,
  entity: (entity: Entity) => ['list', entity] as const,
  views: (entity: Entity) => ['saved-views', entity] as const,
  pipelines: ['pipelines'] as const,
  customFields: ['custom-fields'] as const,
  picklists: ['picklists'] as const,
  activityTypes: ['activity-types'] as const,
  names: (kind: string, ids: readonly number[]) => ['names', kind, ids] as const,
}

const listPath = {
  deals: '/api/v1/deals',
  accounts: '/api/v1/accounts',
  contacts: '/api/v1/contacts',
  leads: '/api/v1/leads',
  activities: '/api/v1/activities',
} as const

/** One page of a list in the API's list syntax (query without paging). */
async function fetchList(entity: Entity, query: string, cursor: string, limit: number) {
  const paging = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
  const qs = query ? `${query}&${paging}` : paging
  const page = await call(client.GET(listPath[entity] as '/api/v1/deals', { querySerializer: () => qs }))
  return page as unknown as { items: Row[]; next_cursor?: string }
}

/** A list, one page after another (infinite scroll), for the filters and sort in query. */
export function useRecordList(entity: Entity, query: string, pageSize = 50) {
  return useInfiniteQuery({
    queryKey: listKeys.list(entity, query),
    queryFn: ({ pageParam, signal }) => {
      void signal
      return fetchList(entity, query, pageParam, pageSize)
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor || undefined,
    placeholderData: (prev) => prev,
  })
}

/** The CSV export of a list with the same filters and sort; a plain link downloads it with the session cookie. */
export function exportURL(entity: Entity, query: string): string {
  return `/api/v1/export/${entity}${query ? `?${query}` : ''}`
}

/**
 * Names of records by id (accounts of deals, say), read with one
 * id[in]=... list call, so a list shows names, not numbers.
 */
export function useNames(kind: 'accounts' | 'contacts' | 'deals', ids: readonly number[]) {
  const sorted = [...new Set(ids)].sort((a, b) => a - b).slice(0, 200)
  return useQuery({
    queryKey: listKeys.names(kind, sorted),
    enabled: sorted.length > 0,
    staleTime: 60_000,
    queryFn: async () => {
      const page = await fetchList(kind, `id[in]=${sorted.join(',')}`, '', 200)
      const out = new Map<number, string>()
      for (const r of page.items) {
        const name =
          (r.name as string | undefined) ?? [r.first_name, r.last_name].filter(Boolean).join(' ').trim()
        out.set(r.id, name || `#${r.id}`)
      }
      return out
    },
  })
}

// Saved views

/** My saved views of a list and the shared ones, by name. */
export function useSavedViews(entity: Entity) {
  return useQuery({
    queryKey: listKeys.views(entity),
    queryFn: async () =>
      (await call(client.GET('/api/v1/saved-views', { params: { query: { entity } } }))).items ?? [],
  })
}

/** useSaveView creates a view, or changes one at the version shown. */
export function useSaveView(entity: Entity) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ view, body }: { view?: SavedView; body: SavedViewInput }) =>
      view
        ? call(
            client.PATCH('/api/v1/saved-views/{id}', {
              params: { path: { id: view.id }, header: { 'If-Match': ifMatch(view.version) } },
              body: { name: body.name, query: body.query, columns: body.columns, shared: body.shared },
            }),
          )
        : call(
            client.POST('/api/v1/saved-views', {
              body,
              params: { header: { 'Idempotency-Key': idempotencyKey() } },
            }),
          ),
    onSuccess: () => qc.invalidateQueries({ queryKey: listKeys.views(entity) }),
  })
}

/** useDeleteView deletes one of my views at the version shown. */
export function useDeleteView(entity: Entity) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (view: SavedView) =>
      call(
        client.DELETE('/api/v1/saved-views/{id}', {
          params: { path: { id: view.id }, header: { 'If-Match': ifMatch(view.version) } },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: listKeys.views(entity) }),
  })
}

// Bulk edits

/** useBulkUpdate changes the owner (or, for deals, the stage) of many records; the result says what happened to each. */
export function useBulkUpdate(entity: Exclude<Entity, 'activities'>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: BulkUpdate) => {
      switch (entity) {
        case 'deals':
          return call(client.POST('/api/v1/deals/bulk-update', { body }))
        case 'accounts':
          return call(client.POST('/api/v1/accounts/bulk-update', { body }))
        case 'contacts':
          return call(client.POST('/api/v1/contacts/bulk-update', { body }))
        case 'leads':
          return call(client.POST('/api/v1/leads/bulk-update', { body }))
      }
    },
    onSettled: () => qc.invalidateQueries({ queryKey: listKeys.entity(entity) }),
  })
}

// Lead conversion

/** useConvertLead converts a lead into an account, a contact and optionally a deal, all or nothing. */
export function useConvertLead() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: LeadConversion }) =>
      call(client.POST('/api/v1/leads/{id}/convert', { params: { path: { id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: listKeys.all }),
  })
}

/** Accounts or contacts whose name, email or domain starts like q, for pickers. */
export function useSearch(q: string, types: string) {
  const term = q.trim()
  return useQuery({
    queryKey: ['search', types, term],
    enabled: term.length >= 2,
    queryFn: async () =>
      (await call(client.GET('/api/v1/search', { params: { query: { q: term, types, limit: 8 } } }))).items ?? [],
  })
}

// The sales process

/** Every pipeline with its stages, the default first. */
export function usePipelines() {
  return useQuery({
    queryKey: listKeys.pipelines,
    queryFn: async () => (await call(client.GET('/api/v1/pipelines'))).items ?? [],
  })
}

/** Custom fields of every record type, retired ones included. */
export function useCustomFields() {
  return useQuery({
    queryKey: listKeys.customFields,
    queryFn: async () => (await call(client.GET('/api/v1/custom-fields'))).items ?? [],
  })
}

/** How many live records fill each custom field (managers and admins), to find fields nobody uses. */
export function useCustomFieldUsage() {
  return useQuery({
    queryKey: [...listKeys.customFields, 'usage'],
    queryFn: async () => (await call(client.GET('/api/v1/custom-fields/usage'))).items ?? [],
    staleTime: 60_000,
  })
}

/** Every picklist with its values, retired ones included. */
export function usePicklists() {
  return useQuery({
    queryKey: listKeys.picklists,
    queryFn: async () => (await call(client.GET('/api/v1/picklists'))).items ?? [],
  })
}

/** The key activity types, retired ones included. */
export function useActivityTypes() {
  return useQuery({
    queryKey: listKeys.activityTypes,
    queryFn: async () => (await call(client.GET('/api/v1/activity-types'))).items ?? [],
  })
}
