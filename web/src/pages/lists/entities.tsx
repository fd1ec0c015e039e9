// What each list shows: its columns (how to render, sort and filter each),
// the columns shown before anyone chooses, and what bulk edits it allows.
// Field names are the API's, so filters and sorts go to the server as is.
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import type { User, Team } from '../../api/types'
import type { CustomField, Entity, Pipeline, Row, Stage } from '../../api/lists'
import { formatDate, formatDateTime } from '../../lib/format'
import { formatMoney } from '../../lib/money'

/** How a column's filter takes its value. */
export type FilterKind = 'picklist' | 'text' | 'money' | 'number' | 'date' | 'time' | 'user' | 'team' | 'stage' | 'pipeline' | 'choice' | 'bool'

/** What a cell needs besides its row: names of the things rows point at. */
export interface RenderContext {
  users: Map<number, User>
  teams: Map<number, Team>
  stages: Map<number, Stage & { pipeline: string }>
  pipelines: Pipeline[]
  names: Map<string, Map<number, string>>
  /** Picklist labels by list and value. */
  picklists: Map<string, Map<string, string>>
  currency: string
}

/** ColumnDef is one column a list can show. */
export interface ColumnDef {
  key: string
  label: string
  /** The field the server sorts by when this column's header is clicked. */
  sort?: string
  /** The field and kind of the filter this column offers. */
  filter?: { field: string; kind: FilterKind; choices?: { value: string; label: string }[]; list?: string }
  numeric?: boolean
  /** What the column holds, shown when the header is hovered (a custom field's purpose). */
  title?: string
  render: (row: Row, ctx: RenderContext) => ReactNode
}

/** EntityDef describes one list. */
export interface EntityDef {
  entity: Entity
  title: string
  one: string
  description: string
  /** The custom fields' entity_type. */
  customType?: 'deal' | 'account' | 'contact' | 'lead'
  columns: ColumnDef[]
  defaultColumns: string[]
  /** The field a quick "find" box filters with [prefix]. */
  findField?: string
  /** What bulk edit can change: the owner, and for deals the stage. */
  bulk: ('owner' | 'stage')[]
  /** Common filters, one click away. */
  presets?: { label: string; query: string }[]
  /** The record page of a row, when there is one. */
  href?: (row: Row) => string
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')
const num = (v: unknown) => (typeof v === 'number' ? v : undefined)

function personName(row: Row): string {
  return [str(row.first_name), str(row.last_name)].filter(Boolean).join(' ') || str(row.email) || `#${row.id}`
}

const owner: ColumnDef = {
  key: 'owner_id',
  label: 'Owner',
  filter: { field: 'owner_id', kind: 'user' },
  render: (r, ctx) => ctx.users.get(num(r.owner_id) ?? 0)?.name ?? '',
}
const team: ColumnDef = {
  key: 'team_id',
  label: 'Team',
  filter: { field: 'team_id', kind: 'team' },
  render: (r, ctx) => ctx.teams.get(num(r.team_id) ?? 0)?.name ?? '',
}
const created: ColumnDef = {
  key: 'created_at',
  label: 'Created',
  sort: 'created_at',
  filter: { field: 'created_at', kind: 'time' },
  render: (r) => formatDate(str(r.created_at)),
}
const updated: ColumnDef = {
  key: 'updated_at',
  label: 'Updated',
  sort: 'updated_at',
  filter: { field: 'updated_at', kind: 'time' },
  render: (r) => formatDate(str(r.updated_at)),
}
const accountRef: ColumnDef = {
  key: 'account_id',
  label: 'Account',
  filter: { field: 'account_id', kind: 'number' },
  render: (r, ctx) => {
    const id = num(r.account_id)
    return id ? <Link to={`/accounts/${id}`}>{ctx.names.get('accounts')?.get(id) ?? `Account #${id}`}</Link> : ''
  },
}
const text = (key: string, label: string, sortable = false, filterable = true): ColumnDef => ({
  key,
  label,
  sort: sortable ? key : undefined,
  filter: filterable ? { field: key, kind: 'text' } : undefined,
  render: (r) => str(r[key]),
})

const pick = (key: string, label: string, list: string): ColumnDef => ({
  key,
  label,
  filter: { field: key, kind: 'picklist', list },
  render: (r, ctx) => {
    const v = str(r[key])
    return v ? (ctx.picklists.get(list)?.get(v) ?? v) : ''
  },
})

const statusChoices = (vals: string[]) => vals.map((v) => ({ value: v, label: v.charAt(0).toUpperCase() + v.slice(1).replace(/_/g, ' ') }))

export const forecastChoices = statusChoices(['pipeline', 'best_case', 'commit', 'closed_won', 'omitted', 'closed_lost'])

export const entities: Record<Entity, EntityDef> = {
  deals: {
    entity: 'deals',
    title: 'Deals',
    one: 'deal',
    description: 'Every deal you can see. Filter, sort and choose columns, save the view, change owners or stages in bulk, export what you see.',
    customType: 'deal',
    findField: 'name',
    bulk: ['owner', 'stage'],
    presets: [
      { label: 'Open', query: 'status=open&sort=close_date' },
      { label: 'Commit', query: 'forecast_category=commit&status=open&sort=close_date' },
      { label: 'Won', query: 'status=won&sort=-updated_at' },
    ],
    href: (r) => `/deals/${r.id}`,
    defaultColumns: ['name', 'account_id', 'stage_id', 'amount', 'close_date', 'owner_id', 'forecast_category'],
    columns: [
      { key: 'name', label: 'Deal', sort: 'name', filter: { field: 'name', kind: 'text' }, render: (r) => str(r.name) },
      accountRef,
      {
        key: 'stage_id',
        label: 'Stage',
        filter: { field: 'stage_id', kind: 'stage' },
        render: (r, ctx) => str(r.stage_name) || ctx.stages.get(num(r.stage_id) ?? 0)?.name || '',
      },
      {
        key: 'pipeline_id',
        label: 'Pipeline',
        filter: { field: 'pipeline_id', kind: 'pipeline' },
        render: (r, ctx) => ctx.pipelines.find((p) => p.id === r.pipeline_id)?.name ?? '',
      },
      {
        key: 'amount',
        label: 'Amount',
        sort: 'amount',
        numeric: true,
        filter: { field: 'amount', kind: 'money' },
        render: (r) => formatMoney(num(r.amount), str(r.currency) || 'USD'),
      },
      {
        key: 'close_date',
        label: 'Close date',
        sort: 'close_date',
        filter: { field: 'close_date', kind: 'date' },
        render: (r) => (
          <span title={r.close_date_estimated ? 'Estimated: nobody has confirmed this date yet' : undefined}>
            {formatDate(str(r.close_date))}
            {r.close_date_estimated ? <span className="muted"> (est.)</span> : null}
          </span>
        ),
      },
      {
        key: 'probability',
        label: 'Probability',
        sort: 'probability',
        numeric: true,
        filter: { field: 'probability', kind: 'number' },
        render: (r) => (num(r.probability) === undefined ? '' : `${num(r.probability)}%`),
      },
      {
        key: 'status',
        label: 'Status',
        filter: { field: 'status', kind: 'choice', choices: statusChoices(['open', 'won', 'lost']) },
        render: (r) => <span className={`badge badge-status-${str(r.status)}`}>{str(r.status)}</span>,
      },
      {
        key: 'forecast_category',
        label: 'Forecast',
        filter: { field: 'forecast_category', kind: 'choice', choices: forecastChoices },
        render: (r) => forecastChoices.find((c) => c.value === r.forecast_category)?.label ?? str(r.forecast_category),
      },
      owner,
      team,
      text('next_step', 'Next step', false, false),
      {
        key: 'stage_entered_at',
        label: 'In stage since',
        sort: 'stage_entered_at',
        render: (r) => formatDate(str(r.stage_entered_at)),
      },
      {
        key: 'last_activity_at',
        label: 'Last activity',
        render: (r) => formatDate(str(r.last_activity_at)),
      },
      created,
      updated,
    ],
  },
  accounts: {
    entity: 'accounts',
    title: 'Accounts',
    one: 'account',
    description: 'The companies you sell to. Filter by industry, size or region; hand accounts to another owner in bulk.',
    customType: 'account',
    findField: 'name',
    bulk: ['owner'],
    href: (r) => `/accounts/${r.id}`,
    defaultColumns: ['name', 'domain', 'industry', 'size', 'country', 'owner_id'],
    columns: [
      { key: 'name', label: 'Account', sort: 'name', filter: { field: 'name', kind: 'text' }, render: (r) => str(r.name) },
      text('domain', 'Domain'),
      pick('industry', 'Industry', 'industry'),
      pick('size', 'Size', 'company_size'),
      text('country', 'Country'),
      text('region', 'Region'),
      text('city', 'City'),
      owner,
      team,
      created,
      updated,
    ],
  },
  contacts: {
    entity: 'contacts',
    title: 'Contacts',
    one: 'contact',
    description: 'The people at your accounts.',
    customType: 'contact',
    findField: 'name',
    bulk: ['owner'],
    href: (r) => `/contacts/${r.id}`,
    defaultColumns: ['name', 'title', 'account_id', 'email', 'owner_id'],
    columns: [
      { key: 'name', label: 'Name', sort: 'name', filter: { field: 'name', kind: 'text' }, render: personName },
      text('title', 'Title'),
      accountRef,
      text('email', 'Email'),
      text('phone', 'Phone', false, false),
      owner,
      team,
      created,
      updated,
    ],
  },
  leads: {
    entity: 'leads',
    title: 'Leads',
    one: 'lead',
    description: 'People and companies not yet qualified. Convert a lead into an account, a contact and a deal when it is real.',
    customType: 'lead',
    findField: 'name',
    bulk: ['owner'],
    presets: [
      { label: 'New', query: 'status=new' },
      { label: 'Working', query: 'status=working' },
      { label: 'Not converted', query: 'converted_at[null]=true' },
    ],
    href: (r) => `/leads/${r.id}`,
    defaultColumns: ['name', 'company', 'email', 'status', 'source', 'owner_id', 'created_at'],
    columns: [
      { key: 'name', label: 'Name', sort: 'name', filter: { field: 'name', kind: 'text' }, render: personName },
      text('company', 'Company', true),
      text('email', 'Email'),
      {
        key: 'status',
        label: 'Status',
        filter: { field: 'status', kind: 'choice', choices: statusChoices(['new', 'working', 'qualified', 'disqualified', 'converted']) },
        render: (r) => <span className={`badge badge-lead-${str(r.status)}`}>{str(r.status).replace(/_/g, ' ')}</span>,
      },
      pick('source', 'Source', 'lead_source'),
      pick('industry', 'Industry', 'industry'),
      text('country', 'Country'),
      {
        key: 'converted_at',
        label: 'Converted',
        filter: { field: 'converted_at', kind: 'time' },
        render: (r) => formatDate(str(r.converted_at)),
      },
      owner,
      team,
      created,
      updated,
    ],
  },
  activities: {
    entity: 'activities',
    title: 'Activities',
    one: 'activity',
    description: 'Key activities logged and tasks planned. Filter open tasks with “Done is empty”.',
    bulk: [],
    presets: [
      { label: 'Open tasks', query: 'done_at[null]=true' },
      { label: 'Done', query: 'done_at[null]=false' },
    ],
    defaultColumns: ['type', 'subject', 'occurred_at', 'due_at', 'done_at', 'owner_id'],
    columns: [
      pick('type', 'Type', 'activity_type'),
      text('subject', 'Subject'),
      {
        key: 'occurred_at',
        label: 'When',
        filter: { field: 'occurred_at', kind: 'time' },
        render: (r) => formatDateTime(str(r.occurred_at)),
      },
      { key: 'due_at', label: 'Due', filter: { field: 'due_at', kind: 'time' }, render: (r) => formatDateTime(str(r.due_at)) },
      { key: 'done_at', label: 'Done', filter: { field: 'done_at', kind: 'time' }, render: (r) => formatDateTime(str(r.done_at)) },
      text('outcome', 'Outcome', false, false),
      {
        key: 'sentiment',
        label: 'Sentiment',
        filter: { field: 'sentiment', kind: 'choice', choices: statusChoices(['positive', 'neutral', 'negative']) },
        render: (r) => str(r.sentiment),
      },
      {
        key: 'deal_id',
        label: 'Deal',
        filter: { field: 'deal_id', kind: 'number' },
        render: (r, ctx) => {
          const id = num(r.deal_id)
          return id ? <Link to={`/deals/${id}`}>{ctx.names.get('deals')?.get(id) ?? `Deal #${id}`}</Link> : ''
        },
      },
      owner,
      created,
    ],
  },
}

/** The columns of custom fields, shown with their purpose as the header's tooltip. */
export function customColumns(fields: CustomField[], type: string | undefined): ColumnDef[] {
  if (!type) {
    return []
  }
  return fields
    .filter((f) => f.entity_type === type && !f.retired_at)
    .map((f) => ({
      key: `custom.${f.key}`,
      label: f.label,
      title: f.purpose,
      render: (r: Row) => customValue(r.custom?.[f.key]),
    }))
}

function customValue(v: unknown): string {
  if (v === null || v === undefined) {
    return ''
  }
  if (Array.isArray(v)) {
    return v.join(', ')
  }
  if (typeof v === 'boolean') {
    return v ? 'Yes' : 'No'
  }
  if (typeof v === 'object') {
    const o = v as { amount?: number; currency?: string; type?: string; id?: number }
    if (typeof o.amount === 'number' && o.currency) {
      return formatMoney(o.amount, o.currency)
    }
    if (o.type && o.id) {
      return `${o.type} #${o.id}`
    }
    return JSON.stringify(v)
  }
  return String(v)
}

/** The name of a row for messages ("Acme renewal", "Ada Lovelace"). */
export function rowName(row: Row): string {
  return str(row.name) || str(row.subject) || personName(row)
}
