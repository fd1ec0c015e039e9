// End-to-end tests of selling in the web app: quick add, the pipeline board
// with drag and drop and exit criteria, record pages with the timeline and
// edit conflicts, and global search; in Debian's Chromium against the real
// binary. Screenshots go to docs/screenshots/.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { api, screenshot, startApp } from './server.mjs'

let app // { baseURL, admin, context, page, pageErrors, stop }
let page
let account // Northwind's id
let dealId // the deal quick add creates

before(async () => {
  app = await startApp({ addr: process.env.ATTAIN_E2E_ADDR ?? '127.0.0.1:0' })
  page = app.page
})

after(async () => {
  await app?.stop()
})

/** column returns the board column of a stage by its heading. */
function column(name) {
  return page.locator('section.column').filter({ has: page.getByRole('heading', { name, exact: true }) })
}

/** drag moves a card onto a column with the mouse, as a person would, in small steps. */
async function drag(card, target) {
  const from = await card.boundingBox()
  const to = await target.boundingBox()
  await page.mouse.move(from.x + from.width / 2, from.y + 12)
  await page.mouse.down()
  await page.mouse.move(from.x + from.width / 2 + 20, from.y + 30, { steps: 4 })
  await page.mouse.move(to.x + to.width / 2, to.y + 120, { steps: 12 })
  await page.mouse.up()
}

test('sign in, with a workspace of accounts and deals', async () => {
  await page.goto(app.baseURL + '/board')
  await page.waitForURL(/\/sign-in/)
  await page.getByLabel('Email').fill(app.admin.email)
  await page.getByLabel('Password').fill(app.admin.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(/\/board$/)
  await page.getByRole('heading', { level: 1, name: 'Pipeline' }).waitFor()

  // A small but real workspace through the API.
  const acc = await api(page, 'POST', '/api/v1/accounts', { name: 'Northwind Traders', website: 'https://northwind.example', industry: 'retail', country: 'DE', city: 'Berlin' })
  assert.equal(acc.status, 201, JSON.stringify(acc.body))
  account = acc.body.id
  for (const [first, last, title, role] of [
    ['Anna', 'Keller', 'Head of Operations', 'champion'],
    ['Jonas', 'Weber', 'IT Manager', 'influencer'],
    ['Mia', 'Schulz', 'Store Lead', undefined],
  ]) {
    const c = await api(page, 'POST', '/api/v1/contacts', { first_name: first, last_name: last, title, email: `${first.toLowerCase()}@northwind.example`, account_id: account })
    assert.equal(c.status, 201, JSON.stringify(c.body))
    if (role) {
      const r = await api(page, 'POST', `/api/v1/contacts/${c.body.id}/roles`, { role, account_id: account, influence: 'high', attitude: 'supporter' })
      assert.equal(r.status, 201, JSON.stringify(r.body))
    }
  }
  const pipelines = (await api(page, 'GET', '/api/v1/pipelines')).body.items
  const stage = Object.fromEntries(pipelines[0].stages.map((s) => [s.name, s.id]))
  for (const [name, amount, currency, st, close] of [
    ['Northwind — POS rollout', 8_400_000, 'USD', 'Qualified', '2026-12-18'],
    ['Initech renewal', 2_250_000, 'USD', 'Qualified', '2027-01-29'],
    ['Umbrella pilot', 1_200_000, 'EUR', 'Demo scheduled', '2026-12-05'],
    ['Stark logistics', 12_500_000, 'USD', 'Demo completed', '2027-02-26'],
    ['Wayne retail 40 stores', 6_000_000, 'USD', 'Trial', '2026-12-30'],
    ['Hooli analytics', 3_300_000, 'USD', 'Contract sent', '2026-12-12'],
  ]) {
    const d = await api(page, 'POST', '/api/v1/deals', {
      name, amount, currency, stage_id: stage[st], close_date: close, account_id: name.startsWith('Northwind') ? account : undefined,
      next_step: st === 'Trial' ? 'Success review with the COO' : undefined,
    })
    assert.equal(d.status, 201, JSON.stringify(d.body))
  }
  await page.reload()
  await column('Qualified').getByText('Initech renewal').waitFor()
})

test('quick add creates a deal with only the essentials', async () => {
  await page.getByRole('button', { name: 'Quick add' }).click()
  const dialog = page.getByRole('dialog', { name: 'Quick add' })
  await dialog.getByRole('tab', { name: 'Deal' }).waitFor()
  await dialog.getByRole('button', { name: 'Add deal' }).click()
  await dialog.getByText('Is required.').waitFor() // the name is the one required field
  await dialog.getByLabel('Deal name').fill('Globex expansion')
  await dialog.getByLabel('Amount').fill('48,000')
  await dialog.getByRole('button', { name: 'Add deal' }).click()
  await dialog.getByText('Globex expansion was added to Qualified.').waitFor()
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
  const card = column('Qualified').locator('.deal-card').filter({ hasText: 'Globex expansion' })
  await card.waitFor()
  dealId = Number(await card.getAttribute('data-deal-id'))
  assert.match(await card.textContent(), /\$48,000/)
  assert.match(await column('Qualified').locator('.column-meta').textContent(), /^3\$154.5K$/)
})

test('dragging a deal forward asks for the missing close date, then moves it', async () => {
  const card = column('Qualified').locator('.deal-card').filter({ hasText: 'Globex expansion' })
  await drag(card, column('Demo scheduled'))
  // Qualified asks for a confirmed close date; the card goes back and the form asks for exactly that.
  const dialog = page.getByRole('dialog', { name: 'Move to Demo scheduled' })
  await dialog.getByLabel('Close date').waitFor()
  assert.equal(await dialog.getByLabel('Amount').count(), 0, 'the amount is there already')
  assert.match(await dialog.textContent(), /Required to leave Qualified/)
  await column('Qualified').getByText('Globex expansion').waitFor()
  await screenshot(page, 'board-exit-criteria')
  await dialog.getByLabel('Close date').fill('2026-12-22')
  await dialog.getByRole('button', { name: 'Save and move to Demo scheduled' }).click()
  await dialog.waitFor({ state: 'detached' })
  await column('Demo scheduled').getByText('Globex expansion').waitFor()
  await page.getByText('Globex expansion moved to Demo scheduled.').waitFor()
  assert.match(await column('Demo scheduled').locator('.column-count').textContent(), /^2$/)
})

test('a deal moves with the keyboard, logging the missing demo through the form', async () => {
  const handle = page.getByRole('button', { name: 'Move Globex expansion' })
  await handle.focus()
  await page.keyboard.press('Space')
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: 'Move to Demo completed' })
  await dialog.getByText('1 demo needed, 0 logged').waitFor()
  assert.ok(await dialog.getByRole('checkbox', { name: /Log the demo now/ }).isChecked())
  await dialog.getByLabel('Outcome').fill('Loved the reporting; wants a trial')
  await dialog.getByRole('button', { name: 'Log and move to Demo completed' }).click()
  await dialog.waitFor({ state: 'detached' })
  await column('Demo completed').getByText('Globex expansion').waitFor()
  await screenshot(page, 'board')
})

test('a refused move is rolled back and explained', async () => {
  // Demo completed needs a next step; Stark has none. Cancel the form: the card stays.
  const card = column('Demo completed').locator('.deal-card').filter({ hasText: 'Stark logistics' })
  await drag(card, column('Trial'))
  const dialog = page.getByRole('dialog', { name: 'Move to Trial' })
  await dialog.getByLabel('Next step').waitFor()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await column('Demo completed').getByText('Stark logistics').waitFor()
  assert.equal(await column('Trial').getByText('Stark logistics').count(), 0)
})

test('the deal page logs an activity and shows it on the timeline', async () => {
  await column('Demo completed').getByRole('link', { name: 'Globex expansion' }).click()
  await page.waitForURL(new RegExp(`/deals/${dealId}$`))
  await page.getByRole('heading', { level: 1, name: 'Globex expansion' }).waitFor()
  const timeline = page.getByRole('list', { name: 'Timeline' })
  await timeline.getByText('Moved from Demo scheduled to Demo completed').waitFor()
  await page.locator('.composer').getByText('Call', { exact: true }).click()
  await page.getByLabel('Subject').fill('Pricing call with the CFO')
  await page.getByLabel('Outcome').fill('Budget confirmed for Q1')
  await page.getByRole('button', { name: 'Log activity' }).click()
  await timeline.getByText('Pricing call with the CFO').waitFor()
  assert.match(await timeline.locator('li').first().textContent(), /Call.*Pricing call with the CFO.*Budget confirmed for Q1/)
  await screenshot(page, 'deal', { fullPage: true })
})

test('editing a field on two tabs shows the conflict, and nothing typed is lost', async () => {
  const other = await app.context.newPage()
  await other.goto(`${app.baseURL}/deals/${dealId}`)
  await other.getByRole('heading', { level: 1, name: 'Globex expansion' }).waitFor()

  // This tab starts editing the next step…
  await page.getByRole('button', { name: 'Edit Next step' }).click()
  await page.getByLabel('Next step').fill('Book the security review')
  // …while the other tab saves its own next step first.
  await other.getByRole('button', { name: 'Edit Next step' }).click()
  await other.getByLabel('Next step').fill('Send the trial plan')
  await other.getByRole('button', { name: 'Save' }).click()
  await other.locator('.field-row').filter({ hasText: 'Send the trial plan' }).waitFor()

  await page.getByRole('button', { name: 'Save' }).click()
  const conflict = page.locator('.conflict')
  await conflict.waitFor()
  assert.match(await conflict.textContent(), /Someone else changed next step/)
  assert.match(await conflict.textContent(), /Their value \(saved\)Send the trial plan/)
  assert.match(await conflict.textContent(), /Your value \(not saved\)Book the security review/)
  assert.equal(await page.getByLabel('Next step').inputValue(), 'Book the security review')
  await screenshot(page, 'deal-conflict')
  await conflict.getByRole('button', { name: 'Keep mine' }).click()
  await page.locator('.field-row').filter({ hasText: 'Book the security review' }).getByRole('button', { name: 'Edit Next step' }).waitFor()
  const saved = await api(page, 'GET', `/api/v1/deals/${dealId}`)
  assert.equal(saved.body.next_step, 'Book the security review')

  // A change to another field the other tab made meanwhile is kept without asking.
  await other.getByRole('button', { name: 'Edit Name' }).click()
  await other.getByLabel('Name').fill('Globex expansion 2027')
  await other.getByRole('button', { name: 'Save' }).click()
  await other.getByRole('heading', { level: 1, name: 'Globex expansion 2027' }).waitFor()
  await page.getByRole('button', { name: 'Edit Expected close' }).click()
  await page.getByLabel('Expected close').fill('2027-01-15')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByText('your change was saved on top of theirs').waitFor()
  const both = (await api(page, 'GET', `/api/v1/deals/${dealId}`)).body
  assert.equal(both.name, 'Globex expansion 2027')
  assert.equal(both.close_date, '2027-01-15')
  await other.close()
})

test('the account page shows the account map with the missing decision maker', async () => {
  await page.goto(`${app.baseURL}/accounts/${account}`)
  await page.getByRole('heading', { level: 1, name: 'Northwind Traders' }).waitFor()
  const map = page.getByRole('region', { name: 'Account map' })
  await map.getByText(/No decision maker is known at this account/).waitFor()
  await map.getByText('Anna Keller').waitFor()
  await map.getByText('Mia Schulz').waitFor() // no role yet
  await page.getByRole('region', { name: 'Deals' }).getByText('Northwind — POS rollout').waitFor()
  await screenshot(page, 'account', { fullPage: true })
})

test('global search opens with Ctrl+K and goes to the record', async () => {
  await page.keyboard.press('Control+k')
  const box = page.getByRole('combobox', { name: /Search accounts/ })
  await box.waitFor()
  await box.fill('north')
  const options = page.getByRole('option')
  await page.getByRole('option', { name: 'Account Northwind Traders' }).waitFor()
  await screenshot(page, 'search')
  await box.fill('glob')
  await options.filter({ hasText: 'Globex expansion 2027' }).waitFor()
  await page.keyboard.press('Enter')
  await page.waitForURL(new RegExp(`/deals/${dealId}$`))
})

test('quick add logs an activity from anywhere', async () => {
  await page.getByRole('button', { name: 'Quick add' }).click()
  const dialog = page.getByRole('dialog', { name: 'Quick add' })
  await dialog.getByRole('tab', { name: 'Activity' }).click()
  await dialog.getByText('Meeting', { exact: true }).click()
  await dialog.getByLabel('About').fill('Initech')
  await dialog.getByRole('option', { name: /Initech renewal/ }).click()
  await dialog.getByLabel('Subject').fill('Renewal kickoff')
  await dialog.getByRole('button', { name: 'Log activity' }).click()
  await dialog.getByText('Meeting logged on Initech renewal.').waitFor()
  await page.keyboard.press('Escape')
})

test('the board and a record page fit tablets', async () => {
  for (const width of [1024, 768]) {
    await page.setViewportSize({ width, height: 1024 })
    for (const path of ['/board', `/deals/${dealId}`]) {
      await page.goto(app.baseURL + path)
      await page.getByRole('heading', { level: 1 }).waitFor()
      await page.locator('.deal-card, .fields').first().waitFor()
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 0, `${path} is ${overflow}px wider than a ${width}px screen`)
    }
  }
  await page.goto(app.baseURL + '/board')
  await column('Qualified').waitFor()
  await screenshot(page, 'board-tablet')
  await page.setViewportSize({ width: 1280, height: 800 })
})

test('no page threw an error', () => {
  assert.deepEqual(app.pageErrors, [])
})
