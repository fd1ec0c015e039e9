// The typed API client. Paths, parameters and bodies are checked against
// schema.d.ts, which is generated from the server's OpenAPI document.
import createClient from 'openapi-fetch'
import { ApiError, isProblem, NETWORK_ERROR } from './problem'
import type { paths } from './schema'

/**
 * client calls the API of the server that served the app. The session
 * cookie goes with every call (same-origin), and since every write comes
 * from this origin the server's CSRF check (Sec-Fetch-Site) passes.
 */
export const client = createClient<paths>({
  baseUrl: typeof location === 'undefined' ? 'http://localhost' : location.origin,
  credentials: 'same-origin',
  headers: { Accept: 'application/json, application/problem+json' },
})

interface Result<T> {
  data?: T
  error?: unknown
  response: Response
}

/**
 * call waits for an openapi-fetch request and returns its data, or throws an
 * ApiError carrying the problem+json body, so TanStack Query sees failures
 * as errors.
 */
export async function call<T>(request: Promise<Result<T>>): Promise<T> {
  let result: Result<T>
  try {
    result = await request
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') {
      throw err
    }
    throw new ApiError(NETWORK_ERROR, undefined, 'Attain cannot be reached.')
  }
  const { data, error, response } = result
  if (!response.ok || error !== undefined) {
    throw new ApiError(response.status, isProblem(error) ? error : undefined)
  }
  return data as T
}

/** The If-Match value for a record read at version. */
export function ifMatch(version: number): string {
  return `"${version}"`
}

/**
 * A fresh Idempotency-Key. A form keeps one per attempt so a retried submit
 * (after a timeout, or a double click) creates the record once.
 */
export function idempotencyKey(): string {
  const b = new Uint8Array(16)
  crypto.getRandomValues(b)
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}
