import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { faultControls } from '../../demo/faultControls.js'
import { sleep } from '../helpers/wait.js'
import {
  now,
  openTab,
  pageUrl,
  peersOf,
  useDemoSession,
  toneOf,
  waitForTone,
  waitUntil,
} from './support.js'

// The demo page in real Chromium: two tabs are two peers; the reference server's faults move
// the header badge through green, amber and red with the timings the page promises.
// The store's smoothing: a dip from green shows once it has lasted this long.
const ENTER_DELAY = 1000
// What a loaded machine may add to it: polling, rendering, parallel test files.
const MARGIN = 1500

const session = useDemoSession('demo page (e2e, Chromium)')
const { contexts, measured } = session
let ada: Page
let bob: Page

async function tab(params: Record<string, string | number>) {
  const opened = await openTab(session.browser, pageUrl(session.demo, params))
  contexts.push(opened.context)
  return opened
}

const round = (ms: number) => Math.round(ms)

/** Records every tone the badge takes from now on (in the page, so no change is missed). */
const recordTones = (page: Page) =>
  page.getByTestId('badge').evaluate((badge) => {
    const seen: string[] = []
    ;(window as unknown as { tones: string[] }).tones = seen
    new MutationObserver(() => seen.push(badge.getAttribute('data-tone') ?? '')).observe(badge, {
      attributeFilter: ['data-tone'],
    })
  })
const recordedTones = (page: Page) =>
  page.evaluate(() => (window as unknown as { tones: string[] }).tones)

describe('the demo page', () => {
  test('two tabs log in and see each other as peers', async () => {
    ada = (await tab({ id: 'ada' })).page
    bob = (await tab({ id: 'bob' })).page
    await waitForTone(ada, 'good', 10_000)
    await waitForTone(bob, 'good', 10_000)
    expect(await ada.getByTestId('self-id').textContent()).toBe('ada')
    await waitUntil(
      () => peersOf(ada),
      (p) => p.join() === 'bob',
      5000,
      'ada to see bob',
    )
    await waitUntil(
      () => peersOf(bob),
      (p) => p.join() === 'ada',
      5000,
      'bob to see ada',
    )
    expect(await ada.getByTestId('badge').textContent()).toBe('Connected')
    // The handshake's round trip on loopback: well under 150 ms.
    const link = ada.getByTestId('link-quality')
    expect(await link.getAttribute('data-quality')).toBe('excellent')
    expect(await link.textContent()).toMatch(/^excellent · \d+ ms$/)
    expect(await ada.getByTestId('retry-status').textContent()).toBe('Nothing to retry.')
    expect(await ada.getByRole('button', { name: 'Retry now' }).isDisabled()).toBe(true)
  })

  test('kill: amber once the smoothing delay has passed, with a countdown outside the live region', async () => {
    await recordTones(ada)
    const killedAt = now()
    await session.demo.faults.kill()
    const killTook = now() - killedAt
    // Both tabs polled at once; each figure runs from the kill to that tab's badge turning amber.
    const [adaMs, bobMs] = (
      await Promise.all([
        waitForTone(ada, 'neutral', ENTER_DELAY + MARGIN + 1000),
        waitForTone(bob, 'neutral', ENTER_DELAY + MARGIN + 1000),
      ])
    ).map((ms) => killTook + ms) as [number, number]
    measured.killToAmberMs = round(adaMs)
    measured.killToAmberSecondTabMs = round(bobMs)
    for (const ms of [adaMs, bobMs]) {
      // Not before the smoothing delay (20 ms of polling slack), and not much after it.
      expect(ms).toBeGreaterThanOrEqual(ENTER_DELAY - 20)
      expect(ms).toBeLessThanOrEqual(ENTER_DELAY + MARGIN)
    }
    expect(await recordedTones(ada)).toEqual(['neutral'])
    expect(await ada.getByTestId('badge').textContent()).toBe('Reconnecting…')

    const countdown = ada.getByTestId('retry-countdown')
    const { ms: countdownMs } = await waitUntil(
      () => countdown.isVisible(),
      Boolean,
      2000,
      'the retry countdown',
    )
    measured.amberToCountdownMs = round(countdownMs)
    expect(await countdown.textContent()).toMatch(/^\d+ s$/)
    // The countdown ticks every second: inside a live region it would be read out every second.
    expect(await countdown.evaluate((el) => el.closest('[role="status"], [aria-live]'))).toBeNull()
    expect(await ada.getByRole('button', { name: 'Retry now' }).isEnabled()).toBe(true)
    expect(await ada.getByTestId('peers-stale').isVisible()).toBe(true)
    expect(await ada.getByTestId('link-quality').getAttribute('data-quality')).toBe('lost')
  })

  test('restart: green again at the next attempt, and the peers are back', async () => {
    const restartedAt = now()
    await session.demo.faults.restart()
    await Promise.all([waitForTone(ada, 'good', 8000), waitForTone(bob, 'good', 8000)])
    measured.restartToGreenMs = round(now() - restartedAt)
    await waitUntil(
      () => peersOf(ada),
      (p) => p.join() === 'bob',
      5000,
      'ada to see bob again',
    )
    await waitUntil(
      () => peersOf(bob),
      (p) => p.join() === 'ada',
      5000,
      'bob to see ada again',
    )
    expect(await ada.getByTestId('peers-stale').count()).toBe(0)
  })

  test('kill with 2 attempts and no restart: red at once, no amber on the way, until Retry now', async () => {
    // ?attempts=2&increment=300: attempt 1 at once, attempt 2 300 ms later, then ERROR.
    await ada.goto(pageUrl(session.demo, { id: 'ada', attempts: 2, increment: 300 }))
    await waitForTone(ada, 'good', 10_000)
    await waitUntil(
      () => peersOf(bob),
      (p) => p.join() === 'ada',
      5000,
      'bob to see ada',
    )
    await recordTones(ada)

    const killedAt = now()
    await session.demo.faults.kill()
    await waitForTone(ada, 'bad', 5000)
    measured.killToRedMs_attempts2_increment300 = round(now() - killedAt)
    // ERROR shows at once; the dip before it was shorter than the smoothing delay.
    expect(now() - killedAt).toBeLessThan(ENTER_DELAY + MARGIN)
    expect(await recordedTones(ada)).toEqual(['bad'])
    expect(await ada.getByTestId('state').textContent()).toBe('ERROR')
    expect(await ada.getByTestId('reason').textContent()).toBe('MAX_RECONNECT_ATTEMPTS')
    expect(await ada.getByTestId('badge').textContent()).toBe('Connection failed')
    expect(await ada.getByTestId('retry-countdown').count()).toBe(0)

    // The server comes back: bob, still retrying, returns by himself; ada has given up.
    await session.demo.faults.restart()
    await waitForTone(bob, 'good', 8000)
    await sleep(1000)
    expect(await toneOf(ada)).toBe('bad')

    const clickedAt = now()
    await ada.getByRole('button', { name: 'Retry now' }).click()
    await waitForTone(ada, 'good', 5000)
    measured.retryNowToGreenMs = round(now() - clickedAt)
    await waitUntil(
      () => peersOf(ada),
      (p) => p.join() === 'bob',
      5000,
      'ada to see bob',
    )
  })

  test('closing a tab: the other sees that peer leave', async () => {
    const closedAt = now()
    await contexts.splice(1, 1)[0]!.close() // bob's
    const { ms } = await waitUntil(
      () => peersOf(ada),
      (p) => p.length === 0,
      8000,
      'bob to leave',
    )
    measured.tabClosedToPeerGoneMs = round(now() - closedAt)
    // Well before the server's peer timeout (10 s): the tab said goodbye (QUIT), not DROPPED.
    expect(ms).toBeLessThan(5000)
    expect(await ada.getByTestId('no-peers').isVisible()).toBe(true)
  })

  test('the fault buttons reach the server: reject sign-in, kill and restart from the page', async () => {
    await ada.goto(pageUrl(session.demo, { id: 'ada' })) // the default timings again
    await waitForTone(ada, 'good', 10_000)
    const button = (name: string) => ada.getByRole('button', { name, exact: true })
    const state = () => ada.getByTestId('fault-state').textContent()
    await button('Reject sign-in').click()
    await waitUntil(state, (s) => s?.includes('sign-in refused') ?? false, 3000, 'refused')
    expect(session.demo.faults.state().rejectAuth).toBe(true)
    expect(await toneOf(ada)).toBe('good') // connected tabs are not asked again

    await button('Kill server').click()
    await waitUntil(state, (s) => s?.startsWith('killed') ?? false, 3000, 'killed')
    await waitForTone(ada, 'neutral', ENTER_DELAY + MARGIN + 1000)
    await button('Restart server').click()
    // The next attempt signs in again, and is refused: red at once.
    await waitForTone(ada, 'bad', 8000)
    expect(await ada.getByTestId('reason').textContent()).toBe('REJECTED_BY_SERVER')

    await button('Accept sign-in').click()
    await waitUntil(state, (s) => s?.includes('sign-in accepted') ?? false, 3000, 'accepted')
    await button('Retry now').click()
    await waitForTone(ada, 'good', 5000)

    for (const [name, expected] of [
      ['Blackhole on', 'blackhole on'],
      ['Blackhole off', 'blackhole off'],
      ['Delay 500 ms', 'delay 500 ms'],
      ['No delay', 'delay 0 ms'],
    ] as const) {
      await button(name).click()
      await waitUntil(state, (s) => s?.includes(expected) ?? false, 3000, expected)
    }
    expect(session.demo.faults.state()).toEqual({
      listening: true,
      blackhole: false,
      delayMs: 0,
      rejectAuth: false,
    })
  })

  test('the endpoints refuse other origins, other methods and unknown actions', async () => {
    const post = (path: string, headers: Record<string, string> = {}) =>
      fetch(new URL(path, session.demo.url), { method: 'POST', headers })
    expect((await post('/api/faults/kill', { origin: 'http://example.com' })).status).toBe(403)
    expect((await post('/api/faults/explode')).status).toBe(404)
    expect((await post('/api/faults/delay/999999')).status).toBe(404)
    expect((await fetch(new URL('/api/faults/kill', session.demo.url))).status).toBe(405)
    expect(session.demo.faults.state().listening).toBe(true)
  })

  test('the README describes every button as the page does', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    for (const { label, description } of faultControls) {
      expect(readme, label).toContain(`| ${label} `)
      expect(readme, label).toContain(description)
    }
  })
})

describe('the demo page over Socket.IO', () => {
  test('switched to the Socket.IO server: green; Kill amber, Restart green, Kick red, Retry now green', async () => {
    const { socketio } = session.demo
    const cleo = (await tab({ id: 'cleo' })).page
    const dana = (await tab({ id: 'dana', via: 'socketio' })).page
    await waitForTone(cleo, 'good', 10_000)
    const button = (name: string) => cleo.getByRole('button', { name, exact: true })
    const field = (id: string) => () => cleo.getByTestId(id).textContent()

    await cleo.getByRole('radio', { name: 'Socket.IO server' }).check()
    await waitUntil(
      field('fault-state'),
      (s) => s?.includes('connected') ?? false,
      3000,
      'the Socket.IO faults',
    )
    await waitUntil(field('state'), (s) => s === 'OPEN', 5000, 'cleo OPEN over Socket.IO')
    await waitForTone(cleo, 'good', 5000)
    expect(new URL(cleo.url()).searchParams.get('via')).toBe('socketio')
    // attachPresence lists both tabs, and each sees the other in its peers panel
    await waitUntil(
      () => peersOf(cleo),
      (p) => p.join() === 'dana',
      5000,
      'cleo to see dana',
    )
    expect(
      socketio.presence
        .peers()
        .map((peer) => peer.id)
        .sort(),
    ).toEqual(['cleo', 'dana'])

    const killedAt = now()
    await button('Kill server').click()
    await waitForTone(cleo, 'neutral', ENTER_DELAY + MARGIN + 1000)
    measured.socketioKillToAmberMs = round(now() - killedAt)
    expect(await field('reason')()).toBe('INTERRUPTED') // "transport close"

    const restartedAt = now()
    await button('Restart server').click()
    // socket.io-client's next attempt: at most 5 s (its reconnectionDelayMax) after the last
    await waitForTone(cleo, 'good', 8000)
    measured.socketioRestartToGreenMs = round(now() - restartedAt)
    // dana too, each on her own backoff: a kick reaches connected sockets only
    await waitForTone(dana, 'good', 8000)
    expect(await field('reason')()).toBe('REJOIN_SUCCESS')
    expect(await field('recovered')()).toBe('yes') // the server behind the cut kept the session

    const kickedAt = now()
    await button('Kick everyone').click()
    // "io server disconnect": Socket.IO does not retry, and ERROR shows without smoothing
    await Promise.all([waitForTone(cleo, 'bad', MARGIN), waitForTone(dana, 'bad', MARGIN)])
    measured.socketioKickToRedMs = round(now() - kickedAt)
    expect(await field('state')()).toBe('ERROR')
    expect(await field('reason')()).toBe('REJECTED_BY_SERVER')

    const retriedAt = now()
    await button('Retry now').click()
    await waitForTone(cleo, 'good', 5000)
    measured.socketioRetryNowToGreenMs = round(now() - retriedAt)
    expect(await toneOf(dana)).toBe('bad') // dana was not asked
  })
})
