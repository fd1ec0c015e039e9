// Every page of the app in one table: the router, the navigation and the
// role checks are all built from it. To add a page, add a line here.
import type { ReactNode } from 'react'
import type { Role } from './api/types'
import type { IconName } from './components/Icon'
import { ActivityTypesPage } from './pages/settings/ActivityTypesPage'
import { AuditPage } from './pages/settings/AuditPage'
import { FieldsPage } from './pages/settings/FieldsPage'
import { HomePage } from './pages/HomePage'
import { CompanyPage } from './pages/dashboards/CompanyPage'
import { MyDashboard, RepDashboardPage } from './pages/dashboards/RepHome'
import { TeamPage } from './pages/dashboards/TeamPage'
import { TargetsPage } from './pages/targets/TargetsPage'
import { PlannerPage } from './pages/planning/PlannerPage'
import { ForecastPage } from './pages/forecast/ForecastPage'
import { KPISettingsPage } from './pages/settings/KPISettingsPage'
import { ImportPage } from './pages/import/ImportPage'
import { ListPage } from './pages/lists/ListPage'
import { MembersPage } from './pages/settings/MembersPage'
import { PipelinesPage } from './pages/settings/PipelinesPage'
import { TeamsPage } from './pages/settings/TeamsPage'
import { TokensPage } from './pages/TokensPage'
import { BoardPage } from './pages/board/BoardPage'
import { AccountPage } from './pages/records/AccountPage'
import { ContactPage } from './pages/records/ContactPage'
import { DealPage } from './pages/records/DealPage'
import { LeadPage } from './pages/records/LeadPage'

/** Where a page's link appears in the navigation; record pages ('record') have none. */
export type NavSection = 'main' | 'settings' | 'account' | 'record'

/** AppPage is one page inside the app shell. */
export interface AppPage {
  path: string
  /** The page's name in the navigation. */
  label: string
  icon: IconName
  section: NavSection
  /** The least role that may open the page; everyone when absent. The server checks again. */
  minRole?: Role
  element: ReactNode
}

/** The pages, in navigation order. */
export const appPages: AppPage[] = [
  { path: '/', label: 'Home', icon: 'home', section: 'main', element: <HomePage /> },
  { path: '/me', label: 'My quarter', icon: 'chart', section: 'main', element: <MyDashboard /> },
  { path: '/team', label: 'Team', icon: 'teams', section: 'main', minRole: 'manager', element: <TeamPage key="team" /> },
  { path: '/company', label: 'Company', icon: 'chart', section: 'main', minRole: 'admin', element: <CompanyPage /> },
  { path: '/targets', label: 'Targets', icon: 'target', section: 'main', element: <TargetsPage /> },
  { path: '/planner', label: 'Funnel planner', icon: 'leads', section: 'main', element: <PlannerPage /> },
  { path: '/forecast', label: 'Forecast', icon: 'chart', section: 'main', element: <ForecastPage /> },
  { path: '/board', label: 'Pipeline', icon: 'pipeline', section: 'main', element: <BoardPage /> },
  { path: '/deals', label: 'Deals', icon: 'deals', section: 'main', element: <ListPage key="deals" entity="deals" /> },
  { path: '/accounts', label: 'Accounts', icon: 'accounts', section: 'main', element: <ListPage key="accounts" entity="accounts" /> },
  { path: '/contacts', label: 'Contacts', icon: 'contacts', section: 'main', element: <ListPage key="contacts" entity="contacts" /> },
  { path: '/leads', label: 'Leads', icon: 'leads', section: 'main', element: <ListPage key="leads" entity="leads" /> },
  { path: '/activities', label: 'Activities', icon: 'activities', section: 'main', element: <ListPage key="activities" entity="activities" /> },
  { path: '/import', label: 'Import', icon: 'upload', section: 'main', element: <ImportPage /> },
  { path: '/settings/pipelines', label: 'Pipelines', icon: 'pipeline', section: 'settings', minRole: 'admin', element: <PipelinesPage /> },
  { path: '/settings/fields', label: 'Fields', icon: 'fields', section: 'settings', minRole: 'admin', element: <FieldsPage /> },
  { path: '/settings/activity-types', label: 'Activity types', icon: 'activities', section: 'settings', minRole: 'admin', element: <ActivityTypesPage /> },
  { path: '/settings/members', label: 'Members', icon: 'users', section: 'settings', minRole: 'admin', element: <MembersPage /> },
  { path: '/settings/teams', label: 'Teams', icon: 'teams', section: 'settings', minRole: 'admin', element: <TeamsPage /> },
  { path: '/settings/kpis', label: 'KPIs', icon: 'target', section: 'settings', minRole: 'admin', element: <KPISettingsPage /> },
  { path: '/settings/audit', label: 'Audit log', icon: 'audit', section: 'settings', minRole: 'admin', element: <AuditPage /> },
  { path: '/account/tokens', label: 'API tokens', icon: 'key', section: 'account', element: <TokensPage /> },
  { path: '/team/:id', label: 'Team', icon: 'teams', section: 'record', minRole: 'manager', element: <TeamPage /> },
  { path: '/reps/:id', label: 'Rep', icon: 'users', section: 'record', minRole: 'manager', element: <RepDashboardPage /> },
  { path: '/deals/:id', label: 'Deal', icon: 'deals', section: 'record', element: <DealPage /> },
  { path: '/accounts/:id', label: 'Account', icon: 'accounts', section: 'record', element: <AccountPage /> },
  { path: '/contacts/:id', label: 'Contact', icon: 'contacts', section: 'record', element: <ContactPage /> },
  { path: '/leads/:id', label: 'Lead', icon: 'leads', section: 'record', element: <LeadPage /> },
]

/** The headings of the navigation's sections. */
export const sectionLabels: Record<NavSection, string> = {
  main: 'Workspace',
  settings: 'Settings',
  account: 'Your account',
  record: '',
}
