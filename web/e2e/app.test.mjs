// End-to-end tests: the real binary, the embedded web app and Debian's
// Chromium. Nothing is built here: `make test-web` builds bin/attain (with
// the app embedded) first. Each run starts `attain serve` on a free port with
// an empty data directory, signs in with the credentials it prints, walks the
// main flows as a person would, and saves screenshots of the main pages to
// docs/screenshots/.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const bin = process.env.ATTAIN_BIN ?? join(root, 'bin/attain')
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium'
const shots = join(root, 'docs/screenshots')

// The flags keep a headless Chromium quiet and self-contained: no GPU, no
// sandbox (CI runs as root), and no calls home.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

let server // the attain process
let serverOutput = ''
let baseURL
let admin // { email, password }
let dataDir
let profileDir
let context
let page
const pageErrors = []

/** Starts attain serve and resolves once it prints its address and first-run credentials. */
function startServer() {
  dataDir = mkdtempSync(join(tmpdir(), 'attain-e2e-data-'))
  const env = { ...process.env, ATTAIN_LOG_LEVEL: 'warn' }
  delete env.ATTAIN_DATABASE_URL
  delete env.ATTAIN_ADDR
  server = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`attain serve did not start in 30s:\n${serverOutput}`)), 30_000)
    const onData = (chunk) => {
      serverOutput += chunk
      const url = serverOutput.match(/listening on (http:\/\/\S+)/)
      const email = serverOutput.match(/Sign in as:\s*(\S+)/)
      const password = serverOutput.match(/Password:\s*(\S+)/)
      if (url && email && password) {
        clearTimeout(timer)
        baseURL = url[1]
        admin = { email: email[1], password: password[1] }
        resolve()
      }
    }
    server.stdout.setEncoding('utf8').on('data', onData)
    server.stderr.setEncoding('utf8').on('data', (c) => (serverOutput += c))
    server.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    server.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`attain serve exited with ${code}:\n${serverOutput}`))
    })
  })
}

/** Calls the API from inside the page, with the page's own session cookie. */
function api(method, path, body, headers = {}) {
  return page.evaluate(
    async ({ method, path, body, headers }) => {
      const res = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      return { status: res.status, etag: res.headers.get('ETag'), body: text ? JSON.parse(text) : null }
    },
    { method, path, body, headers },
  )
}

async function screenshot(name) {
  await page.evaluate(() => document.fonts.ready)
  // Let hover and focus styles and pending renders settle.
  await page.mouse.move(0, 0)
  await page.waitForTimeout(150)
  await page.screenshot({ path: join(shots, `${name}.png`) })
}

async function nav(label) {
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true })
  const href = await link.getAttribute('href')
  await link.click()
  await page.waitForURL((url) => url.pathname === href)
  await page.getByRole('heading', { level: 1 }).waitFor()
}

before(async () => {
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run \`make build\` (or \`make test-web\`) first`)
  }
  mkdirSync(shots, { recursive: true })
  await startServer()
  profileDir = mkdtempSync(join(tmpdir(), 'attain-e2e-chromium-'))
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
  })
  context.setDefaultTimeout(10_000)
  page = context.pages()[0] ?? (await context.newPage())
  page.on('pageerror', (err) => pageErrors.push(err.message))
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) {
      pageErrors.push(msg.text())
    }
  })
})

after(async () => {
  await context?.close()
  if (server && server.exitCode === null) {
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
  }
  for (const dir of [dataDir, profileDir]) {
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
})

test('an unknown visitor is sent to sign in, and a blank form shows each field’s error', async () => {
  await page.goto(baseURL + '/settings/teams')
  await page.waitForURL(/\/sign-in\?next=%2Fsettings%2Fteams$/)
  await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  await screenshot('sign-in')

  await page.getByRole('button', { name: 'Sign in' }).click()
  const email = page.getByLabel('Email')
  await page.getByText('Is required.').first().waitFor()
  assert.equal(await email.getAttribute('aria-invalid'), 'true')
  const describedBy = await email.getAttribute('aria-describedby')
  assert.equal(await page.locator(`[id="${describedBy}"]`).textContent(), 'Is required.')
  assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true')
})

test('a wrong password shows the error', async () => {
  await page.getByLabel('Email').fill(admin.email)
  await page.getByLabel('Password').fill('not-the-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  const alert = page.getByRole('alert')
  await alert.waitFor()
  assert.match(await alert.textContent(), /email or password is wrong/i)
  assert.match(page.url(), /\/sign-in/)
})

test('signing in with the keyboard lands on the page asked for', async () => {
  await page.getByLabel('Email').fill('')
  await page.getByLabel('Email').focus()
  await page.keyboard.type(admin.email)
  await page.keyboard.press('Tab')
  await page.keyboard.type(admin.password)
  await page.keyboard.press('Enter')
  await page.waitForURL(/\/settings\/teams$/)
  await page.getByRole('heading', { level: 1, name: 'Teams' }).waitFor()
  const navText = await page.getByRole('navigation', { name: 'Main' }).textContent()
  for (const label of ['Home', 'Members', 'Teams', 'Audit log', 'API tokens']) {
    assert.ok(navText.includes(label), `navigation shows ${label}`)
  }
  await page.getByText('No teams yet').waitFor()
})

test('an admin adds a member, and an invalid email is shown next to its field', async () => {
  await nav('Members')
  await page.getByRole('button', { name: 'Add member' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add a member' })
  await dialog.getByLabel('Name').fill('Maria Rossi')
  await dialog.getByLabel('Email').fill('maria.example.com')
  await dialog.getByRole('radio', { name: /Manager/ }).check()
  await dialog.getByRole('button', { name: 'Add member' }).click()
  await dialog.getByText('Is not a valid email address.').waitFor()
  await screenshot('member-add')

  await dialog.getByLabel('Email').fill('maria@example.com')
  await dialog.getByRole('button', { name: 'Add member' }).click()
  await dialog.waitFor({ state: 'detached' })
  await page.getByRole('status').filter({ hasText: 'Maria Rossi was added as manager' }).waitFor()
  const row = page.getByRole('row').filter({ hasText: 'maria@example.com' })
  assert.equal(await row.getByRole('combobox').inputValue(), 'manager')

  // A few more members through the API, so the pages show a real workspace.
  for (const [name, role] of [
    ['Tomás Alves', 'rep'],
    ['Ioana Popescu', 'rep'],
    ['Kenji Watanabe', 'rep'],
    ['Léa Martin', 'manager'],
  ]) {
    const email = name.split(' ')[0].normalize('NFD').replace(/[^a-z]/gi, '').toLowerCase() + '@example.com'
    const res = await api('POST', '/api/v1/users', { name, email, role, password: 'correct-horse-battery' })
    assert.equal(res.status, 201, JSON.stringify(res.body))
  }
  await page.reload()
  await page.getByRole('row').filter({ hasText: 'Léa Martin' }).waitFor()
  await screenshot('members')
})

test('a role change on a member someone else just changed is refused and explained (412)', async () => {
  const user = (await api('GET', '/api/v1/users')).body.items.find((u) => u.email === 'tomas@example.com')
  // Someone else renames Tomás after this page loaded the list.
  const res = await api('PATCH', `/api/v1/users/${user.id}`, { name: 'Tomás Alves Silva' }, { 'If-Match': `"${user.version}"` })
  assert.equal(res.status, 200)
  await page.getByRole('combobox', { name: 'Role of Tomás Alves' }).selectOption('manager')
  const alert = page.getByRole('alert').filter({ hasText: 'changed by someone else' })
  await alert.waitFor()
  await alert.getByRole('button', { name: 'Reload members' }).click()
  await page.getByRole('combobox', { name: 'Role of Tomás Alves Silva' }).waitFor()
  assert.equal(await page.getByRole('combobox', { name: 'Role of Tomás Alves Silva' }).inputValue(), 'rep')
})

test('an admin creates a team with a manager and members, then a sub-team', async () => {
  await nav('Teams')
  await page.getByRole('button', { name: 'New team' }).click()
  let dialog = page.getByRole('dialog', { name: 'New team' })
  await dialog.getByLabel('Name').fill('Sales')
  await dialog.getByLabel('Manager').selectOption({ label: 'Maria Rossi (Manager)' })
  await dialog.getByRole('checkbox', { name: /Ioana Popescu/ }).check()
  await dialog.getByRole('checkbox', { name: /Kenji Watanabe/ }).check()
  await dialog.getByRole('button', { name: 'Create team' }).click()
  await dialog.waitFor({ state: 'detached' })
  const row = page.getByRole('row').filter({ hasText: 'Sales' })
  await row.getByText('2 members').waitFor()
  assert.match(await row.textContent(), /Maria Rossi/)

  await page.getByRole('button', { name: 'New team' }).click()
  dialog = page.getByRole('dialog', { name: 'New team' })
  await dialog.getByLabel('Name').fill('EMEA')
  await dialog.getByLabel('Manager').selectOption({ label: 'Léa Martin (Manager)' })
  await dialog.getByLabel('Part of').selectOption({ label: 'Sales' })
  await dialog.getByRole('checkbox', { name: /Tomás Alves Silva/ }).check()
  await dialog.getByRole('button', { name: 'Create team' }).click()
  await dialog.waitFor({ state: 'detached' })
  await page.getByRole('row').filter({ hasText: 'EMEA' }).waitFor()
  assert.match(await page.getByRole('row').filter({ hasText: 'EMEA' }).textContent(), /part of Sales \/ EMEA/)
  // The parent cannot be deleted while it has a sub-team.
  assert.ok(await page.getByRole('button', { name: 'Delete Sales' }).isDisabled())
  await screenshot('teams')

  await page.getByRole('button', { name: 'Edit EMEA' }).click()
  await page.getByRole('dialog', { name: 'Edit EMEA' }).waitFor()
  await screenshot('team-edit')
  await page.keyboard.press('Escape')
  await page.getByRole('dialog').waitFor({ state: 'detached' })
})

test('a member creates an API token, sees its secret once, and it works', async () => {
  await nav('API tokens')
  await page.getByText('No API tokens yet').waitFor()
  await page.getByLabel('Name').fill('Nightly export')
  await page.getByRole('button', { name: 'Create token' }).click()
  const secretBox = page.getByRole('textbox', { name: 'New token' })
  await secretBox.waitFor()
  const secret = await secretBox.inputValue()
  assert.match(secret, /^atn_/)
  await page.getByRole('row').filter({ hasText: 'Nightly export' }).waitFor()
  await screenshot('tokens')

  // The secret authenticates API calls.
  const res = await fetch(baseURL + '/api/v1/session', { headers: { Authorization: `Bearer ${secret}` } })
  assert.equal(res.status, 200)

  await page.getByRole('button', { name: 'I have stored it' }).click()
  await secretBox.waitFor({ state: 'detached' })
  await page.reload()
  await page.getByRole('row').filter({ hasText: 'Nightly export' }).waitFor()
  assert.ok(!(await page.content()).includes(secret), 'the secret is shown only once')
})

test('revoking a token asks first, then marks it revoked', async () => {
  await page.getByRole('button', { name: 'Revoke Nightly export' }).click()
  const dialog = page.getByRole('dialog', { name: /Revoke/ })
  await dialog.getByRole('button', { name: 'Revoke token' }).click()
  await dialog.waitFor({ state: 'detached' })
  await page.getByRole('row').filter({ hasText: 'Nightly export' }).getByText('Revoked').waitFor()
  // A second, active token for the screenshots of a used workspace.
  await page.getByLabel('Name').fill('CRM import script')
  await page.getByRole('button', { name: 'Create token' }).click()
  await page.getByRole('button', { name: 'I have stored it' }).click()
})

test('the audit log lists what happened, newest first, with the changes', async () => {
  await nav('Audit log')
  const entries = page.locator('.audit-entry')
  await entries.first().waitFor()
  assert.match(await entries.first().textContent(), /created an API token/)
  await page.getByText(/created a team\s*EMEA/).waitFor()
  await page
    .locator('.audit-entry')
    .filter({ hasText: 'created a team EMEA' })
    .getByRole('button', { name: 'Details' })
    .click()
  const diff = page.locator('.audit-diff')
  assert.match(await diff.textContent(), /ManagerLéa Martin/)
  assert.match(await diff.textContent(), /Part ofSales/)
  assert.match(await diff.textContent(), /MembersTomás Alves Silva/)
  await screenshot('audit')
  await page.getByRole('combobox').first().selectOption({ label: 'Teams' })
  await page.getByText('created a team Sales').waitFor()
  assert.equal(await page.locator('.audit-list').getByText(/API token/).count(), 0)
})

test('home shows the workspace summary', async () => {
  await nav('Home')
  const stats = page.getByRole('region', { name: 'Workspace summary' })
  await stats.getByText('Members').waitFor()
  assert.match(await stats.textContent(), /Members6/)
  assert.match(await stats.textContent(), /Teams2/)
  await page.getByRole('region', { name: 'Teams' }).getByText('EMEA').waitFor()
  await screenshot('home')
})

test('the app fits a tablet screen', async () => {
  await page.setViewportSize({ width: 768, height: 1024 })
  for (const label of ['Home', 'Teams']) {
    await nav(label)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `${label} is ${overflow}px wider than the screen`)
  }
  await nav('Home')
  await screenshot('home-tablet')
  await page.setViewportSize({ width: 1280, height: 800 })
})

test('a rep sees no settings, but has API tokens', async () => {
  // Sign Ioana in outside the browser and hand her session cookie to it.
  const res = await fetch(baseURL + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'ioana@example.com', password: 'correct-horse-battery' }),
  })
  assert.equal(res.status, 200)
  const cookie = res.headers.get('set-cookie').split(';')[0]
  const adminCookies = await context.cookies()
  await context.clearCookies()
  const [name, value] = cookie.split('=')
  await context.addCookies([{ name, value, url: baseURL }])
  await page.goto(baseURL + '/')
  await page.getByRole('heading', { level: 1, name: /Ioana/ }).waitFor()
  const navText = await page.getByRole('navigation', { name: 'Main' }).textContent()
  assert.ok(!navText.includes('Members') && !navText.includes('Audit log'), 'no settings for a rep')
  assert.ok(navText.includes('API tokens'))
  await page.goto(baseURL + '/settings/members')
  await page.getByText('This page is for admins.').waitFor()
  await context.clearCookies()
  await context.addCookies(adminCookies)
})

test('signing out returns to sign in, and the app stays closed', async () => {
  await page.goto(baseURL + '/')
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL(/\/sign-in$/)
  await page.goto(baseURL + '/account/tokens')
  await page.waitForURL(/\/sign-in\?next=/)
  const res = await api('GET', '/api/v1/session')
  assert.equal(res.status, 401)
})

test('no page threw an error', () => {
  assert.deepEqual(pageErrors, [])
})
