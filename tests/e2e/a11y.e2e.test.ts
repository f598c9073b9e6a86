import { createRequire } from 'node:module'
import type { AxeResults } from 'axe-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
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

// axe-core inside the demo page, in real Chromium, light and dark, green and red.

const axePath = createRequire(import.meta.url).resolve('axe-core')

let demo: Demo | undefined
let browser: Browser | undefined
const contexts: BrowserContext[] = []
const pages: Record<'light' | 'dark', Page> = {} as Record<'light' | 'dark', Page>

beforeAll(async () => {
  demo = await startTestDemo()
  browser = await launchChromium()
  // One attempt, so a kill turns the page red at once.
  for (const [scheme, id] of [
    ['light', 'ada'],
    ['dark', 'bob'],
  ] as const) {
    const { page, context } = await openTab(browser, pageUrl(demo, { id, attempts: 1 }), {
      colorScheme: scheme,
    })
    contexts.push(context)
    pages[scheme] = page
  }
})

afterAll(async () => {
  await Promise.allSettled(contexts.map((context) => context.close()))
  await browser?.close()
  await demo?.close()
})

/** Runs axe on the whole page; resolves with its violations and the ids of the rules it passed. */
async function axe(page: Page) {
  await page.addScriptTag({ path: axePath })
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document): Promise<AxeResults> } }).axe.run(
      document,
    ),
  )
  return {
    violations: results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.html).join(' | ')}`,
    ),
    passed: results.passes.map((rule) => rule.id),
  }
}

const schemes = ['light', 'dark'] as const

describe('the demo page, green, with a peer listed', () => {
  test.each(schemes)('%s scheme: no axe violations', async (scheme) => {
    const page = pages[scheme]
    await waitForTone(page, 'good', 10_000)
    await waitUntil(
      () => peersOf(page),
      (p) => p.length === 1,
      5000,
      'a peer',
    )
    const { violations, passed } = await axe(page)
    expect(violations).toEqual([])
    // axe did look at what matters here
    expect(passed).toEqual(
      expect.arrayContaining([
        'color-contrast',
        'button-name',
        'list',
        'listitem',
        'page-has-heading-one',
        'region',
      ]),
    )
  })
})

describe('the demo page, red (ERROR), with Retry now enabled', () => {
  beforeAll(() => demo!.faults.kill())

  test.each(schemes)('%s scheme: no axe violations', async (scheme) => {
    const page = pages[scheme]
    await waitForTone(page, 'bad', 5000)
    expect(await page.getByRole('button', { name: 'Retry now' }).isEnabled()).toBe(true)
    const { violations, passed } = await axe(page)
    expect(violations).toEqual([])
    expect(passed).toEqual(expect.arrayContaining(['color-contrast', 'aria-allowed-attr']))
  })
})
