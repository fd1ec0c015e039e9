// End-to-end tests of the lists, saved views, bulk edits, lead conversion,
// the import wizard and the sales process settings, in Debian's Chromium
// against the real binary (built by `make build`). The server starts on the
// demo workspace when it can (so the screenshots show a real team's data);
// the records each test relies on are made through the API first, with
// names no demo record has.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { api as callAPI, screenshot as shoot, startApp } from './server.mjs'

let app
let page
let baseURL

/** Calls the API from inside the page, with the page's own session cookie. */
const api = (method, path, body) => callAPI(page, method, path, body)

async function must(method, path, body) {
  const res = await api(method, path, body)
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

const screenshot = (name) => shoot(page, name)

async function open(path, heading) {
  await page.goto(baseURL + path)
  await page.getByRole('heading', { level: 1, name: heading }).waitFor()
}

let me
let stages
let rep

before(async () => {
  // A small demo workspace, so lists have something in them.
  app = await startApp({ demo: true, timeoutMs: 15_000 })
  ;({ page, baseURL } = app)
  const { admin } = app
  await page.goto(baseURL + '/sign-in')
  await page.getByLabel('Email').fill(admin.email)
  await page.getByLabel('Password').fill(admin.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'))

  me = (await must('GET', '/api/v1/session')).user
  const pipelines = (await must('GET', '/api/v1/pipelines')).items
  stages = Object.fromEntries(pipelines[0].stages.map((s) => [s.name, s.id]))
  const users = (await must('GET', '/api/v1/users')).items
  rep = users.find((u) => u.role === 'rep') ?? (await must('POST', '/api/v1/users', { email: 'rita.rep@example.com', name: 'Rita Rep', password: 'a long password 1', role: 'rep' }))
})

after(async () => {
  await app?.stop()
})

test('a seller filters the deals, sorts them and saves the view', async () => {
  await must('POST', '/api/v1/custom-fields', {
    entity_type: 'deal', key: 'zone', label: 'Sales zone', type: 'text', purpose: 'Routes the deal to the right solution engineer',
  })
  for (const [name, amount] of [['Zeta Big one', 9_000_000], ['Zeta Small one', 50_000]]) {
    await must('POST', '/api/v1/deals', { name, amount, close_date: '2031-06-30', custom: { zone: 'North' } })
  }
  await open('/deals', 'Deals')
  await page.getByRole('table').waitFor()
  await screenshot('list-deals')

  await page.getByLabel('Find deals by name').fill('zeta')
  await page.waitForURL(/name%5Bprefix%5D=zeta|name\[prefix\]=zeta/)
  await page.getByRole('button', { name: 'Add filter' }).click()
  const form = page.getByRole('form', { name: 'Add a filter' })
  await form.getByLabel('Field').selectOption({ label: 'Amount' })
  await form.getByLabel('Condition').selectOption({ label: 'at least' })
  await form.getByLabel('Value').fill('10,000')
  await form.getByRole('button', { name: 'Apply' }).click()
  await page.getByRole('listitem').filter({ hasText: 'Amount at least' }).waitFor()
  assert.match(decodeURIComponent(page.url()), /amount\[gte\]=1000000/)
  await page.getByRole('button', { name: /^Amount/ }).click()
  await page.getByRole('button', { name: /^Amount/ }).click()
  await page.waitForURL(/sort=-amount/)
  const rows = page.getByRole('table').locator('tbody tr')
  await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1)
  assert.match(await rows.first().textContent(), /Zeta Big one/)

  // A custom field is one more column to choose.
  await page.getByRole('button', { name: /^Columns/ }).click()
  await page.getByRole('group', { name: 'Columns' }).getByRole('checkbox', { name: /Sales zone/ }).check()
  await page.keyboard.press('Escape')
  const zoneHeader = page.getByRole('columnheader', { name: 'Sales zone' })
  await zoneHeader.waitFor()
  assert.equal(await zoneHeader.getAttribute('title'), 'Routes the deal to the right solution engineer')
  await rows.first().getByRole('cell', { name: 'North' }).waitFor()

  await page.getByRole('button', { name: 'Save view' }).click()
  const dialog = page.getByRole('dialog', { name: 'Save this view' })
  await dialog.getByLabel('Name').fill('Big Zeta deals')
  await dialog.getByRole('checkbox', { name: /Share with the workspace/ }).check()
  await dialog.getByRole('button', { name: 'Save view' }).click()
  await page.getByRole('heading', { level: 1, name: 'Big Zeta deals' }).waitFor()
  assert.match(page.url(), /view=\d+/)

  // Export CSV downloads exactly this view.
  const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')
  const csv = await page.evaluate(async (h) => (await fetch(h)).text(), href)
  assert.match(csv, /^name,/)
  assert.match(csv, /Zeta Big one/)
  assert.doesNotMatch(csv, /Zeta Small one/)

  const views = (await must('GET', '/api/v1/saved-views?entity=deals')).items
  const saved = views.find((v) => v.name === 'Big Zeta deals')
  assert.ok(saved?.shared, 'the view is saved and shared')
  assert.match(saved.query, /amount%5Bgte%5D=1000000/)
  assert.match(saved.query, /sort=-amount/)
  assert.ok(saved.columns.includes('custom.zone'), `the view keeps the columns: ${saved.columns}`)

  // Opened from scratch, the view brings back its filters.
  await open('/deals', 'Deals')
  await page.getByLabel('Saved view').selectOption({ label: 'Big Zeta deals (shared)' })
  await page.getByRole('heading', { level: 1, name: 'Big Zeta deals' }).waitFor()
  await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1)
})

test('deals are handed to another owner in bulk, and a bulk move blocked by exit criteria is explained', async () => {
  const a = await must('POST', '/api/v1/deals', { name: 'Yonder One', amount: 100_000, close_date: '2031-03-31' })
  const b = await must('POST', '/api/v1/deals', { name: 'Yonder Two' })
  await open('/deals?name[prefix]=yonder&sort=name', 'Deals')
  await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 2)
  await page.getByRole('checkbox', { name: /Select all/ }).check()
  const bar = page.getByRole('form', { name: 'Change the selected records' })
  await bar.getByText('2 deals selected').waitFor()
  await bar.getByLabel('Owner').selectOption({ label: rep.name })
  await bar.getByRole('button', { name: 'Apply' }).click()
  await page.getByText('2 deals changed.').waitFor()
  for (const d of [a, b]) {
    assert.equal((await must('GET', `/api/v1/deals/${d.id}`)).owner_id, rep.id)
  }

  await page.getByRole('checkbox', { name: /Select all/ }).check()
  await bar.getByLabel('Stage').selectOption({ label: 'Demo scheduled' })
  await screenshot('list-bulk-edit')
  await bar.getByRole('button', { name: 'Apply' }).click()
  const report = page.getByRole('alert').filter({ hasText: 'not changed' })
  await report.waitFor()
  assert.match(await report.textContent(), /1 deal changed; 1 deal not changed/)
  assert.match(await report.textContent(), /Yonder Two.*Amount required to leave Qualified/)
  assert.equal((await must('GET', `/api/v1/deals/${a.id}`)).stage_id, stages['Demo scheduled'])
  assert.equal((await must('GET', `/api/v1/deals/${b.id}`)).stage_id, stages['Qualified'])
})

test('a lead is converted into an account, a contact and a deal', async () => {
  const lead = await must('POST', '/api/v1/leads', { first_name: 'Xenia', last_name: 'Quill', company: 'Quillworks', email: 'xenia@quillworks.example' })
  await open('/leads', 'Leads')
  await page.getByLabel('Find leads by name').fill('xenia')
  await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1)
  await page.getByRole('button', { name: 'Convert Xenia Quill' }).click()
  const dialog = page.getByRole('dialog', { name: 'Convert Xenia Quill' })
  await dialog.getByText('Match or create “Quillworks”').waitFor()
  await dialog.getByLabel('Amount').fill('24,000')
  await dialog.getByLabel('Close date').fill('2031-09-30')
  await screenshot('lead-convert')
  await dialog.getByRole('button', { name: 'Convert lead' }).click()
  const done = page.getByRole('dialog', { name: 'Lead converted' })
  await done.getByRole('link', { name: 'Quillworks' }).first().waitFor()
  assert.match(await done.textContent(), /Contact:\s*Xenia Quill/)
  await done.getByRole('button', { name: 'Done' }).click()

  const after = await must('GET', `/api/v1/leads/${lead.id}`)
  assert.equal(after.status, 'converted')
  const deals = (await must('GET', '/api/v1/deals?name[prefix]=quillworks')).items
  assert.equal(deals.length, 1)
  assert.equal(deals[0].amount, 2_400_000)
  await page.getByRole('row', { name: /Xenia Quill/ }).getByText('Converted', { exact: true }).waitFor()
})

test('a CSV is imported through the wizard: the dry run shows the rejected row, then the good rows go in', async () => {
  await open('/import?kind=contacts', 'Import from CSV')
  const csv = 'First Name,Last Name,Email Address,Position Held\nWanda,Wexler,wanda@wexler.example,CFO\nVictor,Vance,not-an-email,CTO\nUrsula,Ulm,ursula@ulm.example,Buyer\n'
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: 'Upload and review' }).click()
  const mapping = page.getByRole('region', { name: 'Map columns' })
  await mapping.getByText('people.csv').waitFor()
  // The usual headers are guessed; the one Attain cannot place is mapped by hand.
  assert.equal(await mapping.getByLabel('Field for column Email Address').inputValue(), 'email')
  assert.equal(await mapping.getByLabel('Field for column First Name').inputValue(), 'first_name')
  assert.equal(await mapping.getByLabel('Field for column Position Held').inputValue(), '')
  await mapping.getByLabel('Field for column Position Held').selectOption({ label: 'Job title' })
  await screenshot('import-mapping')
  await mapping.getByRole('button', { name: 'Dry run: check every row' }).click()

  const check = page.getByRole('region', { name: 'Dry run' })
  await check.getByText('Dry run: nothing was written').waitFor()
  const rejected = check.getByRole('table', { name: 'Rejected rows' })
  await rejected.waitFor()
  assert.match(await rejected.textContent(), /3.*not-an-email/s)
  assert.equal((await must('GET', '/api/v1/contacts?email=wanda@wexler.example')).items.length, 0, 'the dry run wrote nothing')
  await screenshot('import-dry-run')

  await check.getByRole('button', { name: 'Import 2 rows' }).click()
  const done = page.getByRole('region', { name: 'Import' })
  await done.getByText('2 records created').waitFor()
  const wanda = (await must('GET', '/api/v1/contacts?email=wanda@wexler.example')).items
  assert.equal(wanda.length, 1)
  assert.equal(wanda[0].title, 'CFO', 'the column mapped by hand was imported')
  assert.equal((await must('GET', '/api/v1/contacts?email=ursula@ulm.example')).items.length, 1)
})

test('an admin adds a stage with an exit criterion, a picklist value, a custom field and an activity type', async () => {
  await open('/settings/pipelines', 'Pipelines and stages')
  await page.getByRole('checkbox', { name: /Managers may override exit criteria/ }).check()
  await page.waitForFunction(async () => {
    const r = await fetch('/api/v1/pipelines')
    return (await r.json()).items[0].allow_override === true
  })
  await page.getByRole('button', { name: 'Add stage' }).click()
  const names = page.getByLabel('Stage name')
  const count = await names.count()
  // The new stage comes right before Won and Lost.
  const fresh = names.nth(count - 3)
  await fresh.fill('Security review')
  await page.locator('.stage-card').nth(count - 3).getByRole('checkbox', { name: 'Next step' }).check()
  await screenshot('settings-pipelines')
  await page.getByRole('button', { name: 'Save stages' }).click()
  await page.getByText('All changes saved.').waitFor()
  const pipeline = (await must('GET', '/api/v1/pipelines')).items[0]
  const open_ = pipeline.stages.filter((s) => s.outcome === 'open')
  assert.equal(open_[open_.length - 1].name, 'Security review')
  assert.deepEqual(open_[open_.length - 1].exit_criteria.fields, ['next_step'])
  assert.equal(pipeline.current_version, 2, 'saving the stages made a new version')

  await open('/settings/fields', 'Fields and picklists')
  const card = page.getByRole('region', { name: 'Picklist Lead source' })
  await card.getByLabel('New value for Lead source').fill('Podcast')
  await card.getByRole('button', { name: 'Add' }).click()
  await card.getByRole('button', { name: 'Retire Podcast' }).waitFor()
  const lists = (await must('GET', '/api/v1/picklists?list=lead_source')).items
  assert.ok(lists[0].values.some((v) => v.label === 'Podcast'))
  // Retiring keeps the value for the records that have it.
  await card.getByRole('button', { name: 'Retire Podcast' }).click()
  await card.getByRole('button', { name: 'Restore Podcast' }).waitFor()

  await page.getByRole('tab', { name: /Accounts/ }).click()
  await page.getByRole('button', { name: 'New field' }).click()
  const dialog = page.getByRole('dialog', { name: 'New custom field' })
  await dialog.getByLabel('Label').fill('Renewal month')
  await dialog.getByLabel('Type').selectOption({ label: 'Date' })
  await dialog.getByRole('button', { name: 'Add field' }).click()
  await dialog.getByText(/purpose/i).first().waitFor()
  assert.equal(await dialog.getByLabel('Purpose').getAttribute('aria-invalid'), 'true', 'a field needs its purpose')
  await dialog.getByLabel('Purpose').fill('Customer success plans renewals from it')
  await dialog.getByRole('button', { name: 'Add field' }).click()
  await page.getByRole('cell', { name: 'Customer success plans renewals from it' }).waitFor()
  await screenshot('settings-fields')
  const fields = (await must('GET', '/api/v1/custom-fields?entity_type=account')).items
  assert.ok(fields.some((f) => f.key === 'renewal_month' && f.type === 'date'))

  await open('/settings/activity-types', 'Activity types')
  await page.getByLabel('New activity type').fill('Site visit')
  await page.getByRole('button', { name: 'Add type' }).click()
  await page.getByRole('textbox', { name: 'Name of Site visit' }).waitFor()
  const types = (await must('GET', '/api/v1/activity-types')).items
  assert.ok(types.some((t) => t.key === 'site_visit' && t.name === 'Site visit'))
})

test('a long list loads its next page as it scrolls, and sorts and selects from the keyboard', async () => {
  const total = (await must('GET', '/api/v1/deals?limit=60')).items.length
  await open('/deals', 'Deals')
  await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length > 0)
  const first = await page.locator('table tbody tr').count()
  assert.equal(first, Math.min(total, 50))
  if (total > 50) {
    await page.locator('.list-foot').scrollIntoViewIfNeeded()
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length > 50)
  }
  // Sorting and selecting work from the keyboard.
  await page.getByRole('button', { name: /^Deal/ }).focus()
  await page.keyboard.press('Enter')
  await page.waitForURL(/sort=name/)
  await page.locator('th[aria-sort="ascending"]').filter({ hasText: 'Deal' }).waitFor()
  await page.getByRole('checkbox', { name: /Select all/ }).focus()
  await page.keyboard.press('Space')
  await page.getByRole('form', { name: 'Change the selected records' }).waitFor()
  await page.getByRole('button', { name: 'Clear selection' }).focus()
  await page.keyboard.press('Enter')
  await page.getByRole('form', { name: 'Change the selected records' }).waitFor({ state: 'detached' })
})

test('the pages work at tablet widths', async () => {
  const pages = [
    ['/deals', 'Deals'],
    ['/leads', 'Leads'],
    ['/import', 'Import from CSV'],
    ['/settings/pipelines', 'Pipelines and stages'],
    ['/settings/fields', 'Fields and picklists'],
  ]
  for (const width of [1024, 768]) {
    await page.setViewportSize({ width, height: 900 })
    for (const [path, heading] of pages) {
      await open(path, heading)
      await page.waitForTimeout(300)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 0, `${path} does not scroll sideways at ${width}px (${overflow}px)`)
    }
  }
  await open('/deals', 'Deals')
  await page.getByRole('table').waitFor()
  await screenshot('list-deals-tablet')
  await page.setViewportSize({ width: 1280, height: 800 })
  assert.deepEqual(app.pageErrors, [])
})
