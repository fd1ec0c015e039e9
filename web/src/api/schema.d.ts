// Written by hand in openapi-typescript's shape until `attain openapi` prints
// the complete document; `npm run gen:api` (run by `npm run build`) then
// replaces this file with the generated one. Mirrors api/routes.go.

type NoParams = {
  query?: never
  header?: never
  path?: never
  cookie?: never
}
type IdParams = {
  query?: never
  header?: {
    'If-Match'?: string
    'Idempotency-Key'?: string
  }
  path: {
    id: number
  }
  cookie?: never
}
type WriteParams = {
  query?: never
  header?: {
    'Idempotency-Key'?: string
  }
  path?: never
  cookie?: never
}
type Json<T> = { content: { 'application/json': T } }
type Ok<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } }
type NoContent = { headers: { [name: string]: unknown }; content?: never }
type Failure = {
  headers: { [name: string]: unknown }
  content: { 'application/problem+json': components['schemas']['Problem'] }
}

export interface paths {
  '/api/v1/session': {
    parameters: NoParams
    get: { parameters: NoParams; requestBody?: never; responses: { 200: Ok<components['schemas']['SessionInfo']>; default: Failure } }
    post: {
      parameters: NoParams
      requestBody: Json<components['schemas']['LoginRequest']>
      responses: { 200: Ok<components['schemas']['SessionInfo']>; default: Failure }
    }
    delete: { parameters: NoParams; requestBody?: never; responses: { 204: NoContent; default: Failure } }
  }
  '/api/v1/tokens': {
    parameters: NoParams
    get: { parameters: NoParams; requestBody?: never; responses: { 200: Ok<components['schemas']['APITokenList']>; default: Failure } }
    post: {
      parameters: WriteParams
      requestBody: Json<components['schemas']['NewToken']>
      responses: { 201: Ok<components['schemas']['APIToken']>; default: Failure }
    }
  }
  '/api/v1/tokens/{id}': {
    parameters: IdParams
    delete: { parameters: IdParams; requestBody?: never; responses: { 204: NoContent; default: Failure } }
  }
  '/api/v1/users': {
    parameters: NoParams
    get: { parameters: NoParams; requestBody?: never; responses: { 200: Ok<components['schemas']['UserList']>; default: Failure } }
    post: {
      parameters: WriteParams
      requestBody: Json<components['schemas']['NewUser']>
      responses: { 201: Ok<components['schemas']['User']>; default: Failure }
    }
  }
  '/api/v1/users/{id}': {
    parameters: IdParams
    get: { parameters: IdParams; requestBody?: never; responses: { 200: Ok<components['schemas']['User']>; default: Failure } }
    patch: {
      parameters: IdParams
      requestBody: Json<components['schemas']['UserUpdate']>
      responses: { 200: Ok<components['schemas']['User']>; default: Failure }
    }
  }
  '/api/v1/users/{id}/password': {
    parameters: IdParams
    put: {
      parameters: IdParams
      requestBody: Json<components['schemas']['PasswordRequest']>
      responses: { 204: NoContent; default: Failure }
    }
  }
  '/api/v1/teams': {
    parameters: NoParams
    get: { parameters: NoParams; requestBody?: never; responses: { 200: Ok<components['schemas']['TeamList']>; default: Failure } }
    post: {
      parameters: WriteParams
      requestBody: Json<components['schemas']['TeamInput']>
      responses: { 201: Ok<components['schemas']['Team']>; default: Failure }
    }
  }
  '/api/v1/teams/{id}': {
    parameters: IdParams
    get: { parameters: IdParams; requestBody?: never; responses: { 200: Ok<components['schemas']['Team']>; default: Failure } }
    put: {
      parameters: IdParams
      requestBody: Json<components['schemas']['TeamInput']>
      responses: { 200: Ok<components['schemas']['Team']>; default: Failure }
    }
    delete: { parameters: IdParams; requestBody?: never; responses: { 204: NoContent; default: Failure } }
  }
  '/api/v1/audit': {
    parameters: NoParams
    get: {
      parameters: {
        query?: {
          entity_type?: string
          entity_id?: number
          actor_id?: number
          limit?: number
          cursor?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: { 200: Ok<components['schemas']['AuditEntryList']>; default: Failure }
    }
  }
}

export interface components {
  schemas: {
    Problem: {
      type: string
      title: string
      status: number
      detail?: string
      instance?: string
      request_id?: string
      errors?: components['schemas']['FieldError'][]
    }
    FieldError: { field: string; message: string }
    LoginRequest: { email: string; password: string; workspace?: string }
    SessionInfo: {
      user: components['schemas']['User']
      workspace: components['schemas']['Workspace']
      workspaces: components['schemas']['Workspace'][]
    }
    Workspace: { id: number; name: string; slug: string; created_at: string }
    User: {
      id: number
      email: string
      name: string
      role?: components['schemas']['Role']
      created_at: string
      updated_at: string
      version: number
    }
    Role: 'admin' | 'manager' | 'rep'
    NewUser: { email: string; name: string; password: string; role: components['schemas']['Role'] }
    UserUpdate: { name?: string; role?: components['schemas']['Role'] }
    PasswordRequest: { password: string }
    UserList: { items: components['schemas']['User'][]; next_cursor?: string }
    Team: {
      id: number
      name: string
      manager_id: number | null
      parent_id: number | null
      member_ids: number[] | null
      created_at: string
      updated_at: string
      version: number
    }
    TeamInput: {
      name: string
      manager_id: number | null
      parent_id: number | null
      member_ids: number[] | null
    }
    TeamList: { items: components['schemas']['Team'][]; next_cursor?: string }
    APIToken: {
      id: number
      user_id: number
      name: string
      prefix: string
      created_at: string
      last_used_at: string | null
      expires_at: string | null
      revoked_at: string | null
      secret?: string
    }
    NewToken: { name: string; expires_at: string | null }
    APITokenList: { items: components['schemas']['APIToken'][]; next_cursor?: string }
    AuditEntry: {
      id: number
      at: string
      actor_id: number | null
      action: string
      entity_type: string
      entity_id: number
      before: unknown
      after: unknown
      request_id: string
    }
    AuditEntryList: { items: components['schemas']['AuditEntry'][]; next_cursor?: string }
  }
  responses: never
  parameters: never
  requestBodies: never
  headers: never
  pathItems: never
}
