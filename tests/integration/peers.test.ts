import { describe, expect, test } from 'vitest'
import { figures } from '../helpers/figures.js'
import { waitFor, waitForStable } from '../helpers/wait.js'
import { ids, now, useIntegration, waitForState, type PeerEvent } from './support.js'

const { startServer, openClient } = useIntegration()

const leftOf = (events: PeerEvent[], id: string) =>
  events.find((e) => e.kind === 'left' && e.peer.id === id)

describe('peers over real sockets ()', () => {
  test('a peer that closes is QUIT at once', async () => {
    const peerTimeout = 400
    const server = await startServer({ peerTimeout })
    const a = await openClient(server, 'a')
    const b = await openClient(server, 'b')
    await waitFor(() => a.client.getPeers().has('b'), 2000, 'A to see b join')

    const closedAt = now()
    b.client.close()
    await waitFor(() => leftOf(a.peerEvents, 'b') !== undefined, 2000, 'A to see b leave')
    const left = leftOf(a.peerEvents, 'b')!
    const took = left.at - closedAt

    expect(left.peer).toMatchObject({ id: 'b', online: false, leftReason: 'QUIT' })
    expect(took).toBeLessThanOrEqual(300) // far below peerTimeout: no grace period for a quit
    expect(a.client.getPeers().has('b')).toBe(false)
    expect(ids(server.peers())).toEqual(['a'])
    figures({ test: 'QUIT', peerTimeout, closeToPeerLeftMs: Math.round(took) })
  })

  test('a silenced peer is DROPPED after peerTimeout', async () => {
    // long enough that a server dropping at twice the timeout would fail the upper bound
    const peerTimeout = 1000
    const sweep = Math.max(25, peerTimeout / 4)
    const server = await startServer({ peerTimeout })
    const a = await openClient(server, 'a')
    // C pings only once a minute; what keeps it online is ws answering the server's pings.
    const c = await openClient(server, 'c', { heartbeatInterval: 60_000 })
    await waitFor(() => a.client.getPeers().has('c'), 2000, 'A to see c join')

    // Freeze right after C has answered one of the server's pings (ws sends the pong before it
    // emits 'ping'), so the server last heard from C at the freeze, not a sweep earlier.
    const socket = c.sockets.at(-1)!
    let answeredPings = 0
    socket.on('ping', () => answeredPings++)
    await waitFor(() => answeredPings >= 2, 3000, 'C to answer two of the server’s pings')
    const frozenAt = await new Promise<number>((resolve) =>
      socket.once('ping', () => {
        c.freeze()
        resolve(now())
      }),
    )

    await waitFor(
      () => leftOf(a.peerEvents, 'c') !== undefined,
      peerTimeout + 2 * sweep + 2000,
      'A to see c leave',
    )
    const left = leftOf(a.peerEvents, 'c')!
    const detection = left.at - frozenAt

    expect(left.peer).toMatchObject({ id: 'c', online: false, leftReason: 'DROPPED' })
    expect(detection).toBeGreaterThanOrEqual(peerTimeout - 50)
    expect(detection).toBeLessThanOrEqual(peerTimeout + 2 * sweep + 300)
    expect(ids(server.peers())).toEqual(['a'])
    expect(a.client.getPeers().has('c')).toBe(false)
    // Frozen, C itself still believes it is OPEN: only the others can tell.
    expect(c.client.getConnectionState()).toBe('OPEN')
    figures({
      test: 'DROPPED',
      peerTimeout,
      sweepInterval: sweep,
      freezeToPeerLeftMs: Math.round(detection),
    })
  })

  test('after a reconnect the peer list equals the server’s (no ghosts, no duplicates)', async () => {
    const peerTimeout = 300
    const server = await startServer({ peerTimeout })
    const reconnecting = {
      reconnectIntervalIncrement: 30,
      maxReconnectInterval: 100,
      maxReconnectAttempts: Infinity,
    }
    const a = await openClient(server, 'a', reconnecting)
    const b = await openClient(server, 'b', reconnecting)
    const c = await openClient(server, 'c', reconnecting)
    await waitFor(
      () => ids(a.client.getPeers().values()).join() === 'b,c',
      2000,
      () => `A to see b and c (has ${ids(a.client.getPeers().values())})`,
    )
    const mark = a.peerEvents.length
    const openings = a.transitions.length

    await server.faults.kill()
    await waitForState(a, 'RECONNECTING', 2000)
    await waitForState(b, 'RECONNECTING', 2000)
    b.client.close() // B leaves for good while the server is down
    await server.faults.restart()
    await waitForState(c, 'OPEN', 3000)
    const d = await openClient(server, 'd', reconnecting)
    await waitForState(a, 'OPEN', 3000)
    await waitFor(
      () => ids(server.peers()).join() === 'a,c,d',
      3000,
      () => `the server to list a, c, d (has ${ids(server.peers())})`,
    )
    const settled = await waitForStable(
      () => ids(a.client.getPeers().values()),
      peerTimeout + 100,
      5000,
      "A's peer set",
    )

    const serverView = ids(server.peers()).filter((id) => id !== 'a')
    expect(settled).toEqual(serverView)
    expect(settled).toEqual(['c', 'd'])
    expect(a.client.getPeers().has('b')).toBe(false) // no ghost
    expect(a.transitions.slice(openings).at(-1)).toMatchObject({
      state: 'OPEN',
      reason: 'REJOIN_SUCCESS',
    })
    expect(d.client.getPeers().has('a')).toBe(true)

    // Per id, joined and left alternate from the first event on, starting with joined, and
    // whoever ended joined is exactly A's list: nobody was added twice or removed twice.
    const byId = new Map<string, ('joined' | 'left')[]>()
    for (const event of a.peerEvents)
      if (event.kind !== 'updated')
        byId.set(event.peer.id, [...(byId.get(event.peer.id) ?? []), event.kind])
    for (const [id, kinds] of byId)
      kinds.forEach((kind, i) =>
        expect(kind, `event ${i} of peer ${id}: ${kinds.join(' ')}`).toBe(
          i % 2 === 0 ? 'joined' : 'left',
        ),
      )
    const endedJoined = [...byId].filter(([, kinds]) => kinds.at(-1) === 'joined').map(([id]) => id)
    expect(endedJoined.sort()).toEqual(settled)

    const after = a.peerEvents.slice(mark)
    const count = (kind: PeerEvent['kind']) =>
      Object.fromEntries(
        ['b', 'c', 'd'].map((id) => [
          id,
          after.filter((e) => e.kind === kind && e.peer.id === id).length,
        ]),
      )
    const joinedAfter = count('joined')
    expect(joinedAfter.b).toBe(0)
    expect(joinedAfter.d).toBe(1)
    expect(joinedAfter.c).toBeLessThanOrEqual(1)
    expect(count('left').b).toBe(1)
    figures({
      test: 'peer list after reconnect',
      peerTimeout,
      finalPeersOfA: settled,
      serverPeers: ids(server.peers()),
      afterReconnect: { joined: joinedAfter, left: count('left'), updated: count('updated') },
    })
  })
})
