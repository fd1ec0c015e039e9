import { useState } from 'react'
import { Link } from 'react-router'
import { idempotencyKey } from '../../api/client'
import { formErrors } from '../../api/problem'
import { recordPath, useActivityTypes, useCreateContact, useCreateDeal, useLogActivity, type SearchResult } from '../../api/sales'
import { Field } from '../../components/Field'
import { Icon } from '../../components/Icon'
import { Modal } from '../../components/Modal'
import { Alert } from '../../components/States'
import { parseMoney } from '../../lib/money'
import { RecordPicker } from './RecordPicker'
import { useQuickAdd } from './tools'

/** What quick add can create. */
export type QuickKind = 'deal' | 'contact' | 'activity'

const tabs: { kind: QuickKind; label: string }[] = [
  { kind: 'deal', label: 'Deal' },
  { kind: 'contact', label: 'Contact' },
  { kind: 'activity', label: 'Activity' },
]

/** QuickAddButton opens quick add on one kind of record. */
export function QuickAddButton({ kind, label }: { kind: QuickKind; label: string }) {
  const { open } = useQuickAdd()
  return (
    <button type="button" className="button button-primary" onClick={() => open(kind)}>
      <Icon name="plus" />
      {label}
    </button>
  )
}

/**
 * QuickAdd creates a deal, a contact or an activity from anywhere with only
 * the essential fields; the server fills the rest with sensible defaults
 * (owner, pipeline, first stage, currency, close date).
 */
export function QuickAdd({ kind: initial, onClose }: { kind: QuickKind; onClose: () => void }) {
  const [kind, setKind] = useState(initial)
  const [created, setCreated] = useState<{ label: string; path?: string }>()
  return (
    <Modal title="Quick add" onClose={onClose}>
      <div className="modal-body">
        <div className="segmented" role="tablist" aria-label="What to add">
          {tabs.map((t) => (
            <button
              key={t.kind}
              type="button"
              role="tab"
              aria-selected={kind === t.kind}
              className={kind === t.kind ? 'segment active' : 'segment'}
              onClick={() => {
                setKind(t.kind)
                setCreated(undefined)
              }}
            >
              {t.label}
            </button>
          ))}
        </div>
        {created && (
          <Alert kind="success" action={created.path && <Link className="button button-small" to={created.path} onClick={onClose}>Open</Link>}>
            {created.label}
          </Alert>
        )}
        {kind === 'deal' && <QuickDeal onClose={onClose} onCreated={setCreated} />}
        {kind === 'contact' && <QuickContact onClose={onClose} onCreated={setCreated} />}
        {kind === 'activity' && <QuickActivity onClose={onClose} onCreated={setCreated} />}
      </div>
    </Modal>
  )
}

interface FormProps {
  onClose: () => void
  onCreated: (c: { label: string; path?: string }) => void
}

function Actions({ onClose, busy, label }: { onClose: () => void; busy: boolean; label: string }) {
  return (
    <div className="modal-actions">
      <button type="button" className="button" onClick={onClose}>
        Close
      </button>
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Adding…' : label}
      </button>
    </div>
  )
}

function QuickDeal({ onClose, onCreated }: FormProps) {
  const create = useCreateDeal()
  const [key, setKey] = useState(idempotencyKey)
  const [name, setName] = useState('')
  const [amount, setAmount] = useState('')
  const [account, setAccount] = useState('')
  const [closeDate, setCloseDate] = useState('')
  const [local, setLocal] = useState<Record<string, string>>({})
  const errs = formErrors(create.error ?? undefined, ['name', 'amount', 'account_id', 'close_date'])
  const fields = { ...errs.fields, ...local }
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        const minor = amount.trim() ? parseMoney(amount, 'USD') : undefined
        if (amount.trim() && (minor === null || minor === undefined)) {
          setLocal({ amount: 'Enter an amount such as 12,500.' })
          return
        }
        setLocal({})
        create.mutate(
          {
            key,
            body: {
              name,
              amount: minor ?? undefined,
              account_id: account ? Number(account) : undefined,
              close_date: closeDate || undefined,
            },
          },
          {
            onSuccess: (d) => {
              onCreated({ label: `${d.name} was added to ${d.stage_name}.`, path: recordPath('deal', d.id) })
              setName('')
              setAmount('')
              setAccount('')
              setCloseDate('')
              setKey(idempotencyKey())
            },
          },
        )
      }}
    >
      {errs.form && <Alert>{errs.form}</Alert>}
      <Field label="Deal name" error={fields.name}>
        {(p) => <input {...p} autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Acme — 50 seats" />}
      </Field>
      <div className="form-grid form-grid-2">
        <Field label="Amount" hint="Optional; in the workspace currency" error={fields.amount}>
          {(p) => <input {...p} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />}
        </Field>
        <Field label="Close date" hint="Optional; guessed if left empty" error={fields.close_date}>
          {(p) => <input {...p} type="date" value={closeDate} onChange={(e) => setCloseDate(e.target.value)} />}
        </Field>
      </div>
      <Field label="Account" hint="Optional" error={fields.account_id}>
        {(p) => <RecordPicker {...p} type="account" value={account} onChange={setAccount} />}
      </Field>
      <Actions onClose={onClose} busy={create.isPending} label="Add deal" />
    </form>
  )
}

function QuickContact({ onClose, onCreated }: FormProps) {
  const create = useCreateContact()
  const [key, setKey] = useState(idempotencyKey)
  const [first, setFirst] = useState('')
  const [last, setLast] = useState('')
  const [email, setEmail] = useState('')
  const [account, setAccount] = useState('')
  const errs = formErrors(create.error ?? undefined, ['first_name', 'last_name', 'email', 'account_id'])
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        create.mutate(
          { key, body: { first_name: first, last_name: last, email: email || undefined, account_id: account ? Number(account) : undefined } },
          {
            onSuccess: (c) => {
              onCreated({ label: `${`${c.first_name} ${c.last_name}`.trim()} was added.`, path: recordPath('contact', c.id) })
              setFirst('')
              setLast('')
              setEmail('')
              setKey(idempotencyKey())
            },
          },
        )
      }}
    >
      {errs.form && <Alert>{errs.form}</Alert>}
      <div className="form-grid form-grid-2">
        <Field label="First name" error={errs.fields.first_name}>
          {(p) => <input {...p} autoFocus value={first} onChange={(e) => setFirst(e.target.value)} />}
        </Field>
        <Field label="Last name" error={errs.fields.last_name}>
          {(p) => <input {...p} value={last} onChange={(e) => setLast(e.target.value)} />}
        </Field>
      </div>
      <Field label="Email" hint="Optional" error={errs.fields.email}>
        {(p) => <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <Field label="Account" hint="Optional" error={errs.fields.account_id}>
        {(p) => <RecordPicker {...p} type="account" value={account} onChange={setAccount} />}
      </Field>
      <Actions onClose={onClose} busy={create.isPending} label="Add contact" />
    </form>
  )
}

function QuickActivity({ onClose, onCreated }: FormProps) {
  const types = useActivityTypes()
  const log = useLogActivity()
  const [key, setKey] = useState(idempotencyKey)
  const [type, setType] = useState('')
  const [subject, setSubject] = useState('')
  const [outcome, setOutcome] = useState('')
  const [record, setRecord] = useState<SearchResult>()
  const [recordId, setRecordId] = useState('')
  const [local, setLocal] = useState<string>()
  const errs = formErrors(log.error ?? undefined, ['type', 'subject', 'outcome'])
  const chosenType = type || types.data?.[0]?.key || ''
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        if (!record || !recordId) {
          setLocal('Choose the deal, contact, account or lead it was about.')
          return
        }
        setLocal(undefined)
        log.mutate(
          {
            key,
            body: {
              type: chosenType,
              subject: subject || undefined,
              outcome: outcome || undefined,
              [`${record.type}_id`]: record.id,
            },
          },
          {
            onSuccess: (a) => {
              onCreated({ label: `${a.type_name} logged on ${record.title}.`, path: recordPath(record.type, record.id) })
              setSubject('')
              setOutcome('')
              setKey(idempotencyKey())
            },
          },
        )
      }}
    >
      {errs.form && <Alert>{errs.form}</Alert>}
      <fieldset className="field">
        <legend>Type</legend>
        <div className="chips">
          {(types.data ?? []).map((t) => (
            <label key={t.key} className={chosenType === t.key ? 'chip active' : 'chip'}>
              <input type="radio" name="activity-type" value={t.key} checked={chosenType === t.key} onChange={() => setType(t.key)} />
              {t.name}
            </label>
          ))}
        </div>
      </fieldset>
      <Field label="About" error={local}>
        {(p) => (
          <RecordPicker
            {...p}
            type="any"
            value={recordId}
            onChange={(id, r) => {
              setRecordId(id)
              setRecord(r)
            }}
          />
        )}
      </Field>
      <Field label="Subject" hint="Optional" error={errs.fields.subject}>
        {(p) => <input {...p} value={subject} onChange={(e) => setSubject(e.target.value)} />}
      </Field>
      <Field label="Outcome" hint="Optional: what came of it" error={errs.fields.outcome}>
        {(p) => <input {...p} value={outcome} onChange={(e) => setOutcome(e.target.value)} />}
      </Field>
      <Actions onClose={onClose} busy={log.isPending} label="Log activity" />
    </form>
  )
}
