import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import pixelmatch from 'pixelmatch'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Demo } from '../../demo/startDemo.js'
import {
  launchChromium,
  openTab,
  pageUrl,
  peersOf,
  startTestDemo,
  waitForTone,
  waitUntil,
} from './support.js'

// Pictures of the demo page in green, amber and red, compared with committed baselines
// (tests/e2e/__screenshots__) and copied to docs/images for the README.
//
// - A missing baseline is written, and the test fails saying so: review the picture, commit it.
// - UPDATE_SCREENSHOTS=1 rewrites every baseline (and docs/images) and passes.
// - A picture differs when more than 0.5 % of its pixels differ by more than pixelmatch's
//   threshold 0.1 (anti-aliasing ignored); the actual picture and the diff go to
//   reports/e2e-screenshots/.
// Stable by construction: fixed viewport, deviceScaleFactor 1, reduced motion, light scheme,
// fixed ids (?id=ada, ?id=bob), the countdown hidden, no hover and no focus ring.
// The Collaborative panel tells the same story as the rest of the page: its y-websocket server
// is killed with the reference server (amber), and ?yjsgiveup turns it red for the red picture.

const BASELINES = fileURLToPath(new URL('./__screenshots__/', import.meta.url))
const DOCS = fileURLToPath(new URL('../../docs/images/', import.meta.url))
const REPORTS = fileURLToPath(new URL('../../reports/e2e-screenshots/', import.meta.url))
const UPDATE = process.env.UPDATE_SCREENSHOTS === '1'
const THRESHOLD = 0.1
const MAX_DIFF_RATIO = 0.005
// Whatever changes with the clock: the seconds of the countdown.
const HIDE_VOLATILE = '[data-volatile] { visibility: hidden !important; }'

let demo: Demo | undefined
let browser: Browser | undefined
const contexts: BrowserContext[] = []
const created: string[] = []

beforeAll(async () => {
  demo = await startTestDemo()
  browser = await launchChromium()
})

afterAll(async () => {
  await Promise.allSettled(contexts.map((context) => context.close()))
  await browser?.close()
  await demo?.close()
})

function writeBaseline(name: string, png: Buffer): void {
  mkdirSync(BASELINES, { recursive: true })
  mkdirSync(DOCS, { recursive: true })
  writeFileSync(`${BASELINES}${name}.png`, png)
  copyFileSync(`${BASELINES}${name}.png`, `${DOCS}${name}.png`)
}

/** Compares `png` with the baseline `name`; writes the baseline when missing or updating. */
function expectToMatchBaseline(name: string, png: Buffer): void {
  const path = `${BASELINES}${name}.png`
  if (UPDATE || !existsSync(path)) {
    writeBaseline(name, png)
    if (!UPDATE) created.push(name)
    return
  }
  const expected = PNG.sync.read(readFileSync(path))
  const actual = PNG.sync.read(png)
  const { width, height } = expected
  if (actual.width !== width || actual.height !== height) {
    mkdirSync(REPORTS, { recursive: true })
    writeFileSync(`${REPORTS}${name}.actual.png`, png)
    throw new Error(
      `${name}: ${actual.width}×${actual.height} px, the baseline is ${width}×${height} (actual in reports/e2e-screenshots/; UPDATE_SCREENSHOTS=1 to accept it)`,
    )
  }
  const diff = new PNG({ width, height })
  const differing = pixelmatch(expected.data, actual.data, diff.data, width, height, {
    threshold: THRESHOLD,
  })
  const ratio = differing / (width * height)
  if (ratio > MAX_DIFF_RATIO) {
    mkdirSync(REPORTS, { recursive: true })
    writeFileSync(`${REPORTS}${name}.actual.png`, png)
    writeFileSync(`${REPORTS}${name}.diff.png`, PNG.sync.write(diff))
    throw new Error(
      `${name}: ${differing} pixels differ (${(ratio * 100).toFixed(2)} %, at most ${MAX_DIFF_RATIO * 100} % allowed); see reports/e2e-screenshots/${name}.diff.png, or UPDATE_SCREENSHOTS=1 to accept it`,
    )
  }
}

const shoot = (target: Page | Locator, fullPage = false) =>
  target.screenshot({
    animations: 'disabled',
    caret: 'hide',
    scale: 'css',
    style: HIDE_VOLATILE,
    ...(fullPage && { fullPage }),
  })

/** The badge, the traffic light and the whole page, in the tone the page shows now. */
async function shootAll(page: Page, tone: string): Promise<void> {
  // No hover and no focus left over from the last click.
  await page.mouse.move(0, 0)
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  expectToMatchBaseline(`badge-${tone}`, await shoot(page.getByTestId('badge')))
  expectToMatchBaseline(`traffic-light-${tone}`, await shoot(page.getByTestId('traffic-light')))
  expectToMatchBaseline(`page-${tone}`, await shoot(page, true))
}

const faultState = (page: Page) => page.getByTestId('fault-state').textContent()
const yjsFaultState = (page: Page) => page.getByTestId('yjs-fault-state').textContent()
const yjsTone = (page: Page) => page.getByTestId('yjs-indicator').getAttribute('data-tone')
const awarenessOf = (page: Page) =>
  page
    .locator('[data-awareness-name]')
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-awareness-name')))
// Down this long, the Collaborative panel gives up (red): after the amber picture is taken.
const YJS_GIVE_UP_MS = 8000

test('the indicator and the page in green, amber and red match their baselines', async () => {
  // attempts=2 with a one-minute wait: a kill leaves ada amber, waiting, until Retry now
  // spends her last attempt and she turns red.
  const { page, context } = await openTab(
    browser!,
    pageUrl(demo!, {
      id: 'ada',
      attempts: 2,
      increment: 60_000,
      max: 60_000,
      yjsgiveup: YJS_GIVE_UP_MS,
    }),
  )
  contexts.push(context)
  contexts.push((await openTab(browser!, pageUrl(demo!, { id: 'bob' }))).context)

  await waitForTone(page, 'good', 10_000)
  await waitUntil(
    () => peersOf(page),
    (p) => p.join() === 'bob',
    5000,
    'ada to see bob',
  )
  await waitUntil(
    () => faultState(page),
    (s) => s?.startsWith('listening') ?? false,
    3000,
    'state',
  )
  await waitUntil(
    () => yjsTone(page),
    (t) => t === 'good',
    10_000,
    'the Yjs light green',
  )
  await waitUntil(
    () => awarenessOf(page),
    (n) => n.join() === 'bob',
    5000,
    'ada to list bob',
  )
  await waitUntil(
    () => yjsFaultState(page),
    (s) => s?.startsWith('listening') ?? false,
    3000,
    'Yjs state',
  )
  await shootAll(page, 'good')

  const killedAt = Date.now()
  await Promise.all([
    page.getByRole('button', { name: 'Kill server' }).click(),
    page.getByRole('button', { name: 'Kill', exact: true }).click(),
  ])
  await waitForTone(page, 'neutral', 5000)
  await waitUntil(
    () => yjsTone(page),
    (t) => t === 'neutral',
    5000,
    'the Yjs light amber',
  )
  await waitUntil(
    () => yjsFaultState(page),
    (s) => s?.startsWith('killed') ?? false,
    3000,
    'Yjs killed',
  )
  await waitUntil(
    () => faultState(page),
    (s) => s?.startsWith('killed') ?? false,
    3000,
    'killed',
  )
  await page.getByTestId('retry-countdown').waitFor({ timeout: 3000 })
  await shootAll(page, 'neutral')
  expect(Date.now() - killedAt, 'the amber picture was taken before the Yjs give-up').toBeLessThan(
    YJS_GIVE_UP_MS,
  )

  await page.getByRole('button', { name: 'Retry now' }).click()
  await waitForTone(page, 'bad', 5000)
  await waitUntil(
    () => yjsTone(page),
    (t) => t === 'bad',
    YJS_GIVE_UP_MS + 2000,
    'Yjs red',
  )
  await shootAll(page, 'bad')

  expect(
    created,
    `baselines were missing and have been written to tests/e2e/__screenshots__ (and docs/images): review and commit them, then run again`,
  ).toEqual([])
})
