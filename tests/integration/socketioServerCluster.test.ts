/**
 * `attachPresence` across a cluster: two Socket.IO nodes in child processes
 * (tests/helpers/socketioChild.mjs) on one real redis-server through @socket.io/redis-adapter,
 * with raw socket.io-client sockets on each. Short timings (a beat every 200 ms, a node taken
 * for dead after 1 s of silence) keep the failure tests quick; the `[figures]` lines print what
 * was measured.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { figures } from '../helpers/figures.js'
import { redisCommand, startRedis, type RedisServer } from '../helpers/redisServer.js'
import {
  closeRawClients,
  rawClient,
  startSocketIONode,
  type RawClient,
  type SocketIONode,
} from '../helpers/socketioServers.js'
import { waitFor } from '../helpers/wait.js'

const PRESENCE = { beatInterval: 200, peerTimeout: 1_000 }

let redis: RedisServer
const nodes: SocketIONode[] = []

async function node(name: string, options: Parameters<typeof startSocketIONode>[0] = {}) {
  const started = performance.now()
  const server = await startSocketIONode({
    name,
    redis: { port: redis.port },
    presence: PRESENCE,
    ...options,
  })
  nodes.push(server)
  return { server, startMs: Math.round(performance.now() - started) }
}

/** Nodes A and B of a fresh cluster. */
async function cluster() {
  const [a, b] = await Promise.all([node('A'), node('B')])
  figures({ socketioNodeStartMs: [a.startMs, b.startMs] })
  return { a: a.server, b: b.server }
}

/** Who a client thinks is online, from the notices it received. */
function online(client: RawClient): string[] {
  const ids = new Set<string>()
  for (const notice of client.notices) {
    if (notice.t === 'peers') {
      ids.clear()
      for (const peer of notice.peers) ids.add(peer.id)
    } else if (notice.t === 'left') ids.delete(notice.id)
    else ids.add(notice.peer.id)
  }
  return [...ids].sort()
}

const logIs = (client: RawClient, expected: string[], what: string, timeout = 3_000) =>
  waitFor(
    () => JSON.stringify(client.log()) === JSON.stringify(expected),
    timeout,
    () => `${what}: ${JSON.stringify(expected)} (got ${JSON.stringify(client.log())})`,
  )

const snapshot = async (url: string, auth: Record<string, unknown>) => {
  const client = rawClient(url, auth)
  await waitFor(() => client.notices.length > 0, 3_000, `the snapshot of ${JSON.stringify(auth)}`)
  return client
}

/** Waits until `server`'s presence lists exactly `ids`. */
const listsExactly = (server: SocketIONode, ids: string[]) =>
  waitFor(
    async () =>
      JSON.stringify((await server.peers()).peers.map((peer) => peer.id).sort()) ===
      JSON.stringify(ids),
    3_000,
    `the node to list ${ids.join(', ')}`,
  )

beforeAll(async () => {
  redis = await startRedis()
})

afterEach(async () => {
  closeRawClients()
  await Promise.all(nodes.splice(0).map((server) => server.stop()))
})

afterAll(async () => {
  await redis?.stop()
})

describe('attachPresence on two Socket.IO nodes over Redis', () => {
  test('clients on A and B see each other join, update and leave, each change once', async () => {
    const { a, b } = await cluster()
    const ada = await snapshot(a.url, { name: 'ada', data: { color: 'red' } })
    await listsExactly(b, ['ada'])
    const bob = await snapshot(b.url, { name: 'bob' })
    expect(bob.notices[0]).toEqual({
      t: 'peers',
      self: 'bob',
      peers: expect.arrayContaining([
        expect.objectContaining({ id: 'ada', data: { color: 'red' } }),
        expect.objectContaining({ id: 'bob' }),
      ]),
    })
    await logIs(ada, ['peers ada', 'joined bob'], 'ada sees bob join on B')
    bob.socket.emit('linklight:set-presence', { color: 'blue' })
    await logIs(ada, ['peers ada', 'joined bob', 'updated bob {"color":"blue"}'], 'bob’s update')
    await a.peers() // a round trip: nothing else pending at A
    expect(await b.kick('bob')).toBe(1)
    await logIs(
      ada,
      ['peers ada', 'joined bob', 'updated bob {"color":"blue"}', 'left bob QUIT'],
      'bob kicked on B',
    )
    expect(bob.disconnects).toEqual(['io server disconnect'])
    ada.socket.disconnect()
    await listsExactly(b, [])
    expect(bob.log()).toEqual(['peers ada,bob', 'updated bob {"color":"blue"}'])
    expect([ada.malformed, bob.malformed]).toEqual([[], []])
  })

  test('multi-tab across nodes: online while a tab is open on either node', async () => {
    const { a, b } = await cluster()
    const watcher = await snapshot(b.url, { name: 'watcher' })
    const tabOnA = await snapshot(a.url, { name: 'ada' })
    await logIs(watcher, ['peers watcher', 'joined ada'], 'ada’s first tab')
    const tabOnB = await snapshot(b.url, { name: 'ada' })
    expect(online(tabOnB)).toEqual(['ada', 'watcher'])
    tabOnA.socket.disconnect()
    await listsExactly(a, ['ada', 'watcher']) // A let go of ada, and still hears B hold her
    // a probe after tab A went: had ada left, that would have come first
    tabOnB.socket.emit('linklight:set-presence', 'probe')
    await logIs(watcher, ['peers watcher', 'joined ada', 'updated ada "probe"'], 'ada online')
    tabOnB.socket.disconnect()
    await logIs(
      watcher,
      ['peers watcher', 'joined ada', 'updated ada "probe"', 'left ada QUIT'],
      'ada left with her last tab',
    )
  })

  test('node A SIGKILLed: its users leave DROPPED at B, no ghost; A back: they join once', async () => {
    const { a, b } = await cluster()
    const ada = await snapshot(a.url, { name: 'ada' })
    await listsExactly(b, ['ada'])
    const bob = await snapshot(b.url, { name: 'bob' })
    const before = ['peers ada,bob']
    expect(bob.log()).toEqual(before)
    const killedAt = performance.now()
    await a.kill()
    await logIs(bob, [...before, 'left ada DROPPED'], 'ada dropped', 3_000)
    const droppedAfterMs = Math.round(performance.now() - killedAt)
    // not before the node could be taken for dead, and within peerTimeout and one sweep
    expect(droppedAfterMs).toBeGreaterThanOrEqual(PRESENCE.peerTimeout - PRESENCE.beatInterval)
    expect(droppedAfterMs).toBeLessThan(PRESENCE.peerTimeout * 1.25 + 500)
    await listsExactly(b, ['bob'])
    const restartedAt = performance.now()
    await a.restart()
    const listensAfterMs = Math.round(performance.now() - restartedAt)
    await logIs(bob, [...before, 'left ada DROPPED', 'joined ada'], 'ada back', 5_000)
    const rejoinedAfterMs = Math.round(performance.now() - restartedAt)
    // the restarted node said hello and B answered: ada sees bob again
    await waitFor(() => online(ada).join() === 'ada,bob', 3_000, 'ada to see bob again')
    // a probe from ada after B has had a beat from the new A: a second join would have come first
    const { peers } = await b.peers()
    const seen = peers.find((peer) => peer.id === 'ada')!.lastSeenAt
    await waitFor(
      async () => (await b.peers()).peers.find((peer) => peer.id === 'ada')!.lastSeenAt > seen,
      3_000,
      'a beat of the restarted node at B',
    )
    ada.socket.emit('linklight:set-presence', 'probe')
    await logIs(
      bob,
      [...before, 'left ada DROPPED', 'joined ada', 'updated ada "probe"'],
      'one join, then the probe',
    )
    expect(ada.disconnects).toEqual(['transport close'])
    figures({
      socketioSigkillToDroppedMs: droppedAfterMs,
      socketioRestartListensMs: listensAfterMs,
      socketioRestartToJoinedMs: rejoinedAfterMs,
    })
  })

  test('a message crosses the nodes once; resent through B after A died, it is a duplicate', async () => {
    const { a, b } = await cluster()
    const ada = await snapshot(a.url, { name: 'ada' })
    const bob = await snapshot(b.url, { name: 'bob' })
    const cy = await snapshot(a.url, { name: 'cy' })
    const sentAt = performance.now()
    expect(await ada.send('m1', { text: 'hi' })).toEqual({ ok: true })
    await waitFor(() => bob.messages.length === 1, 3_000, 'm1 at bob')
    const crossMs = Math.round(performance.now() - sentAt)
    await waitFor(() => cy.messages.length === 1, 3_000, 'm1 at cy on the same node')
    expect(bob.messages).toEqual([{ from: 'ada', id: 'm1', data: { text: 'hi' } }])
    expect(ada.messages).toEqual([])
    // node A dies; ada's client fails over to B and sends m1 again, as if its ack had been lost
    await a.kill()
    const adaOnB = await snapshot(b.url, { name: 'ada' })
    expect(await adaOnB.send('m1', { text: 'hi' })).toEqual({ ok: true, duplicate: true })
    expect(await adaOnB.send('m2', { text: 'after' })).toEqual({ ok: true })
    await waitFor(() => bob.messages.length === 2, 3_000, 'm2 at bob')
    expect(bob.messages.map((message) => message.id)).toEqual(['m1', 'm2'])
    figures({ socketioMessageAcrossNodesMs: crossMs })
  })

  test('forged node messages through Redis change nothing at either node', async () => {
    const { a, b } = await cluster()
    const watcher = await snapshot(b.url, { name: 'watcher' })
    await snapshot(a.url, { name: 'ada' })
    await logIs(watcher, ['peers watcher', 'joined ada'], 'ada joined')
    // PUBLISH a serverSideEmit request of the Redis adapter by hand: a bad beat from a made-up node
    const forged = JSON.stringify({
      uid: 'forger',
      type: 6,
      data: [
        'linklight:node',
        { t: 'beat', node: 'forger', peers: [{ id: 'ghost', joinedAt: -5 }] },
      ],
    })
    const receivers = await redisCommand(redis.port, ['PUBLISH', 'socket.io-request#/#', forged])
    expect(receivers).toBe(2)
    // and a valid one as the probe: it comes after the forged one, at both nodes
    const probe = JSON.stringify({
      uid: 'forger',
      type: 6,
      data: ['linklight:node', { t: 'hold', node: 'forger', peer: { id: 'probe', joinedAt: 1 } }],
    })
    await redisCommand(redis.port, ['PUBLISH', 'socket.io-request#/#', probe])
    await logIs(watcher, ['peers watcher', 'joined ada', 'joined probe'], 'only the probe at B')
    expect((await a.peers()).peers.map((peer) => peer.id).sort()).toEqual([
      'ada',
      'probe',
      'watcher',
    ])
  })
})

describe('the Socket.IO child server', () => {
  test('token middleware: wrong and expired tokens are refused with a reason', async () => {
    const server = await startSocketIONode({ name: 'secured', token: 'secret' })
    nodes.push(server)
    const refusal = (token: string) =>
      new Promise<unknown>((resolve) => {
        const client = rawClient(server.url, { name: 'eve', token }, 'linklight:', {
          reconnection: false,
        })
        client.socket.once('connect_error', (error: Error & { data?: unknown }) =>
          resolve([error.message, error.data]),
        )
      })
    expect(await refusal('wrong')).toEqual(['invalid token', { reason: 'INVALID_TOKEN' }])
    expect(await refusal('expired')).toEqual(['token expired', { reason: 'TOKEN_EXPIRED' }])
    const ada = await snapshot(server.url, { name: 'ada', token: 'secret' })
    expect(ada.log()).toEqual(['peers ada'])
  })

  test('connection state recovery: a recovered socket is taken in again, snapshot last', async () => {
    const server = await startSocketIONode({
      name: 'recovering',
      recovery: true,
      pingInterval: 200,
      pingTimeout: 200,
    })
    nodes.push(server)
    const bob = await snapshot(server.url, { name: 'bob' })
    const ada = await snapshot(server.url, { name: 'ada' })
    ada.socket.io.engine.close()
    await logIs(bob, ['peers bob', 'joined ada', 'left ada DROPPED', 'joined ada'], 'ada back')
    await waitFor(
      () => ada.notices.filter((n) => n.t === 'peers').length === 2,
      3_000,
      'ada’s new snapshot',
    )
    expect(ada.socket.recovered).toBe(true)
    expect(ada.log().at(-1)).toBe('peers bob,ada')
    expect(ada.log()).not.toContain('joined ada')
    figures({ socketioRecoveredLog: ada.log() })
  })
})
