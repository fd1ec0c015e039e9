import { describe, expect, it } from 'vitest'
import { ApiError, errorMessage, errorsUnder, fieldKey, formErrors, humanize, isProblem, isStale, NETWORK_ERROR } from './problem'
import type { Problem } from './types'

function invalid(errors: { field: string; message: string }[]): ApiError {
  const p: Problem = {
    type: 'https://attain.dev/problems/invalid',
    title: 'The input is not valid.',
    status: 422,
    errors,
  }
  return new ApiError(422, p)
}

describe('formErrors', () => {
  it('puts each field error under the field it names, as a sentence', () => {
    const err = invalid([
      { field: 'email', message: 'is not a valid email address' },
      { field: 'password', message: 'must be at least 10 characters' },
    ])
    expect(formErrors(err, ['name', 'email', 'password'])).toEqual({
      fields: {
        email: 'Is not a valid email address.',
        password: 'Must be at least 10 characters.',
      },
    })
  })

  it('joins several errors on one field', () => {
    const err = invalid([
      { field: 'name', message: 'is required' },
      { field: 'name', message: 'must be at most 200 characters.' },
    ])
    expect(formErrors(err, ['name']).fields.name).toBe('Is required. Must be at most 200 characters.')
  })

  it('maps a path to its top-level field', () => {
    const err = invalid([{ field: 'member_ids[2]', message: 'is not a member of this workspace' }])
    expect(formErrors(err, ['member_ids'])).toEqual({
      fields: { member_ids: 'Is not a member of this workspace.' },
    })
  })

  it('keeps errors about fields the form lacks in the form message', () => {
    const err = invalid([
      { field: 'email', message: 'is required' },
      { field: 'If-Match', message: 'must be an ETag this API returned' },
    ])
    const out = formErrors(err, ['email'])
    expect(out.fields).toEqual({ email: 'Is required.' })
    expect(out.form).toBe('The input is not valid. If-Match must be an ETag this API returned.')
  })

  it('shows a problem without field errors as one message', () => {
    const err = new ApiError(401, {
      type: 'https://attain.dev/problems/unauthenticated',
      title: 'The email or password is wrong.',
      status: 401,
    })
    expect(formErrors(err, ['email', 'password'])).toEqual({ fields: {}, form: 'The email or password is wrong.' })
  })

  it('has nothing to show when there is no error', () => {
    expect(formErrors(null, ['email'])).toEqual({ fields: {} })
    expect(formErrors(undefined, ['email'])).toEqual({ fields: {} })
  })
})

describe('errorMessage', () => {
  it('explains an optimistic-concurrency conflict', () => {
    const err = new ApiError(412, { type: 'https://attain.dev/problems/stale', title: 'User was changed by someone else.', status: 412 })
    expect(isStale(err)).toBe(true)
    expect(err.code).toBe('stale')
    expect(errorMessage(err)).toMatch(/someone else changed this/i)
  })

  it('says when the server cannot be reached', () => {
    expect(errorMessage(new ApiError(NETWORK_ERROR))).toMatch(/cannot be reached/)
  })

  it('never shows a server error raw, but gives the request id', () => {
    const err = new ApiError(500, { type: 'x/internal', title: 'boom: pq: relation missing', status: 500, request_id: 'abc123' })
    expect(errorMessage(err)).toBe('Something went wrong on the server (request abc123). Try again in a moment.')
  })

  it('adds the detail to the title', () => {
    const err = new ApiError(403, { type: 'x/forbidden', title: 'Only admins may do this.', detail: 'Ask an admin.', status: 403 })
    expect(errorMessage(err)).toBe('Only admins may do this. Ask an admin.')
  })

  it('handles errors that are not from the API', () => {
    expect(errorMessage(new TypeError('x is undefined'))).toMatch(/went wrong in the app/)
  })
})

describe('helpers', () => {
  it('recognises problem bodies', () => {
    expect(isProblem({ type: 't', title: 'x', status: 400 })).toBe(true)
    expect(isProblem('<html>')).toBe(false)
    expect(isProblem(null)).toBe(false)
  })

  it('names fields for people', () => {
    expect(fieldKey('address.city')).toBe('address')
    expect(humanize('manager_id')).toBe('Manager')
    expect(humanize('member_ids[0]')).toBe('Member')
    expect(humanize('expires_at')).toBe('Expires at')
  })
})

describe('errorsUnder', () => {
  it('keys the errors of one map field by the rest of their path, and the form keeps none of them', () => {
    const err = invalid([
      { field: 'goals.win_rate', message: 'must not be negative' },
      { field: 'goals.nope', message: 'is not a KPI that takes a goal' },
      { field: 'coverage_threshold', message: 'must be more than 0' },
    ])
    expect(errorsUnder(err, 'goals')).toEqual({ win_rate: 'Must not be negative.', nope: 'Is not a KPI that takes a goal.' })
    expect(formErrors(err, ['coverage_threshold', 'goals']).form).toBeUndefined()
    expect(errorsUnder(new Error('x'), 'goals')).toEqual({})
  })
})
