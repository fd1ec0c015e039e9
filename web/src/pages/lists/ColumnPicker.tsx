import { useEffect, useRef, useState } from 'react'
import type { ColumnDef } from './entities'

/**
 * ColumnPicker chooses and orders the list's columns, custom fields
 * included. It is a disclosure: a button that opens a panel of checkboxes,
 * closed again by Escape or a click outside.
 */
export function ColumnPicker({
  columns,
  chosen,
  onChange,
  onReset,
}: {
  columns: ColumnDef[]
  chosen: string[]
  onChange: (cols: string[]) => void
  onReset: () => void
}) {
  const [open, setOpen] = useState(false)
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) {
      return
    }
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) {
        setOpen(false)
      }
    }
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open])

  const toggle = (key: string) =>
    onChange(chosen.includes(key) ? chosen.filter((k) => k !== key) : [...chosen, key])
  const move = (key: string, by: number) => {
    const i = chosen.indexOf(key)
    const j = i + by
    if (i < 0 || j < 0 || j >= chosen.length) {
      return
    }
    const next = [...chosen]
    ;[next[i], next[j]] = [next[j], next[i]]
    onChange(next)
  }
  const ordered = [
    ...chosen.map((k) => columns.find((c) => c.key === k)).filter((c): c is ColumnDef => !!c),
    ...columns.filter((c) => !chosen.includes(c.key)),
  ]

  return (
    <div className="column-picker" ref={ref} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" className="button button-small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Columns ({chosen.length})
      </button>
      {open && (
        <div className="popover" role="group" aria-label="Columns">
          <ul>
            {ordered.map((c) => {
              const on = chosen.includes(c.key)
              return (
                <li key={c.key}>
                  <label>
                    <input type="checkbox" checked={on} disabled={on && chosen.length === 1} onChange={() => toggle(c.key)} />
                    <span>{c.label}</span>
                    {c.key.startsWith('custom.') && <span className="badge badge-soft">custom</span>}
                  </label>
                  {on && (
                    <span className="move-buttons">
                      <button type="button" className="icon-button" aria-label={`Move ${c.label} left`} onClick={() => move(c.key, -1)}>
                        ↑
                      </button>
                      <button type="button" className="icon-button" aria-label={`Move ${c.label} right`} onClick={() => move(c.key, 1)}>
                        ↓
                      </button>
                    </span>
                  )}
                </li>
              )
            })}
          </ul>
          <div className="popover-foot">
            <button type="button" className="button button-small button-quiet" onClick={onReset}>
              Reset to the view’s columns
            </button>
          </div>
        </div>
      )}
    </div>
  )
}
