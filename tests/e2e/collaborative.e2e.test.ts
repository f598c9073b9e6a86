import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { now, openTab, pageUrl, useDemoSession, waitUntil } from './support.js'

// The demo page's Collaborative panel in real Chromium: two tabs edit one Y.Text through the
// demo's y-websocket server, list each other from their awareness states, and the panel's own
// light (fromYjs over the WebsocketProvider) follows the Yjs server's Kill and Restart.

const ENTER_DELAY = 1000 // the store's smoothing: a dip from green shows once it has lasted 1 s
const MARGIN = 1500

const session = useDemoSession('demo Collaborative panel (e2e, Chromium)')
const { contexts, measured } = session
let ada: Page
let bob: Page

async function tab(id: string) {
  const opened = await openTab(session.browser, pageUrl(session.demo, { id }))
  contexts.push(opened.context)
  return opened.page
}

const yjsTone = (page: Page) => page.getByTestId('yjs-indicator').getAttribute('data-tone')
const waitForYjsTone = async (page: Page, tone: string, timeoutMs: number) =>
  (
    await waitUntil(
      () => yjsTone(page),
      (t) => t === tone,
      timeoutMs,
      `Yjs light ${tone}`,
    )
  ).ms
/** The names in a page's awareness list, other tabs only, in the order shown. */
const awarenessOf = (page: Page) =>
  page
    .locator('[data-awareness-name]')
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-awareness-name')))
const sharedText = (page: Page) => page.getByTestId('shared-text').inputValue()

describe('the Collaborative panel', () => {
  test('green once synced; two tabs see each other and each other’s typing, carets kept', async () => {
    const openedAt = now()
    ada = await tab('ada')
    bob = await tab('bob')
    await waitForYjsTone(ada, 'good', 10_000)
    await waitForYjsTone(bob, 'good', 10_000)
    measured.openToYjsGreenMs = Math.round(now() - openedAt)
    expect(await ada.getByTestId('yjs-state').textContent()).toMatch(/^OPEN · /)

    await waitUntil(
      () => awarenessOf(ada),
      (n) => n.join() === 'bob',
      5000,
      'ada to see bob',
    )
    await waitUntil(
      () => awarenessOf(bob),
      (n) => n.join() === 'ada',
      5000,
      'bob to see ada',
    )
    // Each name with its colour: the swatch is painted with the colour bob chose.
    const swatch = ada.locator('[data-awareness-name="bob"] .demo-swatch')
    expect(await swatch.evaluate((el) => getComputedStyle(el).backgroundColor)).toMatch(/^rgb\(/)
    expect(await swatch.evaluate((el) => el.style.background)).not.toBe('transparent')

    await ada.getByTestId('shared-text').pressSequentially('hello from ada')
    const typedAt = now()
    await waitUntil(
      () => sharedText(bob),
      (t) => t === 'hello from ada',
      5000,
      'bob to see ada',
    )
    measured.typingToOtherTabMs = Math.round(now() - typedAt)
    await bob.getByTestId('shared-text').press('End')
    await bob.getByTestId('shared-text').pressSequentially(', and bob')
    await waitUntil(
      () => sharedText(ada),
      (t) => t === 'hello from ada, and bob',
      5000,
      'ada to see bob’s typing',
    )

    // Ada types before bob's caret: it moves with the text around it, not to the end.
    const bobText = bob.getByTestId('shared-text')
    await bobText.evaluate((el: HTMLTextAreaElement) => {
      el.focus()
      el.setSelectionRange(5, 5) // after "hello"
    })
    await ada.getByTestId('shared-text').press('Control+Home')
    await ada.getByTestId('shared-text').pressSequentially('> ')
    await waitUntil(
      () => sharedText(bob),
      (t) => t === '> hello from ada, and bob',
      5000,
      'bob to see ada’s prefix',
    )
    expect(
      await bobText.evaluate((el: HTMLTextAreaElement) => [el.selectionStart, el.selectionEnd]),
    ).toEqual([7, 7])
  })

  test('Kill: amber after the smoothing delay; Restart: green again with the text kept', async () => {
    const killedAt = now()
    await ada.getByRole('button', { name: 'Kill', exact: true }).click()
    await waitForYjsTone(ada, 'neutral', ENTER_DELAY + MARGIN + 1000)
    measured.yjsKillToAmberMs = Math.round(now() - killedAt)
    expect(now() - killedAt).toBeGreaterThanOrEqual(ENTER_DELAY - 20)
    await waitForYjsTone(bob, 'neutral', 3000)
    expect(await ada.getByTestId('yjs-state').textContent()).toMatch(/^RECONNECTING · /)
    expect(session.demo.yjs.state().listening).toBe(false)
    // The reference server is untouched: the header badge stays green.
    expect(await ada.getByTestId('badge').getAttribute('data-tone')).toBe('good')

    // Typing while the server is down waits in the tab, and merges after the restart.
    await ada.getByTestId('shared-text').press('End')
    await ada.getByTestId('shared-text').pressSequentially('!')

    const restartedAt = now()
    await ada.getByRole('button', { name: 'Restart', exact: true }).click()
    // y-websocket retries at most every 2.5 s.
    await Promise.all([waitForYjsTone(ada, 'good', 8000), waitForYjsTone(bob, 'good', 8000)])
    measured.yjsRestartToGreenMs = Math.round(now() - restartedAt)
    await waitUntil(
      () => sharedText(bob),
      (t) => t === '> hello from ada, and bob!',
      5000,
      'bob to get the edit made while the server was down',
    )
    await waitUntil(
      () => awarenessOf(bob),
      (n) => n.join() === 'ada',
      5000,
      'bob to see ada',
    )
  })

  test('Silence on and off: the sockets stay open, and messages held meanwhile arrive', async () => {
    await ada.getByRole('button', { name: 'Silence', exact: true }).click()
    await waitUntil(
      () => ada.getByTestId('yjs-fault-state').textContent(),
      (s) => s?.includes('silenced') ?? false,
      3000,
      'silenced',
    )
    await ada.getByTestId('shared-text').press('End')
    await ada.getByTestId('shared-text').pressSequentially('?')
    await new Promise((resolve) => setTimeout(resolve, 1000))
    // Nothing gets through, and y-websocket has not noticed yet (it waits 30 s).
    expect(await sharedText(bob)).toBe('> hello from ada, and bob!')
    expect(await yjsTone(ada)).toBe('good')

    await ada.getByRole('button', { name: 'Speak again', exact: true }).click()
    await waitUntil(
      () => sharedText(bob),
      (t) => t === '> hello from ada, and bob!?',
      5000,
      'the held edit to arrive',
    )
    expect(await yjsTone(ada)).toBe('good')
  })

  test('the Yjs endpoints refuse other origins, other methods and unknown actions', async () => {
    const post = (path: string, headers: Record<string, string> = {}) =>
      fetch(new URL(path, session.demo.url), { method: 'POST', headers })
    expect((await post('/api/yjs/kill', { origin: 'http://example.com' })).status).toBe(403)
    expect((await post('/api/yjs/explode')).status).toBe(404)
    expect((await post('/api/yjs/__proto__')).status).toBe(404)
    expect((await fetch(new URL('/api/yjs/kill', session.demo.url))).status).toBe(405)
    expect(await (await fetch(new URL('/api/yjs', session.demo.url))).json()).toEqual({
      listening: true,
      silenced: false,
    })
    expect(session.demo.yjs.state()).toEqual({ listening: true, silenced: false })
  })
})
