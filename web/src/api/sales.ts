// Server state of the selling pages (board, records, search, quick add): one
// hook per API call, with their cache keys. Like queries.ts, pages use these
// and never call fetch themselves.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { call, client, idempotencyKey, ifMatch } from './client'
import type { components } from './schema'

type S = components['schemas']
export type Deal = S['Deal']
export type DealUpdate = S['DealUpdate']
export type Pipeline = S['Pipeline']
export type Stage = S['Stage']
export type Account = S['Account']
export type Contact = S['Contact']
export type Lead = S['Lead']
export type Activity = S['Activity']
export type ActivityType = S['ActivityType']
export type NewActivity = S['NewActivity']
export type TimelineItem = S['TimelineItem']
export type AccountMap = S['AccountMap']
export type ContactRole = S['ContactRole']
export type CustomField = S['CustomField']
export type SearchResult = S['SearchResult']
export type DealTotal = S['DealTotal']

/** The kinds of record with a page of their own. */
export type RecordKind = 'deal' | 'account' | 'contact' | 'lead'

/** The API path segment of a kind: deal → deals. */
export const plural: Record<RecordKind, 'deals' | 'accounts' | 'contacts' | 'leads'> = {
  deal: 'deals',
  account: 'accounts',
  contact: 'contacts',
  lead: 'leads',
}

/** A record of any kind, as the record pages read it. */
export type AnyRecord = Deal | Account | Contact | Lead

/** Query parameters in the list syntax (`close_date[gte]`), which the typed client cannot name. */
type ListParams = Record<string, string | number | undefined>

export const salesKeys = {
  pipelines: ['pipelines'] as const,
  boardDeals: (p: ListParams) => ['deals', 'board', p] as const,
  totals: (p: ListParams) => ['deals', 'totals', p] as const,
  deals: ['deals'] as const,
  record: (kind: RecordKind, id: number) => [plural[kind], id] as const,
  timeline: (kind: RecordKind, id: number) => [plural[kind], id, 'timeline'] as const,
  accountMap: (id: number) => ['accounts', id, 'map'] as const,
  dealContacts: (id: number) => ['deals', id, 'contacts'] as const,
  contactRoles: (id: number) => ['contacts', id, 'roles'] as const,
  related: (kind: string, p: ListParams) => [kind, 'related', p] as const,
  customFields: (entity: RecordKind) => ['custom-fields', entity] as const,
  activityTypes: ['activity-types'] as const,
  picklist: (list: string) => ['picklists', list] as const,
  search: (q: string, types?: string) => ['search', q, types ?? ''] as const,
}

function clean(p: ListParams): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(p)) {
    if (v !== undefined && v !== '') {
      out[k] = v
    }
  }
  return out
}

/** The pipelines with their stages, the default first. */
export function usePipelines() {
  return useQuery({
    queryKey: salesKeys.pipelines,
    queryFn: async () => (await call(client.GET('/api/v1/pipelines'))).items ?? [],
    staleTime: 5 * 60_000,
  })
}

/** The open deals of a board (up to 500, soonest close first), filtered as the board is. */
export function useBoardDeals(filter: ListParams, enabled = true) {
  return useQuery({
    queryKey: salesKeys.boardDeals(filter),
    queryFn: async () =>
      (
        await call(
          client.GET('/api/v1/deals', {
            params: { query: { ...clean(filter), status: 'open', limit: 500, sort: 'close_date' } as never },
          }),
        )
      ).items,
    enabled,
    placeholderData: keepPreviousData,
  })
}

/** Counts and totals by stage and currency of every deal matching the board's filter. */
export function useDealTotals(filter: ListParams, enabled = true) {
  return useQuery({
    queryKey: salesKeys.totals(filter),
    queryFn: async () => (await call(client.GET('/api/v1/deals/totals', { params: { query: clean(filter) as never } }))).items,
    enabled,
    placeholderData: keepPreviousData,
  })
}

/** One record of a kind. */
export function useRecord<T extends AnyRecord>(kind: RecordKind, id: number) {
  return useQuery({
    queryKey: salesKeys.record(kind, id),
    queryFn: async () => (await getRecord(kind, id)) as T,
  })
}

/** getRecord reads one record, for pages and for conflict resolution. */
export async function getRecord(kind: RecordKind, id: number): Promise<AnyRecord> {
  const params = { params: { path: { id } } }
  switch (kind) {
    case 'deal':
      return call(client.GET('/api/v1/deals/{id}', params))
    case 'account':
      return call(client.GET('/api/v1/accounts/{id}', params))
    case 'contact':
      return call(client.GET('/api/v1/contacts/{id}', params))
    case 'lead':
      return call(client.GET('/api/v1/leads/{id}', params))
  }
}

/** patchRecord changes some fields of a record read at version (If-Match); 412 when someone saved first. */
export async function patchRecord(kind: RecordKind, id: number, version: number, body: Record<string, unknown>): Promise<AnyRecord> {
  const params = { path: { id }, header: { 'If-Match': ifMatch(version) } }
  switch (kind) {
    case 'deal':
      return call(client.PATCH('/api/v1/deals/{id}', { params, body: body as never }))
    case 'account':
      return call(client.PATCH('/api/v1/accounts/{id}', { params, body: body as never }))
    case 'contact':
      return call(client.PATCH('/api/v1/contacts/{id}', { params, body: body as never }))
    case 'lead':
      return call(client.PATCH('/api/v1/leads/{id}', { params, body: body as never }))
  }
}

/** A record's timeline, newest first. */
export function useTimeline(kind: RecordKind, id: number) {
  return useQuery({
    queryKey: salesKeys.timeline(kind, id),
    queryFn: async () => {
      const params = { params: { path: { id } } }
      switch (kind) {
        case 'deal':
          return (await call(client.GET('/api/v1/deals/{id}/timeline', params))).items
        case 'account':
          return (await call(client.GET('/api/v1/accounts/{id}/timeline', params))).items
        case 'contact':
          return (await call(client.GET('/api/v1/contacts/{id}/timeline', params))).items
        case 'lead':
          return (await call(client.GET('/api/v1/leads/{id}/timeline', params))).items
      }
    },
  })
}

/** The account map: people by buying role, and open deals without a decision maker flagged. */
export function useAccountMap(id: number) {
  return useQuery({
    queryKey: salesKeys.accountMap(id),
    queryFn: () => call(client.GET('/api/v1/accounts/{id}/map', { params: { path: { id } } })),
  })
}

/** The people with a buying role on a deal. */
export function useDealContacts(id: number) {
  return useQuery({
    queryKey: salesKeys.dealContacts(id),
    queryFn: async () => (await call(client.GET('/api/v1/deals/{id}/contacts', { params: { path: { id } } }))).items,
  })
}

/** A contact's buying roles on accounts and deals. */
export function useContactRoles(id: number) {
  return useQuery({
    queryKey: salesKeys.contactRoles(id),
    queryFn: async () => (await call(client.GET('/api/v1/contacts/{id}/roles', { params: { path: { id } } }))).items,
  })
}

/** Deals of an account (or of a contact as primary contact), newest first. */
export function useRelatedDeals(filter: ListParams) {
  return useQuery({
    queryKey: salesKeys.related('deals', filter),
    queryFn: async () =>
      (await call(client.GET('/api/v1/deals', { params: { query: { ...clean(filter), limit: 50, sort: 'close_date' } as never } })))
        .items,
  })
}

/** Contacts of an account. */
export function useAccountContacts(accountId: number) {
  return useQuery({
    queryKey: salesKeys.related('contacts', { account_id: accountId }),
    queryFn: async () =>
      (await call(client.GET('/api/v1/contacts', { params: { query: { account_id: accountId, limit: 100 } as never } }))).items,
  })
}

/** The live custom fields of a kind of record, in form order. */
export function useCustomFields(entity: RecordKind) {
  return useQuery({
    queryKey: salesKeys.customFields(entity),
    queryFn: async () =>
      (await call(client.GET('/api/v1/custom-fields', { params: { query: { entity_type: entity } } }))).items
        .filter((f) => !f.retired_at)
        .sort((a, b) => a.position - b.position),
    staleTime: 5 * 60_000,
  })
}

/**
 * The key activity types still in use. The cache holds every type, as the
 * settings pages read it under the same key; this view only selects.
 */
export function useActivityTypes() {
  return useQuery({
    queryKey: salesKeys.activityTypes,
    queryFn: async () => (await call(client.GET('/api/v1/activity-types'))).items ?? [],
    select: (ts) => ts.filter((t) => !t.retired_at).sort((a, b) => a.position - b.position),
    staleTime: 5 * 60_000,
  })
}

/** A picklist's active values. */
export function usePicklist(list: string, enabled = true) {
  return useQuery({
    queryKey: salesKeys.picklist(list),
    queryFn: async () =>
      ((await call(client.GET('/api/v1/picklists', { params: { query: { list } } }))).items[0]?.values ?? []).filter(
        (v) => !v.retired_at,
      ),
    enabled,
    staleTime: 5 * 60_000,
  })
}

/** Search the records the member can see; empty text finds nothing. */
export function useSearch(q: string, types?: string) {
  const text = q.trim()
  return useQuery({
    queryKey: salesKeys.search(text, types),
    queryFn: async ({ signal }) =>
      (await call(client.GET('/api/v1/search', { params: { query: { q: text, types, limit: 12 } as never }, signal }))).items,
    enabled: text.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  })
}

/** moveDeal asks the server to move a deal; 422 names unmet exit criteria, 412 a stale version. */
export function moveDeal(deal: Pick<Deal, 'id' | 'version'>, body: S['MoveInput']) {
  return call(
    client.POST('/api/v1/deals/{id}/move', {
      params: { path: { id: deal.id }, header: { 'If-Match': ifMatch(deal.version) } },
      body,
    }),
  )
}

/** logActivity logs a done activity (or plans a task with due_at). */
export function logActivity(body: NewActivity, key = idempotencyKey()) {
  return call(client.POST('/api/v1/activities', { body, params: { header: { 'Idempotency-Key': key } } }))
}

/** useLogActivity logs an activity and refreshes the timelines and deals it touches. */
export function useLogActivity() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ body, key }: { body: NewActivity; key: string }) => logActivity(body, key),
    onSuccess: () =>
      Promise.all(
        ['deals', 'accounts', 'contacts', 'leads'].map((k) => qc.invalidateQueries({ queryKey: [k] })),
      ),
  })
}

/** useAddNote writes a note on a record. */
export function useAddNote(kind: RecordKind, id: number) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: string) => {
      const opts = { params: { path: { id } }, body: { body } }
      switch (kind) {
        case 'deal':
          return call(client.POST('/api/v1/deals/{id}/notes', opts))
        case 'account':
          return call(client.POST('/api/v1/accounts/{id}/notes', opts))
        case 'contact':
          return call(client.POST('/api/v1/contacts/{id}/notes', opts))
        case 'lead':
          return call(client.POST('/api/v1/leads/{id}/notes', opts))
      }
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: [plural[kind], id] }),
  })
}

/** useCreateDeal creates a deal from the essentials. */
export function useCreateDeal() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ body, key }: { body: S['DealInput']; key: string }) =>
      call(client.POST('/api/v1/deals', { body, params: { header: { 'Idempotency-Key': key } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: salesKeys.deals }),
  })
}

/** useCreateContact creates a contact from the essentials. */
export function useCreateContact() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ body, key }: { body: S['ContactInput']; key: string }) =>
      call(client.POST('/api/v1/contacts', { body, params: { header: { 'Idempotency-Key': key } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['contacts'] }),
  })
}

/** The page of a record: /deals/12. */
export function recordPath(kind: string, id: number): string {
  return `/${kind}s/${id}`
}
