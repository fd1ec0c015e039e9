// End-to-end tests of the dashboards, forecasts and targets in Debian's
// Chromium against the real binary (built by `make build`), on the demo
// workspace: a rep submits a forecast, their manager sees it in the team's
// roll-up and records an adjusted call, an admin opens the company view.
// Screenshots go to docs/screenshots/.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { api } from './server.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const bin = process.env.ATTAIN_BIN ?? join(root, 'bin/attain')
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium'
const shots = join(root, 'docs/screenshots')
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

let server
let serverOutput = ''
let baseURL
let admin
let manager
let rep
let dataDir
let profileDir
let context
let page
const pageErrors = []

function startServer() {
  dataDir = mkdtempSync(join(tmpdir(), 'attain-e2e-dash-'))
  const env = { ...process.env, ATTAIN_LOG_LEVEL: 'warn' }
  delete env.ATTAIN_DATABASE_URL
  delete env.ATTAIN_ADDR
  const help = spawnSync(bin, ['serve', '--help'], { encoding: 'utf8' })
  if (!/-demo\b/.test(help.stdout + help.stderr)) {
    throw new Error('this binary has no demo workspace (serve --demo), which these tests need')
  }
  server = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--data-dir', dataDir, '--demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`attain serve did not start in 120s:\n${serverOutput}`)), 120_000)
    const onData = (chunk) => {
      serverOutput += chunk
      const url = serverOutput.match(/listening on (http:\/\/\S+)/)
      const email = serverOutput.match(/Sign in as:\s*(\S+)/)
      const password = serverOutput.match(/Password:\s*(\S+)/)
      const mgr = serverOutput.match(/Manager:\s*(\S+) \(manages ([^)]+)\)/)
      const rp = serverOutput.match(/Rep:\s*(\S+) \(in ([^)]+)\)/)
      if (url && email && password && mgr && rp) {
        clearTimeout(timer)
        baseURL = url[1]
        admin = { email: email[1], password: password[1] }
        manager = { email: mgr[1], password: password[1], team: mgr[2] }
        rep = { email: rp[1], password: password[1], team: rp[2] }
        resolve()
      }
    }
    server.stdout.setEncoding('utf8').on('data', onData)
    server.stderr.setEncoding('utf8').on('data', onData)
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

async function signInAs(who) {
  await context.clearCookies()
  await page.goto(baseURL + '/sign-in')
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'))
}

async function screenshot(name) {
  await page.evaluate(() => document.fonts.ready)
  await page.mouse.move(0, 0)
  await page.waitForTimeout(300)
  await page.setViewportSize({ width: 1280, height: 1500 })
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(shots, `${name}.png`) })
  await page.setViewportSize({ width: 1280, height: 900 })
}

/** Checks that the page does not scroll sideways at a width (768px, 1024px). */
async function fitsAt(width) {
  await page.setViewportSize({ width, height: 900 })
  await page.waitForTimeout(300)
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(over <= 1, `the page is ${over}px wider than a ${width}px window`)
  await page.setViewportSize({ width: 1280, height: 900 })
}

before(async () => {
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run \`make build\` (or \`make test-web\`) first`)
  }
  mkdirSync(shots, { recursive: true })
  await startServer()
  profileDir = mkdtempSync(join(tmpdir(), 'attain-e2e-dash-chromium-'))
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
  })
  context.setDefaultTimeout(20_000)
  page = context.pages()[0] ?? (await context.newPage())
  page.on('pageerror', (err) => pageErrors.push(err.message))
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

/**
 * An admin records what the demo lacks: two deals of the rep in euros (one
 * won this quarter, one open), so the dashboards show amounts left out of
 * the dollar sums.
 */
async function addEuroDeals() {
  await signInAs(admin)
  const ok = (res) => {
    assert.ok(res.status < 300, JSON.stringify(res.body))
    return res.body
  }
  const users = ok(await api(page, 'GET', '/api/v1/users')).items
  const repId = users.find((u) => u.email === rep.email).id
  const dash = ok(await api(page, 'GET', `/api/v1/users/${repId}/dashboard`))
  const pipelines = ok(await api(page, 'GET', '/api/v1/pipelines')).items
  const p = pipelines.find((x) => x.is_default) ?? pipelines[0]
  ok(await api(page, 'PATCH', `/api/v1/pipelines/${p.id}`, { allow_override: true }, { 'If-Match': `"${p.version}"` }))
  const won = p.stages.find((st) => st.outcome === 'won')
  const lists = ok(await api(page, 'GET', '/api/v1/picklists')).items
  const reason = lists.find((l) => l.list === 'won_reason').values.find((v) => !v.retired_at).value
  const closeDate = dash.period.end
  const deal = (name, amount) => api(page, 'POST', '/api/v1/deals', { name, amount, currency: 'EUR', owner_id: repId, close_date: closeDate })
  const signed = ok(await deal('Berliner Messe', 1_240_000))
  ok(await deal('Lyon Logistique', 5_000_000))
  ok(
    await api(
      page,
      'POST',
      `/api/v1/deals/${signed.id}/move`,
      { stage_id: won.id, reason, override_reason: 'Signed in Berlin' },
      { 'If-Match': `"${signed.version}"` },
    ),
  )
  // The demo sets bookings targets as it does revenue targets.
  for (const kind of ['revenue', 'bookings']) {
    const ts = ok(await api(page, 'GET', `/api/v1/targets?period=${dash.period.key}&kind=${kind}&scope=rep`)).items
    assert.ok(ts.some((t) => t.user_id === repId && t.amount !== null), `the demo rep has a ${kind} target`)
  }
}

test('a rep submits their forecast from their home page', async () => {
  await addEuroDeals()
  await signInAs(rep)
  await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor()
  await page.getByRole('heading', { name: 'Pipeline by stage' }).waitFor()
  await page.getByRole('progressbar', { name: 'Attainment against target' }).waitFor()
  // Euros are not in the dollar sums, and are said to be left out beside them.
  const tiles = page.getByRole('region', { name: 'Headline figures' })
  await tiles.getByText('+ €12,400 in EUR not included').waitFor()
  await tiles.getByText('+ €50,000 open in EUR not included').waitFor()
  await tiles.getByText(/^Bookings \d+%: \$[\d,.]+ of \$[\d,.]+$/).waitFor()
  await page.getByRole('progressbar', { name: 'Bookings against target' }).waitFor()
  const form = page.getByRole('form', { name: 'Submit my forecast' })
  await form.getByLabel(/^Commit/).fill('123,456')
  await form.getByLabel('Comment').fill('Torrora slipping; Katorra in')
  await form.getByRole('button', { name: 'Submit forecast' }).click()
  await page.getByText('Forecast submitted: commit $123,456').waitFor()
  await page.getByRole('table', { name: 'Forecast submissions' }).getByText('Torrora slipping; Katorra in').waitFor()
  // Deals needing attention link to the deal pages.
  const deal = page.locator('.attention-list a').first()
  if (await deal.count()) {
    assert.match(await deal.getAttribute('href'), /^\/deals\/\d+$/)
    // Missing key activities read as the workspace names them, never as keys.
    assert.doesNotMatch(await page.locator('.attention-list').innerText(), /activities\./)
  }
  // The period picker changes the quarter in the address bar.
  await screenshot('rep-home')
  await fitsAt(1024)
  await fitsAt(768)
})

test('the manager sees the submission in the roll-up and records an adjusted call', async () => {
  await signInAs(manager)
  await page.getByRole('heading', { level: 1, name: `Team ${manager.team}` }).waitFor()
  const reps = page.getByRole('table', { name: `Reps of ${manager.team}` })
  await reps.waitFor()
  const grid = page.getByRole('table', { name: `Forecast roll-up · ${manager.team}` })
  const row = grid.getByRole('row').filter({ hasText: 'Torrora slipping; Katorra in' })
  await row.waitFor()
  assert.match(await row.innerText(), /\$123,456/)

  const form = page.getByRole('form', { name: 'Record my call' })
  await form.getByLabel(/^Your commit call/).fill('2,000,000')
  await form.getByLabel('Reason').fill('Two enterprise deals pulled in')
  await form.getByRole('button', { name: 'Record call' }).click()
  await grid.getByRole('row').filter({ hasText: 'Two enterprise deals pulled in' }).filter({ hasText: '$2,000,000' }).waitFor()
  // Each rep's bookings against the bookings target the demo set, in the table and its CSV.
  const headers = await reps.getByRole('columnheader').allTextContents()
  const col = headers.indexOf('Bookings')
  assert.ok(col > 0, `a Bookings column: ${headers}`)
  const teamId = Number((await api(page, 'GET', '/api/v1/teams')).body.items.find((t) => t.name === manager.team).id)
  const dash = (await api(page, 'GET', `/api/v1/teams/${teamId}/dashboard`)).body
  const first = dash.rows.find((r) => r.bookings_target !== null)
  assert.ok(first, 'a rep has a bookings target')
  const firstRow = reps.getByRole('row').filter({ has: page.getByRole('link', { name: first.name, exact: true }) })
  const cellText = await firstRow.getByRole('cell').nth(col).innerText()
  assert.match(cellText, new RegExp(`^${Math.round(first.bookings_attainment * 100)}%\\s*of \\$`), `bookings cell: ${cellText}`)
  const [csv] = await Promise.all([page.waitForEvent('download'), reps.locator('xpath=ancestor::section[1]').getByRole('button', { name: /^Export team/ }).click()])
  const text = readFileSync(await csv.path(), 'utf8')
  assert.match(text.split(/\r?\n/)[0], /Bookings target \(USD\),Bookings attainment/)
  // The team's forecast accuracy, quarter by quarter, oldest first.
  await page.getByRole('table', { name: 'Forecast accuracy by quarter' }).waitFor()
  // Every column fits at 1280px, the euros in a note below the table, not in its total.
  const wrap = reps.locator('xpath=ancestor::div[contains(@class, "table-wrap")][1]')
  const overflow = await wrap.evaluate((el) => el.scrollWidth - el.clientWidth)
  assert.ok(overflow <= 0, `the reps table scrolls ${overflow}px sideways at 1280px`)
  const note = reps.locator('xpath=ancestor::section[1]').locator('.table-note')
  assert.match(await note.innerText(), /\+ €12,400 won in EUR not included; \+ €50,000 open in EUR not included/)
  await screenshot('team-view')
  await fitsAt(1024)

  // Drill down to a rep's dashboard.
  await reps.getByRole('link').first().click()
  await page.getByRole('heading', { name: 'Pipeline by stage' }).waitFor()
  assert.match(page.url(), /\/reps\/\d+/)
})

test('a rep proposes a target and the manager approves it adjusted, the difference visible', async () => {
  await signInAs(rep)
  await page.goto(baseURL + '/targets?period=2027-Q1')
  await page.getByRole('heading', { level: 1, name: 'Targets' }).waitFor()
  const form = page.getByRole('form', { name: 'Propose my target' })
  await form.getByLabel(/^Revenue target/).fill('150,000')
  await form.getByLabel('Comment').fill('Two renewals and the Katorra expansion')
  await form.getByRole('button', { name: 'Propose' }).click()
  await page.getByText('Proposed; your manager will approve or adjust it.').waitFor()

  await signInAs(manager)
  await page.goto(baseURL + '/targets?period=2027-Q1')
  const approve = page.getByRole('form', { name: /^Approve / }).first()
  await approve.getByText('proposes $150,000').waitFor()
  await approve.getByLabel('Adjust to (optional)').fill('180,000')
  await approve.getByLabel('Reason').fill('Territory grew in January')
  await approve.getByRole('button', { name: 'Approve adjusted' }).click()
  const row = page.getByRole('table', { name: 'Targets' }).getByRole('row').filter({ hasText: 'Territory grew in January' })
  await row.waitFor()
  const text = await row.innerText()
  assert.match(text, /\$180,000/)
  assert.match(text, /\$150,000/)
  assert.match(text, /\+\$30,000/)
  await screenshot('targets')
})

test('an admin opens the company view', async () => {
  await signInAs(admin)
  await page.getByRole('link', { name: 'Open the company view' }).click()
  await page.getByRole('heading', { level: 1, name: 'Company' }).waitFor()
  await page.getByRole('heading', { name: 'Forecast vs target by team' }).waitFor()
  await page.getByRole('table', { name: 'Funnel' }).waitFor()
  // The teams table fits its half-width card at 1280px.
  const teamsTable = page.getByRole('table', { name: 'Teams' })
  const spill = await teamsTable.evaluate((el) => el.getBoundingClientRect().right - el.closest('section').getBoundingClientRect().right)
  assert.ok(spill <= 0, `the teams table spills ${spill}px out of its card`)
  const tiles = page.getByRole('region', { name: 'Headline figures' })
  await tiles.getByText('+ €12,400 in EUR not included').waitFor()
  await tiles.getByText(/^Bookings \d+%/).waitFor()
  await page.getByRole('table', { name: 'Forecast accuracy by quarter' }).waitFor()
  await page.getByRole('img', { name: /System forecast P10, P50, P90/ }).waitFor()
  await page.locator('.recharts-surface').first().waitFor()
  // The manager's call rolls up into the company roll-up as their team's row.
  await page.getByRole('table', { name: 'Company forecast roll-up' }).getByText('Two enterprise deals pulled in').waitFor()
  // Every table exports to CSV.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Export company teams/ }).click()])
  assert.match(download.suggestedFilename(), /^company-teams-\d{4}-q\d\.csv$/)
  await screenshot('company-view')
  await fitsAt(1024)
  await fitsAt(768)
  assert.deepEqual(pageErrors, [])
})
