import { useState, type FormEvent } from 'react'
import { errorMessage, formErrors } from '../../api/problem'
import { useDeleteView, useSaveView, type Entity, type SavedView } from '../../api/lists'
import { atLeast } from '../../api/types'
import { Field } from '../../components/Field'
import { Modal } from '../../components/Modal'
import { Alert } from '../../components/States'
import { toQuery, type ListState } from '../../lib/listQuery'
import { useMe } from '../../session'

/**
 * ViewMenu picks a saved view of the list, saves the current filters, sort
 * and columns as a view (mine, or shared with the workspace), and updates or
 * deletes views I may change.
 */
export function ViewMenu({
  entity,
  views,
  current,
  changed,
  state,
  columns,
  onOpen,
}: {
  entity: Entity
  views: SavedView[]
  current?: SavedView
  changed: boolean
  state: ListState
  columns: string[]
  onOpen: (v: SavedView | null) => void
}) {
  const me = useMe()
  const save = useSaveView(entity)
  const del = useDeleteView(entity)
  const [dialog, setDialog] = useState<'new' | 'delete' | null>(null)
  const mayChange = current && (current.owner_id === me.user.id || atLeast(me.user.role, 'admin'))
  const mine = views.filter((v) => v.owner_id === me.user.id)
  const shared = views.filter((v) => v.owner_id !== me.user.id)

  return (
    <div className="view-menu">
      <label className="view-select">
        <span className="visually-hidden">Saved view</span>
        <select
          aria-label="Saved view"
          value={current?.id ?? ''}
          onChange={(e) => onOpen(views.find((v) => v.id === Number(e.target.value)) ?? null)}
        >
          <option value="">All {entity}</option>
          {mine.length > 0 && (
            <optgroup label="My views">
              {mine.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                  {v.shared ? ' (shared)' : ''}
                </option>
              ))}
            </optgroup>
          )}
          {shared.length > 0 && (
            <optgroup label="Shared with everyone">
              {shared.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      {current && changed && mayChange && (
        <button
          type="button"
          className="button button-small button-primary"
          disabled={save.isPending}
          onClick={() =>
            save.mutate({
              view: current,
              body: { entity, name: current.name, query: toQuery(state), columns, shared: current.shared },
            })
          }
        >
          {save.isPending ? 'Saving…' : 'Save changes'}
        </button>
      )}
      <button type="button" className="button button-small" onClick={() => setDialog('new')}>
        {current ? 'Save as new view' : 'Save view'}
      </button>
      {current && mayChange && (
        <button type="button" className="button button-small button-danger-quiet" onClick={() => setDialog('delete')}>
          Delete view
        </button>
      )}
      {current && changed && <span className="muted small">Unsaved changes</span>}
      {save.isError && !dialog && <span className="field-error">{errorMessage(save.error)}</span>}
      {dialog === 'new' && (
        <NewViewDialog
          entity={entity}
          state={state}
          columns={columns}
          canShare
          onClose={() => setDialog(null)}
          onSaved={(v) => {
            setDialog(null)
            onOpen(v)
          }}
        />
      )}
      {dialog === 'delete' && current && (
        <Modal title={`Delete “${current.name}”?`} onClose={() => setDialog(null)}>
          <div className="modal-body">
            {del.isError && <Alert>{errorMessage(del.error)}</Alert>}
            <p>
              The view is removed{current.shared ? ' for everyone it was shared with' : ''}. The records in it are not
              touched.
            </p>
            <div className="modal-actions">
              <button type="button" className="button" onClick={() => setDialog(null)} autoFocus>
                Cancel
              </button>
              <button
                type="button"
                className="button button-danger"
                disabled={del.isPending}
                onClick={() =>
                  del.mutate(current, {
                    onSuccess: () => {
                      setDialog(null)
                      onOpen(null)
                    },
                  })
                }
              >
                {del.isPending ? 'Deleting…' : 'Delete view'}
              </button>
            </div>
          </div>
        </Modal>
      )}
    </div>
  )
}

function NewViewDialog({
  entity,
  state,
  columns,
  canShare,
  onClose,
  onSaved,
}: {
  entity: Entity
  state: ListState
  columns: string[]
  canShare: boolean
  onClose: () => void
  onSaved: (v: SavedView) => void
}) {
  const save = useSaveView(entity)
  const [name, setName] = useState('')
  const [shared, setShared] = useState(false)
  const errors = formErrors(save.error, ['name', 'query', 'columns'])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate({ body: { entity, name, query: toQuery(state), columns, shared } }, { onSuccess: onSaved })
  }
  return (
    <Modal title="Save this view" onClose={onClose}>
      <form className="modal-body" onSubmit={submit} noValidate>
        {(errors.form || errors.fields.query || errors.fields.columns) && (
          <Alert>{[errors.form, errors.fields.query, errors.fields.columns].filter(Boolean).join(' ')}</Alert>
        )}
        <p>The filters, sort and columns you see now are saved under a name, to open again in one click.</p>
        <Field label="Name" error={errors.fields.name} hint="Say what the list is for, e.g. “Closing this quarter”.">
          {(p) => <input {...p} name="name" autoFocus autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        {canShare && (
          <label className="choice">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
            <span>
              <span className="choice-title">Share with the workspace</span>
              <span className="choice-help">Everyone can open it; each still sees only the records they may see.</span>
            </span>
          </label>
        )}
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save view'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
