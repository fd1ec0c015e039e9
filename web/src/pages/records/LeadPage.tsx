import { useRecord, type Lead } from '../../api/sales'
import { PageHeader } from '../../components/PageHeader'
import { Alert } from '../../components/States'
import { EditableFields, RecordLink, useCustomDefs, type FieldDef } from './EditableFields'
import { RecordGrid, RecordState, useRecordId } from './RecordLayout'
import { Timeline } from './Timeline'

const leadFields: FieldDef[] = [
  { field: 'first_name', label: 'First name', kind: 'text' },
  { field: 'last_name', label: 'Last name', kind: 'text' },
  { field: 'company', label: 'Company', kind: 'text' },
  { field: 'title', label: 'Job title', kind: 'text' },
  { field: 'email', label: 'Email', kind: 'email' },
  { field: 'phone', label: 'Phone', kind: 'text' },
  { field: 'website', label: 'Website', kind: 'url' },
  { field: 'industry', label: 'Industry', kind: 'picklist', picklist: 'industry' },
  { field: 'source', label: 'Source', kind: 'picklist', picklist: 'lead_source', help: 'Where the lead came from; feeds lead-generation goals' },
  { field: 'status', label: 'Status', kind: 'readonly' },
  { field: 'owner_id', label: 'Owner', kind: 'user' },
]

/** LeadPage is one lead: its fields and timeline, and what it became once converted. */
export function LeadPage() {
  const id = useRecordId()
  const lead = useRecord<Lead>('lead', id)
  return (
    <RecordState query={lead} noun="lead">
      {(l) => <LeadView lead={l} />}
    </RecordState>
  )
}

function LeadView({ lead }: { lead: Lead }) {
  const custom = useCustomDefs('lead')
  const name = `${lead.first_name} ${lead.last_name}`.trim() || lead.company || lead.email
  const converted = lead.converted_at !== null
  const defs = converted ? [...leadFields, ...custom].map((f) => ({ ...f, locked: f.locked ?? 'Converted leads keep their values' })) : [...leadFields, ...custom]
  return (
    <>
      <PageHeader title={name} description={[lead.title, lead.company].filter(Boolean).join(' at ') || 'Lead'} />
      {converted && (
        <Alert kind="success">
          Converted
          {lead.converted_account_id !== null && (
            <>
              {' '}
              into <RecordLink kind="account" id={lead.converted_account_id} />
            </>
          )}
          {lead.converted_contact_id !== null && (
            <>
              , <RecordLink kind="contact" id={lead.converted_contact_id} />
            </>
          )}
          {lead.converted_deal_id !== null && (
            <>
              {' '}
              and <RecordLink kind="deal" id={lead.converted_deal_id} />
            </>
          )}
          .
        </Alert>
      )}
      <RecordGrid side={<Timeline kind="lead" id={lead.id} />}>
        <section className="card" aria-labelledby="l-fields">
          <div className="card-header">
            <h2 id="l-fields">Details</h2>
          </div>
          <EditableFields kind="lead" record={lead} defs={defs} />
        </section>
      </RecordGrid>
    </>
  )
}
