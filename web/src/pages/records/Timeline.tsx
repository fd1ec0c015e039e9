import { useState } from 'react'
import { idempotencyKey } from '../../api/client'
import { formErrors } from '../../api/problem'
import { useUsers } from '../../api/queries'
import { useActivityTypes, useAddNote, useLogActivity, useTimeline, type RecordKind, type TimelineItem } from '../../api/sales'
import { Field } from '../../components/Field'
import { Alert, EmptyState, ErrorState, Loading } from '../../components/States'
import { formatDate, formatDateTime, formatRelative } from '../../lib/format'
import { formatMoney } from '../../lib/money'
import { entries, type Entry } from '../../lib/timeline'

const fieldNames: Record<string, string> = {
  name: 'name',
  amount: 'amount',
  close_date: 'close date',
  next_step: 'next step',
  owner_id: 'owner',
  account_id: 'account',
  primary_contact_id: 'primary contact',
  forecast_category: 'forecast category',
  stage_id: 'stage',
}

function show(raw: unknown): string {
  if (raw === null || raw === undefined || raw === '') return 'nothing'
  if (typeof raw === 'object') {
    const m = raw as { amount?: number; currency?: string }
    if (m.amount !== undefined && m.currency) return `${m.amount / 100} ${m.currency}`
    return JSON.stringify(raw)
  }
  return String(raw)
}

/**
 * Timeline shows what happened on a record, newest first: activities and
 * tasks, notes, field changes and stage moves, with a composer to log an
 * activity or write a note.
 */
export function Timeline({ kind, id, currency = 'USD' }: { kind: RecordKind; id: number; currency?: string }) {
  const items = useTimeline(kind, id)
  const users = useUsers()
  const who = (uid: number | null) => (uid === null ? 'Attain' : (users.data?.find((u) => u.id === uid)?.name ?? 'Someone'))
  return (
    <section className="card timeline-card" aria-labelledby="timeline-h">
      <div className="card-header">
        <h2 id="timeline-h">Timeline</h2>
      </div>
      <Composer kind={kind} id={id} />
      {items.isPending ? (
        <Loading label="Loading the timeline…" />
      ) : items.isError ? (
        <ErrorState error={items.error} retry={() => void items.refetch()} />
      ) : items.data.length === 0 ? (
        <EmptyState title="Nothing has happened yet">Log a call, a meeting or a demo, or write a note, and it shows here.</EmptyState>
      ) : (
        <ol className="timeline" aria-label="Timeline">
          {entries(items.data).map((e) => {
            const at = e.kind === 'item' ? e.item.at : e.at
            const k = e.kind === 'item' ? `${e.item.kind}-${e.item.id}` : `changes-${e.changes[0].id}`
            return (
              <li key={k} className={`tl-item tl-${e.kind === 'item' ? e.item.kind : 'change'}`}>
                <span className="tl-dot" aria-hidden="true" />
                <div className="tl-body">
                  {e.kind === 'item' ? <ItemEntry it={e.item} who={who} /> : <Changes e={e} who={who} currency={currency} />}
                  <time className="tl-time" dateTime={at} title={formatDateTime(at)}>
                    {formatRelative(at)}
                  </time>
                </div>
              </li>
            )
          })}
        </ol>
      )}
    </section>
  )
}

function ItemEntry({ it, who }: { it: TimelineItem; who: (id: number | null) => string }) {
  const x = it as Record<string, unknown>
  switch (it.kind) {
    case 'activity':
    case 'task':
      return (
        <div>
          <p>
            <span className="tl-type">{String(x.type_name ?? x.type)}</span>
            {it.kind === 'task' && <span className="badge badge-soft">Planned</span>} {x.subject ? String(x.subject) : ''}
          </p>
          {x.outcome ? <p className="tl-detail">Outcome: {String(x.outcome)}</p> : null}
          {x.note ? <p className="tl-detail">{String(x.note)}</p> : null}
          <p className="tl-who">{who(it.actor_id)}</p>
        </div>
      )
    case 'note':
      return (
        <div>
          <p className="tl-note">{String(x.body)}</p>
          <p className="tl-who">Note by {who(it.actor_id)}</p>
        </div>
      )
    case 'stage':
      return (
        <div>
          <p>
            {x.from_stage_name ? (
              <>
                Moved from <strong>{String(x.from_stage_name)}</strong> to <strong>{String(x.stage_name)}</strong>
              </>
            ) : (
              <>
                Started in <strong>{String(x.stage_name)}</strong>
              </>
            )}
          </p>
          {x.override_reason ? <p className="tl-detail">Exit criteria overridden: {String(x.override_reason)}</p> : null}
          <p className="tl-who">{who(it.actor_id)}</p>
        </div>
      )
    default: {
      const field = String(x.field ?? '')
      const label = fieldNames[field] ?? field.replace(/^custom\./, '').replace(/_/g, ' ')
      return (
        <div>
          <p className="tl-change">
            Changed {label} from <span className="tl-old">{show(x.old)}</span> to <span className="tl-new">{show(x.new)}</span>
          </p>
          <p className="tl-who">{who(it.actor_id)}</p>
        </div>
      )
    }
  }
}

function Changes({
  e,
  who,
  currency,
}: {
  e: Extract<Entry<TimelineItem>, { kind: 'changes' }>
  who: (id: number | null) => string
  currency: string
}) {
  const users = useUsers()
  const value = (field: string, v: unknown) => {
    if (field === 'owner_id' && typeof v === 'number') return users.data?.find((u) => u.id === v)?.name ?? show(v)
    if ((field === 'amount' || field === 'margin') && typeof v === 'number') return formatMoney(v, currency)
    if (field === 'close_date' && typeof v === 'string') return formatDate(v + 'T12:00:00Z')
    return show(v)
  }
  const label = (f: string) => fieldNames[f] ?? f.replace(/^custom\./, '').replace(/_/g, ' ')
  if (e.created) {
    return (
      <div>
        <p>Created</p>
        <p className="tl-detail">
          {e.changes
            .filter((c) => !['owner_id', 'currency', 'team_id', 'lead_id', 'custom'].includes(String(c.field)))
            .map((c) => `${label(String(c.field))}: ${value(String(c.field), c.new)}`)
            .join(' · ')}
        </p>
        <p className="tl-who">{who(e.actor_id)}</p>
      </div>
    )
  }
  return (
    <div>
      {e.changes.map((c) => (
        <p key={c.id} className="tl-change">
          Changed {label(String(c.field))} from <span className="tl-old">{value(String(c.field), c.old)}</span> to{' '}
          <span className="tl-new">{value(String(c.field), c.new)}</span>
        </p>
      ))}
      <p className="tl-who">{who(e.actor_id)}</p>
    </div>
  )
}

function Composer({ kind, id }: { kind: RecordKind; id: number }) {
  const [mode, setMode] = useState<'activity' | 'note'>('activity')
  const types = useActivityTypes()
  const log = useLogActivity()
  const note = useAddNote(kind, id)
  const [type, setType] = useState('')
  const [subject, setSubject] = useState('')
  const [outcome, setOutcome] = useState('')
  const [body, setBody] = useState('')
  const [key, setKey] = useState(idempotencyKey)
  const chosen = type || types.data?.[0]?.key || ''
  const errs = formErrors((mode === 'activity' ? log.error : note.error) ?? undefined, ['subject', 'outcome', 'body'])
  return (
    <div className="composer">
      <div className="segmented" role="tablist" aria-label="Add to the timeline">
        <button type="button" role="tab" aria-selected={mode === 'activity'} className={mode === 'activity' ? 'segment active' : 'segment'} onClick={() => setMode('activity')}>
          Log activity
        </button>
        <button type="button" role="tab" aria-selected={mode === 'note'} className={mode === 'note' ? 'segment active' : 'segment'} onClick={() => setMode('note')}>
          Add note
        </button>
      </div>
      {errs.form && <Alert>{errs.form}</Alert>}
      {mode === 'activity' ? (
        <form
          className="composer-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            log.mutate(
              { key, body: { type: chosen, subject: subject || undefined, outcome: outcome || undefined, [`${kind}_id`]: id } },
              {
                onSuccess: () => {
                  setSubject('')
                  setOutcome('')
                  setKey(idempotencyKey())
                },
              },
            )
          }}
        >
          <div className="chips" role="radiogroup" aria-label="Activity type">
            {(types.data ?? []).map((t) => (
              <label key={t.key} className={chosen === t.key ? 'chip active' : 'chip'}>
                <input type="radio" name={`type-${kind}-${id}`} value={t.key} checked={chosen === t.key} onChange={() => setType(t.key)} />
                {t.name}
              </label>
            ))}
          </div>
          <div className="form-grid form-grid-2">
            <Field label="Subject" error={errs.fields.subject}>
              {(p) => <input {...p} value={subject} onChange={(e) => setSubject(e.target.value)} placeholder="e.g. Discovery call with the CFO" />}
            </Field>
            <Field label="Outcome" error={errs.fields.outcome}>
              {(p) => <input {...p} value={outcome} onChange={(e) => setOutcome(e.target.value)} placeholder="What came of it" />}
            </Field>
          </div>
          <div className="composer-actions">
            <button type="submit" className="button button-primary" disabled={log.isPending || !chosen}>
              {log.isPending ? 'Logging…' : 'Log activity'}
            </button>
          </div>
        </form>
      ) : (
        <form
          className="composer-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            note.mutate(body, { onSuccess: () => setBody('') })
          }}
        >
          <Field label="Note" error={errs.fields.body}>
            {(p) => <textarea {...p} className="input" rows={3} value={body} onChange={(e) => setBody(e.target.value)} />}
          </Field>
          <div className="composer-actions">
            <button type="submit" className="button button-primary" disabled={note.isPending}>
              {note.isPending ? 'Saving…' : 'Add note'}
            </button>
          </div>
        </form>
      )}
    </div>
  )
}
