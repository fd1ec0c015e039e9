import '@fontsource-variable/inter'
import './app.css'
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, Navigate } from 'react-router'
import { RouterProvider } from 'react-router/dom'
import { ApiError, isUnauthenticated } from './api/problem'
import { keys, signedOut } from './api/queries'
import { AppShell } from './layout/AppShell'
import { NotFoundPage } from './pages/NotFoundPage'
import { SignInPage } from './pages/SignInPage'
import { appPages } from './routes'
import { RequireRole, RequireSession } from './session'

// A 401 from any call means the session ended (expired, or signed out in
// another tab): forget what is cached and let RequireSession show sign-in.
const onError = (err: unknown, key?: readonly unknown[]) => {
  if (isUnauthenticated(err) && key?.[0] !== keys.session[0]) {
    signedOut(queryClient)
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (err, query) => onError(err, query.queryKey) }),
  mutationCache: new MutationCache({ onError: (err) => onError(err) }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // Client errors will not fix themselves; network and server errors may.
      retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
    },
  },
})

const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    children: [
      ...appPages.map((p) => ({
        path: p.path,
        element: p.minRole ? <RequireRole role={p.minRole}>{p.element}</RequireRole> : p.element,
      })),
      { path: '/settings', element: <Navigate to="/settings/members" replace /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
])

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
)
