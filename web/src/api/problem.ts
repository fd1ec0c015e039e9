// Turning the API's RFC 9457 problem+json errors into what a person reads:
// a message next to each form field the server named, and one sentence for
// the rest.
import type { Problem } from './types'

/** ApiError is a failed API call: the HTTP status and, when the server sent one, its problem body. */
export class ApiError extends Error {
  readonly status: number
  readonly problem?: Problem

  constructor(status: number, problem?: Problem, message?: string) {
    super(message ?? problem?.title ?? `The request failed with status ${status}.`)
    this.name = 'ApiError'
    this.status = status
    this.problem = problem
  }

  /** The problem type's last segment, e.g. "stale" or "invalid". */
  get code(): string {
    return this.problem?.type?.split('/').pop() ?? ''
  }
}

/** Reports whether body looks like a problem+json document. */
export function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Problem).title === 'string' &&
    typeof (body as Problem).status === 'number'
  )
}

/** Status 0 stands for "no response": the network or the server is down. */
export const NETWORK_ERROR = 0

/**
 * Reports whether err is an optimistic-concurrency conflict: the record
 * changed since it was read (412 on a write with If-Match).
 */
export function isStale(err: unknown): boolean {
  return err instanceof ApiError && err.status === 412
}

/** Reports whether err means the caller is not signed in. */
export function isUnauthenticated(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401
}

/** The one sentence to show for an error that no field owns. */
export function errorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) {
    return 'Something went wrong in the app. Reload the page and try again.'
  }
  switch (true) {
    case err.status === NETWORK_ERROR:
      return 'Attain cannot be reached. Check your connection and try again.'
    case err.status === 412:
      return 'Someone else changed this since you opened it. Reload to see their change, then make yours again.'
    case err.status >= 500: {
      const id = err.problem?.request_id
      return `Something went wrong on the server${id ? ` (request ${id})` : ''}. Try again in a moment.`
    }
  }
  const p = err.problem
  if (!p) {
    return err.message
  }
  let msg = p.title
  if (p.detail) {
    msg += ' ' + p.detail
  }
  return msg
}

/** FormErrors are an error laid out on a form. */
export interface FormErrors {
  /** Messages keyed by form field name, each ready to show under its field. */
  fields: Record<string, string>
  /** The message for everything no field owns; undefined when there is none. */
  form?: string
}

/**
 * Lays err out on a form whose inputs are named by fields. The server names
 * fields by their JSON name, sometimes with a path (`member_ids[2]`,
 * `address.city`); a path counts for its first segment. Errors about fields
 * the form does not have are listed in the form message, so none is lost.
 */
export function formErrors(err: unknown, fields: readonly string[]): FormErrors {
  const out: FormErrors = { fields: {} }
  if (!(err instanceof ApiError) || !err.problem?.errors?.length) {
    if (err !== undefined && err !== null) {
      out.form = errorMessage(err)
    }
    return out
  }
  const known = new Set(fields)
  const rest: string[] = []
  for (const fe of err.problem.errors) {
    const key = fieldKey(fe.field)
    const text = sentence(fe.message)
    if (known.has(key)) {
      out.fields[key] = out.fields[key] ? `${out.fields[key]} ${text}` : text
    } else {
      rest.push(`${humanize(fe.field)} ${fe.message}.`)
    }
  }
  if (rest.length > 0) {
    out.form = [err.problem.title, ...rest].join(' ')
  } else if (Object.keys(out.fields).length === 0) {
    out.form = errorMessage(err)
  }
  return out
}

/**
 * The errors err names under one map field of a form, keyed by the rest of
 * their path: `goals.win_rate` → `win_rate` under `goals`. Forms that show
 * one input per key lay these out, and pass `under` to formErrors so the
 * messages are not repeated as the form's.
 */
export function errorsUnder(err: unknown, under: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (!(err instanceof ApiError)) {
    return out
  }
  for (const fe of err.problem?.errors ?? []) {
    if (fe.field.startsWith(under + '.')) {
      out[fe.field.slice(under.length + 1)] = sentence(fe.message)
    }
  }
  return out
}

/** The top-level JSON name of a field path: `member_ids[2]` → `member_ids`. */
export function fieldKey(field: string): string {
  return field.split(/[.[]/, 1)[0]
}

/** A field's JSON name as words: `manager_id` → `Manager`. */
export function humanize(field: string): string {
  const words = fieldKey(field).replace(/_ids?$/, '').replace(/_+/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A server message (`is not a valid email address`) as a sentence. */
function sentence(msg: string): string {
  const s = msg.trim()
  if (s === '') {
    return 'Is not valid.'
  }
  return s.charAt(0).toUpperCase() + s.slice(1) + (/[.!?]$/.test(s) ? '' : '.')
}
