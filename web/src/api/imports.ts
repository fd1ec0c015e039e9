// Server state of CSV imports: upload, the guessed mapping, dry runs, the
// rejected rows and the run itself.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { call, client } from './client'
import { listKeys } from './lists'
import type { components } from './schema'

type Schemas = components['schemas']
export type Import = Schemas['Import']
export type ImportOptions = Schemas['ImportOptions']
export type ImportPreview = Schemas['ImportPreview']
export type ImportRejection = Schemas['ImportRejection']
export type ImportField = Schemas['ImportField']

export const importKeys = {
  one: (id: number) => ['imports', id] as const,
  rejections: (id: number, run: string) => ['imports', id, 'rejections', run] as const,
}

/** useUploadImport sends a CSV file as is (text/csv) and answers the preview with the guessed mapping. */
export function useUploadImport() {
  return useMutation({
    mutationFn: ({ file, kind, mode, matchBy }: { file: File; kind: string; mode: string; matchBy?: string }) =>
      call(
        client.POST('/api/v1/imports', {
          params: { query: { kind, file_name: file.name, mode, match_by: matchBy || undefined } },
          body: file as never,
          bodySerializer: (b: unknown) => b as BodyInit,
          headers: { 'Content-Type': 'text/csv' },
        }),
      ),
  })
}

/** useUpdateImport replaces an import's options (the mapping above all) and answers the new preview. */
export function useUpdateImport() {
  return useMutation({
    mutationFn: ({ id, options }: { id: number; options: ImportOptions }) =>
      call(client.PATCH('/api/v1/imports/{id}', { params: { path: { id } }, body: options })),
  })
}

/** useRunImport runs an import, or a dry run that writes nothing; large files are queued (poll useImport). */
export function useRunImport() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, dryRun }: { id: number; dryRun: boolean }) =>
      dryRun
        ? call(client.POST('/api/v1/imports/{id}/dry-run', { params: { path: { id } } }))
        : call(client.POST('/api/v1/imports/{id}/run', { params: { path: { id } } })),
    onSuccess: (x, { dryRun }) => {
      qc.setQueryData(importKeys.one(x.id), x)
      if (!dryRun) {
        void qc.invalidateQueries({ queryKey: listKeys.all })
      }
    },
  })
}

/** An import, polled every second while it is queued or running. */
export function useImport(id: number | undefined) {
  return useQuery({
    queryKey: importKeys.one(id ?? 0),
    enabled: id !== undefined,
    queryFn: () => call(client.GET('/api/v1/imports/{id}', { params: { path: { id: id! } } })),
    refetchInterval: (q) => (q.state.data && ['queued', 'running'].includes(q.state.data.status) ? 1000 : false),
  })
}

/** The rows the last run of an import refused (the first 200). run names the run, so a new run reads afresh. */
export function useRejections(id: number | undefined, run: string) {
  return useQuery({
    queryKey: importKeys.rejections(id ?? 0, run),
    enabled: id !== undefined && run !== '',
    queryFn: async () =>
      (await call(client.GET('/api/v1/imports/{id}/rejections', { params: { path: { id: id! }, query: { limit: 200 } } })))
        .items ?? [],
  })
}
