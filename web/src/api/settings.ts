// Mutations of the sales process settings: pipelines and stages, custom
// fields, picklists and activity types (admins; the server checks).
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { call, client, idempotencyKey, ifMatch } from './client'
import { listKeys, type CustomField, type NewCustomField, type Pipeline, type StageInput } from './lists'
import type { components } from './schema'

type Schemas = components['schemas']
export type PipelineInput = Schemas['PipelineInput']
export type PipelineUpdate = Schemas['PipelineUpdate']
export type CustomFieldUpdate = Schemas['CustomFieldUpdate']
export type PicklistValueUpdate = Schemas['PicklistValueUpdate']
export type ActivityTypeUpdate = Schemas['ActivityTypeUpdate']

/** useCreatePipeline creates a pipeline with its stages. */
export function useCreatePipeline() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: PipelineInput) =>
      call(client.POST('/api/v1/pipelines', { body, params: { header: { 'Idempotency-Key': idempotencyKey() } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: listKeys.pipelines }),
  })
}

/** useUpdatePipeline renames, makes default, allows overrides or archives a pipeline at the version shown. */
export function useUpdatePipeline() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ pipeline, body }: { pipeline: Pipeline; body: PipelineUpdate }) =>
      call(
        client.PATCH('/api/v1/pipelines/{id}', {
          params: { path: { id: pipeline.id }, header: { 'If-Match': ifMatch(pipeline.version) } },
          body,
        }),
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: listKeys.pipelines }),
  })
}

/** useReplaceStages saves a pipeline's ordered stages as a new version. */
export function useReplaceStages() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ pipeline, stages }: { pipeline: Pipeline; stages: StageInput[] }) =>
      call(
        client.PUT('/api/v1/pipelines/{id}/stages', {
          params: { path: { id: pipeline.id }, header: { 'If-Match': ifMatch(pipeline.version) } },
          body: { stages },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: listKeys.pipelines }),
  })
}

/** useCreateCustomField defines a custom field. */
export function useCreateCustomField() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: NewCustomField) =>
      call(client.POST('/api/v1/custom-fields', { body, params: { header: { 'Idempotency-Key': idempotencyKey() } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: listKeys.customFields }),
  })
}

/** useUpdateCustomField changes a custom field at the version shown. */
export function useUpdateCustomField() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ field, body }: { field: CustomField; body: CustomFieldUpdate }) =>
      call(
        client.PATCH('/api/v1/custom-fields/{id}', {
          params: { path: { id: field.id }, header: { 'If-Match': ifMatch(field.version) } },
          body,
        }),
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: listKeys.customFields }),
  })
}

/** useAddPicklistValue adds a value to a picklist (creating the list with its first value). */
export function useAddPicklistValue() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ list, value, label }: { list: string; value: string; label: string }) =>
      call(client.POST('/api/v1/picklists/{list}/values', { params: { path: { list } }, body: { value, label } })),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: listKeys.picklists }),
        qc.invalidateQueries({ queryKey: listKeys.customFields }),
      ]),
  })
}

/** useUpdatePicklistValue relabels, retires or restores a picklist value. */
export function useUpdatePicklistValue() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ list, value, body }: { list: string; value: string; body: PicklistValueUpdate }) =>
      call(client.PATCH('/api/v1/picklists/{list}/values/{value}', { params: { path: { list, value } }, body })),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: listKeys.picklists }),
        qc.invalidateQueries({ queryKey: listKeys.customFields }),
      ]),
  })
}

/** useCreateActivityType adds a key activity type. */
export function useCreateActivityType() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { key: string; name: string }) => call(client.POST('/api/v1/activity-types', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: listKeys.activityTypes }),
  })
}

/** useUpdateActivityType renames, reorders, retires or reinstates an activity type. */
export function useUpdateActivityType() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: ActivityTypeUpdate }) =>
      call(client.PATCH('/api/v1/activity-types/{id}', { params: { path: { id } }, body })),
    onSettled: () => qc.invalidateQueries({ queryKey: listKeys.activityTypes }),
  })
}

/** A snake_case key from a label: "Renewal date" → "renewal_date". */
export function keyFromLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(\d)/, 'f_$1')
    .slice(0, 63)
}
