// The signed-in member, for the pages inside the app shell.
import { createContext, useContext, type ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router'
import { useSession } from './api/queries'
import { atLeast, type Role, type SessionInfo } from './api/types'
import { ErrorState, Loading } from './components/States'

const MeContext = createContext<SessionInfo | null>(null)

/**
 * RequireSession shows its children only to a signed-in member, and sends
 * anyone else to the sign-in page, remembering where they were going.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession()
  const location = useLocation()
  if (session.isPending) {
    return (
      <div className="fullpage">
        <Loading />
      </div>
    )
  }
  if (session.isError) {
    return (
      <div className="fullpage">
        <ErrorState error={session.error} retry={() => session.refetch()} />
      </div>
    )
  }
  if (!session.data) {
    const next = location.pathname + location.search
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />
  }
  return <MeContext.Provider value={session.data}>{children}</MeContext.Provider>
}

/**
 * useMe returns the signed-in member's session. It reads what RequireSession
 * provides, so a page never renders for a session that has just ended.
 */
export function useMe(): SessionInfo {
  const me = useContext(MeContext)
  if (!me) {
    throw new Error('useMe called outside RequireSession')
  }
  return me
}

/** RequireRole shows its children only to members with at least role. */
export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const me = useMe()
  if (!atLeast(me.user.role, role)) {
    return (
      <div className="state state-empty">
        <p className="state-title">This page is for {role === 'admin' ? 'admins' : `${role}s`}.</p>
        <p>Ask an admin of {me.workspace.name} if you need access.</p>
      </div>
    )
  }
  return children
}
