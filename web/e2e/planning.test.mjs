// End-to-end tests of the planning pages in Debian's Chromium against the
// real binary (built by `make build`), on the demo workspace: a rep plans
// their funnel, a manager plans their team's and sets a new rep's ramp, an
// admin sets KPI goals, a rep submits a forecast and their manager records
// an adjusted call. Screenshots go to docs/screenshots/.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { api as callAPI, screenshot as shoot, startApp } from './server.mjs'

let app
let page
let baseURL
let admin
let manager
let rep

const api = (method, path, body, headers) => callAPI(page, method, path, body, headers)
const screenshot = (name, opts) => shoot(page, name, opts)

/** tall screenshots a whole long page in a viewport of its height, so the sidebar stays in place. */
async function tall(name, height) {
  await page.setViewportSize({ width: 1280, height })
  await page.evaluate(() => window.scrollTo(0, 0))
  await screenshot(name)
  await page.setViewportSize({ width: 1280, height: 900 })
}

async function signInAs(who) {
  await page.context().clearCookies()
  await page.goto(baseURL + '/sign-in')
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'))
}

async function open(path, heading) {
  await page.goto(baseURL + path)
  await page.getByRole('heading', { level: 1, name: heading }).waitFor()
}

before(async () => {
  app = await startApp({ demo: true, timeoutMs: 20_000, viewport: { width: 1280, height: 900 } })
  ;({ page, baseURL, admin } = app)
  const mgr = app.output.match(/Manager:\s*(\S+) \(manages ([^)]+)\)/)
  const rp = app.output.match(/Rep:\s*(\S+) \(in ([^)]+)\)/)
  assert.ok(mgr && rp, `the demo printed no manager or rep:\n${app.output}`)
  manager = { email: mgr[1], password: admin.password, team: mgr[2] }
  rep = { email: rp[1], password: admin.password, team: rp[2] }
})

after(async () => {
  await app?.stop()
})

test('a rep plans their funnel from their own target; a manager sees the team side by side', async () => {
  await signInAs(rep)
  await open('/planner', 'Funnel planner')
  const nav = page.getByRole('navigation')
  assert.ok(await nav.getByRole('link', { name: 'Funnel planner' }).isVisible(), 'the planner is in the navigation')
  // The demo sets every rep a target: the plan comes from it.
  await page.getByRole('table', { name: 'Funnel plan' }).waitFor()
  const summary = page.getByRole('region', { name: 'Plan summary' })
  assert.match(await summary.innerText(), /Wins needed/)
  const rows = await page.getByRole('table', { name: 'Funnel plan' }).getByRole('row').count()
  assert.ok(rows >= 3, `the plan has steps (${rows} rows)`)
  // A target typed in replaces theirs; the period is any the server offers.
  const target = page.getByLabel(/^Target \(/)
  await target.fill('250000')
  await page.getByRole('region', { name: 'Plan summary' }).getByText(/250,000/).first().waitFor()
  const period = page.getByLabel('Period')
  const options = await period.locator('option').allTextContents()
  assert.ok(options.some((o) => /this month/.test(o)) && options.some((o) => /this year/.test(o)), `months and the year are offered: ${options}`)
  await target.fill('')
  await page.getByRole('table', { name: 'Funnel plan' }).waitFor()
  await screenshot('planner')

  await signInAs(manager)
  await open('/planner', 'Funnel planner')
  // The manager's own plan loads first; only what the team choice asks
  // for is counted.
  await page.waitForFunction(() => !document.body.innerText.includes('Working out'))
  await page.waitForLoadState('networkidle')
  // The team side by side is one request, not one per rep.
  const plans = []
  const onRequest = (req) => {
    const u = new URL(req.url())
    if (u.pathname.endsWith('/funnel-plan')) {
      plans.push(u.pathname + u.search)
    }
  }
  page.on('request', onRequest)
  await page.getByLabel('Rep or team').selectOption({ label: `Team ${manager.team}` })
  const team = page.getByRole('table', { name: 'Team funnel plan' })
  await team.waitFor()
  await team.getByRole('row').nth(1).getByRole('cell').first().waitFor()
  assert.match(page.url(), /team=\d+/, 'the choice is in the address bar')
  await page.waitForFunction(() => !document.body.innerText.includes('Working out'))
  page.off('request', onRequest)
  const teamPlans = plans.filter((p) => /^\/api\/v1\/teams\/\d+\/funnel-plan/.test(p))
  assert.equal(teamPlans.length, 1, `one team plan request: ${plans}`)
  assert.deepEqual(plans.filter((p) => p.startsWith('/api/v1/funnel-plan')), [], 'no plan requested rep by rep')
  const teamId = Number(teamPlans[0].match(/teams\/(\d+)/)[1])
  const members = (await api('GET', `/api/v1/teams/${teamId}/funnel-plan`)).body.members
  assert.equal(await team.getByRole('row').count(), 1 + members.length, 'a row per member')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Export funnel-plan/ }).click()])
  assert.match(download.suggestedFilename(), /^funnel-plan-.*\.csv$/)
  await screenshot('planner-team')
})

test('a manager sets a new rep’s ramp on the targets page, with the keyboard', async () => {
  await signInAs(manager)
  await open('/targets', 'Targets')
  const card = page.getByRole('region', { name: 'Ramp for a new rep' })
  await card.waitFor()
  const repSelect = card.getByLabel('Rep')
  const repId = Number(await repSelect.inputValue())
  assert.ok(repId > 0, 'a rep of the team is chosen')
  await card.getByLabel('First month').fill('2027-01')
  const percents = card.getByLabel('Monthly percentages')
  await percents.fill('30, 60, 90')
  assert.match(await card.innerText(), /Jan 2027 30% · Feb 2027 60% · Mar 2027 90%, then 100%/)
  await percents.press('Enter')
  await card.getByText('Ramp saved').waitFor()
  await card.getByRole('table', { name: /^Ramp of / }).getByText('90%').waitFor()
  const saved = await api('GET', `/api/v1/users/${repId}/ramp`)
  assert.equal(saved.status, 200)
  assert.deepEqual(saved.body.percents, [30, 60, 90])
  assert.equal(saved.body.start, '2027-01-01')
  // A bad percentage is named before anything is sent.
  await percents.fill('30, 160')
  await card.getByText('Whole percentages from 0 to 100').waitFor()
  assert.ok(await card.getByRole('button', { name: 'Save ramp' }).isDisabled())
  await percents.fill('30, 60, 90')
  await card.scrollIntoViewIfNeeded()
  await screenshot('targets-ramp')
})

test('an admin sets KPI goals and thresholds; only KPIs that take a goal offer one', async () => {
  await signInAs(admin)
  await open('/settings/kpis', 'KPIs')
  const goals = page.getByRole('table', { name: 'KPI goals' })
  await goals.waitFor()
  // The server says which KPIs take a goal: attainment is measured against the revenue target.
  const defs = await api('GET', '/api/v1/kpi-definitions')
  const takes = defs.body.items.filter((d) => d.takes_goal).map((d) => d.name)
  assert.equal(await goals.getByRole('textbox').count(), takes.length)
  assert.equal(await goals.getByLabel('Attainment', { exact: true }).count(), 0)

  await page.getByLabel('Pipeline coverage threshold (×)').fill('3.5')
  await goals.getByLabel('Win rate (count)').fill('-5')
  await page.getByRole('button', { name: 'Save KPI settings' }).click()
  await goals.getByText('must not be negative').waitFor()
  await goals.getByLabel('Win rate (count)').fill('60')
  await goals.getByLabel('Cycle time (mean)').fill('45')
  await page.getByRole('button', { name: 'Save KPI settings' }).click()
  await page.getByText('KPI settings saved').waitFor()
  const saved = await api('GET', '/api/v1/kpi-settings')
  assert.equal(saved.body.coverage_threshold, 3.5)
  assert.equal(saved.body.goals.win_rate, 0.6)
  assert.equal(saved.body.goals.cycle_time_mean, 45)
  // The form shows what was saved, as percentages.
  assert.equal(await goals.getByLabel('Win rate (count)').inputValue(), '60')
  await tall('settings-kpis', 1150)
})

test('an admin sets stalled days per stage; a stage left empty uses the default', async () => {
  await signInAs(admin)
  await open('/settings/kpis', 'KPIs')
  const table = page.getByRole('table', { name: 'Stalled days by stage' })
  await table.waitFor()
  const pipelines = (await api('GET', '/api/v1/pipelines')).body.items
  const openStages = pipelines.filter((p) => !p.archived_at).flatMap((p) => p.stages.filter((s) => s.outcome === 'open'))
  assert.equal(await table.getByRole('textbox').count(), openStages.length, 'one input per open stage')
  const [first, second] = openStages
  const input = table.getByLabel(first.name, { exact: true })
  // Unset stages show the workspace's default, which follows the field above.
  const before = (await api('GET', '/api/v1/kpi-settings')).body
  assert.equal(await table.getByLabel(second.name, { exact: true }).getAttribute('placeholder'), String(before.stalled_days))
  await page.getByLabel('Stalled after (days)').fill('30')
  assert.equal(await table.getByLabel(second.name, { exact: true }).getAttribute('placeholder'), '30')

  // The server's error is shown under the stage it names.
  await input.fill('0')
  await page.getByRole('button', { name: 'Save KPI settings' }).click()
  await table.getByText('Must be from 1 to 3650').waitFor()
  assert.equal(await input.getAttribute('aria-invalid'), 'true')
  await input.fill('7')
  await page.getByRole('button', { name: 'Save KPI settings' }).click()
  await page.getByText('KPI settings saved').waitFor()
  const saved = (await api('GET', '/api/v1/kpi-settings')).body
  assert.equal(saved.stalled_days, 30)
  assert.deepEqual(saved.stage_stalled_days, { [String(first.id)]: 7 })
  assert.equal(await table.getByLabel(first.name, { exact: true }).inputValue(), '7')
  await page.getByRole('heading', { name: 'Stalled days by stage' }).scrollIntoViewIfNeeded()
  await screenshot('settings-kpis-stalled')

  // Emptied again, the stage goes back to the default.
  await table.getByLabel(first.name, { exact: true }).fill('')
  await page.getByRole('button', { name: 'Save KPI settings' }).click()
  await page.getByText('KPI settings saved').waitFor()
  assert.deepEqual((await api('GET', '/api/v1/kpi-settings')).body.stage_stalled_days, {})
  assert.deepEqual(app.pageErrors, [])
})

test('a rep submits a forecast; their manager sees it in the roll-up and records an adjusted call', async () => {
  await signInAs(rep)
  await open('/forecast', 'Forecast')
  const mine = page.getByRole('form', { name: 'Submit my forecast' })
  await mine.waitFor()
  const commit = mine.getByLabel(/^Commit \(/)
  assert.notEqual(await commit.inputValue(), '', 'the commit is pre-filled from the deals')
  await commit.fill('123456')
  await mine.getByLabel(/^Best case \(/).fill('234567')
  await mine.getByLabel('Comment').fill('Planning e2e: two renewals slipped')
  await mine.getByRole('button', { name: 'Submit forecast' }).click()
  await page.getByText('Forecast submitted').waitFor()
  await page.getByRole('table', { name: 'Forecast submissions' }).getByText('Planning e2e: two renewals slipped').waitFor()
  // The demo has past quarters' calls, so accuracy has points.
  await page.getByRole('img', { name: 'Mean forecast error by quarter' }).waitFor()
  assert.match(await page.getByRole('region', { name: /forecast accuracy/ }).innerText(), /four quarters to \d{4}-Q\d/)

  await signInAs(manager)
  await open('/forecast', 'Forecast')
  const grid = page.getByRole('table', { name: new RegExp(`^Team ${manager.team}`) })
  await grid.getByText('Planning e2e: two renewals slipped').waitFor()
  const call = page.getByRole('form', { name: 'Record my call' })
  await call.getByLabel(/^Your commit call/).fill('500000')
  await call.getByLabel('Reason').fill('Holding back the slipped renewals')
  await call.getByRole('button', { name: 'Record call' }).click()
  await page.getByText('Your call is recorded').waitFor()
  const history = page.getByRole('region', { name: new RegExp(`^My calls for team`) })
  await history.getByText('Holding back the slipped renewals').waitFor()
  // The manager's own forecast is beside it.
  await page.getByRole('form', { name: 'Submit my forecast' }).waitFor()
  const team = (await api('GET', '/api/v1/teams')).body.items.find((t) => t.name === manager.team)
  const subs = await api('GET', `/api/v1/forecasts?scope=team&team_id=${team.id}`)
  const last = subs.body.items[subs.body.items.length - 1]
  assert.equal(last.comment, 'Holding back the slipped renewals')
  assert.equal(last.commit, 50_000_000)
  await page.getByRole('img', { name: 'Mean forecast error by week of quarter' }).waitFor()
  await tall('forecast', 1620)
  assert.deepEqual(app.pageErrors, [])
})
