// Turning a refused move (422 naming what the deal lacks) into the small
// form that asks for exactly that, and the form's values back into the API
// calls that complete the move.
import type { FieldError } from '../api/types'
import { parseMoney } from './money'

/** How a missing field is asked for. */
export type MissingKind = 'money' | 'date' | 'account' | 'contact' | 'text' | 'lines' | 'number' | 'boolean' | 'picklist' | 'reason'

/** A custom field as the form needs it. */
export interface CustomFieldInfo {
  key: string
  label: string
  type: string
  purpose: string
  options?: string[]
}

/** One deal field the move needs filled. */
export interface MissingField {
  /** The field as the server names it: amount, close_date, custom.<key>, reason. */
  field: string
  kind: MissingKind
  label: string
  /** Why it is asked for: the server's message ("required to leave Qualified"), or a custom field's purpose. */
  help: string
  options?: string[]
}

/** Activities the move needs logged first. */
export interface MissingActivity {
  /** The activity type's key: demo, proposal, ... */
  type: string
  needed: number
  logged: number
  message: string
}

/** The form a refused move asks for. */
export interface ExitForm {
  fields: MissingField[]
  activities: MissingActivity[]
  /** Anything else the server said, shown as it is. */
  other: string[]
}

const builtin: Record<string, { kind: MissingKind; label: string }> = {
  amount: { kind: 'money', label: 'Amount' },
  close_date: { kind: 'date', label: 'Close date' },
  account_id: { kind: 'account', label: 'Account' },
  primary_contact_id: { kind: 'contact', label: 'Primary contact' },
  next_step: { kind: 'text', label: 'Next step' },
  lines: { kind: 'lines', label: 'Line items' },
  reason: { kind: 'reason', label: 'Reason' },
}

const customKinds: Record<string, MissingKind> = {
  text: 'text',
  long_text: 'text',
  number: 'number',
  money: 'money',
  date: 'date',
  boolean: 'boolean',
  picklist: 'picklist',
}

/**
 * exitForm reads the field errors of a refused move into a form: each
 * missing deal field once, with the input it needs; each missing activity
 * with how many are needed and logged ("1 demo needed, 0 logged").
 */
export function exitForm(errors: FieldError[], custom: CustomFieldInfo[] = []): ExitForm {
  const out: ExitForm = { fields: [], activities: [], other: [] }
  const seen = new Set<string>()
  for (const e of errors) {
    if (seen.has(e.field)) {
      continue
    }
    seen.add(e.field)
    const act = /^activities\.(.+)$/.exec(e.field)
    if (act) {
      const m = /^(\d+) .* needed, (\d+) logged/.exec(e.message)
      out.activities.push({
        type: act[1],
        needed: m ? Number(m[1]) : 1,
        logged: m ? Number(m[2]) : 0,
        message: e.message,
      })
      continue
    }
    const b = builtin[e.field]
    if (b) {
      out.fields.push({ field: e.field, kind: b.kind, label: b.label, help: capitalize(e.message) })
      continue
    }
    const key = /^custom\.(.+)$/.exec(e.field)?.[1]
    const cf = key ? custom.find((c) => c.key === key) : undefined
    if (key) {
      out.fields.push({
        field: e.field,
        kind: cf ? (customKinds[cf.type] ?? 'text') : 'text',
        label: cf?.label ?? key.replace(/_/g, ' '),
        help: [capitalize(e.message), cf?.purpose].filter(Boolean).join(' · '),
        options: cf?.options,
      })
      continue
    }
    out.other.push(`${e.field.replace(/_/g, ' ')} ${e.message}`)
  }
  return out
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** What the form's inputs hold, by field name; pickers hold a record id as a string. */
export type ExitValues = Record<string, string>

/** The calls that complete a move: a deal update (if any field), and the move's own reason. */
export interface ExitPlan {
  /** The PATCH body for the deal's fields; undefined when no field is asked for. */
  update?: Record<string, unknown>
  reason?: string
  /** Messages under inputs whose value cannot be used, by field. */
  errors: Record<string, string>
}

/**
 * exitPlan turns the form's values into the deal update that fills the
 * missing fields. Every asked field must be filled; money is parsed into
 * minor units of the deal's currency, custom values into their JSON type.
 */
export function exitPlan(form: ExitForm, values: ExitValues, currency: string): ExitPlan {
  const plan: ExitPlan = { errors: {} }
  const update: Record<string, unknown> = {}
  const custom: Record<string, unknown> = {}
  for (const f of form.fields) {
    if (f.kind === 'lines') {
      continue // added on the deal page; the form links there
    }
    const raw = (values[f.field] ?? '').trim()
    if (raw === '' && f.kind !== 'boolean') {
      plan.errors[f.field] = 'Is required to move on.'
      continue
    }
    let v: unknown = raw
    switch (f.kind) {
      case 'money': {
        const n = parseMoney(raw, currency)
        if (n === null || n === undefined || n <= 0) {
          plan.errors[f.field] = `Enter an amount above zero, such as 12,500.`
          continue
        }
        v = f.field.startsWith('custom.') ? { amount: n, currency } : n
        break
      }
      case 'account':
      case 'contact':
        v = Number(raw)
        break
      case 'number': {
        const n = Number(raw)
        if (!Number.isFinite(n)) {
          plan.errors[f.field] = 'Enter a number.'
          continue
        }
        v = n
        break
      }
      case 'boolean':
        v = raw === 'true'
        break
      case 'reason':
        plan.reason = raw
        continue
    }
    const key = /^custom\.(.+)$/.exec(f.field)?.[1]
    if (key) {
      custom[key] = v
    } else {
      update[f.field] = v
    }
  }
  if (Object.keys(custom).length > 0) {
    update.custom = custom
  }
  if (Object.keys(update).length > 0) {
    plan.update = update
  }
  return plan
}

/**
 * missingLabel names an exit criterion a deal lacks as people read it:
 * "activities.demo" → "a demo" (the workspace's name for the activity
 * type), "close_date" → "close date", "custom.po_number" → the field's label.
 */
export function missingLabel(key: string, activityTypes: readonly { key: string; name: string }[] = [], custom: readonly { key: string; label: string }[] = []): string {
  const act = /^activities\.(.+)$/.exec(key)?.[1]
  if (act !== undefined) {
    const name = activityTypes.find((t) => t.key === act)?.name ?? act.replace(/_/g, ' ')
    return withArticle(lowerFirst(name))
  }
  const b = builtin[key]
  if (b) {
    return b.label.toLowerCase()
  }
  const cf = /^custom\.(.+)$/.exec(key)?.[1]
  if (cf !== undefined) {
    return custom.find((c) => c.key === cf)?.label ?? cf.replace(/_/g, ' ')
  }
  return key.replace(/_/g, ' ')
}

/** Lower-cases a name's first letter unless it starts an acronym ("Demo" → "demo", "ROI review" stays). */
function lowerFirst(s: string): string {
  return /^[A-Z][A-Z]/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1)
}

/** "demo" → "a demo", "onsite visit" → "an onsite visit"; acronyms are read by their letters ("an NDA call"). */
function withArticle(s: string): string {
  const an = /^[aeiou]/i.test(s) || /^[AEFHILMNORSX][A-Z]/.test(s)
  return `${an ? 'an' : 'a'} ${s}`
}
