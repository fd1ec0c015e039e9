import { Link } from 'react-router'
import { useAccountContacts, useAccountMap, useRecord, useRelatedDeals, type Account, type AccountMap } from '../../api/sales'
import { PageHeader } from '../../components/PageHeader'
import { Alert, EmptyState, ErrorState, Loading } from '../../components/States'
import { formatDate } from '../../lib/format'
import { formatMoney } from '../../lib/money'
import { EditableFields, useCustomDefs, type FieldDef } from './EditableFields'
import { RecordGrid, RecordState, useRecordId } from './RecordLayout'
import { Timeline } from './Timeline'
import { roleLabel } from './roles'

const accountFields: FieldDef[] = [
  { field: 'name', label: 'Name', kind: 'text' },
  { field: 'website', label: 'Website', kind: 'url' },
  { field: 'domain', label: 'Domain', kind: 'text' },
  { field: 'industry', label: 'Industry', kind: 'picklist', picklist: 'industry' },
  { field: 'size', label: 'Size', kind: 'picklist', picklist: 'company_size' },
  { field: 'country', label: 'Country', kind: 'text', help: 'Two-letter code, e.g. DE' },
  { field: 'city', label: 'City', kind: 'text' },
  { field: 'parent_id', label: 'Part of', kind: 'account', nullable: true },
  { field: 'owner_id', label: 'Owner', kind: 'user' },
]

/** AccountPage is one account: its fields, the account map, its deals and people, and its timeline. */
export function AccountPage() {
  const id = useRecordId()
  const account = useRecord<Account>('account', id)
  return (
    <RecordState query={account} noun="account">
      {(a) => <AccountView account={a} />}
    </RecordState>
  )
}

function AccountView({ account }: { account: Account }) {
  const custom = useCustomDefs('account')
  return (
    <>
      <PageHeader
        title={account.name}
        description={[account.domain, account.city, account.country].filter(Boolean).join(' · ') || 'Account'}
      />
      <RecordGrid side={<Timeline kind="account" id={account.id} />}>
        <AccountMapCard id={account.id} />
        <section className="card" aria-labelledby="acc-fields">
          <div className="card-header">
            <h2 id="acc-fields">Details</h2>
          </div>
          <EditableFields kind="account" record={account} defs={[...accountFields, ...custom]} />
        </section>
        <AccountDeals id={account.id} />
        <AccountPeople id={account.id} />
      </RecordGrid>
    </>
  )
}

function AccountMapCard({ id }: { id: number }) {
  const map = useAccountMap(id)
  return (
    <section className="card" aria-labelledby="acc-map">
      <div className="card-header">
        <h2 id="acc-map">Account map</h2>
      </div>
      {map.isPending ? <Loading /> : map.isError ? <ErrorState error={map.error} retry={() => void map.refetch()} /> : <MapBody map={map.data} />}
    </section>
  )
}

function MapBody({ map }: { map: AccountMap }) {
  const flagged = map.deals.filter((d) => d.missing_decision_maker)
  return (
    <>
      {map.missing_decision_maker && (
        <Alert kind="warning">
          No decision maker is known at this account
          {flagged.length > 0 ? ` for ${flagged.map((d) => d.name).join(', ')}` : ''}. Who signs?
        </Alert>
      )}
      {map.roles.length === 0 && map.unmapped.length === 0 ? (
        <EmptyState title="Nobody mapped yet">Add contacts and give them buying roles to see who decides, who champions, who blocks.</EmptyState>
      ) : (
        <div className="map-grid">
          {map.roles.map((g) => (
            <div key={g.role} className={`map-role role-${g.role}`}>
              <h3>{roleLabel(g.role)}</h3>
              <ul>
                {g.people.map((p) => (
                  <li key={p.id}>
                    <Link to={`/contacts/${p.contact_id}`}>{p.contact?.name ?? `Contact ${p.contact_id}`}</Link>
                    <span className="muted">
                      {[p.contact?.title, p.influence && `${p.influence} influence`, p.attitude].filter(Boolean).join(' · ')}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          {map.unmapped.length > 0 && (
            <div className="map-role role-unmapped">
              <h3>No role yet</h3>
              <ul>
                {map.unmapped.map((c) => (
                  <li key={c.id}>
                    <Link to={`/contacts/${c.id}`}>{c.name}</Link>
                    <span className="muted">{c.title}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </>
  )
}

function AccountDeals({ id }: { id: number }) {
  const deals = useRelatedDeals({ account_id: id })
  return (
    <section className="card" aria-labelledby="acc-deals">
      <div className="card-header">
        <h2 id="acc-deals">Deals</h2>
      </div>
      {deals.isPending ? (
        <Loading />
      ) : deals.isError ? (
        <ErrorState error={deals.error} />
      ) : deals.data.length === 0 ? (
        <p className="card-empty">No deals with this account yet.</p>
      ) : (
        <ul className="related-list">
          {deals.data.map((d) => (
            <li key={d.id}>
              <Link to={`/deals/${d.id}`}>{d.name}</Link>
              <span className="muted">
                {d.stage_name} · closes {formatDate(d.close_date + 'T12:00:00Z')}
              </span>
              <span className="strong">{formatMoney(d.amount, d.currency)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function AccountPeople({ id }: { id: number }) {
  const people = useAccountContacts(id)
  return (
    <section className="card" aria-labelledby="acc-people">
      <div className="card-header">
        <h2 id="acc-people">Contacts</h2>
      </div>
      {people.isPending ? (
        <Loading />
      ) : people.isError ? (
        <ErrorState error={people.error} />
      ) : people.data.length === 0 ? (
        <p className="card-empty">No contacts at this account yet. Use Quick add to add one.</p>
      ) : (
        <ul className="related-list">
          {people.data.map((c) => (
            <li key={c.id}>
              <Link to={`/contacts/${c.id}`}>{`${c.first_name} ${c.last_name}`.trim()}</Link>
              <span className="muted">{c.title}</span>
              <span className="muted">{c.email}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
