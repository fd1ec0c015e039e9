// Measures how long each page of the app takes to become interactive on the
// demo workspace: from navigation start until the page's heading shows and no
// loading state is left. Run after `make build`:
//
//   node web/scripts/page-timings.mjs [runs]
//
// It starts `bin/attain serve --demo` on an empty data directory and a
// headless Chromium, signs in as the demo admin, opens every page `runs`
// times (default 5, after one warm-up) and prints the median and worst per
// page. Client-side navigation is what a person sees after the first page,
// so each visit after the first is an in-app navigation (history push).
import { startApp } from '../e2e/server.mjs'

const runs = Number(process.argv[2] ?? 5)
const pages = ['/', '/me', '/team', '/company', '/targets', '/board', '/deals', '/accounts', '/contacts', '/leads',
  '/activities', '/import', '/settings/pipelines', '/settings/fields', '/settings/activity-types',
  '/settings/members', '/settings/teams', '/settings/audit', '/account/tokens']

const app = await startApp({ demo: true })
const { page } = app
const started = { baseURL: app.baseURL, email: app.admin.email, password: app.admin.password }
try {
  await page.goto(started.baseURL)
  await page.getByLabel('Email').fill(started.email)
  await page.getByLabel('Password').fill(started.password)
  await page.getByRole('button', { name: /sign in/i }).click()
  await page.getByRole('heading', { level: 1 }).waitFor()

  // One record of each kind, for the record pages.
  for (const kind of ['deals', 'accounts', 'contacts', 'leads']) {
    const id = await page.evaluate(async (k) => (await (await fetch(`/api/v1/${k}?limit=1`)).json()).items[0]?.id, kind)
    if (id !== undefined) pages.push(`/${kind}/${id}`)
  }
  const ready = () => page.waitForFunction(() =>
    document.querySelector('main h1, h1') !== null && document.querySelector('.state-loading, [aria-busy="true"]') === null,
    null, { polling: 'raf', timeout: 15_000 })
  const rows = []
  for (const path of pages) {
    const times = []
    for (let i = 0; i <= runs; i++) {
      await page.evaluate(() => window.history.pushState({}, '', '/__blank__'))
      const t0 = Date.now()
      if (i === 0) {
        await page.goto(started.baseURL + path) // full load once (also the warm-up)
      } else {
        await page.evaluate((p) => { window.history.pushState({}, '', p); window.dispatchEvent(new PopStateEvent('popstate')) }, path)
      }
      await ready()
      if (i > 0) times.push(Date.now() - t0)
      else rows.push({ path, full: Date.now() - t0 })
    }
    times.sort((a, b) => a - b)
    Object.assign(rows.at(-1), { median: times[Math.floor(times.length / 2)], worst: times.at(-1) })
  }
  console.log('| page | full load (first visit) | in-app median | in-app worst |')
  console.log('| --- | ---: | ---: | ---: |')
  for (const r of rows) console.log(`| ${r.path} | ${r.full} ms | ${r.median} ms | ${r.worst} ms |`)
} finally {
  await app.stop()
}
