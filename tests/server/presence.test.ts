import { afterEach, describe, expect, test, vi } from 'vitest'
import type { WebSocket } from 'ws'
import { roundTrip } from '../helpers/roundTrip.js'
import { waitFor } from '../helpers/wait.js'
import { useServers, type RawClient } from './rawClient.js'

const { start, handshake, join } = useServers()

// Small enough to keep the suite fast; the sweep then runs every 100 ms.
const peerTimeout = 400
const sweep = peerTimeout / 4

/**
 * The server's time under the test's control, for the grace-period tests: its clock (`Date`)
 * and its sweep (`setInterval`) move only with `advance`; sockets and everything else run as
 * usual. Set before `start()`, so the sweep is a fake one.
 */
const fakeServerTime = () => vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] })
afterEach(() => void vi.useRealTimers())

/**
 * Moves the server's time on by `ms`, one sweep at a time. After each sweep the `alive` clients
 * make a round trip, so they stay heard as a healthy client would (the fake clock does not
 * move while their answers travel) and the next sweep sees what they said.
 */
async function advance(ms: number, alive: RawClient[]) {
  for (let moved = 0; moved < ms; moved += sweep) {
    vi.advanceTimersByTime(Math.min(sweep, ms - moved))
    for (const client of alive) await roundTrip(client)
  }
}

/**
 * The frames (other than pongs) the server sent `client` from index `since` until now: the
 * ack of a message comes after every presence change waiting to go out (a relay sends those
 * first), so whatever the server meant to tell it by now is in the list.
 */
async function framesUntilNow(client: RawClient, seq: number, since: number) {
  client.send({ t: 'msg', seq, data: 'probe' })
  await client.waitFor('ack', { since, where: (a) => a.seq === seq })
  const frames = client.frames.slice(since).filter((f) => f.t !== 'pong')
  return frames.slice(
    0,
    frames.findIndex((f) => f.t === 'ack' && f.seq === seq),
  )
}

/** Each protocol ping the server sent `client` (one per sweep that found it quiet for a while). */
function serverPings(client: RawClient): number[] {
  const at: number[] = []
  client.ws.on('ping', () => at.push(Date.now()))
  return at
}

const ids = (server: { peers(): { id: string }[] }) =>
  server
    .peers()
    .map((p) => p.id)
    .sort()

/**
 * On fake server time: a server with ada and bob (`bobPresence` as his presence), once ada has
 * heard bob join; `mark` is where ada's frames stand then.
 */
async function adaAndBob(bobPresence?: unknown) {
  fakeServerTime()
  const server = await start({ peerTimeout })
  const ada = await join(server, { credentials: { id: 'ada' } })
  const bob = await join(server, {
    credentials: { id: 'bob' },
    ...(bobPresence !== undefined && { presence: bobPresence }),
  })
  await ada.client.waitFor('joined')
  const lostSocket = () =>
    waitFor(() => server.stats().connections === 1, {
      timeout: 1000,
      what: "the server to see bob's socket go",
    })
  return { server, ada, bob, mark: ada.client.frames.length, lostSocket }
}

describe('presence (protocol steps 3, 5, 6, 7)', () => {
  test('step 7: an unauthenticated socket sees no presence and no messages while two chat', async () => {
    const server = await start()
    const { client: lurker } = await handshake(server)
    const { client: ada } = await join(server, { credentials: { id: 'ada' } })
    const { client: bob } = await join(server, { credentials: { id: 'bob' } })
    ada.send({ t: 'presence', data: { typing: true } })
    ada.send({ t: 'msg', seq: 1, data: 'hi bob' })
    expect((await bob.waitFor('msg')).data).toBe('hi bob')
    await bob.waitFor('updated')
    bob.send({ t: 'bye' })
    await ada.waitFor('left')
    expect(lurker.frames.map((f) => f.t)).toEqual(['challenge', 'accept'])
  })

  test('welcome lists the others in full; joined, updated and left QUIT on bye', async () => {
    const server = await start()
    const ada = await join(server, { credentials: { id: 'ada' }, presence: { color: 'red' } })
    expect(ada.welcome.peers).toEqual([])
    const bob = await join(server, { credentials: { id: 'bob' } })
    expect(bob.welcome.peers).toEqual([
      {
        id: 'ada',
        joinedAt: expect.any(Number),
        lastSeenAt: expect.any(Number),
        data: { color: 'red' },
      },
    ])
    const joined = await ada.client.waitFor('joined')
    // no data → no `data` key at all
    expect(joined.peer).toEqual({
      id: 'bob',
      joinedAt: expect.any(Number),
      lastSeenAt: expect.any(Number),
    })
    expect(
      server
        .peers()
        .map((p) => p.id)
        .sort(),
    ).toEqual(['ada', 'bob'])

    bob.client.send({ t: 'presence', data: { color: 'blue' } })
    const updated = await ada.client.waitFor('updated')
    expect(updated.peer).toMatchObject({ id: 'bob', data: { color: 'blue' } })
    expect(bob.client.frames.some((f) => f.t === 'updated')).toBe(false)

    const before = Date.now()
    bob.client.send({ t: 'bye' })
    const left = await ada.client.waitFor('left')
    expect(left).toEqual({ t: 'left', id: 'bob', reason: 'QUIT', at: expect.any(Number) })
    expect(left.at).toBeGreaterThanOrEqual(before)
    expect((await bob.client.closed).code).toBe(1000)
    expect(server.peers().map((p) => p.id)).toEqual(['ada'])
  })

  test('step 6: a close with code 1000 is a QUIT, at once', async () => {
    const server = await start({ peerTimeout: 10_000 })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    bob.client.ws.close(1000)
    const left = await ada.client.waitFor('left', { timeoutMs: 500 })
    expect(left).toMatchObject({ id: 'bob', reason: 'QUIT' })
  })

  test('step 6: a silent peer is DROPPED no earlier than peerTimeout, within peerTimeout + 2 sweeps', async () => {
    const server = await start({ peerTimeout })
    const ada = await join(server, { credentials: { id: 'ada' } })
    // autoPong off: the silent client does not even answer the server's protocol pings
    const { client: mute } = await handshake(server, { connect: { autoPong: false } })
    const lastSent = Date.now()
    mute.send({ t: 'auth', credentials: { id: 'mute' } })
    await mute.waitFor('welcome')
    const left = await ada.client.waitFor('left', { timeoutMs: peerTimeout + 4 * sweep })
    const after = Date.now() - lastSent
    expect(left).toMatchObject({ id: 'mute', reason: 'DROPPED' })
    expect(left.at - lastSent).toBeGreaterThanOrEqual(peerTimeout)
    expect(after).toBeLessThanOrEqual(peerTimeout + 2 * sweep)
    expect((await mute.closed).code).toBe(1006)
    expect(server.peers().map((p) => p.id)).toEqual(['ada'])
  })

  test('step 6: an idle but healthy client (answering ws pings) is never dropped', async () => {
    const server = await start({ peerTimeout })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    await ada.client.waitFor('joined')
    const mark = ada.client.frames.length
    const pings = serverPings(bob.client)
    // The sweep pings a client quiet for a quarter of peerTimeout and cuts it at peerTimeout: one
    // that did not answer would be gone before its fourth ping. bob answers, and gets a sixth.
    await waitFor(() => pings.length >= 6, {
      timeout: 10 * peerTimeout,
      what: () => `six pings to bob (got ${pings.length})`,
    })
    expect(bob.client.ws.readyState).toBe(bob.client.ws.OPEN)
    expect(await framesUntilNow(ada.client, 1, mark)).toEqual([])
    expect(ids(server)).toEqual(['ada', 'bob'])
  })

  test.each([
    ['terminated (1006)', (ws: WebSocket) => ws.terminate()],
    ['closed with 4000 (heartbeat failed)', (ws: WebSocket) => ws.close(4000)],
  ])('step 6: a socket %s is DROPPED after its grace period, not QUIT', async (_, cut) => {
    const { server, ada, bob, mark, lostSocket } = await adaAndBob()
    await roundTrip(bob.client)
    const lastHeard = Date.now()
    cut(bob.client.ws)
    await lostSocket()
    // Every sweep of the grace period but its last: bob is still listed, and nothing about him
    // is on its way to ada.
    await advance(peerTimeout - sweep, [ada.client])
    expect(ids(server)).toEqual(['ada', 'bob'])
    expect(await framesUntilNow(ada.client, 1, mark)).toEqual([])
    // The sweep at its end drops him.
    await advance(sweep, [ada.client])
    const left = await ada.client.waitFor('left', { since: mark })
    expect(left).toMatchObject({ id: 'bob', reason: 'DROPPED', at: lastHeard + peerTimeout })
  })

  test('step 6: the same session back within the grace period is RESUMED: no left, no joined', async () => {
    const { server, ada, bob, lostSocket } = await adaAndBob({ v: 1 })
    bob.client.ws.terminate()
    await lostSocket()
    // Back after the sweeps of half the grace period.
    await advance(peerTimeout / 2, [ada.client])
    const again = await join(server, {
      session: bob.session,
      credentials: { id: 'bob' },
      presence: { v: 2 },
    })
    expect(again.welcome.peers.map((p) => p.id)).toEqual(['ada'])
    // changed data is the only thing the others hear
    expect((await ada.client.waitFor('updated')).peer).toMatchObject({ id: 'bob', data: { v: 2 } })
    // Sweeps well past the end of the old grace period: nothing more about bob reaches ada.
    const mark = ada.client.frames.length
    await advance(peerTimeout + 2 * sweep, [ada.client, again.client])
    expect(await framesUntilNow(ada.client, 1, mark)).toEqual([])
    expect(ada.client.frames.filter((f) => f.t === 'joined')).toHaveLength(1) // bob's first join
    expect(ids(server)).toEqual(['ada', 'bob'])
  })

  test('step 6: a still-open older socket of the same session is replaced silently', async () => {
    const { server, ada, bob, mark } = await adaAndBob()
    const again = await join(server, { session: bob.session, credentials: { id: 'bob' } })
    expect((await bob.client.closed).code).toBe(1006)
    // Sweeps past a whole grace period of the replaced socket: ada hears nothing of it.
    await advance(peerTimeout + 2 * sweep, [ada.client, again.client])
    expect(await framesUntilNow(ada.client, 1, mark)).toEqual([])
    expect((await again.client.waitFor('msg')).data).toBe('probe')
    expect(server.stats()).toMatchObject({ connections: 2, peers: 2 })
  })

  test('step 3: a newcomer takes over an id in its grace period without leave or join', async () => {
    const { server, ada, bob, mark, lostSocket } = await adaAndBob()
    bob.client.ws.terminate()
    await lostSocket()
    await advance(sweep, [ada.client]) // a sweep while bob is away
    const other = await join(server, { credentials: { id: 'bob' } }) // another session
    expect(other.session).not.toBe(bob.session)
    expect(other.welcome.id).toBe('bob')
    // Sweeps past the end of the old socket's grace period: no leave, no join reaches ada.
    await advance(peerTimeout + 2 * sweep, [ada.client, other.client])
    expect(await framesUntilNow(ada.client, 1, mark)).toEqual([])
    expect(ids(server)).toEqual(['ada', 'bob'])
  })

  test('a session presented under another id is not theirs: its owner is not kicked, its seq untouched', async () => {
    const server = await start({ peerTimeout })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    bob.client.send({ t: 'msg', seq: 1, data: 'one' })
    await bob.client.waitFor('ack')
    // Someone who learnt bob's session logs in as themselves with it.
    const mallory = await join(server, { session: bob.session, credentials: { id: 'mallory' } })
    expect(mallory.welcome.lastSeq).toBe(0) // a record of its own, not bob's
    mallory.client.send({ t: 'msg', seq: Number.MAX_SAFE_INTEGER, data: 'poison' })
    expect(await mallory.client.waitFor('resend')).toEqual({ t: 'resend', after: 0 })

    bob.client.send({ t: 'msg', seq: 2, data: 'two' })
    await bob.client.waitFor('ack', { where: (a) => a.seq === 2 })
    await ada.client.waitFor('msg', { where: (m) => m.data === 'two' })
    expect(bob.client.ws.readyState).toBe(bob.client.ws.OPEN)
    expect(ada.client.frames.some((f) => f.t === 'left')).toBe(false)
    expect(
      server
        .peers()
        .map((p) => p.id)
        .sort(),
    ).toEqual(['ada', 'bob', 'mallory'])
  })
})
