/**
 * Shared pieces of the e2e tests: the demo (its servers + Vite page) started in-process
 * on free ports, Debian's Chromium driven by playwright-core, and bounded waits. Nothing here
 * skips: a missing Chromium fails the tests with the command to fix it.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { startDemo, type Demo } from '../../demo/startDemo.js'
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js'
import { figures } from '../helpers/figures.js'
import { waitFor } from '../helpers/wait.js'

/** Debian's Chromium; throws (so the tests fail, never skip) when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is missing (${CHROMIUM}); the e2e tests need it. Run \`npm test\` (its pretest installs it) or: sudo apt-get update && sudo apt-get install -y chromium`,
    )
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
}

/** The demo on free ports, with a Vite cache of its own (test files run in parallel). */
export async function startTestDemo(): Promise<Demo> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'linklight-e2e-vite-'))
  const demo = await startDemo({
    serverPort: 0,
    yjsPort: 0,
    socketioPort: 0,
    webPort: 0,
    logLevel: 'error',
    cacheDir,
  })
  return {
    ...demo,
    close: async () => {
      await demo.close()
      await rm(cacheDir, { recursive: true, force: true })
    },
  }
}

/** Milliseconds on a monotonic clock, for measured figures. */
export const now = () => performance.now()

/** One browser context per tab: its own cookies and storage, like a second window. */
export async function openTab(
  browser: Browser,
  url: string,
  options: { colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1000, height: 800 },
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(url)
  await page.getByTestId('badge').waitFor({ timeout: 15_000 })
  if (errors.length) throw new Error(`the demo page threw: ${errors.join('; ')}`)
  return { context, page }
}

/** The demo page's URL with query parameters. */
export function pageUrl(demo: Demo, params: Record<string, string | number>): string {
  const url = new URL(demo.url)
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value))
  return url.href
}

/** The header badge's `data-tone`. */
export const toneOf = (page: Page) => page.getByTestId('badge').getAttribute('data-tone')

/**
 * Polls `read` every 20 ms until `accept` takes its value; throws after `timeoutMs` with the
 * last value seen. Resolves with the value and the milliseconds waited.
 */
export async function waitUntil<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<{ value: T; ms: number }> {
  let value: T | undefined
  const ms = await waitFor(async () => accept((value = await read())), {
    timeout: timeoutMs,
    interval: 20,
    what: () => `${what} (last: ${JSON.stringify(value)})`,
  })
  return { value: value as T, ms }
}

/** Waits for the badge of `page` to show `tone`; resolves with the milliseconds waited. */
export async function waitForTone(page: Page, tone: string, timeoutMs: number): Promise<number> {
  const { ms } = await waitUntil(
    () => toneOf(page),
    (t) => t === tone,
    timeoutMs,
    `tone ${tone}`,
  )
  return ms
}

/** The ids in a page's peers panel, in the order shown. */
export const peersOf = (page: Page) =>
  page.locator('[data-peer-id]').evaluateAll((items) => items.map((li) => li.textContent))

/** The demo and a Chromium one e2e file shares, with the tabs it opened and its figures. */
export interface DemoSession {
  readonly demo: Demo
  readonly browser: Browser
  /** Every tab's context: closed after the file. */
  readonly contexts: BrowserContext[]
  /** Figures the tests measured: printed after the file. */
  readonly measured: Record<string, number>
}

/**
 * Starts the demo and Chromium before the file's tests and closes them, with every tab, after
 * them, printing what was measured as `figures({ test: name, … })`.
 */
export function useDemoSession(name: string): DemoSession {
  let demo: Demo | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  const measured: Record<string, number> = {}
  beforeAll(async () => {
    demo = await startTestDemo()
    browser = await launchChromium()
  })
  afterAll(async () => {
    figures({ test: name, ...measured })
    await Promise.allSettled(contexts.map((context) => context.close()))
    await browser?.close()
    await demo?.close()
  })
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the demo session has not started (beforeAll)')
    return value
  }
  return {
    get demo() {
      return started(demo)
    },
    get browser() {
      return started(browser)
    },
    contexts,
    measured,
  }
}
