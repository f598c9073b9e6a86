import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { createConnectionStore, type ConnectionStore } from '../../src/index.js'
import { connectionDiagnostics, formatDiagnostics } from '../../src/store/diagnostics.js'
import { createMockSource } from '../../src/testing/index.js'

/** Lets the store's end-of-tick peer flush run. */
const endOfTick = () => Promise.resolve()

// 2026-12-03T16:00:00.000Z: the mock's `since` and the store's clock read the faked Date.
const T0 = Date.UTC(2026, 11, 3, 16)

const stores: ConnectionStore[] = []
beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
})
afterEach(() => {
  for (const store of stores.splice(0)) store.getState().destroy()
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

/** A store that saw a drop, a second attempt and LOST, with two peers online and one gone. */
async function troubledStore() {
  const source = createMockSource({ state: 'OPEN', reason: 'JOIN_SUCCESS', peers: ['ada', 'bob'] })
  const store = createConnectionStore(source)
  stores.push(store)
  source.peerJoin('cy')
  source.peerLeave('cy')
  await endOfTick()
  vi.advanceTimersByTime(1000)
  source.drop({ retryIn: 2000 })
  vi.advanceTimersByTime(2000)
  source.set('RECONNECTING', 'INTERRUPTED', { attempt: 2, retryIn: 4000 })
  vi.advanceTimersByTime(500)
  source.lose()
  vi.advanceTimersByTime(500)
  return { source, store }
}

describe('connectionDiagnostics', () => {
  test('the connection now, peer counts, the history and the browser, at the store’s time', async () => {
    const { store } = await troubledStore()
    const history = store.getState().history
    expect(connectionDiagnostics(store)).toStrictEqual({
      generatedAt: T0 + 4000,
      connection: {
        state: 'RECONNECTING',
        reason: 'LOST',
        phase: 'RECONNECTING',
        since: T0 + 1000,
        attempt: 2,
        nextRetryAt: T0 + 3000 + 4000,
        lost: true,
        queued: 0,
        error: null,
      },
      peers: { online: 2, departed: 1 },
      history,
      browser: { userAgent: navigator.userAgent, online: true },
    })
    expect(history.map((e) => `${e.state}/${e.reason}#${e.attempt}`)).toEqual([
      'RECONNECTING/INTERRUPTED#1',
      'RECONNECTING/INTERRUPTED#2',
      'RECONNECTING/LOST#2',
    ])
  })

  test('plain data: JSON gives it back as it is', async () => {
    const { store } = await troubledStore()
    const diagnostics = connectionDiagnostics(store)
    // no Map, function, undefined or class instance that JSON would lose or change
    expect(JSON.parse(JSON.stringify(diagnostics))).toStrictEqual(diagnostics)
  })

  test('in ERROR: the error’s code and message, nothing else of the error object', () => {
    const source = createMockSource('OPEN')
    const store = createConnectionStore(source)
    stores.push(store)
    source.fail('TOKEN_EXPIRED')
    const { error } = connectionDiagnostics(store).connection
    expect(error).toStrictEqual({ code: 'TOKEN_EXPIRED', message: 'Mock failure: TOKEN_EXPIRED' })
    expect(error).not.toBe(source.getSnapshot().error)
  })

  test('no credentials, messages, peer ids or peer data: a secret put in each is nowhere', async () => {
    const source = createMockSource({
      state: 'OPEN',
      peers: [{ id: 'peer-secret-id@example.com', data: { token: 'SECRET-PEER-DATA' } }],
    })
    const store = createConnectionStore(source)
    stores.push(store)
    await store.getState().login({ user: 'ada', password: 'SECRET-CREDENTIAL' })
    await store.getState().send({ text: 'SECRET-MESSAGE' })
    source.peerJoin('other', { apiKey: 'SECRET-JOIN-DATA' })
    source.peerUpdate('other', { apiKey: 'SECRET-UPDATE-DATA' })
    source.peerLeave('peer-secret-id@example.com', 'DROPPED')
    await endOfTick()
    source.drop()
    source.restore()
    // what a leak would come from is really there
    expect(source.sent).toEqual([{ text: 'SECRET-MESSAGE' }])
    expect(store.getState().peers.get('other')?.data).toEqual({ apiKey: 'SECRET-UPDATE-DATA' })

    const diagnostics = connectionDiagnostics(store)
    expect(diagnostics.peers).toEqual({ online: 1, departed: 1 })
    for (const text of [JSON.stringify(diagnostics), formatDiagnostics(diagnostics)]) {
      expect(text).not.toMatch(/SECRET|secret-id|password|apiKey|token/i)
      expect(text).not.toContain('other')
      expect(text).not.toContain('ada')
    }
  })

  test('outside a browser (Node: no window) there is no browser field', async () => {
    vi.stubGlobal('window', undefined)
    const { store } = await troubledStore()
    const diagnostics = connectionDiagnostics(store)
    expect('browser' in diagnostics).toBe(false)
    expect(formatDiagnostics(diagnostics)).toContain('Browser: none (not in a browser)')
  })

  test('a browser that is offline says so', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    const { store } = await troubledStore()
    expect(connectionDiagnostics(store).browser?.online).toBe(false)
    expect(formatDiagnostics(connectionDiagnostics(store))).toMatch(/^Browser: .* \(offline\)$/m)
  })
})

describe('formatDiagnostics', () => {
  test('a short text block: the connection, peers, browser and every transition, times in UTC', async () => {
    const { store } = await troubledStore()
    const text = formatDiagnostics({
      ...connectionDiagnostics(store),
      browser: { userAgent: 'TestBrowser/1.0', online: true },
    })
    expect(text).toBe(
      [
        'linklight diagnostics, 2026-12-03T16:00:04.000Z',
        'Connection: RECONNECTING (LOST), phase RECONNECTING, attempt 2, since 2026-12-03T16:00:01.000Z',
        '  next retry 2026-12-03T16:00:07.000Z, lost, 0 queued',
        'Peers: 2 online, 1 departed',
        'Browser: TestBrowser/1.0 (online)',
        'History (3, oldest first):',
        '  2026-12-03T16:00:01.000Z  RECONNECTING            INTERRUPTED            attempt 1 (from OPEN)',
        '  2026-12-03T16:00:03.000Z  RECONNECTING            INTERRUPTED            attempt 2 (from OPEN)',
        '  2026-12-03T16:00:03.500Z  RECONNECTING            LOST                   attempt 2 (from OPEN)',
      ].join('\n'),
    )
  })

  test('the error, the error code of an ERROR entry, and an empty history', () => {
    const source = createMockSource('OPEN')
    const store = createConnectionStore(source)
    stores.push(store)
    expect(formatDiagnostics(connectionDiagnostics(store))).toContain(
      'History (0, oldest first):\n  (no transitions yet)',
    )
    source.fail('BANNED_BY_SERVER')
    const text = formatDiagnostics(connectionDiagnostics(store))
    expect(text).toContain('\n  error BANNED_BY_SERVER: Mock failure: BANNED_BY_SERVER\n')
    expect(text).toMatch(/ERROR +BANNED_BY_SERVER +attempt 0 \(from OPEN\) error BANNED_BY_SERVER$/)
  })
})
