/**
 * `attachPresence` on a real Socket.IO 4 server in this process on 127.0.0.1, with raw
 * socket.io-client sockets (WebSocket only) speaking the wire of socketioWire.ts: every notice a
 * client receives is checked with the wire's own `readPresenceNotice`.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import { createAdapter } from '@socket.io/redis-adapter'
import { Redis } from 'ioredis'
import { Server, type Socket } from 'socket.io'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import {
  attachPresence,
  type AttachPresenceOptions,
  type Presence,
} from '../../src/adapters/socketioServer.js'
import { quietResources } from '../helpers/resources.js'
import { startRedis, type RedisServer } from '../helpers/redisServer.js'
import { closeRawClients, rawClient, type RawClient } from '../helpers/socketioServers.js'
import { waitFor } from '../helpers/wait.js'

/** A Socket.IO server on a free 127.0.0.1 port with presence attached. */
interface Served {
  readonly io: Server
  readonly url: string
  readonly presence: Presence
  /** Server-side disconnect reasons, in order. */
  readonly reasons: string[]
}

const closers: (() => unknown)[] = []

/** Identifies by `auth.name`, with `auth.data` as presence, as the child servers do. */
const byName = (socket: Socket) => {
  const { name, data } = socket.handshake.auth as { name?: unknown; data?: unknown }
  if (typeof name !== 'string') return null
  return data === undefined ? { id: name } : { id: name, data }
}

async function listen(io: Server, http: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise((resolve) => io.close(() => resolve(undefined))))
  return `http://127.0.0.1:${(http.address() as { port: number }).port}`
}

async function serve(options: Partial<AttachPresenceOptions<Socket>> = {}): Promise<Served> {
  const http = createServer()
  const io = new Server(http)
  const reasons: string[] = []
  io.on('connection', (socket) => socket.on('disconnect', (reason) => reasons.push(reason)))
  const presence = attachPresence(io, { identify: byName, ...options })
  closers.push(() => presence.close())
  return { io, url: await listen(io, http), presence, reasons }
}

/** A raw client once it has its snapshot. */
async function joined(url: string, auth: Record<string, unknown> = {}): Promise<RawClient> {
  const client = rawClient(url, auth)
  await waitFor(() => client.notices.length > 0, 3_000, `the snapshot for ${JSON.stringify(auth)}`)
  return client
}

const logIs = (client: RawClient, expected: string[], what: string) =>
  waitFor(
    () => JSON.stringify(client.log()) === JSON.stringify(expected),
    3_000,
    () => `${what}: ${JSON.stringify(expected)} (got ${JSON.stringify(client.log())})`,
  )

afterEach(async () => {
  closeRawClients()
  for (const close of closers.splice(0).reverse()) await close()
})

describe('attachPresence on one Socket.IO server', () => {
  test('a new client gets the snapshot at once, itself included, then every change in order', async () => {
    const { url } = await serve()
    const ada = await joined(url, { name: 'ada', data: { color: 'red' } })
    expect(ada.notices[0]).toEqual({
      t: 'peers',
      self: 'ada',
      peers: [
        {
          id: 'ada',
          joinedAt: expect.any(Number),
          lastSeenAt: expect.any(Number),
          data: { color: 'red' },
        },
      ],
    })
    const bob = await joined(url, { name: 'bob' })
    expect(bob.log()).toEqual(['peers ada,bob'])
    await logIs(ada, ['peers ada', 'joined bob'], 'ada sees bob join')
    bob.socket.emit('linklight:set-presence', { typing: true })
    await logIs(ada, ['peers ada', 'joined bob', 'updated bob {"typing":true}'], 'bob updated')
    bob.socket.disconnect()
    await logIs(
      ada,
      ['peers ada', 'joined bob', 'updated bob {"typing":true}', 'left bob QUIT'],
      'bob left',
    )
    expect(ada.malformed).toEqual([])
  })

  test('presence.update replaces a peer’s data; the same data again says nothing', async () => {
    const { url, presence } = await serve()
    const ada = await joined(url, { name: 'ada' })
    presence.update('ada', { away: true })
    presence.update('ada', { away: true })
    presence.update('nobody-here', { away: true })
    presence.update('ada', { away: false })
    await logIs(
      ada,
      ['peers ada', 'updated ada {"away":true}', 'updated ada {"away":false}'],
      'updates',
    )
    expect(presence.peers()).toEqual([
      expect.objectContaining({ id: 'ada', data: { away: false } }),
    ])
    expect(() => presence.update('', 1)).toThrow(/peerId/)
    expect(() => presence.update('ada', () => 1)).toThrow(/data holds a function/)
  })

  test('a client that cannot set its presence (clientPresence: false, bad data) changes nothing', async () => {
    const { url } = await serve({ clientPresence: false })
    const ada = await joined(url, { name: 'ada' })
    const bob = await joined(url, { name: 'bob' })
    const answer = await bob.socket.timeout(2_000).emitWithAck('linklight:set-presence', { x: 1 })
    expect(answer).toEqual({ ok: false, error: expect.stringContaining('does not take presence') })
    bob.socket.disconnect()
    // had bob's update gone through, ada would have seen it before bob left
    await logIs(ada, ['peers ada', 'joined bob', 'left bob QUIT'], 'only join and leave')
  })

  test('a client whose link is cut leaves DROPPED; one the server kicks leaves QUIT', async () => {
    const { url, io, reasons } = await serve()
    const ada = await joined(url, { name: 'ada' })
    const bob = rawClient(url, { name: 'bob' }, 'linklight:', { reconnection: false })
    await logIs(ada, ['peers ada', 'joined bob'], 'bob joined')
    // The engine closed under the Socket.IO socket: no disconnect packet, as when the network goes
    bob.socket.io.engine.close()
    await logIs(ada, ['peers ada', 'joined bob', 'left bob DROPPED'], 'bob dropped')
    expect(reasons).toEqual(['transport close'])
    await joined(url, { name: 'cy' })
    for (const socket of io.of('/').sockets.values())
      if (socket.handshake.auth.name === 'cy') socket.disconnect(true)
    await logIs(
      ada,
      ['peers ada', 'joined bob', 'left bob DROPPED', 'joined cy', 'left cy QUIT'],
      'cy kicked',
    )
    expect(reasons).toEqual(['transport close', 'server namespace disconnect'])
  })

  test('multi-tab: a peer stays online while any of its sockets is connected', async () => {
    const { url, presence } = await serve()
    const watcher = await joined(url, { name: 'watcher' })
    const tab1 = await joined(url, { name: 'ada' })
    const tab2 = await joined(url, { name: 'ada' })
    expect(tab2.notices[0]).toEqual(expect.objectContaining({ self: 'ada' }))
    tab1.socket.disconnect()
    await waitFor(
      () => presence.peers().length === 2 && tab1.socket.disconnected,
      3_000,
      'tab 1 gone',
    )
    // a probe after tab 1 went: had ada left, that would have come first
    presence.update('ada', 'probe')
    await logIs(watcher, ['peers watcher', 'joined ada', 'updated ada "probe"'], 'ada still online')
    tab2.socket.disconnect()
    await logIs(
      watcher,
      ['peers watcher', 'joined ada', 'updated ada "probe"', 'left ada QUIT'],
      'ada left with her last tab',
    )
  })

  test('an observer (identify null) gets presence and messages but is not listed', async () => {
    const { url, presence } = await serve()
    const observer = await joined(url, {})
    expect(observer.notices[0]).toEqual({ t: 'peers', self: null, peers: [] })
    const ada = await joined(url, { name: 'ada' })
    expect(ada.log()).toEqual(['peers ada'])
    await logIs(observer, ['peers ', 'joined ada'], 'the observer sees ada')
    expect(await ada.send('m1', 'hello')).toEqual({ ok: true })
    await waitFor(() => observer.messages.length === 1, 3_000, 'the message at the observer')
    expect(observer.messages).toEqual([{ from: 'ada', id: 'm1', data: 'hello' }])
    expect(await observer.send('o1', 'from nobody')).toEqual({ ok: true })
    await waitFor(() => ada.messages.length === 1, 3_000, 'the observer’s message at ada')
    expect(ada.messages).toEqual([{ from: null, id: 'o1', data: 'from nobody' }])
    expect(presence.peers().map((peer) => peer.id)).toEqual(['ada'])
  })

  test('async identify: sends made before it answers wait for it; a rejection keeps the socket out', async () => {
    const { url } = await serve({
      identify: async (socket) => {
        await new Promise((resolve) => setTimeout(resolve, 50))
        if (socket.handshake.auth.name === 'mallory') throw new Error('no')
        return byName(socket)
      },
    })
    const ada = rawClient(url, { name: 'ada' })
    const reply = ada.send('early', 1)
    expect(await reply).toEqual({ ok: true })
    expect(ada.log()).toEqual(['peers ada'])
    const mallory = rawClient(url, { name: 'mallory' })
    expect(await mallory.send('m', 1)).toEqual({
      ok: false,
      error: expect.stringContaining('not in presence'),
    })
    expect(mallory.notices).toEqual([])
  })

  test('hostile payloads are refused with a clear error and harm nobody else', async () => {
    const onMessage: unknown[] = []
    const { url, io } = await serve({ onMessage: (data) => void onMessage.push(data) })
    const ada = await joined(url, { name: 'ada' })
    const eve = await joined(url, { name: 'eve' })
    const refused = async (payload: unknown, problem: RegExp) => {
      const answer = await eve.socket.timeout(2_000).emitWithAck('linklight:send', payload)
      expect(answer).toEqual({ ok: false, error: expect.stringMatching(problem) })
    }
    let deep: unknown = 1
    for (let i = 0; i < 40; i++) deep = [deep]
    await refused('not an object', /needs an id.*send \{ id, data \}/)
    await refused(null, /needs an id/)
    await refused({ id: 'x'.repeat(129), data: 1 }, /1 to 128 characters/)
    await refused({ id: 42, data: 1 }, /needs an id/)
    await refused({ id: 'deep', data: deep }, /nests deeper than 32 levels/)
    await refused({ id: 'huge', data: new Array(20_001).fill(0) }, /more than 20000 values/)
    await refused({ id: 'nodata' }, /JSON cannot carry/)
    await refused({ id: 'binary', data: Buffer.from('hi') }, /not plain data/)
    // no acknowledgement function, or something else where it goes: nothing to answer, no throw
    eve.socket.emit('linklight:send', 'garbage')
    eve.socket.emit('linklight:send', { id: 'noack-bad', data: deep })
    eve.socket.emit('linklight:send', { id: 'ack-not-fn', data: 1 }, 'not a function')
    eve.socket.emit('linklight:set-presence', deep)
    eve.socket.emit('linklight:set-presence', new Array(2_000).fill(0))
    eve.socket.emit('linklight:set-presence')
    eve.socket.emit('linklight:set-presence', { ok: 1 }, 'not a function')
    eve.socket.emit('linklight:presence', { t: 'left', id: 'ada', reason: 'QUIT', at: 1 })
    // answered after everything above was handled: eve's socket is served in order
    expect(await eve.send('sync', 2)).toEqual({ ok: true })
    // and the server still serves everyone
    expect(await ada.send('a1', { text: 'still here' })).toEqual({ ok: true })
    await waitFor(() => eve.messages.length === 1, 3_000, 'ada’s message at eve')
    await waitFor(() => ada.messages.length === 2, 3_000, 'eve’s two messages at ada')
    expect(ada.messages).toEqual([
      { from: 'eve', id: 'ack-not-fn', data: 1 },
      { from: 'eve', id: 'sync', data: 2 },
    ])
    expect(onMessage).toEqual([1, 2, { text: 'still here' }])
    // the only presence change was eve's one valid set-presence
    expect(ada.log()).toEqual(['peers ada', 'joined eve', 'updated eve {"ok":1}'])
    expect(io.of('/').sockets.size).toBe(2)
    const answer = await eve.socket.timeout(2_000).emitWithAck('linklight:set-presence', {
      id: 'x',
      data: [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]],
    })
    expect(answer).toEqual({ ok: false, error: expect.stringContaining('nests deeper than 16') })
  })

  test('a duplicate is acked { duplicate: true } and relayed once, even while the first is in flight', async () => {
    const handled: unknown[] = []
    const { url } = await serve({
      onMessage: async (data) => {
        handled.push(data)
        await new Promise((resolve) => setTimeout(resolve, 30))
      },
    })
    const ada = await joined(url, { name: 'ada' })
    const bob = await joined(url, { name: 'bob' })
    const [first, second] = await Promise.all([ada.send('m1', 'x'), ada.send('m1', 'x')])
    expect([first, second]).toEqual([{ ok: true }, { ok: true, duplicate: true }])
    expect(await ada.send('m1', 'x')).toEqual({ ok: true, duplicate: true })
    // the same id from another sender is another message
    expect(await bob.send('m1', 'y')).toEqual({ ok: true })
    expect(await ada.send('m2', 'z')).toEqual({ ok: true })
    await waitFor(() => bob.messages.length === 2, 3_000, 'm2 at bob')
    expect(bob.messages.map((m) => m.id)).toEqual(['m1', 'm2'])
    expect(handled).toEqual(['x', 'y', 'z'])
    // the sender's own socket is not sent its message back
    expect(ada.messages).toEqual([{ from: 'bob', id: 'm1', data: 'y' }])
  })

  test('onMessage throwing refuses the message: { ok: false }, not relayed, may be sent again', async () => {
    let refuse = true
    const { url } = await serve({
      onMessage: async () => {
        if (refuse) throw new Error('the room is read-only')
      },
    })
    const ada = await joined(url, { name: 'ada' })
    const bob = await joined(url, { name: 'bob' })
    expect(await ada.send('m1', 'x')).toEqual({
      ok: false,
      error: expect.stringContaining('the room is read-only'),
    })
    refuse = false
    expect(await ada.send('m1', 'x')).toEqual({ ok: true })
    await waitFor(() => bob.messages.length === 1, 3_000, 'the resend at bob')
    expect(bob.messages).toEqual([{ from: 'ada', id: 'm1', data: 'x' }])
  })

  test('relay: false passes messages to onMessage only; dedupe: 0 remembers nothing', async () => {
    const handled: unknown[] = []
    const { url } = await serve({ relay: false, dedupe: 0, onMessage: (d) => void handled.push(d) })
    const ada = await joined(url, { name: 'ada' })
    const bob = await joined(url, { name: 'bob' })
    expect(await ada.send('m1', 1)).toEqual({ ok: true })
    expect(await ada.send('m1', 1)).toEqual({ ok: true })
    expect(handled).toEqual([1, 1])
    // a probe through presence, after the sends: bob would have had the messages by then
    ada.socket.emit('linklight:set-presence', 'probe')
    await logIs(bob, ['peers ada,bob', 'updated ada "probe"'], 'the probe')
    expect(bob.messages).toEqual([])
  })

  test('a room and prefix of its own', async () => {
    const { url, io } = await serve({ room: 'lobby', prefix: 'pp/' })
    const ada = rawClient(url, { name: 'ada' }, 'pp/')
    await waitFor(() => ada.notices.length === 1, 3_000, 'the snapshot under pp/')
    expect(ada.log()).toEqual(['peers ada'])
    expect(io.of('/').adapter.rooms.get('lobby')?.size).toBe(1)
  })

  test('on a namespace: only that namespace’s sockets are listed', async () => {
    const http = createServer()
    const io = new Server(http)
    const url = await listen(io, http)
    const presence = attachPresence(io.of('/chat'), { identify: byName })
    closers.push(() => presence.close())
    const elsewhere = rawClient(url, { name: 'elsewhere' })
    const ada = rawClient(`${url}/chat`, { name: 'ada' })
    await logIs(ada, ['peers ada'], 'the snapshot in /chat')
    await waitFor(() => elsewhere.socket.connected, 3_000, 'the main namespace client')
    expect(io.of('/').listenerCount('connection')).toBe(0)
    expect(presence.peers().map((peer) => peer.id)).toEqual(['ada'])
  })

  test('sockets connected before presence was attached are taken in', async () => {
    const http = createServer()
    const io = new Server(http)
    const url = await listen(io, http)
    const ada = rawClient(url, { name: 'ada' })
    await waitFor(() => io.of('/').sockets.size === 1, 3_000, 'ada connected')
    const presence = attachPresence(io, { identify: byName })
    closers.push(() => presence.close())
    await logIs(ada, ['peers ada'], 'the snapshot on attach')
  })

  test('invalid options throw a TypeError naming the option', async () => {
    const io = new Server() // attached to no HTTP server: nothing to close
    const identify = () => null
    expect(() => attachPresence(null as never, { identify })).toThrow(/attachPresence: io must be/)
    expect(() => attachPresence(io, {} as never)).toThrow(/identify must be a function/)
    expect(() => attachPresence(io, { identify, beatInterval: -1 })).toThrow(
      /beatInterval must be a positive number of milliseconds \(got -1\)/,
    )
    expect(() => attachPresence(io, { identify, peerTimeout: 100, beatInterval: 200 })).toThrow(
      /peerTimeout must be more than beatInterval \(200 ms\) \(got 100\)/,
    )
    expect(() => attachPresence(io, { identify, room: '' })).toThrow(/room must be a non-empty/)
    expect(() => attachPresence(io, { identify, dedupe: 1.5 })).toThrow(/dedupe must be an integer/)
    expect(() => attachPresence(io, { identify, relay: 'yes' as never })).toThrow(
      /relay must be true or false/,
    )
    expect(() => attachPresence(io, { identify, onMessage: 1 as never })).toThrow(TypeError)
    expect(io.of('/').listenerCount('connection')).toBe(0)
  })

  test('close() takes off every listener it added; later sockets get no presence', async () => {
    const { url, io, presence } = await serve()
    const nsp = io.of('/')
    const ada = await joined(url, { name: 'ada' })
    const [serverSocket] = nsp.sockets.values()
    expect(serverSocket!.eventNames()).toEqual(
      expect.arrayContaining(['linklight:send', 'linklight:set-presence']),
    )
    presence.close()
    presence.close()
    expect(nsp.listenerCount('connection')).toBe(1) // the test's own reason recorder
    expect(nsp.eventNames().filter((name) => String(name).startsWith('linklight:'))).toEqual([])
    expect(
      serverSocket!.eventNames().filter((name) => String(name).startsWith('linklight:')),
    ).toEqual([])
    expect(serverSocket!.listenerCount('disconnect')).toBe(1) // the recorder's
    // a probe the test's listener sends on connection: the snapshot would have come before it
    nsp.on('connection', (socket) => socket.emit('probe'))
    const bob = rawClient(url, { name: 'bob' })
    await new Promise((resolve) => bob.socket.once('probe', resolve))
    expect(bob.notices).toEqual([])
    expect(ada.log()).toEqual(['peers ada'])
  })
})

describe('attachPresence with a cluster adapter, in this process', () => {
  let redis: RedisServer
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })

  /** A Socket.IO server with the Redis adapter; resolves once its subscriptions are in place. */
  async function clusterServer() {
    const http = createServer()
    const io = new Server(http)
    const pub = new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: false })
    const sub = pub.duplicate()
    io.adapter(createAdapter(pub, sub))
    await Promise.all([pub.ping(), sub.ping()])
    closers.push(() => Promise.all([pub.quit(), sub.quit()]))
    return { io, url: await listen(io, http) }
  }

  test('close() clears its timers and tells the other nodes to forget this one', async () => {
    const a = await clusterServer()
    const b = await clusterServer()
    const presenceB = attachPresence(b.io, {
      identify: byName,
      beatInterval: 50,
      peerTimeout: 10_000,
    })
    closers.push(() => presenceB.close())
    const watcher = await joined(b.url, { name: 'watcher' })
    const before = await quietResources()
    const presenceA = attachPresence(a.io, {
      identify: byName,
      beatInterval: 50,
      peerTimeout: 10_000,
    })
    closers.push(() => presenceA.close())
    expect((await quietResources()).timeouts).toBe(before.timeouts + 2)
    await joined(a.url, { name: 'ada' })
    await logIs(watcher, ['peers watcher', 'joined ada'], 'ada via node A')
    // ada's connection has timers of its own (Engine.IO's heartbeat, both ends)
    const during = await quietResources()
    presenceA.close()
    // the goodbye (within logIs's 3 s), not the 10 s timeout: ada leaves DROPPED, as her link
    // went with the node
    await logIs(watcher, ['peers watcher', 'joined ada', 'left ada DROPPED'], 'node A forgotten')
    const after = await quietResources()
    expect(after.timeouts).toBe(during.timeouts - 2)
    expect(
      a.io
        .of('/')
        .eventNames()
        .filter((name) => String(name).startsWith('linklight:')),
    ).toEqual([])
  })

  test('node messages that fail the checks change nothing', async () => {
    const a = await clusterServer()
    const b = await clusterServer()
    const presenceB = attachPresence(b.io, { identify: byName, beatInterval: 50, peerTimeout: 500 })
    closers.push(() => presenceB.close())
    const watcher = await joined(b.url, { name: 'watcher' })
    const forged = [
      'garbage',
      { t: 'hold', node: 'x', peer: { id: '', joinedAt: 1 } },
      { t: 'hold', node: 'x'.repeat(200), peer: { id: 'ghost', joinedAt: 1 } },
      { t: 'beat', node: 'x', peers: [{ id: 'ghost', joinedAt: 'then' }] },
      { t: 'msg', node: 'x', from: null, id: 'm', relay: true },
      { t: 'set', node: 'x', id: 'watcher', data: [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]] },
    ]
    for (const message of forged) a.io.serverSideEmit('linklight:node', message)
    a.io.serverSideEmit('linklight:node', {
      t: 'hold',
      node: 'probe',
      peer: { id: 'probe', joinedAt: 1 },
    })
    await logIs(watcher, ['peers watcher', 'joined probe'], 'only the valid probe')
    expect(watcher.messages).toEqual([])
  })
})
