import { describe, expect, it } from 'vitest'
import { exitForm, exitPlan, missingLabel } from './exitCriteria'

describe('exit criteria form', () => {
  const errors = [
    { field: 'amount', message: 'required to leave Qualified' },
    { field: 'close_date', message: 'required to leave Qualified' },
    { field: 'activities.demo', message: '1 demo needed, 0 logged' },
    { field: 'custom.budget_owner', message: 'required to leave Qualified' },
    { field: 'amount', message: 'required to leave Trial' },
    { field: 'override_reason', message: 'the Sales pipeline does not allow overriding exit criteria' },
  ]
  const custom = [{ key: 'budget_owner', label: 'Budget owner', type: 'text', purpose: 'Finance asks who signs' }]

  it('asks for exactly the missing fields, once each, with the right inputs', () => {
    const f = exitForm(errors, custom)
    expect(f.fields.map((x) => [x.field, x.kind, x.label])).toEqual([
      ['amount', 'money', 'Amount'],
      ['close_date', 'date', 'Close date'],
      ['custom.budget_owner', 'text', 'Budget owner'],
    ])
    expect(f.fields[0].help).toBe('Required to leave Qualified')
    expect(f.fields[2].help).toBe('Required to leave Qualified · Finance asks who signs')
    expect(f.activities).toEqual([{ type: 'demo', needed: 1, logged: 0, message: '1 demo needed, 0 logged' }])
    expect(f.other).toEqual(['override reason the Sales pipeline does not allow overriding exit criteria'])
  })

  it('reads counts of several activities', () => {
    const f = exitForm([{ field: 'activities.call', message: '3 calls needed, 1 logged' }])
    expect(f.activities[0]).toMatchObject({ type: 'call', needed: 3, logged: 1 })
  })

  it('builds the deal update from the values, in minor units', () => {
    const f = exitForm(errors, custom)
    const plan = exitPlan(f, { amount: '12,500.50', close_date: '2026-12-31', 'custom.budget_owner': ' CFO ' }, 'USD')
    expect(plan.errors).toEqual({})
    expect(plan.update).toEqual({ amount: 1250050, close_date: '2026-12-31', custom: { budget_owner: 'CFO' } })
  })

  it('refuses empty and unusable values, naming the field', () => {
    const f = exitForm(errors, custom)
    const plan = exitPlan(f, { amount: 'lots', close_date: '' }, 'USD')
    expect(Object.keys(plan.errors).sort()).toEqual(['amount', 'close_date', 'custom.budget_owner'])
    expect(plan.update).toBeUndefined()
  })

  it('passes pickers as ids and the won reason to the move', () => {
    const f = exitForm([
      { field: 'account_id', message: 'required to leave Contract sent' },
      { field: 'reason', message: 'is required to move a deal to Won; one of the won_reason picklist' },
    ])
    const plan = exitPlan(f, { account_id: '42', reason: 'price' }, 'EUR')
    expect(plan.update).toEqual({ account_id: 42 })
    expect(plan.reason).toBe('price')
  })
})

describe('missing exit criteria', () => {
  const types = [
    { key: 'demo', name: 'Demo' },
    { key: 'onsite', name: 'Onsite visit' },
    { key: 'roi', name: 'ROI review' },
    { key: 'nda', name: 'NDA call' },
  ]
  it('names key activities by the workspace’s activity types, with an article', () => {
    expect(missingLabel('activities.demo', types)).toBe('a demo')
    expect(missingLabel('activities.onsite', types)).toBe('an onsite visit')
    expect(missingLabel('activities.roi', types)).toBe('an ROI review')
    expect(missingLabel('activities.nda', types)).toBe('an NDA call')
  })
  it('falls back to the key of an activity type it does not know', () => {
    expect(missingLabel('activities.site_visit', [])).toBe('a site visit')
  })
  it('names deal fields and custom fields', () => {
    expect(missingLabel('close_date')).toBe('close date')
    expect(missingLabel('primary_contact_id')).toBe('primary contact')
    expect(missingLabel('custom.po_number', [], [{ key: 'po_number', label: 'PO number' }])).toBe('PO number')
    expect(missingLabel('custom.budget_owner')).toBe('budget owner')
  })
})
