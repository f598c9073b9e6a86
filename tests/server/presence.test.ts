import { describe, expect, test } from 'vitest'
import type { WebSocket } from 'ws'
import { sleep, useServers } from './rawClient.js'

const { start, handshake, join } = useServers()

// Small enough to keep the suite fast; the sweep then runs every 100 ms.
const peerTimeout = 400
const sweep = peerTimeout / 4

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
    await ada.client.expectNone('left', 3 * peerTimeout)
    expect(bob.client.ws.readyState).toBe(bob.client.ws.OPEN)
    expect(server.peers()).toHaveLength(2)
  })

  test.each([
    ['terminated (1006)', (ws: WebSocket) => ws.terminate()],
    ['closed with 4000 (heartbeat failed)', (ws: WebSocket) => ws.close(4000)],
  ])('step 6: a socket %s is DROPPED after its grace period, not QUIT', async (_, cut) => {
    const server = await start({ peerTimeout })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    bob.client.send({ t: 'ping' })
    const lastSent = Date.now()
    await bob.client.waitFor('pong')
    cut(bob.client.ws)
    // still online during the grace period
    await sleep(peerTimeout / 2)
    expect(
      server
        .peers()
        .map((p) => p.id)
        .sort(),
    ).toEqual(['ada', 'bob'])
    expect(ada.client.frames.some((f) => f.t === 'left')).toBe(false)
    const left = await ada.client.waitFor('left', { timeoutMs: peerTimeout + 4 * sweep })
    expect(left).toMatchObject({ id: 'bob', reason: 'DROPPED' })
    expect(left.at - lastSent).toBeGreaterThanOrEqual(peerTimeout)
    expect(Date.now() - lastSent).toBeLessThanOrEqual(peerTimeout + 2 * sweep)
  })

  test('step 6: the same session back within the grace period is RESUMED: no left, no joined', async () => {
    const server = await start({ peerTimeout })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' }, presence: { v: 1 } })
    bob.client.ws.terminate()
    await sleep(peerTimeout / 2)
    const again = await join(server, {
      session: bob.session,
      credentials: { id: 'bob' },
      presence: { v: 2 },
    })
    expect(again.welcome.peers.map((p) => p.id)).toEqual(['ada'])
    // changed data is the only thing the others hear
    expect((await ada.client.waitFor('updated')).peer).toMatchObject({ id: 'bob', data: { v: 2 } })
    await ada.client.expectNone('left', peerTimeout + 2 * sweep)
    expect(ada.client.frames.filter((f) => f.t === 'joined')).toHaveLength(1) // bob's first join
    expect(
      server
        .peers()
        .map((p) => p.id)
        .sort(),
    ).toEqual(['ada', 'bob'])
  })

  test('step 6: a still-open older socket of the same session is replaced silently', async () => {
    const server = await start({ peerTimeout })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    await ada.client.waitFor('joined')
    const mark = ada.client.frames.length
    const again = await join(server, { session: bob.session, credentials: { id: 'bob' } })
    expect((await bob.client.closed).code).toBe(1006)
    await ada.client.expectNone('left', peerTimeout + 2 * sweep, { since: mark })
    expect(ada.client.frames.slice(mark)).toEqual([])
    ada.client.send({ t: 'msg', seq: 1, data: 'still there?' })
    expect((await again.client.waitFor('msg')).data).toBe('still there?')
    expect(server.stats()).toMatchObject({ connections: 2, peers: 2 })
  })

  test('step 3: a newcomer takes over an id in its grace period without leave or join', async () => {
    const server = await start({ peerTimeout })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    await ada.client.waitFor('joined')
    const mark = ada.client.frames.length
    bob.client.ws.terminate()
    await sleep(sweep)
    const other = await join(server, { credentials: { id: 'bob' } }) // another session
    expect(other.session).not.toBe(bob.session)
    expect(other.welcome.id).toBe('bob')
    await ada.client.expectNone('left', peerTimeout + 2 * sweep, { since: mark })
    expect(ada.client.frames.slice(mark).some((f) => f.t === 'joined')).toBe(false)
    expect(
      server
        .peers()
        .map((p) => p.id)
        .sort(),
    ).toEqual(['ada', 'bob'])
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
