import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { formErrors } from '../../api/problem'
import { useConvertLead, useSearch, type LeadConversionResult, type Row } from '../../api/lists'
import { Field } from '../../components/Field'
import { Modal } from '../../components/Modal'
import { Alert } from '../../components/States'
import { parseMoney } from '../../lib/money'

type Choice = { mode: 'auto' } | { mode: 'pick'; id: number; title: string }

/**
 * ConvertLeadDialog turns a lead into an account and a contact (matched to
 * existing ones, or new) and optionally a deal, in one step that either
 * fully happens or not at all.
 */
export function ConvertLeadDialog({ lead, onClose }: { lead: Row; onClose: () => void }) {
  const convert = useConvertLead()
  const company = typeof lead.company === 'string' ? lead.company : ''
  const person = [lead.first_name, lead.last_name].filter((x) => typeof x === 'string' && x).join(' ')
  const [account, setAccount] = useState<Choice>({ mode: 'auto' })
  const [contact, setContact] = useState<Choice>({ mode: 'auto' })
  const [withDeal, setWithDeal] = useState(true)
  const [dealName, setDealName] = useState(company || person)
  const [amount, setAmount] = useState('')
  const [closeDate, setCloseDate] = useState('')
  const [amountError, setAmountError] = useState('')
  const [done, setDone] = useState<LeadConversionResult | null>(null)
  const errors = formErrors(convert.error, ['account_id', 'contact_id', 'name', 'amount', 'close_date'])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    let minor: number | undefined
    if (withDeal && amount.trim()) {
      const m = parseMoney(amount, 'USD')
      if (m === null || m === undefined) {
        setAmountError('Type an amount, e.g. 25,000.')
        return
      }
      minor = m
    }
    setAmountError('')
    convert.mutate(
      {
        id: lead.id,
        body: {
          account_id: account.mode === 'pick' ? account.id : undefined,
          contact_id: contact.mode === 'pick' ? contact.id : undefined,
          create_deal: withDeal
            ? { name: dealName.trim() || undefined, amount: minor, close_date: closeDate || undefined }
            : undefined,
        },
      },
      { onSuccess: setDone },
    )
  }

  if (done) {
    return (
      <Modal title="Lead converted" onClose={onClose}>
        <div className="modal-body">
          <Alert kind="success">
            {person || company || 'The lead'} is now a contact{done.account ? ` at ${done.account.name}` : ''}.
          </Alert>
          <ul className="convert-result">
            {done.account && (
              <li>
                Account: <Link to={`/accounts/${done.account.id}`}>{done.account.name}</Link>{' '}
                <span className="muted">({matchWords(done.account_match)})</span>
              </li>
            )}
            {done.contact && (
              <li>
                Contact:{' '}
                <Link to={`/contacts/${done.contact.id}`}>
                  {[done.contact.first_name, done.contact.last_name].filter(Boolean).join(' ') || done.contact.email}
                </Link>{' '}
                <span className="muted">({matchWords(done.contact_match)})</span>
              </li>
            )}
            {done.deal && (
              <li>
                Deal: <Link to={`/deals/${done.deal.id}`}>{done.deal.name}</Link>{' '}
                <span className="muted">(new, in {done.deal.stage_name})</span>
              </li>
            )}
          </ul>
          <div className="modal-actions">
            <button type="button" className="button button-primary" onClick={onClose} autoFocus>
              Done
            </button>
          </div>
        </div>
      </Modal>
    )
  }

  return (
    <Modal title={`Convert ${person || company || 'lead'}`} onClose={onClose} wide>
      <form className="modal-body" onSubmit={submit} noValidate>
        {errors.form && <Alert>{errors.form}</Alert>}
        <p>
          Attain finds the account by the lead’s website domain or company name and the contact by email, and creates
          them when there is no match. Pick existing records yourself if you know better.
        </p>
        <RecordChoice
          legend="Account"
          type="account"
          autoLabel={company ? `Match or create “${company}”` : 'Match by domain, or no account'}
          value={account}
          onChange={setAccount}
          error={errors.fields.account_id}
        />
        <RecordChoice
          legend="Contact"
          type="contact"
          autoLabel={`Match by email or create ${person || 'a contact'}`}
          value={contact}
          onChange={setContact}
          error={errors.fields.contact_id}
        />
        <fieldset className="field">
          <legend>Deal</legend>
          <label className="choice">
            <input type="checkbox" checked={withDeal} onChange={(e) => setWithDeal(e.target.checked)} />
            <span>
              <span className="choice-title">Create a deal</span>
              <span className="choice-help">On the account, with the contact as primary contact, in the first stage.</span>
            </span>
          </label>
          {withDeal && (
            <div className="form-grid">
              <Field label="Deal name" error={errors.fields.name}>
                {(p) => <input {...p} value={dealName} onChange={(e) => setDealName(e.target.value)} />}
              </Field>
              <Field label="Amount" error={amountError || errors.fields.amount} hint="Optional; in the workspace currency.">
                {(p) => <input {...p} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />}
              </Field>
              <Field label="Close date" error={errors.fields.close_date} hint="Optional; Attain estimates one.">
                {(p) => <input {...p} type="date" value={closeDate} onChange={(e) => setCloseDate(e.target.value)} />}
              </Field>
            </div>
          )}
        </fieldset>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={convert.isPending}>
            {convert.isPending ? 'Converting…' : 'Convert lead'}
          </button>
        </div>
      </form>
    </Modal>
  )
}

function matchWords(m?: string): string {
  if (!m) {
    return 'new'
  }
  if (m === 'given') {
    return 'the one you picked'
  }
  return m === 'created' ? 'new' : `matched by ${m}`
}

function RecordChoice({
  legend,
  type,
  autoLabel,
  value,
  onChange,
  error,
}: {
  legend: string
  type: 'account' | 'contact'
  autoLabel: string
  value: Choice
  onChange: (c: Choice) => void
  error?: string
}) {
  const [q, setQ] = useState('')
  const search = useSearch(value.mode === 'pick' ? '' : q, type)
  const [picking, setPicking] = useState(false)
  const name = `choice-${type}`
  return (
    <fieldset className={error ? 'field field-invalid' : 'field'}>
      <legend>{legend}</legend>
      <div className="choice-list">
        <label className="choice">
          <input
            type="radio"
            name={name}
            checked={value.mode === 'auto' && !picking}
            onChange={() => {
              setPicking(false)
              onChange({ mode: 'auto' })
            }}
          />
          <span className="choice-title">{autoLabel}</span>
        </label>
        <label className="choice">
          <input type="radio" name={name} checked={value.mode === 'pick' || picking} onChange={() => setPicking(true)} />
          <span className="choice-title">
            {value.mode === 'pick' ? `Use ${value.title}` : `Pick an existing ${type}`}
          </span>
        </label>
      </div>
      {picking && value.mode !== 'pick' && (
        <div className="picker">
          <input
            type="search"
            aria-label={`Find an ${type}`}
            placeholder={`Type a name${type === 'contact' ? ' or email' : ' or domain'}`}
            value={q}
            autoFocus
            onChange={(e) => setQ(e.target.value)}
          />
          {search.data && search.data.length > 0 && (
            <ul className="picker-results">
              {search.data.map((r) => (
                <li key={r.id}>
                  <button
                    type="button"
                    onClick={() => {
                      onChange({ mode: 'pick', id: r.id, title: r.title })
                      setPicking(false)
                    }}
                  >
                    <span className="strong">{r.title}</span> <span className="muted">{r.subtitle}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {search.data && search.data.length === 0 && <p className="muted small">No {type} matches “{q}”.</p>}
        </div>
      )}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  )
}
