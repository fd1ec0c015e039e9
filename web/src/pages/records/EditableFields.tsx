import { useQueryClient } from '@tanstack/react-query'
import { useState, type ReactNode } from 'react'
import { Link } from 'react-router'
import { ApiError, errorMessage, formErrors } from '../../api/problem'
import { useUsers } from '../../api/queries'
import { getRecord, patchRecord, salesKeys, useCustomFields, usePicklist, useRecord, type AnyRecord, type CustomField, type RecordKind } from '../../api/sales'
import { fieldValue, merge, patchBody, same, type Conflict } from '../../lib/conflict'
import { formatDate } from '../../lib/format'
import { currencyDigits, formatMoney, parseMoney } from '../../lib/money'
import { RecordPicker } from '../search/RecordPicker'

/** How a field is shown and edited. */
export type FieldKind =
  | 'text'
  | 'longtext'
  | 'email'
  | 'url'
  | 'money'
  | 'custom-money'
  | 'date'
  | 'number'
  | 'boolean'
  | 'select'
  | 'picklist'
  | 'account'
  | 'contact'
  | 'user'
  | 'readonly'

/** One field of a record page. */
export interface FieldDef {
  /** The JSON name; custom fields are custom.<key>. */
  field: string
  label: string
  kind: FieldKind
  /** Why the field exists (a custom field's purpose), shown as help. */
  help?: string
  options?: { value: string; label: string }[]
  /** The picklist whose values a picklist field takes. */
  picklist?: string
  /** Set when the field may be read but not edited here, saying why. */
  locked?: string
  /** The field may be cleared (sent as null). */
  nullable?: boolean
}

/** customDefs turns the workspace's custom fields into field definitions, their purpose as help. */
export function customDefs(fields: CustomField[]): FieldDef[] {
  return fields.map((f) => {
    const base = { field: `custom.${f.key}`, label: f.label, help: f.purpose }
    switch (f.type) {
      case 'text':
      case 'long_text':
      case 'number':
      case 'date':
      case 'boolean':
        return { ...base, kind: ({ text: 'text', long_text: 'longtext', number: 'number', date: 'date', boolean: 'boolean' } as const)[f.type] }
      case 'money':
        return { ...base, kind: 'custom-money' as const }
      case 'picklist':
        return { ...base, kind: 'select' as const, options: (f.options ?? []).map((o) => ({ value: o, label: o })) }
      case 'user':
        return { ...base, kind: 'user' as const }
      default:
        return { ...base, kind: 'readonly' as const, locked: 'Edited through the API' }
    }
  })
}

/** The custom field definitions of a kind of record (empty while loading). */
export function useCustomDefs(kind: RecordKind): FieldDef[] {
  const custom = useCustomFields(kind)
  return customDefs(custom.data ?? [])
}

function currencyOf(r: AnyRecord): string {
  return 'currency' in r && r.currency ? r.currency : 'USD'
}

/** The value as a person edits it. */
function toDraft(def: FieldDef, v: unknown, currency: string): string {
  if (v === null || v === undefined) {
    return ''
  }
  switch (def.kind) {
    case 'money':
      return minorToText(v as number, currency)
    case 'custom-money': {
      const m = v as { amount: number; currency: string }
      return minorToText(m.amount, m.currency)
    }
    default:
      return String(v)
  }
}

function minorToText(minor: number, currency: string): string {
  const d = currencyDigits(currency)
  if (d === 0) return String(minor)
  const s = String(Math.abs(minor)).padStart(d + 1, '0')
  return (minor < 0 ? '-' : '') + `${s.slice(0, -d)}.${s.slice(-d)}`.replace(/\.0+$/, '')
}

/** The value to send for a draft, or an error message for the input. */
function fromDraft(def: FieldDef, draft: string, currency: string): { value?: unknown; error?: string } {
  const t = draft.trim()
  if (t === '' && (def.nullable || def.field.startsWith('custom.'))) {
    return { value: null }
  }
  switch (def.kind) {
    case 'money': {
      const n = parseMoney(t, currency)
      return n === null ? { error: 'Enter an amount such as 12,500.' } : { value: n }
    }
    case 'custom-money': {
      const n = parseMoney(t, currency)
      return n === null ? { error: 'Enter an amount such as 12,500.' } : { value: { amount: n, currency } }
    }
    case 'number': {
      const n = Number(t)
      return Number.isFinite(n) ? { value: n } : { error: 'Enter a number.' }
    }
    case 'boolean':
      return { value: t === 'true' }
    case 'account':
    case 'contact':
    case 'user':
      return { value: t === '' ? null : Number(t) }
    default:
      return { value: def.kind === 'longtext' ? draft : t }
  }
}

/**
 * EditableFields lists a record's fields, each editable in place. A save
 * carries the version the page read (If-Match). When someone else saved
 * first, the edit is replayed on their version if they changed other
 * fields; if they changed the same field, both values are shown and the
 * person chooses, with what they typed kept in the input.
 */
export function EditableFields({ kind, record, defs }: { kind: RecordKind; record: AnyRecord; defs: FieldDef[] }) {
  return (
    <dl className="fields">
      {defs.map((d) => (
        <EditableField key={d.field} kind={kind} record={record} def={d} />
      ))}
    </dl>
  )
}

function EditableField({ kind, record, def }: { kind: RecordKind; record: AnyRecord; def: FieldDef }) {
  const qc = useQueryClient()
  const currency = currencyOf(record)
  const value = fieldValue(record as never, def.field)
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState('')
  const [base, setBase] = useState<AnyRecord>(record)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string>()
  const [conflict, setConflict] = useState<{ c: Conflict; latest: AnyRecord }>()
  const [note, setNote] = useState<string>()
  const key = salesKeys.record(kind, record.id)

  const start = () => {
    setBase(record)
    setDraft(toDraft(def, value, currency))
    setEditing(true)
    setError(undefined)
    setConflict(undefined)
    setNote(undefined)
  }
  const saved = (r: AnyRecord) => {
    qc.setQueryData(key, r)
    void qc.invalidateQueries({ queryKey: [...key, 'timeline'] })
    setEditing(false)
    setConflict(undefined)
  }
  const write = async (version: number, v: unknown) => {
    const r = await patchRecord(kind, record.id, version, patchBody({ [def.field]: v }))
    saved(r)
    return r
  }
  const save = async (overVersion?: number) => {
    const parsed = fromDraft(def, draft, currency)
    if (parsed.error) {
      setError(parsed.error)
      return
    }
    setSaving(true)
    setError(undefined)
    try {
      if (overVersion === undefined && same(parsed.value, fieldValue(base as never, def.field))) {
        setEditing(false)
        return
      }
      await write(overVersion ?? base.version, parsed.value)
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        // Someone saved first: replay the edit on their version.
        const latest = await getRecord(kind, record.id)
        qc.setQueryData(key, latest)
        const m = merge(base as never, latest as never, { [def.field]: parsed.value })
        if (m.conflicts.length > 0) {
          setConflict({ c: m.conflicts[0], latest })
        } else {
          if (Object.keys(m.update).length > 0) {
            await write(latest.version, parsed.value)
          } else {
            saved(latest)
          }
          setNote('Someone else changed this record meanwhile; your change was saved on top of theirs.')
        }
      } else {
        const fe = formErrors(err, [def.field.replace(/^custom\./, ''), def.field.split('.')[0]])
        setError(Object.values(fe.fields)[0] ?? fe.form ?? errorMessage(err))
      }
    } finally {
      setSaving(false)
    }
  }

  const id = `f-${def.field.replace(/\W/g, '-')}`
  return (
    <div className={editing ? 'field-row editing' : 'field-row'}>
      <dt>
        <label htmlFor={editing ? id : undefined}>{def.label}</label>
        {def.help && <span className="field-purpose">{def.help}</span>}
      </dt>
      <dd>
        {!editing ? (
          <div className="field-value">
            <span className="field-display">
              <Display def={def} value={value} currency={currency} />
            </span>
            {def.locked || def.kind === 'readonly' ? (
              def.locked && <span className="field-locked">{def.locked}</span>
            ) : (
              <button type="button" className="button button-small button-quiet field-edit" onClick={start}>
                Edit<span className="visually-hidden"> {def.label}</span>
              </button>
            )}
          </div>
        ) : (
          <form
            className="field-editor"
            noValidate
            onSubmit={(e) => {
              e.preventDefault()
              void save()
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.stopPropagation()
                setEditing(false)
              }
            }}
          >
            <Editor def={def} id={id} draft={draft} setDraft={setDraft} invalid={Boolean(error)} currency={currency} />
            {!conflict && (
              <div className="field-editor-actions">
                <button type="submit" className="button button-small button-primary" disabled={saving}>
                  {saving ? 'Saving…' : 'Save'}
                </button>
                <button type="button" className="button button-small" onClick={() => setEditing(false)}>
                  Cancel
                </button>
              </div>
            )}
            {error && (
              <p className="field-error" role="alert">
                {error}
              </p>
            )}
            {conflict && (
              <div className="conflict" role="alert">
                <p className="conflict-title">Someone else changed {def.label.toLowerCase()} while you were editing.</p>
                <dl className="conflict-values">
                  <div>
                    <dt>Their value (saved)</dt>
                    <dd>
                      <Display def={def} value={conflict.c.theirs} currency={currency} />
                    </dd>
                  </div>
                  <div>
                    <dt>Your value (not saved)</dt>
                    <dd>
                      <Display def={def} value={conflict.c.mine} currency={currency} />
                    </dd>
                  </div>
                </dl>
                <div className="field-editor-actions">
                  <button type="button" className="button button-small button-primary" disabled={saving} onClick={() => void save(conflict.latest.version)}>
                    Keep mine
                  </button>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => {
                      setEditing(false)
                      setConflict(undefined)
                    }}
                  >
                    Use theirs
                  </button>
                </div>
              </div>
            )}
          </form>
        )}
        {note && !editing && (
          <p className="field-note" role="status">
            {note}
          </p>
        )}
      </dd>
    </div>
  )
}

function Editor({
  def,
  id,
  draft,
  setDraft,
  invalid,
  currency,
}: {
  def: FieldDef
  id: string
  draft: string
  setDraft: (s: string) => void
  invalid: boolean
  currency: string
}) {
  const props = { id, 'aria-invalid': invalid, className: 'input', autoFocus: true }
  const picklist = usePicklist(def.picklist ?? '', def.kind === 'picklist')
  const users = useUsers()
  switch (def.kind) {
    case 'longtext':
      return <textarea {...props} rows={4} value={draft} onChange={(e) => setDraft(e.target.value)} />
    case 'money':
    case 'custom-money':
      return (
        <div className="input-affix">
          <input {...props} inputMode="decimal" value={draft} onChange={(e) => setDraft(e.target.value)} />
          <span className="affix">{currency}</span>
        </div>
      )
    case 'date':
      return <input {...props} type="date" value={draft} onChange={(e) => setDraft(e.target.value)} />
    case 'number':
      return <input {...props} inputMode="decimal" value={draft} onChange={(e) => setDraft(e.target.value)} />
    case 'boolean':
      return (
        <select {...props} value={draft} onChange={(e) => setDraft(e.target.value)}>
          <option value="">Not set</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      )
    case 'select':
    case 'picklist': {
      const options = (def.kind === 'select' ? (def.options ?? []) : (picklist.data ?? []).map((v) => ({ value: v.value, label: v.label }))).filter(
        (o) => def.field !== 'forecast_category' || !o.value.startsWith('closed_'),
      )
      return (
        <select {...props} value={draft} onChange={(e) => setDraft(e.target.value)}>
          <option value="">Not set</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )
    }
    case 'user':
      return (
        <select {...props} value={draft} onChange={(e) => setDraft(e.target.value)}>
          {(users.data ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      )
    case 'account':
    case 'contact':
      return <RecordPicker id={id} aria-invalid={invalid} type={def.kind} value={draft} onChange={setDraft} />
    default:
      return (
        <input {...props} type={def.kind === 'email' ? 'email' : def.kind === 'url' ? 'url' : 'text'} value={draft} onChange={(e) => setDraft(e.target.value)} />
      )
  }
}

function Empty() {
  return <span className="field-empty">Not set</span>
}

/** Display shows a field's value as people read it. */
export function Display({ def, value, currency }: { def: FieldDef; value: unknown; currency: string }): ReactNode {
  if (value === null || value === undefined || value === '') {
    return <Empty />
  }
  switch (def.kind) {
    case 'money':
      return formatMoney(value as number, currency)
    case 'custom-money': {
      const m = value as { amount: number; currency: string }
      return formatMoney(m.amount, m.currency)
    }
    case 'date':
      return formatDate(`${value as string}T12:00:00Z`)
    case 'boolean':
      return value ? 'Yes' : 'No'
    case 'select':
      return def.options?.find((o) => o.value === value)?.label ?? String(value)
    case 'picklist':
      return <PicklistLabel list={def.picklist ?? ''} value={String(value)} />
    case 'user':
      return <UserName id={value as number} />
    case 'account':
    case 'contact':
      return <RecordLink kind={def.kind} id={value as number} />
    case 'url':
      return (
        <a href={/^https?:/.test(String(value)) ? String(value) : `https://${String(value)}`} target="_blank" rel="noreferrer">
          {String(value)}
        </a>
      )
    case 'email':
      return <a href={`mailto:${String(value)}`}>{String(value)}</a>
    case 'readonly':
      return typeof value === 'object' ? JSON.stringify(value) : String(value)
    default:
      return String(value)
  }
}

function PicklistLabel({ list, value }: { list: string; value: string }) {
  const p = usePicklist(list)
  return <>{p.data?.find((v) => v.value === value)?.label ?? value}</>
}

function UserName({ id }: { id: number }) {
  const users = useUsers()
  return <>{users.data?.find((u) => u.id === id)?.name ?? `Member ${id}`}</>
}

/** RecordLink names a linked account or contact and links to its page. */
export function RecordLink({ kind, id }: { kind: 'account' | 'contact' | 'deal'; id: number }) {
  const r = useRecord(kind, id)
  const name = !r.data
    ? '…'
    : 'name' in r.data && r.data.name
      ? r.data.name
      : `${(r.data as { first_name?: string }).first_name ?? ''} ${(r.data as { last_name?: string }).last_name ?? ''}`.trim()
  return <Link to={`/${kind}s/${id}`}>{r.isError ? `${kind} ${id}` : name}</Link>
}
