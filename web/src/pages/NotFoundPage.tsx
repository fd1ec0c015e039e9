import { Link } from 'react-router'
import { PageHeader } from '../components/PageHeader'

/** NotFoundPage is shown for an address the app has no page for. */
export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <div className="state state-empty">
        <p className="state-title">There is no page at this address.</p>
        <p>It may have moved, or the link may be mistyped.</p>
        <Link className="button" to="/">
          Go to Home
        </Link>
      </div>
    </>
  )
}
