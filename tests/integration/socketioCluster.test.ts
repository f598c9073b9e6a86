/**
 * `fromSocketIO` across a cluster, as an app sees it: two Socket.IO nodes in child processes
 * with `attachPresence` on one real redis-server (@socket.io/redis-adapter). Node A is SIGKILLed
 * and started again: its users go amber and come back green by themselves, and B's users see
 * them `DROPPED` and then back, once each. Messages sent from A across cut links reach B's users
 * exactly once, in order. The `[figures]` lines print the timings for the release note.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import type { SocketIOSource } from '../../src/adapters/socketio.js'
import type { Peer } from '../../src/core/peers.js'
import { figures } from '../helpers/figures.js'
import { startRedis, type RedisServer } from '../helpers/redisServer.js'
import { startSilentProxy, type SilentProxy } from '../helpers/silentProxy.js'
import { startSocketIONode, type SocketIONode } from '../helpers/socketioServers.js'
import { waitFor, withTimeout } from '../helpers/wait.js'
import { closeClients, sourceFor } from './socketioSupport.js'

const PRESENCE = { beatInterval: 200, peerTimeout: 1_000 }
const TIMEOUT = 8_000

let redis: RedisServer
let nodes: SocketIONode[] = []
let proxies: SilentProxy[] = []

beforeAll(async () => {
  redis = await startRedis()
})
afterEach(async () => {
  closeClients()
  await Promise.all(proxies.map((proxy) => proxy.close()))
  await Promise.all(nodes.map((node) => node.stop()))
  nodes = []
  proxies = []
})
afterAll(() => redis?.stop())

async function cluster() {
  nodes = await Promise.all(
    ['A', 'B'].map((name) =>
      startSocketIONode({ name, redis: { port: redis.port }, presence: PRESENCE }),
    ),
  )
  return { a: nodes[0]!, b: nodes[1]! }
}

/** A user: a `fromSocketIO` source named `name` on `url`, once it is OPEN. */
async function user(url: string, name: string, data?: unknown) {
  const made = sourceFor(url, { auth: { name, data } })
  await stateIs(made.source, 'OPEN')
  return made
}

const stateIs = (source: SocketIOSource, state: string) =>
  waitFor(() => source.getSnapshot().state === state, {
    timeout: TIMEOUT,
    what: () => `${state} (now ${source.getSnapshot().state}/${source.getSnapshot().reason})`,
  })

/** Every peer event a source emits, as `joined ada`, `left ada DROPPED`, `updated ada {…}`. */
function peerLog(source: SocketIOSource): string[] {
  const log: string[] = []
  source.on('peerJoined', (peer: Peer) => log.push(`joined ${peer.id}`))
  source.on('peerUpdated', (peer: Peer) =>
    log.push(`updated ${peer.id} ${JSON.stringify(peer.data)}`),
  )
  source.on('peerLeft', (peer: Peer) => log.push(`left ${peer.id} ${peer.leftReason ?? ''}`))
  return log
}

const online = (source: SocketIOSource) =>
  [...source.getPeers().values()]
    .filter((peer) => peer.online)
    .map((peer) => peer.id)
    .sort()

describe('fromSocketIO on two Socket.IO nodes over Redis', () => {
  test('users on A and B see each other join, update and leave', async () => {
    const { a, b } = await cluster()
    const ada = await user(a.url, 'ada', { color: 'red' })
    const bob = await user(b.url, 'bob')
    await waitFor(() => online(ada.source).includes('bob'), TIMEOUT, 'ada to see bob')
    expect(bob.source.getPeers().get('ada')).toMatchObject({ online: true, data: { color: 'red' } })
    expect(ada.source.selfId).toBe('ada')
    expect(online(ada.source)).toEqual(['bob']) // not herself
    const seen = peerLog(bob.source)
    ada.source.setPresence({ color: 'blue' })
    await waitFor(() => seen.length === 1, TIMEOUT, 'the update')
    ada.source.close()
    await waitFor(() => seen.length === 2, TIMEOUT, 'the leave')
    expect(seen).toEqual(['updated ada {"color":"blue"}', 'left ada QUIT'])
  })

  test('node A killed: its users amber, then green by themselves; B sees them DROPPED, then back — once each', async () => {
    const { a, b } = await cluster()
    const ada = await user(a.url, 'ada')
    const bob = await user(b.url, 'bob')
    await waitFor(() => online(bob.source).includes('ada'), TIMEOUT, 'bob to see ada')
    const seen = peerLog(bob.source)
    const amberAt = new Promise<number>((resolve) =>
      ada.source.on('connectionStateChanged', (state) => {
        if (state === 'RECONNECTING') resolve(performance.now())
      }),
    )
    const killed = performance.now()
    await a.kill()
    const amber = (await withTimeout(amberAt, TIMEOUT, 'amber')) - killed
    expect(ada.source.getSnapshot().tone).toBe('neutral')
    await waitFor(
      () => seen.length === 1,
      TIMEOUT,
      () => `ada to leave (${seen.join(', ')})`,
    )
    const droppedAfter = performance.now() - killed
    expect(seen).toEqual(['left ada DROPPED'])
    expect(online(bob.source)).toEqual([]) // no ghost
    const restarted = performance.now()
    await a.restart()
    await stateIs(ada.source, 'OPEN')
    const greenAfter = performance.now() - restarted
    expect(ada.seen.at(-1)).toEqual(['OPEN', 'REJOIN_SUCCESS'])
    await waitFor(() => seen.length === 2, TIMEOUT, 'ada back')
    const backAfter = performance.now() - restarted
    // Settled: another round of beats changes nothing — no duplicate join, no late leave.
    await withTimeout(b.peers(), TIMEOUT, 'a round trip to B')
    expect(seen).toEqual(['left ada DROPPED', 'joined ada'])
    expect(online(bob.source)).toEqual(['ada'])
    expect(online(ada.source)).toEqual(['bob'])
    figures({
      socketioClusterKillToAmberMs: Math.round(amber),
      socketioClusterKillToDroppedAtBMs: Math.round(droppedAfter),
      socketioClusterRestartToGreenMs: Math.round(greenAfter),
      socketioClusterRestartToBackAtBMs: Math.round(backAfter),
      presence: PRESENCE,
    })
  })

  test('sends from A across 10 cut links reach B exactly once, in order', async () => {
    const { a, b } = await cluster()
    const proxy = await startSilentProxy({ port: a.port })
    proxies.push(proxy)
    const ada = await user(`http://127.0.0.1:${proxy.port}`, 'ada')
    const bob = await user(b.url, 'bob')
    const got: number[] = []
    bob.source.on('message', (data, from) => {
      if (from === 'ada') got.push(data as number)
    })
    const sent: Promise<void>[] = []
    const PER_ROUND = 20
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < PER_ROUND; i++) sent.push(ada.source.send(round * PER_ROUND + i))
      // Cut while some are in flight: their acknowledgements are lost, and they go again.
      await waitFor(() => ada.source.getSnapshot().queued < PER_ROUND, TIMEOUT, 'some delivered')
      proxy.cut()
      await stateIs(ada.source, 'RECONNECTING')
      await stateIs(ada.source, 'OPEN')
    }
    await withTimeout(Promise.all(sent), TIMEOUT, 'every acknowledgement')
    const total = 10 * PER_ROUND
    await waitFor(
      () => got.length >= total,
      TIMEOUT,
      () => `${total} messages at bob (${got.length})`,
    )
    await withTimeout(b.peers(), TIMEOUT, 'a round trip to B') // nothing more in flight
    const duplicated = got.length - new Set(got).size
    const lost = total - new Set(got).size
    const reordered = got.filter((value, i) => i > 0 && value < got[i - 1]!).length
    figures({ socketioCutLinks: 10, sent: total, lost, duplicated, reordered })
    expect({ lost, duplicated, reordered }).toEqual({ lost: 0, duplicated: 0, reordered: 0 })
  })
})
