/**
 * `fromYjs` over real providers and real servers on 127.0.0.1: y-websocket's
 * `WebsocketProvider` against @y/websocket-server 0.1.1 and `HocuspocusProvider` against
 * @hocuspocus/server 4, each server in a child process a test can SIGKILL and restart, and a
 * silent proxy that keeps a link open while forwarding nothing.
 *
 * Two deadlines are 30 s in the providers: y-websocket's `messageReconnectTimeout` (a module
 * constant) and y-protocols' awareness timeout. The fast tests move the provider's own
 * "last heard" marks 30 s into the past right after silencing the link, so that its own
 * watchdog fires at its next check (every 3 s) exactly as it would 30 s later; the real-time
 * versions run with LINKLIGHT_SLOW_TESTS=1 (about 35 s each).
 */
import { afterEach, describe, expect, test } from 'vitest'
import { useChildServer, useSilentProxy } from '../helpers/childServerHooks.js'
import type * as Y from 'yjs'
import { fromYjs, type YjsSource } from '../../src/adapters/yjs.js'
import type { Peer } from '../../src/core/peers.js'
import { startSilentProxy } from '../helpers/silentProxy.js'
import { hocuspocusProvider, yWebsocketProvider } from '../helpers/yjsClients.js'
import { sleep, waitFor } from '../helpers/wait.js'
import { startHocuspocusServer, startYWebsocketServer } from '../helpers/yjsServers.js'

const now = () => performance.now()
const slow = Boolean(process.env.LINKLIGHT_SLOW_TESTS)

/** Everything a test started; closed after each test, in reverse order. */
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

let rooms = 0
const nextRoom = () => `linklight-${++rooms}-${Date.now()}`
const text = (doc: Y.Doc) => doc.getText('t').toString()

/** What a source said, with the time since it was watched; `timings` prints them. */
function watch(source: YjsSource, label: string) {
  const start = now()
  const log: { at: number; what: string }[] = []
  const states: string[] = []
  const events: string[] = []
  const left: Peer[] = []
  const push = (what: string) => log.push({ at: Math.round(now() - start), what })
  source.on('connectionStateChanged', (state, reason) => {
    states.push(`${state}/${reason}`)
    push(`${state}/${reason}`)
  })
  source.on('lost', () => (events.push('lost'), push('lost')))
  source.on('restored', () => (events.push('restored'), push('restored')))
  source.on('peerJoined', (peer) => push(`peerJoined ${peer.id}`))
  source.on('peerLeft', (peer) => {
    left.push(peer)
    push(`peerLeft ${peer.id} ${peer.leftReason}`)
  })
  const timings = () => {
    if (process.env.LINKLIGHT_YJS_TIMINGS)
      console.warn(`${label}:\n${log.map(({ at, what }) => `  ${at} ms  ${what}`).join('\n')}`)
  }
  cleanups.push(timings)
  const until = (predicate: () => boolean, timeout: number, what: string) =>
    waitFor(predicate, { timeout, what: () => `${label}: ${what} (saw ${states.join(' → ')})` })
  const state = () => source.getSnapshot().state
  return { log, states, events, left, until, state }
}

// ─── y-websocket ────────────────────────────────────────────────────────────────────────────

function yProvider(url: string, room: string) {
  const client = yWebsocketProvider(url, room)
  cleanups.push(client.destroy)
  return client
}

/** The listeners on a lib0 Observable (`_observers`: event name → Set). */
const observers = (target: unknown) =>
  [...(target as { _observers: Map<string, Set<unknown>> })._observers.values()].reduce(
    (sum, set) => sum + set.size,
    0,
  )

describe('fromYjs over y-websocket (@y/websocket-server 0.1.1)', () => {
  const server = useChildServer(() => startYWebsocketServer())

  test('connect, sync, edit: AWAITING_CONNECTION → CHALLENGING → OPEN/JOIN_SUCCESS', async () => {
    const room = nextRoom()
    const a = yProvider(server().url, room)
    const source = fromYjs(a.provider)
    const w = watch(source, 'y-websocket connect')
    await w.until(() => w.state() === 'OPEN', 5000, 'OPEN')
    // It may have been connecting already when adapted: the states it went through from there.
    expect(w.states.slice(-2)).toEqual(['CHALLENGING/CHALLENGE', 'OPEN/JOIN_SUCCESS'])
    const b = yProvider(server().url, room)
    a.doc.getText('t').insert(0, 'hello')
    await waitFor(() => text(b.doc) === 'hello', { timeout: 5000, what: 'b to see the edit' })
  })

  test('kill and restart: amber, then green with REJOIN_SUCCESS, and no edit lost', async () => {
    const room = nextRoom()
    const a = yProvider(server().url, room)
    const b = yProvider(server().url, room)
    const source = fromYjs(a.provider, { lostAfter: 500 })
    const w = watch(source, 'y-websocket kill/restart')
    await w.until(() => w.state() === 'OPEN', 5000, 'OPEN')
    a.doc.getText('t').insert(0, 'before')
    await waitFor(() => text(b.doc) === 'before', { timeout: 5000, what: 'b to see the edit' })

    await server().kill()
    await w.until(() => w.state() === 'RECONNECTING', 2000, 'RECONNECTING')
    expect(source.getSnapshot()).toMatchObject({ tone: 'neutral', phase: 'RECONNECTING' })
    a.doc.getText('t').insert(6, ' during')
    await w.until(() => source.getSnapshot().lost, 2000, 'lost')
    await server().restart()
    await w.until(() => w.state() === 'OPEN', 10_000, 'OPEN again')

    expect(w.states).toEqual([
      ...w.states.slice(0, w.states.indexOf('OPEN/JOIN_SUCCESS') + 1),
      'RECONNECTING/INTERRUPTED',
      'CHALLENGING/CHALLENGE',
      'OPEN/REJOIN_SUCCESS',
    ])
    expect(w.events).toEqual(['lost', 'restored'])
    expect(source.getSnapshot()).toMatchObject({ tone: 'good', lost: false, attempt: 0 })
    await waitFor(() => text(b.doc) === 'before during', {
      timeout: 5000,
      what: () => `b to get the edit made during the outage (has "${text(b.doc)}")`,
    })
  })

  test('two clients see each other’s awareness; one closes → QUIT at once', async () => {
    const room = nextRoom()
    const a = yProvider(server().url, room)
    const b = yProvider(server().url, room)
    a.provider.awareness.setLocalStateField('name', 'Ada')
    b.provider.awareness.setLocalStateField('name', 'Bob')
    const sourceA = fromYjs(a.provider)
    const sourceB = fromYjs(b.provider)
    const wa = watch(sourceA, 'y-websocket awareness A')
    const idA = String(a.doc.clientID)
    const idB = String(b.doc.clientID)
    await waitFor(() => sourceA.getPeers().has(idB) && sourceB.getPeers().has(idA), {
      timeout: 5000,
      what: 'each to see the other',
    })
    expect(sourceA.getPeers().get(idB)?.data).toEqual({ name: 'Bob' })
    expect(sourceA.getPeers().has(idA)).toBe(false)

    // A cursor moving: Bob's peer object changes, nobody else's.
    b.provider.awareness.setLocalStateField('cursor', 42)
    await waitFor(() => (sourceA.getPeers().get(idB)?.data as { cursor?: number }).cursor === 42, {
      timeout: 2000,
      what: 'the cursor to arrive',
    })

    const closedAt = now()
    sourceB.close()
    await waitFor(() => wa.left.length > 0, { timeout: 2000, what: 'Bob to leave' })
    expect(now() - closedAt).toBeLessThan(1000)
    expect(wa.left[0]).toMatchObject({ id: idB, online: false, leftReason: 'QUIT' })
  })

  describe('behind a silent proxy', () => {
    const proxy = useSilentProxy(server)

    test('silenced: RECONNECTING/KEEP_ALIVE_TIMEOUT at the watchdog, back to OPEN when it speaks', async () => {
      const c = yProvider(proxy().url, nextRoom())
      const source = fromYjs(c.provider)
      const w = watch(source, 'y-websocket silenced')
      await w.until(() => w.state() === 'OPEN', 5000, 'OPEN')
      proxy().silence(true)
      const silencedAt = now()
      // As if 30 s had passed without a message (see the top of this file).
      c.provider.wsLastMessageReceived -= 30_000
      await w.until(() => w.state() === 'RECONNECTING', 4000, 'RECONNECTING')
      expect(now() - silencedAt).toBeLessThan(3500)
      expect(source.getSnapshot().reason).toBe('KEEP_ALIVE_TIMEOUT')
      proxy().silence(false)
      await w.until(() => w.state() === 'OPEN', 8000, 'OPEN again')
      expect(source.getSnapshot().reason).toBe('REJOIN_SUCCESS')
    })

    test('a frozen client (its link silent, its awareness not renewed) → DROPPED after the awareness timeout', async () => {
      const room = nextRoom()
      const a = yProvider(server().url, room)
      const c = yProvider(proxy().url, room)
      c.provider.awareness.setLocalStateField('name', 'Frozen')
      const source = fromYjs(a.provider)
      const w = watch(source, 'y-websocket frozen peer')
      const idC = c.doc.clientID
      await waitFor(() => source.getPeers().has(String(idC)), { timeout: 5000, what: 'C to join' })
      proxy().silence(true)
      // As if C had not been heard from for 30 s (see the top of this file).
      a.provider.awareness.meta.get(idC)!.lastUpdated -= 30_000
      await waitFor(() => w.left.length > 0, { timeout: 4000, what: 'C to leave' })
      expect(w.left[0]).toMatchObject({ id: String(idC), leftReason: 'DROPPED' })
      expect(w.state()).toBe('OPEN')
    })

    test.runIf(slow)(
      'real time: KEEP_ALIVE_TIMEOUT 30–34 s after the last message, and the frozen peer DROPPED',
      { timeout: 50_000 },
      async () => {
        const room = nextRoom()
        const a = yProvider(server().url, room)
        const c = yProvider(proxy().url, room)
        c.provider.awareness.setLocalStateField('name', 'Frozen')
        const sourceA = fromYjs(a.provider)
        const sourceC = fromYjs(c.provider)
        const wa = watch(sourceA, 'real time A')
        const wc = watch(sourceC, 'real time C (silenced)')
        const idC = String(c.doc.clientID)
        await waitFor(() => sourceA.getPeers().has(idC) && wc.state() === 'OPEN', {
          timeout: 5000,
          what: 'C to be OPEN and seen by A',
        })
        proxy().silence(true)
        const silencedAt = now()
        await wc.until(() => wc.state() === 'RECONNECTING', 40_000, 'RECONNECTING')
        const keepAliveAfter = now() - silencedAt
        expect(sourceC.getSnapshot().reason).toBe('KEEP_ALIVE_TIMEOUT')
        expect(keepAliveAfter).toBeGreaterThan(29_000)
        expect(keepAliveAfter).toBeLessThan(34_000)
        await waitFor(() => wa.left.length > 0, { timeout: 10_000, what: 'C to leave A' })
        expect(wa.left[0]).toMatchObject({ id: idC, leftReason: 'DROPPED' })
      },
    )
  })

  test('close(): CLOSED, no listener of the adapter left on the provider or its awareness, nothing after', async () => {
    const a = yProvider(server().url, nextRoom())
    const before = observers(a.provider) + observers(a.provider.awareness)
    const source = fromYjs(a.provider)
    const w = watch(source, 'y-websocket close')
    await w.until(() => w.state() === 'OPEN', 5000, 'OPEN')
    expect(observers(a.provider) + observers(a.provider.awareness)).toBeGreaterThan(before)
    let published = 0
    source.subscribe(() => published++)
    source.close()
    expect(w.states.at(-1)).toBe('CLOSED/LEAVE_CHANNEL')
    expect(observers(a.provider) + observers(a.provider.awareness)).toBe(before)
    expect(a.provider.shouldConnect).toBe(false)
    const after = published
    // The provider connected again by the app, the server() killed: the source hears none of it.
    a.provider.connect()
    await waitFor(() => a.provider.synced, { timeout: 5000, what: 'the provider to sync' })
    await server().kill()
    await sleep(200)
    expect(published).toBe(after)
    expect(w.state()).toBe('CLOSED')
  })
})

// ─── Hocuspocus ─────────────────────────────────────────────────────────────────────────────

function hocusProvider(
  url: string,
  name: string,
  options: { token?: string; messageReconnectTimeout?: number } = {},
) {
  const client = hocuspocusProvider(url, name, options)
  cleanups.push(client.destroy)
  return client
}

describe('fromYjs over Hocuspocus (@hocuspocus/server 4)', () => {
  const server = useChildServer(() => startHocuspocusServer({ token: 'good' }))

  test('connect: AWAITING_CONNECTION → AUTHENTICATING → CHALLENGING → OPEN, and edits sync', async () => {
    const name = nextRoom()
    const a = hocusProvider(server().url, name, { token: 'good' })
    const source = fromYjs(a.provider)
    const w = watch(source, 'Hocuspocus connect')
    // With a socket passed in, the provider is attached by connect() (or the app's attach()).
    source.connect()
    await w.until(() => w.state() === 'OPEN', 5000, 'OPEN')
    expect(w.states.slice(-3)).toEqual([
      'AUTHENTICATING/AUTHENTICATING',
      'CHALLENGING/CHALLENGE',
      'OPEN/JOIN_SUCCESS',
    ])
    const b = hocusProvider(server().url, name, { token: 'good' })
    b.provider.attach()
    a.doc.getText('t').insert(0, 'hello')
    await waitFor(() => text(b.doc) === 'hello', { timeout: 5000, what: 'b to see the edit' })
  })

  test('a refused token: ERROR/INVALID_TOKEN, login() rejects; login(good token) → OPEN', async () => {
    const a = hocusProvider(server().url, nextRoom(), { token: 'bad' })
    const source = fromYjs(a.provider)
    const w = watch(source, 'Hocuspocus refused')
    await expect(source.login()).rejects.toThrow(/refused the token \(invalid token\)/)
    expect(source.getSnapshot()).toMatchObject({
      state: 'ERROR',
      reason: 'INVALID_TOKEN',
      tone: 'bad',
    })
    await source.login({ token: 'good' })
    expect(w.states.slice(-2)).toEqual(['CHALLENGING/CHALLENGE', 'OPEN/JOIN_SUCCESS'])
  })

  test('an expired token: ERROR/TOKEN_EXPIRED', async () => {
    const a = hocusProvider(server().url, nextRoom(), { token: 'expired' })
    const source = fromYjs(a.provider)
    await expect(source.login()).rejects.toThrow(/token expired/)
    expect(source.getSnapshot()).toMatchObject({ state: 'ERROR', reason: 'TOKEN_EXPIRED' })
  })

  test('kill and restart: RECONNECTING, then OPEN/REJOIN_SUCCESS with restored, no edit lost', async () => {
    const name = nextRoom()
    const a = hocusProvider(server().url, name, { token: 'good' })
    const b = hocusProvider(server().url, name, { token: 'good' })
    b.provider.attach()
    const source = fromYjs(a.provider)
    const w = watch(source, 'Hocuspocus kill/restart')
    await source.login()
    a.doc.getText('t').insert(0, 'before')
    await waitFor(() => text(b.doc) === 'before', { timeout: 5000, what: 'b to see the edit' })
    await server().kill()
    await w.until(() => w.state() === 'RECONNECTING', 2000, 'RECONNECTING')
    a.doc.getText('t').insert(6, ' during')
    await server().restart()
    await w.until(() => w.state() === 'OPEN', 10_000, 'OPEN again')
    expect(source.getSnapshot().reason).toBe('REJOIN_SUCCESS')
    expect(w.events).toEqual(['restored'])
    await waitFor(() => text(b.doc) === 'before during', {
      timeout: 5000,
      what: () => `b to get the edit made during the outage (has "${text(b.doc)}")`,
    })
  })

  test('two clients see each other; one closes → QUIT at once', async () => {
    const name = nextRoom()
    const a = hocusProvider(server().url, name, { token: 'good' })
    const b = hocusProvider(server().url, name, { token: 'good' })
    a.provider.setAwarenessField('name', 'Ada')
    b.provider.setAwarenessField('name', 'Bob')
    const sourceA = fromYjs(a.provider)
    const sourceB = fromYjs(b.provider)
    const wa = watch(sourceA, 'Hocuspocus awareness A')
    await Promise.all([sourceA.login(), sourceB.login()])
    const idB = String(b.doc.clientID)
    await waitFor(() => sourceA.getPeers().has(idB), { timeout: 5000, what: 'A to see B' })
    expect(sourceA.getPeers().get(idB)?.data).toEqual({ name: 'Bob' })
    const closedAt = now()
    sourceB.close()
    await waitFor(() => wa.left.length > 0, { timeout: 2000, what: 'B to leave' })
    expect(now() - closedAt).toBeLessThan(1000)
    expect(wa.left[0]).toMatchObject({ id: idB, leftReason: 'QUIT' })
  })

  test('a frozen client (its link silent) → DROPPED after the awareness timeout', async () => {
    const proxy = await startSilentProxy({ port: server().port })
    cleanups.push(() => proxy.close())
    const name = nextRoom()
    const a = hocusProvider(server().url, name, { token: 'good' })
    const c = hocusProvider(proxy.url, name, { token: 'good' })
    c.provider.setAwarenessField('name', 'Frozen')
    c.provider.attach()
    const source = fromYjs(a.provider)
    const w = watch(source, 'Hocuspocus frozen peer')
    await source.login()
    const idC = c.doc.clientID
    await waitFor(() => source.getPeers().has(String(idC)), { timeout: 5000, what: 'C to join' })
    proxy.silence(true)
    // As if C had not been heard from for 30 s (see the top of this file).
    a.provider.awareness!.meta.get(idC)!.lastUpdated -= 30_000
    await waitFor(() => w.left.length > 0, { timeout: 4000, what: 'C to leave' })
    expect(w.left[0]).toMatchObject({ id: String(idC), leftReason: 'DROPPED' })
    expect(w.state()).toBe('OPEN')
  })

  test('silenced proxy with messageReconnectTimeout 1500: RECONNECTING/KEEP_ALIVE_TIMEOUT', async () => {
    const proxy = await startSilentProxy({ port: server().port })
    cleanups.push(() => proxy.close())
    const a = hocusProvider(proxy.url, nextRoom(), {
      token: 'good',
      messageReconnectTimeout: 1500,
    })
    const source = fromYjs(a.provider)
    const w = watch(source, 'Hocuspocus silenced')
    await source.login()
    proxy.silence(true)
    const silencedAt = now()
    await w.until(() => w.state() === 'RECONNECTING', 5000, 'RECONNECTING')
    const after = now() - silencedAt
    expect(source.getSnapshot().reason).toBe('KEEP_ALIVE_TIMEOUT')
    expect(after).toBeLessThan(1500 + 3 * 150 + 500)
    proxy.silence(false)
    await w.until(() => w.state() === 'OPEN', 10_000, 'OPEN again')
    expect(source.getSnapshot().reason).toBe('REJOIN_SUCCESS')
  })

  test('close(): detached, no listener of the adapter left on the provider or its awareness', async () => {
    const a = hocusProvider(server().url, nextRoom(), { token: 'good' })
    const count = () =>
      Object.values(
        (a.provider as unknown as { callbacks: Record<string, unknown[]> }).callbacks,
      ).reduce((sum, list) => sum + list.length, 0) + observers(a.provider.awareness)
    const before = count()
    const source = fromYjs(a.provider)
    await source.login()
    source.close()
    expect(count()).toBe(before)
    expect(source.getSnapshot().state).toBe('CLOSED')
    expect(a.provider.isAttached).toBe(false)
  })
})
