// Server state: one query or mutation hook per API call, with the cache keys
// they share. Pages use these and never call fetch themselves.
import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query'
import { call, client, ifMatch } from './client'
import { ApiError, isUnauthenticated } from './problem'
import type { NewToken, NewUser, SessionInfo, SessionResponse, Team, TeamInput, User, UserUpdate } from './types'

/** Cache keys, in one place so invalidation matches what is cached. */
export const keys = {
  session: ['session'] as const,
  users: ['users'] as const,
  teams: ['teams'] as const,
  tokens: ['tokens'] as const,
  audit: (f: AuditFilter) => ['audit', f] as const,
  auditAll: ['audit'] as const,
}

// Session

/**
 * asSession checks that a session response names the member and workspace;
 * the schema allows null (they are pointers in Go), the server always sets
 * them for a signed-in member.
 */
function asSession(info: SessionResponse): SessionInfo {
  const { user, workspace } = info
  if (!user || !workspace) {
    throw new ApiError(500, undefined, 'The session response names no member or workspace.')
  }
  return { ...info, user, workspace }
}

/** The signed-in member and workspace, or null when nobody is signed in. */
export function useSession() {
  return useQuery({
    queryKey: keys.session,
    queryFn: async (): Promise<SessionInfo | null> => {
      try {
        return asSession(await call(client.GET('/api/v1/session')))
      } catch (err) {
        if (isUnauthenticated(err)) {
          return null
        }
        throw err
      }
    },
    staleTime: 5 * 60_000,
  })
}

/** useSignIn opens a session; on success the session query holds the new member. */
export function useSignIn() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (body: { email: string; password: string }) =>
      asSession(await call(client.POST('/api/v1/session', { body }))),
    onSuccess: (info) => {
      // A different person may have been signed in before: drop their data.
      qc.clear()
      qc.setQueryData(keys.session, info)
    },
  })
}

/** useSignOut ends the session and forgets every cached record. */
export function useSignOut() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => call(client.DELETE('/api/v1/session')),
    onSuccess: () => signedOut(qc),
  })
}

/** signedOut forgets everything cached and marks the session as ended. */
export function signedOut(qc: QueryClient) {
  qc.clear()
  qc.setQueryData(keys.session, null)
}

// Members

/** The workspace's members. */
export function useUsers() {
  return useQuery({
    queryKey: keys.users,
    queryFn: async () => (await call(client.GET('/api/v1/users'))).items,
  })
}

/** useCreateUser adds a member; key makes a retried submit create them once. */
export function useCreateUser() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ body, key }: { body: NewUser; key: string }) =>
      call(client.POST('/api/v1/users', { body, params: { header: { 'Idempotency-Key': key } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.users }),
  })
}

/**
 * useUpdateUser changes a member, but only if they are still at the version
 * the page showed (If-Match); otherwise the server answers 412.
 */
export function useUpdateUser() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ user, update }: { user: User; update: UserUpdate }) =>
      call(
        client.PATCH('/api/v1/users/{id}', {
          params: { path: { id: user.id }, header: { 'If-Match': ifMatch(user.version) } },
          body: update,
        }),
      ),
    onSuccess: (updated, { user }) => {
      qc.setQueryData<User[]>(keys.users, (old) => old?.map((u) => (u.id === user.id ? updated : u)))
      return Promise.all([
        qc.invalidateQueries({ queryKey: keys.users }),
        qc.invalidateQueries({ queryKey: keys.session }),
      ])
    },
  })
}

// Teams

/** The workspace's teams. */
export function useTeams() {
  return useQuery({
    queryKey: keys.teams,
    queryFn: async () => (await call(client.GET('/api/v1/teams'))).items,
  })
}

/** useSaveTeam creates a team, or replaces one at the version the form was opened with. */
export function useSaveTeam() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ team, body, key }: { team?: Team; body: TeamInput; key: string }) =>
      team
        ? call(
            client.PUT('/api/v1/teams/{id}', {
              params: { path: { id: team.id }, header: { 'If-Match': ifMatch(team.version) } },
              body,
            }),
          )
        : call(client.POST('/api/v1/teams', { body, params: { header: { 'Idempotency-Key': key } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.teams }),
  })
}

/** useDeleteTeam deletes a team with no sub-teams, at the version shown. */
export function useDeleteTeam() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (team: Team) =>
      call(
        client.DELETE('/api/v1/teams/{id}', {
          params: { path: { id: team.id }, header: { 'If-Match': ifMatch(team.version) } },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.teams }),
  })
}

// API tokens

/** The signed-in member's API tokens. */
export function useTokens() {
  return useQuery({
    queryKey: keys.tokens,
    queryFn: async () => (await call(client.GET('/api/v1/tokens'))).items,
  })
}

/**
 * useCreateToken creates a token; the response is the only place its secret
 * appears. (Token creation takes no Idempotency-Key: a replay would have to
 * store the secret.)
 */
export function useCreateToken() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: NewToken) => call(client.POST('/api/v1/tokens', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.tokens }),
  })
}

/** useRevokeToken revokes one of the member's tokens. */
export function useRevokeToken() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: number) => call(client.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.tokens }),
  })
}

// Audit log

/** AuditFilter narrows the audit log; empty fields match everything. */
export interface AuditFilter {
  entity_type?: string
  actor_id?: number
}

/** The audit log newest first, one page at a time, following the server's cursor. */
export function useAudit(filter: AuditFilter, pageSize = 50) {
  return useInfiniteQuery({
    queryKey: keys.audit(filter),
    queryFn: ({ pageParam }) =>
      call(
        client.GET('/api/v1/audit', {
          params: { query: { ...filter, limit: pageSize, cursor: pageParam || undefined } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor || undefined,
  })
}

