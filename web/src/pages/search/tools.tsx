import '../../sales.css'
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import { Icon } from '../../components/Icon'
import { QuickAdd, type QuickKind } from './QuickAdd'
import { SearchPalette } from './SearchPalette'

interface Tools {
  open: (kind: QuickKind) => void
  search: () => void
}

const ToolsContext = createContext<Tools>({ open: () => undefined, search: () => undefined })

/** useQuickAdd opens the global quick add or search from any page. */
export function useQuickAdd(): Tools {
  return useContext(ToolsContext)
}

/**
 * GlobalTools holds search (Ctrl+K or ⌘K anywhere) and quick add, for every
 * signed-in page, and puts their buttons in the navigation.
 */
export function GlobalTools({ children }: { children: ReactNode }) {
  const [quick, setQuick] = useState<QuickKind>()
  const [searching, setSearching] = useState(false)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        setQuick(undefined)
        setSearching(true)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  const open = useCallback((kind: QuickKind) => {
    setSearching(false)
    setQuick(kind)
  }, [])
  const search = useCallback(() => setSearching(true), [])
  return (
    <ToolsContext.Provider value={{ open, search }}>
      {children}
      {searching && <SearchPalette onClose={() => setSearching(false)} />}
      {quick && <QuickAdd kind={quick} onClose={() => setQuick(undefined)} />}
    </ToolsContext.Provider>
  )
}

/** The search and quick add buttons of the navigation. */
export function ToolButtons() {
  const { open, search } = useQuickAdd()
  const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
  return (
    <div className="tool-buttons">
      <button type="button" className="tool-search" onClick={search} aria-keyshortcuts="Control+K Meta+K">
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
          <circle cx="11" cy="11" r="6.5" />
          <path d="M16 16l4 4" />
        </svg>
        <span>Search</span>
        <kbd>{mac ? '⌘K' : 'Ctrl K'}</kbd>
      </button>
      <button type="button" className="button button-primary tool-add" onClick={() => open('deal')}>
        <Icon name="plus" />
        <span>Quick add</span>
      </button>
    </div>
  )
}
