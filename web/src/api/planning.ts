// Server state of the dashboards, forecasts and targets: one hook per API
// call, with their cache keys. Like queries.ts, pages use these and never
// call fetch themselves.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { call, client, ifMatch } from './client'
import { finishedQuarter } from '../lib/planner'
import type { components } from './schema'

type S = components['schemas']
export type Period = S['Period']
export type KPI = S['KPI']
export type RepDashboard = S['RepDashboard']
export type TeamDashboard = S['TeamDashboard']
export type CompanyDashboard = S['CompanyDashboard']
export type RepRow = S['RepRow']
export type SystemForecast = S['SystemForecast']
export type ForecastSubmission = S['ForecastSubmission']
export type ForecastPrefill = S['ForecastPrefill']
export type ForecastRollup = S['ForecastRollup']
export type ForecastRow = S['ForecastRow']
export type ForecastInput = S['ForecastInput']
export type ForecastAccuracy = S['ForecastAccuracy']
export type Target = S['Target']
export type TargetInput = S['TargetInput']
export type TargetSplitInput = S['TargetSplitInput']
export type TargetProposal = S['TargetProposal']
export type TargetRollup = S['TargetRollup']
export type PlanningSettings = S['PlanningSettings']

/** A period key ("2026-Q4"), or undefined for the server's default (this quarter). */
type P = string | undefined

export const planningKeys = {
  planning: ['planning'] as const,
  myDashboard: (period: P) => ['dashboards', 'me', period ?? ''] as const,
  repDashboard: (id: number, period: P) => ['dashboards', 'rep', id, period ?? ''] as const,
  teamDashboard: (id: number, period: P) => ['dashboards', 'team', id, period ?? ''] as const,
  companyDashboard: (period: P) => ['dashboards', 'company', period ?? ''] as const,
  dashboards: ['dashboards'] as const,
  forecasts: ['forecasts'] as const,
  prefill: (period: P) => ['forecasts', 'prefill', period ?? ''] as const,
  submissions: (f: Record<string, string | number | undefined>) => ['forecasts', 'list', f] as const,
  teamRollup: (id: number, period: P) => ['forecasts', 'rollup', id, period ?? ''] as const,
  companyRollup: (period: P) => ['forecasts', 'rollup', 'company', period ?? ''] as const,
  accuracy: (f: Record<string, string | number | undefined>) => ['forecasts', 'accuracy', f] as const,
  system: (f: Record<string, string | number | undefined>) => ['forecasts', 'system', f] as const,
  targets: ['targets'] as const,
  targetList: (f: Record<string, string | number | undefined>) => ['targets', 'list', f] as const,
  targetRollup: (teamId: number | undefined, period: P) => ['targets', 'rollup', teamId ?? 0, period ?? ''] as const,
}

/** The workspace's fiscal year start month and planning currency, with the periods around today (the server's keys). */
export function usePlanning() {
  return useQuery({
    queryKey: planningKeys.planning,
    queryFn: () => call(client.GET('/api/v1/planning')),
    staleTime: 10 * 60_000,
  })
}

/** My home dashboard for a period. */
export function useMyDashboard(period: P) {
  return useQuery({
    queryKey: planningKeys.myDashboard(period),
    queryFn: () => call(client.GET('/api/v1/dashboards/me', { params: { query: { period } } })),
    placeholderData: keepPreviousData,
  })
}

/** A rep's dashboard (the rep, their managers, admins). */
export function useRepDashboard(id: number, period: P) {
  return useQuery({
    queryKey: planningKeys.repDashboard(id, period),
    queryFn: () => call(client.GET('/api/v1/users/{id}/dashboard', { params: { path: { id }, query: { period } } })),
    placeholderData: keepPreviousData,
  })
}

/** A team's view: a row per rep and the total. */
export function useTeamDashboard(id: number | undefined, period: P) {
  return useQuery({
    queryKey: planningKeys.teamDashboard(id ?? 0, period),
    queryFn: () => call(client.GET('/api/v1/teams/{id}/dashboard', { params: { path: { id: id ?? 0 }, query: { period } } })),
    enabled: id !== undefined,
    placeholderData: keepPreviousData,
  })
}

/** The company view (admins). */
export function useCompanyDashboard(period: P, enabled = true) {
  return useQuery({
    queryKey: planningKeys.companyDashboard(period),
    queryFn: () => call(client.GET('/api/v1/dashboards/company', { params: { query: { period } } })),
    enabled,
    placeholderData: keepPreviousData,
  })
}

/** What my deals say for a period: the pre-fill of my forecast. */
export function useMyPrefill(period: P) {
  return useQuery({
    queryKey: planningKeys.prefill(period),
    queryFn: () => call(client.GET('/api/v1/forecasts/prefill', { params: { query: { period } } })),
  })
}

/** Forecast submissions (every one is kept), oldest first. */
export function useSubmissions(f: { period?: string; scope?: string; user_id?: number; team_id?: number }) {
  return useQuery({
    queryKey: planningKeys.submissions(f),
    queryFn: async () =>
      (
        await call(
          client.GET('/api/v1/forecasts', {
            params: {
              query: {
                period: f.period,
                scope: f.scope,
                user_id: f.user_id,
                team_id: f.team_id,
              },
            },
          }),
        )
      ).items,
  })
}

/** A team's forecast roll-up: each rep's and sub-team's latest, the sum and the manager's call. */
export function useTeamRollup(id: number | undefined, period: P) {
  return useQuery({
    queryKey: planningKeys.teamRollup(id ?? 0, period),
    queryFn: () => call(client.GET('/api/v1/teams/{id}/forecast', { params: { path: { id: id ?? 0 }, query: { period } } })),
    enabled: id !== undefined,
  })
}

/** The company's forecast roll-up (admins). */
export function useCompanyRollup(period: P, enabled = true) {
  return useQuery({
    queryKey: planningKeys.companyRollup(period),
    queryFn: () => call(client.GET('/api/v1/forecasts/rollup', { params: { query: { period } } })),
    enabled,
  })
}

/** Forecast accuracy over the quarters ending with period, for a rep, a team or all I may see. */
export function useAccuracy(f: { period?: string; quarters?: number; user_id?: number; team_id?: number }, enabled = true) {
  return useQuery({
    queryKey: planningKeys.accuracy(f),
    queryFn: () =>
      call(
        client.GET('/api/v1/forecasts/accuracy', {
          params: {
            query: {
              period: f.period,
              quarters: f.quarters === undefined ? undefined : String(f.quarters),
              user_id: f.user_id,
              team_id: f.team_id,
            },
          },
        }),
      ),
    enabled,
  })
}

/** useSubmitForecast submits my forecast, or a manager's team call or an admin's company call. */
export function useSubmitForecast() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: ForecastInput) => call(client.POST('/api/v1/forecasts', { body })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: planningKeys.forecasts })
      void qc.invalidateQueries({ queryKey: planningKeys.dashboards })
    },
  })
}

/** Targets I may see, filtered. */
export function useTargets(f: { period?: string; kind?: string; scope?: string; team_id?: number; user_id?: number; status?: string }) {
  return useQuery({
    queryKey: planningKeys.targetList(f),
    queryFn: async () =>
      (
        await call(
          client.GET('/api/v1/targets', {
            params: {
              query: {
                period: f.period,
                kind: f.kind,
                scope: f.scope,
                status: f.status,
                team_id: f.team_id,
                user_id: f.user_id,
              },
            },
          }),
        )
      ).items,
  })
}

function useTargetMutation<T, R>(fn: (v: T) => Promise<R>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: planningKeys.targets })
      void qc.invalidateQueries({ queryKey: planningKeys.dashboards })
    },
  })
}

/** useSetTarget sets one target top-down. */
export function useSetTarget() {
  return useTargetMutation((body: TargetInput) => call(client.PUT('/api/v1/targets', { body })))
}

/** useSplitTarget sets a company or team target and splits it among teams or reps. */
export function useSplitTarget() {
  return useTargetMutation((body: TargetSplitInput) => call(client.POST('/api/v1/targets/split', { body })))
}

/** useProposeTarget proposes my own target bottom-up. */
export function useProposeTarget() {
  return useTargetMutation((body: TargetProposal) => call(client.POST('/api/v1/targets/proposals', { body })))
}

/** useApproveTarget approves a proposal as proposed, or adjusted with a reason. */
export function useApproveTarget() {
  return useTargetMutation(({ target, amount, reason }: { target: Target; amount?: number; reason?: string }) =>
    call(
      client.POST('/api/v1/targets/{id}/approve', {
        params: { path: { id: target.id }, header: { 'If-Match': ifMatch(target.version) } },
        body: { amount, reason },
      }),
    ),
  )
}

export type PlanningView = S['PlanningView']
export type FunnelPlan = S['FunnelPlan']
export type TeamFunnelPlan = S['TeamFunnelPlan']
export type PlanStep = S['PlanStep']
export type Ramp = S['Ramp']
export type RampInput = S['RampInput']
export type KPISettings = S['KPISettings']
export type KPIDefinition = S['KPIDefinition']

export const plannerKeys = {
  funnel: (f: Record<string, string | number | undefined>) => ['funnel-plan', f] as const,
  teamFunnel: (teamId: number, period: string) => ['funnel-plan', 'team', teamId, period] as const,
  ramp: (userId: number) => ['ramp', userId] as const,
  kpiSettings: ['kpi-settings'] as const,
  kpiDefinitions: ['kpi-definitions'] as const,
}

/** How many leads and deals at each stage a rep needs, and by when, to reach a target (theirs by default). */
export function useFunnelPlan(f: { period?: string; user_id?: number; target?: number }, enabled = true) {
  return useQuery({
    queryKey: plannerKeys.funnel(f),
    queryFn: () =>
      call(
        client.GET('/api/v1/funnel-plan', {
          params: { query: { period: f.period, user_id: f.user_id, target: f.target === undefined ? undefined : String(f.target) } },
        }),
      ),
    enabled,
    retry: false,
    placeholderData: keepPreviousData,
  })
}

/** Every member's funnel plan of a team, in one request; members without a target say why. */
export function useTeamFunnelPlan(teamId: number, period: string) {
  return useQuery({
    queryKey: plannerKeys.teamFunnel(teamId, period),
    queryFn: () => call(client.GET('/api/v1/teams/{id}/funnel-plan', { params: { path: { id: teamId }, query: { period } } })),
    placeholderData: keepPreviousData,
  })
}

/** A rep's ramp schedule. */
export function useRamp(userId: number | undefined) {
  return useQuery({
    queryKey: plannerKeys.ramp(userId ?? 0),
    queryFn: () => call(client.GET('/api/v1/users/{id}/ramp', { params: { path: { id: userId ?? 0 } } })),
    enabled: userId !== undefined,
    retry: false,
  })
}

/** useSetRamp sets a rep's ramp; targets set from then on apply it. */
export function useSetRamp() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ userId, body }: { userId: number; body: RampInput }) =>
      call(client.PUT('/api/v1/users/{id}/ramp', { params: { path: { id: userId } }, body })),
    onSuccess: (_, v) => {
      void qc.invalidateQueries({ queryKey: plannerKeys.ramp(v.userId) })
    },
  })
}

/** Every KPI, with whether it takes a goal: the server says which. */
export function useKPIDefinitions() {
  return useQuery({
    queryKey: plannerKeys.kpiDefinitions,
    queryFn: async () => (await call(client.GET('/api/v1/kpi-definitions'))).items,
    staleTime: 60 * 60_000,
  })
}

/** The workspace's KPI settings: coverage threshold, stalled days, goals. */
export function useKPISettings() {
  return useQuery({
    queryKey: plannerKeys.kpiSettings,
    queryFn: () => call(client.GET('/api/v1/kpi-settings')),
  })
}

/** useSetKPISettings replaces the KPI settings at the version the form was opened with. */
export function useSetKPISettings() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: KPISettings) =>
      call(client.PUT('/api/v1/kpi-settings', { params: { header: { 'If-Match': ifMatch(body.version) } }, body })),
    onSuccess: (data) => {
      qc.setQueryData(plannerKeys.kpiSettings, data)
      void qc.invalidateQueries({ queryKey: planningKeys.dashboards })
    },
  })
}

/**
 * Forecast accuracy over the quarters up to the last one that ended (the
 * chosen period when it has ended): a running quarter is measured against
 * what is won so far, which is not yet an accuracy. `last` is that quarter.
 */
export function useEndedAccuracy(f: { period?: string; quarters: number; user_id?: number; team_id?: number }, enabled = true) {
  const planning = usePlanning()
  const last = planning.data ? finishedQuarter(planning.data.quarters ?? [], planning.data.today ?? '', f.period) : undefined
  const accuracy = useAccuracy({ ...f, period: last }, enabled && last !== undefined)
  return { accuracy, last, ready: planning.data !== undefined }
}
