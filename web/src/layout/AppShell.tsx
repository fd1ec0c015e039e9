import { NavLink, Outlet, useNavigate } from 'react-router'
import { errorMessage } from '../api/problem'
import { useSignOut } from '../api/queries'
import { atLeast } from '../api/types'
import { Avatar } from '../components/Avatar'
import { Icon } from '../components/Icon'
import { roleNames } from '../components/RoleBadge'
import { appPages, sectionLabels, type NavSection } from '../routes'
import { useMe } from '../session'
import { GlobalTools, ToolButtons } from '../pages/search/tools'
import { Logo } from './Logo'

const sections: NavSection[] = ['main', 'settings', 'account']

/**
 * AppShell frames every signed-in page: the workspace and navigation on the
 * side (on top on narrow screens), the signed-in member and sign-out below.
 * Links a member's role cannot open are not shown.
 */
export function AppShell() {
  const me = useMe()
  const navigate = useNavigate()
  const signOut = useSignOut()
  const visible = appPages.filter((p) => !p.minRole || atLeast(me.user.role, p.minRole))
  return (
    <GlobalTools>
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <Logo />
          <div className="brand-text">
            <span className="brand-name">Attain</span>
            <span className="brand-workspace" title={me.workspace.name}>
              {me.workspace.name}
            </span>
          </div>
        </div>
        <ToolButtons />
        <nav className="nav" aria-label="Main">
          {sections.map((section) => {
            const pages = visible.filter((p) => p.section === section)
            if (pages.length === 0) {
              return null
            }
            return (
              <div className="nav-section" key={section}>
                {section !== 'main' && <div className="nav-heading">{sectionLabels[section]}</div>}
                <ul>
                  {pages.map((p) => (
                    <li key={p.path}>
                      <NavLink to={p.path} end={p.path === '/'} className="nav-link">
                        <Icon name={p.icon} />
                        <span>{p.label}</span>
                      </NavLink>
                    </li>
                  ))}
                </ul>
              </div>
            )
          })}
        </nav>
        <div className="sidebar-footer">
          <div className="me">
            <Avatar name={me.user.name} id={me.user.id} />
            <div className="me-text">
              <span className="me-name">{me.user.name}</span>
              <span className="me-role">{me.user.role ? roleNames[me.user.role] : me.user.email}</span>
            </div>
          </div>
          <button
            type="button"
            className="button button-quiet sign-out"
            disabled={signOut.isPending}
            onClick={() => signOut.mutate(undefined, { onSuccess: () => navigate('/sign-in', { replace: true }) })}
            title={signOut.isError ? errorMessage(signOut.error) : undefined}
          >
            <Icon name="logout" />
            <span>{signOut.isPending ? 'Signing out…' : 'Sign out'}</span>
          </button>
        </div>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
    </GlobalTools>
  )
}
