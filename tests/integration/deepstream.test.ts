/**
 * linklight/deepstream against a real `@deepstream/server` 7 on 127.0.0.1 (issue 5):
 * the states a person would see through the adapter while the server runs, crashes, comes back
 * or stays away, and the people online through deepstream presence.
 */
import { DeepstreamClient } from '@deepstream/client'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { fromDeepstream } from '../../src/adapters/deepstream.js'
import type { ConnectionSource } from '../../src/core/types.js'
import { createConnectionStore } from '../../src/store/createConnectionStore.js'
import { startDeepstream, type DeepstreamServer } from '../helpers/deepstreamServer.js'
import { figures } from '../helpers/figures.js'
import { waitFor } from '../helpers/wait.js'

// Fast schedules so a give-up takes well under a second: attempts 100 ms, 200 ms, 300 ms apart.
const CLIENT_OPTIONS = {
  reconnectIntervalIncrement: 100,
  maxReconnectInterval: 300,
  maxReconnectAttempts: 3,
  heartbeatInterval: 1000,
}

let server: DeepstreamServer
const clients: DeepstreamClient[] = []
const sources: ConnectionSource[] = []

beforeAll(async () => {
  server = await startDeepstream()
})
afterEach(async () => {
  for (const source of sources.splice(0)) source.close()
  for (const client of clients.splice(0)) client.close()
  if (!server.running) await server.restart()
})
afterAll(() => server.close())

/** A deepstream client wrapped by the adapter, with every change it reports written down. */
function connect(options: Partial<typeof CLIENT_OPTIONS> = {}) {
  const client = new DeepstreamClient(server.url, { ...CLIENT_OPTIONS, ...options })
  // deepstream throws an error event nobody listens to; the adapter listens, and so do we.
  clients.push(client)
  const source = fromDeepstream(client, { topic: 'test' })
  sources.push(source)
  const changes: string[] = []
  const events: string[] = []
  source.on('connectionStateChanged', (state, reason) => changes.push(`${state}/${reason}`))
  source.on('lost', () => events.push('lost'))
  source.on('restored', () => events.push('restored'))
  const state = () => source.getSnapshot().state
  return { client, source, changes, events, state }
}

/**
 * Resolves once the server holds someone's subscription to `topic`. deepstream clients send
 * their subscriptions in batches, every `subscriptionInterval` (100 ms), so a client can be
 * OPEN before the server knows what it listens to; the server tells a listener about the
 * subscriptions it holds as soon as it holds them.
 */
async function subscribedOnServer(topic: string): Promise<void> {
  const probe = new DeepstreamClient(server.url, CLIENT_OPTIONS)
  clients.push(probe)
  await probe.login({ username: 'probe' })
  let held = false
  probe.event.listen(`^${topic}$`, (_name, response) => {
    held = true
    response.accept()
  })
  await waitFor(() => held, {
    timeout: 5000,
    what: `the server to hold a subscription to "${topic}"`,
  })
}

/**
 * Records the state of `who` each time the adapter hands a message to deepstream: a held
 * message handed over early shows as a state other than OPEN.
 */
function recordEmits(who: ReturnType<typeof connect>): string[] {
  const states: string[] = []
  const event = who.client.event
  const emit = event.emit.bind(event)
  event.emit = (name, data) => {
    states.push(who.state())
    emit(name, data)
  }
  return states
}

const openUp = async (who: ReturnType<typeof connect>, username: string) => {
  await who.source.login({ username })
  await waitFor(() => who.state() === 'OPEN', 5000, `${username} to be OPEN`)
}

describe('fromDeepstream over a real @deepstream/server', () => {
  test('login → the handshake, each with its reason, then OPEN/JOIN_SUCCESS', async () => {
    const ada = connect()
    await openUp(ada, 'ada')
    expect(ada.changes.slice(-4)).toEqual([
      'CHALLENGING/CHALLENGE',
      'AWAITING_AUTHENTICATION/AWAITING_LOGIN',
      'AUTHENTICATING/AUTHENTICATING',
      'OPEN/JOIN_SUCCESS',
    ])
    expect(ada.source.getSnapshot()).toMatchObject({
      phase: 'CONNECTED',
      tone: 'good',
      error: null,
    })
  })

  test('server killed → RECONNECTING/INTERRUPTED (not lost: no lostAfter); restarted → OPEN/REJOIN_SUCCESS with `restored`', async () => {
    // Enough attempts to outlast the restart of a server process.
    const ada = connect({ maxReconnectAttempts: 50 })
    await openUp(ada, 'ada')
    ada.changes.length = 0
    const killedAt = performance.now()
    await server.kill()
    await waitFor(() => ada.state() === 'RECONNECTING', 5000, 'RECONNECTING')
    const killToReconnectingMs = Math.round(performance.now() - killedAt)
    expect(ada.changes[0]).toBe('RECONNECTING/INTERRUPTED')
    expect(ada.events).toEqual([])
    expect(ada.source.getSnapshot()).toMatchObject({
      phase: 'RECONNECTING',
      retrying: true,
      lost: false,
    })
    const restartedAt = performance.now()
    await server.restart()
    await waitFor(() => ada.state() === 'OPEN', 5000, 'OPEN again')
    expect(ada.changes.at(-1)).toBe('OPEN/REJOIN_SUCCESS')
    // The handshake of a rejoin reads as reconnecting, not as a first connection.
    expect(ada.changes.slice(1, -1).every((change) => !change.startsWith('ERROR'))).toBe(true)
    expect(ada.events).toEqual(['restored'])
    figures({
      test: 'deepstream kill/restart',
      killToReconnectingMs,
      restartToOpenMs: Math.round(performance.now() - restartedAt),
      sequence: ada.changes.join(' → '),
    })
  })

  test('server never restarted → ERROR/MAX_RECONNECT_ATTEMPTS and stays there although the client closes; reconnect() starts over', async () => {
    const ada = connect()
    await openUp(ada, 'ada')
    ada.changes.length = 0
    await server.kill()
    await waitFor(() => ada.state() === 'ERROR', 5000, 'ERROR')
    // deepstream itself goes on to CLOSED (the adapter hears it as it happens); linklight keeps
    // showing the give-up.
    await waitFor(() => ada.client.getConnectionState() === 'CLOSED', {
      timeout: 5000,
      what: 'deepstream to close after giving up',
    })
    expect(ada.changes).toEqual(['RECONNECTING/INTERRUPTED', 'ERROR/MAX_RECONNECT_ATTEMPTS'])
    expect(ada.source.getSnapshot()).toMatchObject({
      state: 'ERROR',
      tone: 'bad',
      phase: 'FAILED',
      retrying: false,
      attempt: 3,
      error: { code: 'MAX_RECONNECT_ATTEMPTS' },
    })
    await server.restart()
    ada.source.reconnect()
    await waitFor(() => ada.state() === 'OPEN', 5000, 'OPEN after reconnect()')
    expect(ada.changes.slice(2)).toEqual([
      'RECONNECTING/RETRY_REQUESTED',
      'AWAITING_CONNECTION/CONNECTING',
      'CHALLENGING/CHALLENGE',
      'AWAITING_AUTHENTICATION/AWAITING_LOGIN',
      'AUTHENTICATING/AUTHENTICATING',
      // reconnect() picks up the link that had been open: a rejoin, as for every source.
      'OPEN/REJOIN_SUCCESS',
    ])
    figures({ test: 'deepstream give-up and retry', sequence: ada.changes.join(' → ') })
  })

  test('a silent server: the HEARTBEAT_TIMEOUT error shows at once as RECONNECTING/KEEP_ALIVE_TIMEOUT, before the client reports RECONNECTING', async () => {
    const ada = connect({ heartbeatInterval: 200, maxReconnectAttempts: 50 })
    await openUp(ada, 'ada')
    ada.changes.length = 0
    const frozenAt = performance.now()
    server.freeze(true)
    try {
      await waitFor(() => ada.state() === 'RECONNECTING', 5000, 'RECONNECTING')
      const silentToAmberMs = Math.round(performance.now() - frozenAt)
      // The socket cannot finish closing while the server is stopped: deepstream itself still
      // says OPEN; the adapter already shows the missed heartbeats.
      expect(ada.client.getConnectionState()).toBe('OPEN')
      expect(ada.changes).toEqual(['RECONNECTING/KEEP_ALIVE_TIMEOUT'])
      expect(ada.source.getSnapshot()).toMatchObject({ tone: 'neutral', retrying: true })
      figures({ test: 'deepstream heartbeat timeout', silentToAmberMs })
    } finally {
      server.freeze(false)
    }
    await waitFor(() => ada.state() === 'OPEN', 5000, 'OPEN once the server answers')
    expect(ada.changes[0]).toBe('RECONNECTING/KEEP_ALIVE_TIMEOUT')
    expect(ada.changes.at(-1)).toBe('OPEN/REJOIN_SUCCESS')
  })

  test('two clients see each other through presence; one closes → it leaves the other’s list', async () => {
    const ada = connect()
    const bob = connect()
    const store = createConnectionStore(ada.source)
    await openUp(ada, 'ada')
    await openUp(bob, 'bob')
    await waitFor(() => store.getState().peers.has('bob'), 5000, 'ada to see bob')
    await waitFor(() => bob.source.getPeers().has('ada'), 5000, 'bob to see ada')
    // ada subscribes to presence as she logs in, before bob does: by the time she sees bob
    // (by that subscription or by asking again), the server holds it, and bob's leave reaches her.
    bob.source.close()
    await waitFor(() => !store.getState().peers.has('bob'), 5000, 'bob to leave ada’s list')
    expect(store.getState().departedPeers.get('bob')).toMatchObject({
      online: false,
      leftReason: 'QUIT',
    })
    store.getState().destroy()
  })

  test('send: held until the client is OPEN, then delivered in order to the other client, and not echoed to the sender', async () => {
    const bob = connect()
    await openUp(bob, 'bob')
    const got: unknown[] = []
    bob.source.on('message', (data) => got.push(data))
    const ada = connect()
    const echoed: unknown[] = []
    ada.source.on('message', (data) => echoed.push(data))
    await waitFor(() => ada.state() === 'AWAITING_AUTHENTICATION', 5000, 'ada to await login')
    const emitted = recordEmits(ada)
    const gotWhenOpen: number[] = []
    ada.source.on('connectionStateChanged', (state) => {
      if (state === 'OPEN') gotWhenOpen.push(got.length)
    })
    const held = [1, 2, 3].map((n) => ada.source.send({ n }))
    expect(ada.source.getSnapshot().queued).toBe(3)
    // Meanwhile another client logs in and asks the server about bob's subscription (which must
    // be in place before ada sends): all that while, ada hands nothing over.
    await subscribedOnServer('test')
    expect(emitted).toEqual([])
    await openUp(ada, 'ada')
    await Promise.all(held)
    // Handed to deepstream once OPEN, and not before: bob had got nothing until then.
    expect(emitted).toEqual(['OPEN', 'OPEN', 'OPEN'])
    expect(gotWhenOpen).toEqual([0])
    await waitFor(() => got.length === 3, 5000, 'bob to get messages 1–3')
    expect(got).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])
    expect(echoed).toEqual([])
    expect(ada.source.getSnapshot().queued).toBe(0)
  })

  test('send while the server is down: held (queued), handed to the client once it is OPEN again', async () => {
    const ada = connect({ maxReconnectAttempts: 50 })
    await openUp(ada, 'ada')
    await server.kill()
    await waitFor(() => ada.state() === 'RECONNECTING', 5000, 'RECONNECTING')
    let settled = 0
    const emitted = recordEmits(ada)
    const whenOpen: { queued: number; settled: number }[] = []
    ada.source.on('connectionStateChanged', (state) => {
      if (state === 'OPEN') whenOpen.push({ queued: ada.source.getSnapshot().queued, settled })
    })
    const held = [ada.source.send({ n: 1 }), ada.source.send({ n: 2 })]
    for (const message of held) void message.then(() => settled++)
    expect(ada.source.getSnapshot().queued).toBe(2)
    await server.restart()
    await Promise.all(held)
    // Held through the whole outage: nothing handed over or settled before OPEN.
    expect(whenOpen).toEqual([{ queued: 2, settled: 0 }])
    expect(emitted).toEqual(['OPEN', 'OPEN'])
    expect(ada.state()).toBe('OPEN')
    expect(ada.source.getSnapshot().queued).toBe(0)
  })

  test('send refuses what deepstream cannot carry, and a full queue refuses the next message', async () => {
    const ada = new DeepstreamClient(server.url, CLIENT_OPTIONS)
    clients.push(ada)
    const source = fromDeepstream(ada, { queueLimit: 2 })
    sources.push(source)
    expect(() => source.send(undefined)).toThrow(/send\(\) data must be JSON data/)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => source.send(cyclic)).toThrow(TypeError)
    const accepted = [source.send('a'), source.send('b')]
    expect(() => source.send('c')).toThrow(/queue is full \(2 messages/)
    expect(source.getSnapshot().queued).toBe(2)
    source.close()
    await expect(Promise.all(accepted)).rejects.toThrow(/closed before the message was sent/)
  })

  test('close() takes every listener the adapter put on the client back off', async () => {
    const ada = connect()
    await openUp(ada, 'ada')
    const watched = ['connectionStateChanged', 'error', 'MAX_RECONNECTION_ATTEMPTS_REACHED']
    expect(watched.map((event) => ada.client.hasListeners(event))).toEqual([true, true, true])
    ada.source.close()
    expect(watched.map((event) => ada.client.hasListeners(event))).toEqual([false, false, false])
    expect(ada.source.getSnapshot()).toMatchObject({ state: 'CLOSED', reason: 'LEAVE_CHANNEL' })
  })
})
