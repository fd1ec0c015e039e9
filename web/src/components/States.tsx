import type { ReactNode } from 'react'
import { errorMessage } from '../api/problem'

/** Loading says that data is on its way, to people and to screen readers. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  )
}

/** ErrorState explains why data could not be shown and offers to try again. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">This could not be loaded.</p>
      <p>{errorMessage(error)}</p>
      {retry && (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  )
}

/** EmptyState tells what would be here and how to add the first one. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children && <p>{children}</p>}
      {action}
    </div>
  )
}

/** Alert is a message about a whole form or page: an error, or a notice. */
export function Alert({
  kind = 'error',
  children,
  action,
}: {
  kind?: 'error' | 'warning' | 'success' | 'info'
  children: ReactNode
  action?: ReactNode
}) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' || kind === 'warning' ? 'alert' : 'status'}>
      <div className="alert-body">{children}</div>
      {action}
    </div>
  )
}
