// Shared by the end-to-end tests: start `attain serve` with an empty data
// directory, and a headless Chromium with a throwaway profile. Each test file
// gets its own server and browser, so files do not depend on each other.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
export const shots = join(root, 'docs/screenshots')
const bin = process.env.ATTAIN_BIN ?? join(root, 'bin/attain')
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium'

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

/**
 * startApp starts attain serve on addr (default a free port) and Chromium,
 * and resolves to { baseURL, admin: {email, password}, context, page,
 * pageErrors, output, stop } once the server prints its address and first-run
 * credentials. With demo, the first start loads the demo workspace (serve
 * --demo) and output holds the sign-in details it printed.
 */
export async function startApp({ addr = '127.0.0.1:0', viewport = { width: 1280, height: 800 }, demo = false, timeoutMs = 10_000 } = {}) {
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run \`make build\` (or \`make test-web\`) first`)
  }
  mkdirSync(shots, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'attain-e2e-data-'))
  const env = { ...process.env, ATTAIN_LOG_LEVEL: 'warn' }
  delete env.ATTAIN_DATABASE_URL
  delete env.ATTAIN_ADDR
  const args = ['serve', '--addr', addr, '--data-dir', dataDir, ...(demo ? ['--demo'] : [])]
  const server = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const started = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`attain serve did not start in 60s:\n${output}`)), 60_000)
    server.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk
      const url = output.match(/listening on (http:\/\/\S+)/)
      const email = output.match(/Sign in as:\s*(\S+)/)
      const password = output.match(/Password:\s*(\S+)/)
      if (url && email && password) {
        clearTimeout(timer)
        resolve({ baseURL: url[1], admin: { email: email[1], password: password[1] } })
      }
    })
    server.stderr.setEncoding('utf8').on('data', (c) => (output += c))
    server.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    server.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`attain serve exited with ${code}:\n${output}`))
    })
  })
  const profileDir = mkdtempSync(join(tmpdir(), 'attain-e2e-chromium-'))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    viewport,
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
  })
  context.setDefaultTimeout(timeoutMs)
  const page = context.pages()[0] ?? (await context.newPage())
  const pageErrors = []
  const watch = (p) => {
    p.on('pageerror', (err) => pageErrors.push(err.message))
    p.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) {
        pageErrors.push(msg.text())
      }
    })
  }
  watch(page)
  context.on('page', watch)
  const stop = async () => {
    await context.close()
    if (server.exitCode === null) {
      server.kill('SIGTERM')
      await new Promise((r) => server.once('exit', r))
    }
    for (const dir of [dataDir, profileDir]) {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return { ...started, context, page, pageErrors, output, stop }
}

/** api calls the API from inside page, with the page's own session cookie. */
export function api(page, method, path, body, headers = {}) {
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

/** screenshot saves docs/screenshots/<name>.png once fonts and pending renders settle. */
export async function screenshot(page, name, opts = {}) {
  await page.evaluate(() => document.fonts.ready)
  await page.mouse.move(0, 0)
  await page.waitForTimeout(150)
  await page.screenshot({ path: join(shots, `${name}.png`), ...opts })
}
