/**
 * The reference server against hostile and unlucky clients, one test per defect found by the
 * outside review: deep presence, acks that confirmed lost messages, slow readers, stalled
 * handshakes, oversized ids, borrowed sessions, `authenticate` failing open, and relays lost
 * while a receiver was away.
 */
import { randomUUID } from 'node:crypto'
import { describe, expect, test, vi } from 'vitest'
import type { WebSocket } from 'ws'
import { PROTOCOL_VERSION } from '../../src/core/protocol.js'
import type { Authenticate, ServerMessage } from '../../src/server/index.js'
import { sleep, waitFor } from '../helpers/wait.js'
import { connectRaw, useServers } from './rawClient.js'

const { start, connect, handshake, join } = useServers()

/** JSON text nested `levels` deep, written out directly (serialising it would overflow). */
const nestedText = (levels: number) => `${'{"a":'.repeat(levels)}"core"${'}'.repeat(levels)}`

/** Stops reading the socket: what the server writes piles up in its buffers. */
const stopReading = (ws: WebSocket) =>
  (ws as unknown as { _socket: { pause(): void } })._socket.pause()

describe('defect 1: hostile presence never reaches what is stored or sent', () => {
  test.each([
    ['auth.presence', 'auth'],
    ['a presence frame', 'presence'],
  ])(
    'presence nested 5,000 levels deep in %s is refused; newcomers still log in',
    async (_, where) => {
      const server = await start()
      const ada = await join(server, { credentials: { id: 'ada' } })
      const deep = nestedText(5000) // about 30 KB
      if (where === 'auth') {
        const { client } = await handshake(server)
        client.send(`{"t":"auth","credentials":{"id":"mallory"},"presence":${deep}}`)
        const error = await client.waitFor('error')
        expect(error).toMatchObject({ code: 'BAD_FRAME' })
        expect(error.message).toMatch(/deeper than 64 levels/)
      } else {
        const mallory = await join(server, { credentials: { id: 'mallory' } })
        mallory.client.send(`{"t":"presence","data":${deep}}`)
        expect((await mallory.client.waitFor('error')).message).toMatch(/deeper than 64 levels/)
      }
      const bob = await join(server, { credentials: { id: 'bob' } })
      expect(bob.welcome.peers.map((p) => p.id)).toContain('ada')
      await ada.client.waitFor('joined', { where: (f) => f.peer.id === 'bob' })
    },
  )

  test('presence that fits a frame but nests too deep for a batch, or is too large, is refused', async () => {
    const server = await start({ maxPresenceBytes: 256 })
    const { client } = await handshake(server)
    client.send({
      t: 'auth',
      credentials: { id: 'deep' },
      presence: JSON.parse(`${'['.repeat(62)}${']'.repeat(62)}`) as unknown,
    })
    expect(await client.waitFor('rejected')).toMatchObject({
      reason: 'REJECTED',
      message: 'presence data may nest at most 60 levels',
    })
    const ada = await join(server, { credentials: { id: 'ada' } })
    ada.client.send({ t: 'presence', data: 'x'.repeat(300) })
    expect((await ada.client.waitFor('error')).message).toBe(
      'presence data is limited to 256 bytes of JSON (got 302); it was not applied',
    )
    expect(server.peers()[0]).not.toHaveProperty('data')
  })

  test.each([
    [
      'cyclic',
      () => {
        const data: Record<string, unknown> = {}
        data.self = data
        return data
      },
    ],
    ['BigInt', () => ({ big: 10n })],
    ['5,000 levels deep', () => JSON.parse(nestedText(5000)) as unknown],
  ])(
    'authenticate returning %s data: that login is refused and logged, the next one works',
    async (_, data) => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
      const authenticate: Authenticate = (credentials) => {
        const id = (credentials as { id: string }).id
        return id === 'odd' ? { id, data: data() } : { id }
      }
      const server = await start({ authenticate })
      const { client } = await handshake(server)
      client.send({ t: 'auth', credentials: { id: 'odd' } })
      expect(await client.waitFor('rejected')).toMatchObject({ reason: 'REJECTED' })
      expect(logged).toHaveBeenCalled()
      logged.mockRestore()
      const ada = await join(server, { credentials: { id: 'ada' } })
      expect(ada.welcome.peers).toEqual([])
    },
  )
})

describe('defect 2: an ack means accepted, and only the next message in order is', () => {
  test('blackhole on, send two, blackhole off, send one: the server asks for a resend, then acks all three', async () => {
    const seqs: number[] = []
    const server = await start({ onMessage: (m: ServerMessage) => seqs.push(m.seq) })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    server.faults.blackhole(true)
    ada.client.send({ t: 'msg', seq: 1, data: 'one' })
    ada.client.send({ t: 'msg', seq: 2, data: 'two' })
    await sleep(50)
    server.faults.blackhole(false)
    ada.client.send({ t: 'msg', seq: 3, data: 'three' })
    expect(await ada.client.waitFor('resend')).toEqual({ t: 'resend', after: 0 })
    // Gaps after the first are not asked again: one request per gap.
    ada.client.send({ t: 'msg', seq: 4, data: 'four' })
    await ada.client.expectNone('ack', 100)
    expect(ada.client.frames.filter((f) => f.t === 'resend')).toHaveLength(1)
    expect(seqs).toEqual([])

    for (const [seq, data] of [
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
      [4, 'four'],
    ] as const)
      ada.client.send({ t: 'msg', seq, data })
    await ada.client.waitFor('ack', { where: (a) => a.seq === 4 })
    expect(seqs).toEqual([1, 2, 3, 4])
    await waitFor(() => bob.client.frames.filter((f) => f.t === 'msg').length === 4, 1000, 'relays')
    expect(bob.client.frames.flatMap((f) => (f.t === 'msg' ? [f.data] : []))).toEqual([
      'one',
      'two',
      'three',
      'four',
    ])
  })
})

describe('defect 4: a reader that falls behind is cut, and a flood can be limited', () => {
  test('a peer that stops reading but keeps its socket is closed (4003) once its buffer passes maxBufferedBytes', async () => {
    const logged = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const server = await start({ maxBufferedBytes: 64 * 1024, peerTimeout: 60_000 })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const slow = await join(server, { credentials: { id: 'slow' } })
    stopReading(slow.client.ws)
    // More than loopback's kernel buffers hold, so the rest waits in the server's.
    const payload = 'x'.repeat(8192)
    for (let seq = 1; seq <= 2000; seq++) ada.client.send({ t: 'msg', seq, data: payload })
    await ada.client.waitFor('ack', { where: (a) => a.seq === 2000, timeoutMs: 10_000 })
    await waitFor(() => server.stats().connections === 1, 3000, 'the slow reader to be cut')
    expect(logged.mock.calls.flat().join(' ')).toMatch(
      /cut peer "slow" with 4003: more than 65536 bytes waited/,
    )
    logged.mockRestore()
    // Cut like a network failure: it keeps its place for its grace period.
    expect(server.peers().map((p) => p.id)).toEqual(['ada', 'slow'])
    expect(ada.client.ws.readyState).toBe(ada.client.ws.OPEN)
  })

  test('a server stalled by its own work cuts nobody for the silence it caused', async () => {
    const server = await start({ peerTimeout: 200 })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    // Block the event loop well past peerTimeout, as a burst of relays to a big room can.
    const until = Date.now() + 1200
    while (Date.now() < until);
    ada.client.send({ t: 'ping' })
    bob.client.send({ t: 'ping' })
    await sleep(150) // a few sweeps, on time again
    expect(server.stats().connections).toBe(2)
    expect(ada.client.frames.some((f) => f.t === 'left')).toBe(false)
  })

  test('maxFramesPerSecond: a socket over the limit gets RATE_LIMITED and close 4004; the others carry on', async () => {
    const logged = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const server = await start({ maxFramesPerSecond: 50 })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const flood = await join(server, { credentials: { id: 'flood' } })
    for (let i = 0; i < 200; i++) flood.client.send({ t: 'ping' })
    expect(
      await flood.client.waitFor('error', { where: (e) => e.code === 'RATE_LIMITED' }),
    ).toMatchObject({
      fatal: true,
      message: 'more than 50 frames per second; reconnect and send slower',
    })
    expect((await flood.client.closed).code).toBe(4004)
    expect(logged).toHaveBeenCalledWith(
      'linklight server: closed peer "flood" with 4004 (RATE_LIMITED): more than 50 frames per second; reconnect and send slower',
    )
    logged.mockRestore()
    ada.client.send({ t: 'ping' })
    await ada.client.waitFor('pong')
  })
})

describe('defect 5: a handshake has a deadline, and the server a connection cap', () => {
  test.each([
    ['never sends hello', false],
    ['sends hello but never auth', true],
  ])(
    'a socket that %s is closed with 4002 after handshakeTimeout, even while it answers pings',
    async (_, hello) => {
      const logged = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const server = await start({ handshakeTimeout: 300, peerTimeout: 60_000 })
      const client = await connect(server.url) // ws answers protocol pings by itself
      if (hello)
        client.send({ t: 'hello', v: PROTOCOL_VERSION, url: server.url, session: randomUUID() })
      const started = Date.now()
      const { code } = await client.closed
      expect(code).toBe(4002)
      // Not before the deadline; the upper bound only says "it does come" on a noisy machine.
      expect(Date.now() - started).toBeGreaterThanOrEqual(250)
      expect(Date.now() - started).toBeLessThan(5000)
      expect(client.frames.at(-1)).toMatchObject({
        t: 'error',
        code: 'HANDSHAKE_TIMEOUT',
        fatal: true,
      })
      await waitFor(() => server.stats().connections === 0, 1000, 'the server to let go')
      expect(logged.mock.calls.flat().join(' ')).toMatch(
        /closed an unauthenticated socket with 4002 \(HANDSHAKE_TIMEOUT\)/,
      )
      logged.mockRestore()
    },
  )

  test('an admitted socket is not held to the handshake deadline', async () => {
    const server = await start({ handshakeTimeout: 200 })
    const ada = await join(server, { credentials: { id: 'ada' } })
    await sleep(500)
    ada.client.send({ t: 'ping' })
    await ada.client.waitFor('pong')
  })

  test('maxConnections: the next upgrade is answered with HTTP 503; a freed place is taken again', async () => {
    const logged = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const server = await start({ maxConnections: 2 })
    const first = await connect(server.url)
    await connect(server.url)
    await expect(connectRaw(server.url)).rejects.toThrow('HTTP 503')
    first.ws.terminate()
    await waitFor(() => server.stats().connections === 1, 1000, 'the place to be freed')
    expect((await connect(server.url)).ws.readyState).toBe(1)
    expect(logged).toHaveBeenCalledWith(
      'linklight server: refused a connection: maxConnections (2) are open',
    )
    logged.mockRestore()
  })
})

describe('defect 6: session records are small and expire', () => {
  test('an id longer than maxIdLength is refused at auth, and no record is kept for it', async () => {
    const logged = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const server = await start()
    const { client } = await handshake(server)
    client.send({ t: 'auth', credentials: { id: 'x'.repeat(129) } })
    expect(await client.waitFor('rejected')).toMatchObject({
      reason: 'REJECTED',
      message: 'peer ids are limited to 128 characters (got 129)',
    })
    expect(server.stats().sessions).toBe(0)
    expect(logged).toHaveBeenCalledWith(
      'linklight server: refused an id of 129 characters (maxIdLength 128)',
    )
    logged.mockRestore()
  })

  test('a session id with characters outside visible ASCII is refused at hello', async () => {
    const server = await start()
    const client = await connect(server.url)
    client.send({ t: 'hello', v: PROTOCOL_VERSION, url: server.url, session: 'a\nb' })
    expect((await client.waitFor('error')).message).toMatch(/visible ASCII/)
  })

  test('a record is forgotten sessionTimeout after its peer left', async () => {
    const server = await start({ sessionTimeout: 100, peerTimeout: 200 })
    const ada = await join(server, { credentials: { id: 'ada' } })
    expect(server.stats().sessions).toBe(1)
    ada.client.send({ t: 'bye' })
    await waitFor(() => server.stats().sessions === 0, 1000, 'the record to expire')
    expect(server.stats()).toMatchObject({ peers: 0, sessions: 0 })
  })
})

describe('defect 8: authenticate fails closed', () => {
  test.each([
    ['an unknown reason with an id', { reject: 'BANNED_USER', id: 'x' }],
    ['reject: undefined with an id', { reject: undefined, id: 'x' }],
    ['an empty id', { id: '' }],
    ['an id that is not a string', { id: 42 }],
    ['null', null],
    ['true', true],
  ])('%s → rejected, never admitted', async (_, result) => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const server = await start({ authenticate: (() => result) as unknown as Authenticate })
    const { client } = await handshake(server)
    client.send({ t: 'auth', credentials: {} })
    expect(await client.waitFor('rejected')).toMatchObject({ reason: 'REJECTED' })
    expect((await client.closed).code).toBe(4001)
    expect(server.peers()).toEqual([])
    logged.mockRestore()
  })
})

describe('defect 9: relays a receiver missed while away are replayed, or it is told', () => {
  test('back within the grace period: every relay it missed, in order, after welcome', async () => {
    const server = await start({ peerTimeout: 5000 })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    ada.client.send({ t: 'msg', seq: 1, data: 'before' })
    await bob.client.waitFor('msg')
    bob.client.ws.terminate()
    await waitFor(() => server.stats().connections === 1, 1000, 'the drop to be seen')
    for (let seq = 2; seq <= 4; seq++) ada.client.send({ t: 'msg', seq, data: `away ${seq}` })
    await ada.client.waitFor('ack', { where: (a) => a.seq === 4 })

    const back = await connect(server.url)
    await back.waitFor('challenge')
    back.send({
      t: 'hello',
      v: PROTOCOL_VERSION,
      url: server.url,
      session: bob.session,
      received: 1,
    })
    await back.waitFor('accept')
    back.send({ t: 'auth', credentials: { id: 'bob' } })
    await waitFor(() => back.frames.filter((f) => f.t === 'msg').length === 3, 1000, 'the replay')
    expect(back.frames.slice(2).map((f) => f.t)).toEqual(['welcome', 'msg', 'msg', 'msg'])
    expect(back.frames.filter((f) => f.t === 'msg')).toEqual(
      [2, 3, 4].map((n) => ({
        t: 'msg',
        n,
        from: 'ada',
        data: `away ${n}`,
      })),
    )
    expect(back.frames.some((f) => f.t === 'missed')).toBe(false)
  })

  test('more than resumeBacklog missed: told how many are gone, then given the rest', async () => {
    const server = await start({ resumeBacklog: 2 })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    bob.client.ws.terminate()
    for (let seq = 1; seq <= 5; seq++) ada.client.send({ t: 'msg', seq, data: seq })
    await ada.client.waitFor('ack', { where: (a) => a.seq === 5 })
    const back = await join(server, { session: bob.session, credentials: { id: 'bob' } })
    await waitFor(
      () => back.client.frames.filter((f) => f.t === 'msg').length === 2,
      1000,
      'replay',
    )
    expect(back.client.frames.slice(3).map((f) => (f.t === 'msg' ? f.n : f))).toEqual([
      { t: 'missed', upTo: 3, count: 3 },
      4,
      5,
    ])
  })

  test('back after the grace period: told how many relays were sent meanwhile', async () => {
    const server = await start({ peerTimeout: 150 })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    bob.client.ws.terminate()
    await ada.client.waitFor('left', { timeoutMs: 1000 })
    for (let seq = 1; seq <= 3; seq++) ada.client.send({ t: 'msg', seq, data: seq })
    await ada.client.waitFor('ack', { where: (a) => a.seq === 3 })
    const back = await join(server, { session: bob.session, credentials: { id: 'bob' } })
    expect(await back.client.waitFor('missed')).toEqual({ t: 'missed', upTo: 0, count: 3 })
  })

  test('a live socket that skipped relays asks for a replay and gets it', async () => {
    const server = await start()
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    for (let seq = 1; seq <= 3; seq++) ada.client.send({ t: 'msg', seq, data: seq })
    await waitFor(() => bob.client.frames.filter((f) => f.t === 'msg').length === 3, 1000, 'relays')
    const mark = bob.client.frames.length
    bob.client.send({ t: 'replay', after: 1 })
    await waitFor(() => bob.client.frames.length === mark + 2, 1000, 'the replay')
    expect(bob.client.frames.slice(mark).map((f) => (f.t === 'msg' ? f.n : f.t))).toEqual([2, 3])
  })
})
