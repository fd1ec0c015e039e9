import { useEffect, useId, useRef, useState } from 'react'
import { getRecord, useSearch, type SearchResult } from '../../api/sales'

const articles = { account: 'an account', contact: 'a contact', deal: 'a deal', lead: 'a lead', any: 'a record' }

/**
 * RecordPicker chooses one account, contact, deal or lead by typing part of
 * its name: a combobox over the search API. value is the chosen id as a
 * string ('' for none); the label of an id set from outside is looked up.
 */
export function RecordPicker({
  type,
  value,
  onChange,
  placeholder,
  ...props
}: {
  type: 'account' | 'contact' | 'deal' | 'lead' | 'any'
  value: string
  onChange: (id: string, result?: SearchResult) => void
  placeholder?: string
  id?: string
  'aria-invalid'?: boolean
  'aria-describedby'?: string
}) {
  const [text, setText] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const [label, setLabel] = useState('')
  const listId = useId()
  const types = type === 'any' ? 'deal,account,contact,lead' : type
  const search = useSearch(open ? text : '', types)
  const results = open && text.trim() ? (search.data ?? []) : []
  const blurTimer = useRef<ReturnType<typeof setTimeout>>(undefined)

  // An id chosen elsewhere (or kept from before) shows its record's name.
  useEffect(() => {
    if (!value || label || type === 'any') {
      return
    }
    let live = true
    getRecord(type, Number(value))
      .then((r) => {
        if (live) {
          setLabel('name' in r && r.name ? r.name : `${(r as { first_name?: string }).first_name ?? ''} ${(r as { last_name?: string }).last_name ?? ''}`.trim())
        }
      })
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [value, label, type])

  const choose = (r: SearchResult) => {
    onChange(String(r.id), r)
    setLabel(r.title)
    setText('')
    setOpen(false)
  }

  if (value && label && !open) {
    return (
      <div className="picker-chosen">
        <span className="picker-chosen-label">{label}</span>
        <button
          type="button"
          className="button button-small button-quiet"
          onClick={() => {
            onChange('')
            setLabel('')
            setOpen(true)
          }}
        >
          Change<span className="visually-hidden"> {label}</span>
        </button>
      </div>
    )
  }

  return (
    <div className="picker">
      <input
        {...props}
        className="input"
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={results.length > 0 ? `${listId}-${active}` : undefined}
        autoComplete="off"
        placeholder={placeholder ?? `Type to find ${articles[type]}…`}
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          setOpen(true)
          setActive(0)
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          blurTimer.current = setTimeout(() => setOpen(false), 150)
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
            choose(results[active])
          } else if (e.key === 'Escape' && open) {
            e.stopPropagation()
            setOpen(false)
          }
        }}
      />
      {results.length > 0 && (
        <ul className="picker-list" role="listbox" id={listId}>
          {results.map((r, i) => (
            <li
              key={`${r.type}-${r.id}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'picker-option active' : 'picker-option'}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(r)}
            >
              <span className="picker-title">{r.title}</span>
              <span className="picker-sub">
                {type === 'any' && <span className={`kind kind-${r.type}`}>{r.type}</span>} {r.subtitle}
              </span>
            </li>
          ))}
        </ul>
      )}
      {open && text.trim() && search.isSuccess && results.length === 0 && !search.isFetching && (
        <p className="picker-empty">Nothing found for “{text.trim()}”.</p>
      )}
    </div>
  )
}
