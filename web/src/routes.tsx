// Every page of the app in one table: the router, the navigation and the
// role checks are all built from it. To add a page, add a line here.
import type { ReactNode } from 'react'
import type { Role } from './api/types'
import type { IconName } from './components/Icon'
import { AuditPage } from './pages/settings/AuditPage'
import { HomePage } from './pages/HomePage'
import { MembersPage } from './pages/settings/MembersPage'
import { TeamsPage } from './pages/settings/TeamsPage'
import { TokensPage } from './pages/TokensPage'

/** Where a page's link appears in the navigation. */
export type NavSection = 'main' | 'settings' | 'account'

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
  { path: '/settings/members', label: 'Members', icon: 'users', section: 'settings', minRole: 'admin', element: <MembersPage /> },
  { path: '/settings/teams', label: 'Teams', icon: 'teams', section: 'settings', minRole: 'admin', element: <TeamsPage /> },
  { path: '/settings/audit', label: 'Audit log', icon: 'audit', section: 'settings', minRole: 'admin', element: <AuditPage /> },
  { path: '/account/tokens', label: 'API tokens', icon: 'key', section: 'account', element: <TokensPage /> },
]

/** The headings of the navigation's sections. */
export const sectionLabels: Record<NavSection, string> = {
  main: 'Workspace',
  settings: 'Settings',
  account: 'Your account',
}
