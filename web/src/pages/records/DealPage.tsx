import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'react-router'
import { ApiError, errorMessage } from '../../api/problem'
import { moveDeal, salesKeys, useDealContacts, usePipelines, useRecord, type Deal, type Stage } from '../../api/sales'
import type { FieldError } from '../../api/types'
import { PageHeader } from '../../components/PageHeader'
import { Alert, EmptyState } from '../../components/States'
import { formatMoney } from '../../lib/money'
import { ExitCriteriaDialog } from '../board/ExitCriteriaDialog'
import { EditableFields, RecordLink, useCustomDefs, type FieldDef } from './EditableFields'
import { RecordGrid, RecordState, useRecordId } from './RecordLayout'
import { Timeline } from './Timeline'
import { roleLabel } from './roles'

const dealFields: FieldDef[] = [
  { field: 'name', label: 'Name', kind: 'text' },
  { field: 'amount', label: 'Amount', kind: 'money' },
  { field: 'close_date', label: 'Expected close', kind: 'date' },
  { field: 'next_step', label: 'Next step', kind: 'text' },
  { field: 'account_id', label: 'Account', kind: 'account', nullable: true },
  { field: 'primary_contact_id', label: 'Primary contact', kind: 'contact', nullable: true },
  { field: 'owner_id', label: 'Owner', kind: 'user' },
  {
    field: 'forecast_category',
    label: 'Forecast category',
    kind: 'select',
    options: [
      { value: 'pipeline', label: 'Pipeline' },
      { value: 'best_case', label: 'Best case' },
      { value: 'commit', label: 'Commit' },
      { value: 'omitted', label: 'Omitted' },
      { value: 'closed_won', label: 'Closed won' },
      { value: 'closed_lost', label: 'Closed lost' },
    ],
    nullable: true,
    help: 'Where the deal counts in your forecast; “Not set” follows the stage',
  },
]

/** DealPage is one deal: where it stands, its fields, lines, buying roles and timeline. */
export function DealPage() {
  const id = useRecordId()
  const deal = useRecord<Deal>('deal', id)
  return (
    <RecordState query={deal} noun="deal">
      {(d) => <DealView deal={d} />}
    </RecordState>
  )
}

function DealView({ deal }: { deal: Deal }) {
  const custom = useCustomDefs('deal')
  const pipelines = usePipelines()
  const pipeline = pipelines.data?.find((p) => p.id === deal.pipeline_id)
  const defs = dealFields.map((f) =>
    f.field === 'amount' && (deal.lines?.length ?? 0) > 0 ? { ...f, locked: 'Computed from the line items' } : f,
  )
  return (
    <>
      <PageHeader
        title={deal.name}
        description={
          <>
            {deal.status === 'open' ? `${deal.stage_name} · ${deal.probability ?? 0}% likely` : deal.status === 'won' ? 'Won' : 'Lost'} ·{' '}
            <span className="strong">{formatMoney(deal.amount, deal.currency)}</span>
            {deal.account_id !== null && (
              <>
                {' '}
                · <RecordLink kind="account" id={deal.account_id} />
              </>
            )}
          </>
        }
        actions={<Link to={`/board?pipeline=${deal.pipeline_id}`} className="button">Pipeline</Link>}
      />
      {pipeline && <StagePath deal={deal} stages={pipeline.stages.filter((s) => !s.archived_at)} />}
      <RecordGrid side={<Timeline kind="deal" id={deal.id} currency={deal.currency} />}>
        <section className="card" aria-labelledby="deal-fields">
          <div className="card-header">
            <h2 id="deal-fields">Details</h2>
          </div>
          <EditableFields kind="deal" record={deal} defs={[...defs, ...custom]} />
        </section>
        <Lines deal={deal} />
        <BuyingRoles deal={deal} />
      </RecordGrid>
    </>
  )
}

/** StagePath shows the deal's stages in order; choosing one moves the deal, asking for what its exit criteria need. */
function StagePath({ deal, stages }: { deal: Deal; stages: Stage[] }) {
  const qc = useQueryClient()
  const [pending, setPending] = useState<{ target: Stage; errors: FieldError[] }>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState<number>()
  const current = stages.find((s) => s.id === deal.stage_id)
  const refresh = (d: Deal) => {
    qc.setQueryData(salesKeys.record('deal', d.id), d)
    void qc.invalidateQueries({ queryKey: salesKeys.deals })
  }
  const go = async (target: Stage) => {
    setError(undefined)
    setBusy(target.id)
    try {
      refresh(await moveDeal(deal, { stage_id: target.id }))
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.problem?.errors?.some((e) => e.field !== 'stage_id')) {
        setPending({ target, errors: err.problem.errors })
      } else {
        setError(errorMessage(err))
      }
    } finally {
      setBusy(undefined)
    }
  }
  return (
    <nav className="stage-path" aria-label="Stages">
      <ol>
        {stages.map((s) => {
          const done = current && s.outcome === 'open' && s.position < current.position
          const here = s.id === deal.stage_id
          return (
            <li key={s.id} className={[here ? 'here' : '', done ? 'done' : '', `outcome-${s.outcome}`].join(' ')}>
              <button type="button" aria-current={here ? 'step' : undefined} disabled={here || busy !== undefined} onClick={() => void go(s)} title={s.description}>
                {s.name}
              </button>
            </li>
          )
        })}
      </ol>
      {error && <Alert>{error}</Alert>}
      {pending && (
        <ExitCriteriaDialog
          deal={deal}
          target={pending.target}
          errors={pending.errors}
          onClose={() => setPending(undefined)}
          onMoved={(d) => {
            setPending(undefined)
            refresh(d)
            void qc.invalidateQueries({ queryKey: ['deals', d.id] })
          }}
        />
      )}
    </nav>
  )
}

function Lines({ deal }: { deal: Deal }) {
  const lines = deal.lines ?? []
  return (
    <section className="card" aria-labelledby="deal-lines" id="lines">
      <div className="card-header">
        <h2 id="deal-lines">Line items</h2>
      </div>
      {lines.length === 0 ? (
        <p className="card-empty">No line items: the amount is typed. Add products through the API or an import to compute it from lines.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col" className="num">Qty</th>
                <th scope="col" className="num">Unit price</th>
                <th scope="col" className="num">Discount</th>
                <th scope="col" className="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.id}>
                  <td>{l.description || `Product ${l.product_id}`}</td>
                  <td className="num">{l.quantity}</td>
                  <td className="num">{formatMoney(l.unit_price, deal.currency)}</td>
                  <td className="num">{l.discount_bp ? `${l.discount_bp / 100}%` : '—'}</td>
                  <td className="num">{formatMoney(l.amount, deal.currency)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={4}>
                  Total{deal.margin !== null ? ` · margin ${formatMoney(deal.margin, deal.currency)}` : ''}
                </th>
                <td className="num strong">{formatMoney(deal.amount, deal.currency)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  )
}

function BuyingRoles({ deal }: { deal: Deal }) {
  const people = useDealContacts(deal.id)
  const list = people.data ?? []
  const hasDecider = list.some((r) => r.role === 'decision_maker' || r.role === 'economic_buyer')
  return (
    <section className="card" aria-labelledby="deal-roles">
      <div className="card-header">
        <h2 id="deal-roles">People and buying roles</h2>
      </div>
      {!people.isPending && !hasDecider && deal.status === 'open' && (
        <Alert kind="warning">No decision maker is known for this deal. Who signs?</Alert>
      )}
      {people.isPending ? null : list.length === 0 ? (
        <EmptyState title="Nobody mapped yet">Give a contact a buying role on this deal from the contact’s page.</EmptyState>
      ) : (
        <ul className="people-list">
          {list.map((r) => (
            <li key={r.id}>
              <div className="person">
                <Link to={`/contacts/${r.contact_id}`} className="person-name">
                  {r.contact?.name ?? `Contact ${r.contact_id}`}
                </Link>
                <span className="person-sub">{r.contact?.title}</span>
              </div>
              <span className={`badge role-${r.role}`}>{roleLabel(r.role)}</span>
              {r.attitude && <span className={`badge attitude-${r.attitude}`}>{r.attitude}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
