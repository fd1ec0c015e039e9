import { useEffect, useId, useState } from 'react'
import { useNavigate } from 'react-router'
import { errorMessage } from '../../api/problem'
import { recordPath, useSearch, type SearchResult } from '../../api/sales'
import { Modal } from '../../components/Modal'

const kindLabel: Record<string, string> = { deal: 'Deal', account: 'Account', contact: 'Contact', lead: 'Lead' }

/** SearchPalette finds any record the member can see as they type, and opens it with Enter. */
export function SearchPalette({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState('')
  const [debounced, setDebounced] = useState('')
  const [active, setActive] = useState(0)
  const navigate = useNavigate()
  const listId = useId()
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text), 120)
    return () => clearTimeout(t)
  }, [text])
  const search = useSearch(debounced)
  const results = debounced.trim() ? (search.data ?? []) : []
  const open = (r: SearchResult) => {
    onClose()
    navigate(recordPath(r.type, r.id))
  }
  return (
    <Modal title="Search" onClose={onClose}>
      <div className="palette">
        <input
          className="input palette-input"
          role="combobox"
          aria-label="Search accounts, contacts, leads and deals"
          aria-expanded={results.length > 0}
          aria-controls={listId}
          aria-activedescendant={results.length > 0 ? `${listId}-${active}` : undefined}
          placeholder="Search by name, email or domain…"
          autoFocus
          value={text}
          onChange={(e) => {
            setText(e.target.value)
            setActive(0)
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault()
              setActive((i) => Math.min(i + 1, results.length - 1))
            } else if (e.key === 'ArrowUp') {
              e.preventDefault()
              setActive((i) => Math.max(i - 1, 0))
            } else if (e.key === 'Enter' && results[active]) {
              e.preventDefault()
              open(results[active])
            }
          }}
        />
        {search.isError ? (
          <p className="palette-empty" role="alert">
            {errorMessage(search.error)}
          </p>
        ) : !debounced.trim() ? (
          <p className="palette-empty">
            Type part of a name, an email address or a web domain. <kbd>↑</kbd> <kbd>↓</kbd> to choose, <kbd>Enter</kbd> to open.
          </p>
        ) : results.length === 0 && !search.isFetching ? (
          <p className="palette-empty" role="status">
            Nothing you can see matches “{debounced.trim()}”.
          </p>
        ) : (
          <ul className="palette-list" role="listbox" id={listId} aria-label="Results">
            {results.map((r, i) => (
              <li
                key={`${r.type}-${r.id}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'palette-option active' : 'palette-option'}
                onMouseEnter={() => setActive(i)}
                onClick={() => open(r)}
              >
                <span className={`kind kind-${r.type}`}>{kindLabel[r.type] ?? r.type}</span>
                <span className="palette-title">{r.title}</span>
                <span className="palette-sub">{r.subtitle}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Modal>
  )
}
