import '../../sales.css'
import type { ReactNode } from 'react'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../api/problem'
import { PageHeader } from '../../components/PageHeader'
import { EmptyState, ErrorState, Loading } from '../../components/States'

/** useRecordId reads the :id of a record page; NaN when it is not a number. */
export function useRecordId(): number {
  const { id } = useParams()
  return Number(id)
}

/** RecordState shows loading, not found and error for a record page, and the page once the record is there. */
export function RecordState<T>({
  query,
  noun,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data?: T; refetch: () => unknown }
  noun: string
  children: (data: T) => ReactNode
}) {
  if (query.isPending) {
    return <Loading label={`Loading the ${noun}…`} />
  }
  if (query.isError) {
    if (query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 422)) {
      return (
        <>
          <PageHeader title={`No such ${noun}`} />
          <EmptyState title={`This ${noun} does not exist, or you cannot see it.`} action={<Link to="/board">Back to the pipeline</Link>} />
        </>
      )
    }
    return <ErrorState error={query.error} retry={() => void query.refetch()} />
  }
  return <>{children(query.data as T)}</>
}

/** RecordGrid lays a record page out: details on the left, the timeline on the right (stacked on tablets). */
export function RecordGrid({ side, children }: { side: ReactNode; children: ReactNode }) {
  return (
    <div className="record-grid">
      <div className="record-main">{children}</div>
      <div className="record-side">{side}</div>
    </div>
  )
}
