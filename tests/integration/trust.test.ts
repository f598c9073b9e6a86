/**
 * linklight's client against lost messages and hostile servers, on real sockets: what the
 * outside review broke (acks that confirmed lost messages, a frame that crashed or wedged the
 * client, guessable sessions, relays lost while a receiver was away) and what holds now.
 */
import { describe, expect, test } from 'vitest'
import { WebSocket as WsSocket, WebSocketServer, type WebSocket } from 'ws'
import { linklightProtocol, PROTOCOL_VERSION, type Protocol } from '../../src/core/protocol.js'
import { createConnectionStore } from '../../src/index.js'
import type { ServerMessage } from '../../src/server/index.js'
import { sleep, waitFor } from '../helpers/wait.js'
import { useCrashWatch, useIntegration, waitForState, type Tracked } from './support.js'

const { startServer, openClient, track } = useIntegration()

const crashes = useCrashWatch()

const fast = {
  heartbeatInterval: 300,
  heartbeatFailure: 'reconnect',
  maxReconnectAttempts: Infinity,
  reconnectIntervalIncrement: 50,
  connectTimeout: 1000,
} as const

/** Messages a tracked client received, in order. */
function inbox(t: Tracked): unknown[] {
  const seen: unknown[] = []
  t.client.on('message', (data) => seen.push(data))
  return seen
}

/**
 * A server of our own that takes any client through the handshake to `welcome` (the one
 * `welcomeFor(n)` gives for its n-th socket) and hands each socket to `then`.
 */
async function hostileServer(
  welcomeFor: (n: number) => string,
  then: (ws: WebSocket, n: number) => void = () => {},
) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise((resolve) => wss.once('listening', resolve))
  let sockets = 0
  wss.on('connection', (ws) => {
    const n = ++sockets
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { t: string }
      if (frame.t === 'hello') ws.send('{"t":"accept"}')
      if (frame.t === 'auth') {
        ws.send(welcomeFor(n))
        then(ws, n)
      }
      if (frame.t === 'ping') ws.send('{"t":"pong"}')
    })
    ws.send('{"t":"challenge"}')
  })
  const { port } = wss.address() as { port: number }
  return {
    url: `ws://127.0.0.1:${port}`,
    wss,
    close: () => {
      for (const ws of wss.clients) ws.terminate()
      return new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }
}

/**
 * A WebSocket constructor for one client whose network can be taken away: while `offline`,
 * every new socket dials a port nobody listens on. `cut()` also breaks the current socket.
 */
function gatedNetwork() {
  const net = {
    offline: false,
    sockets: [] as WebSocket[],
    WebSocket: class extends WsSocket {
      constructor(address: string) {
        super(net.offline ? 'ws://127.0.0.1:1' : address)
        net.sockets.push(this)
      }
    },
    cut() {
      net.offline = true
      net.sockets.at(-1)?.terminate()
    },
  }
  return net
}

const deepText = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`

describe('defect 2: send() resolves only for what the server accepted', () => {
  test('blackhole on, send two, blackhole off, send one: all three resolve and all three arrive, in order', async () => {
    const accepted: unknown[] = []
    const server = await startServer({
      onMessage: (m: ServerMessage) => accepted.push(m.data),
    })
    const ada = await openClient(server, 'ada', fast)
    const bob = await openClient(server, 'bob', fast)
    const got = inbox(bob)
    server.faults.blackhole(true)
    const first = [ada.client.send('one'), ada.client.send('two')]
    await sleep(50)
    server.faults.blackhole(false)
    const third = ada.client.send('three')
    await Promise.all([...first, third])
    expect(accepted).toEqual(['one', 'two', 'three'])
    await waitFor(
      () => got.length === 3,
      2000,
      () => `bob to get 3 (has ${JSON.stringify(got)})`,
    )
    expect(got).toEqual(['one', 'two', 'three'])
    expect(crashes).toEqual([])
  })
})

describe('defect 3: no frame crashes or wedges the client', () => {
  test('a welcome repeating a known peer with data 5,000 levels deep: an error event, then a sane welcome opens again', async () => {
    const peer = '{"id":"bob","joinedAt":1,"lastSeenAt":2}'
    const deepPeer = `{"id":"bob","joinedAt":1,"lastSeenAt":2,"data":${deepText(5000)}}`
    const hostile = await hostileServer(
      (n) => `{"t":"welcome","id":"ada","lastSeq":0,"peers":[${n === 2 ? deepPeer : peer}]}`,
      (ws, n) => {
        if (n === 1) setTimeout(() => ws.terminate(), 50)
      },
    )
    try {
      const t = track(hostile.url, fast)
      await t.client.login({ id: 'ada' })
      await waitFor(() => t.errors.some((e) => e.code === 'PROTOCOL_ERROR'), 3000, 'an error')
      expect(t.errors.find((e) => e.code === 'PROTOCOL_ERROR')?.message).toMatch(
        /deeper than 64 levels/,
      )
      // The refused welcome leaves that attempt to its connect timeout; the third socket opens.
      await waitFor(() => t.sockets.length === 3, 5000, 'a third socket')
      await waitForState(t, 'OPEN', 3000)
      expect(t.client.getPeers().get('bob')).toMatchObject({ id: 'bob', online: true })
      expect(crashes).toEqual([])
      t.client.close()
      await waitFor(() => hostile.wss.clients.size === 0, 2000, 'the hostile server to be left')
    } finally {
      await hostile.close()
    }
  })

  test('a frame that makes its handler throw becomes PROTOCOL_ERROR and a fresh link, never a crash', async () => {
    const server = await startServer()
    // A codec that lets a malformed batch through, as a buggy or hostile one might.
    const broken: Protocol = {
      ...linklightProtocol,
      decode: (raw) =>
        raw === 'poison' ? ({ t: 'batch', frames: null } as never) : linklightProtocol.decode(raw),
    }
    const t = await openClient(server, 'ada', { ...fast, protocol: broken })
    const bob = await openClient(server, 'bob', fast)
    const got = inbox(t)
    expect(server.faults.sendRaw('poison', 'ada')).toBe(1)
    await waitFor(() => t.sockets.length === 2, 2000, 'the link to be re-established')
    expect(t.errors.at(0)).toMatchObject({
      code: 'PROTOCOL_ERROR',
      message: expect.stringMatching(/could not handle/),
    })
    await waitForState(t, 'OPEN', 3000)
    await bob.client.send('still here')
    await waitFor(() => got.length === 1, 2000, 'the next message')
    expect(got).toEqual(['still here'])
    expect(crashes).toEqual([])
  })
})

describe('defect 7: sessions are 128-bit secrets', () => {
  test('each client session is 32 hex digits from a CSPRNG, new after close()', async () => {
    const sessions: string[] = []
    const hostile = await hostileServer(() => '{"t":"welcome","id":"x","lastSeq":0,"peers":[]}')
    hostile.wss.on('connection', (ws) =>
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { t: string; session?: string; v?: number }
        if (frame.t === 'hello') {
          expect(frame.v).toBe(PROTOCOL_VERSION)
          sessions.push(frame.session ?? '')
        }
      }),
    )
    try {
      const a = track(hostile.url, fast)
      const b = track(hostile.url, fast)
      void a.client.login()
      void b.client.login()
      await waitForState(a, 'OPEN', 3000)
      await waitForState(b, 'OPEN', 3000)
      a.client.close()
      a.client.connect()
      await waitFor(() => sessions.length === 3, 2000, 'three hellos')
      for (const session of sessions) expect(session).toMatch(/^[0-9a-f]{32}$/)
      expect(new Set(sessions).size).toBe(3)
      a.client.close()
      b.client.close()
    } finally {
      await hostile.close()
    }
  })
})

describe('defect 9: a receiver that drops gets what was sent meanwhile, once and in order', () => {
  test('its socket cut, five messages sent while it is away: all five arrive after it is back', async () => {
    const server = await startServer({ peerTimeout: 5000 })
    const ada = await openClient(server, 'ada', fast)
    const net = gatedNetwork()
    const bob = await openClient(server, 'bob', { ...fast, WebSocket: net.WebSocket })
    const got = inbox(bob)
    await ada.client.send('before')
    await waitFor(() => got.length === 1, 2000, 'the first message')
    net.cut()
    await waitFor(() => server.stats().connections === 1, 2000, 'the server to see the drop')
    await Promise.all([1, 2, 3, 4, 5].map((i) => ada.client.send(`away ${i}`)))
    expect(got).toHaveLength(1)
    net.offline = false
    await waitFor(
      () => got.length === 6,
      5000,
      () => `bob to catch up (has ${got.length})`,
    )
    await sleep(100)
    expect(got).toEqual(['before', 'away 1', 'away 2', 'away 3', 'away 4', 'away 5'])
    expect(crashes).toEqual([])
  })

  test('more than the server keeps: a missed event with the count, then the rest', async () => {
    const server = await startServer({ resumeBacklog: 2 })
    const ada = await openClient(server, 'ada', fast)
    const net = gatedNetwork()
    const bob = await openClient(server, 'bob', { ...fast, WebSocket: net.WebSocket })
    const got = inbox(bob)
    const missed: unknown[] = []
    bob.client.on('missed', (info) => missed.push(info))
    // The store passes it on, for useConnectionEvent('missed').
    const store = createConnectionStore(bob.client)
    const unsubscribe = store.subscribe(() => {})
    const storeMissed: unknown[] = []
    store.on('missed', (info) => storeMissed.push(info))
    net.cut()
    await waitFor(() => server.stats().connections === 1, 2000, 'the server to see the drop')
    await Promise.all([1, 2, 3, 4, 5].map((i) => ada.client.send(i)))
    net.offline = false
    await waitFor(() => got.length === 2, 5000, 'the kept two')
    expect(missed).toEqual([{ count: 3 }])
    expect(storeMissed).toEqual([{ count: 3 }])
    expect(got).toEqual([4, 5])
    unsubscribe()
  })

  test('a relay that skips ahead on a live link: one replay request, nothing delivered twice or out of order', async () => {
    const server = await startServer()
    const ada = await openClient(server, 'ada', fast)
    const bob = await openClient(server, 'bob', fast)
    const got = inbox(bob)
    await ada.client.send(1)
    await waitFor(() => got.length === 1, 2000, 'the first relay')
    const asked: string[] = []
    const socket = bob.sockets.at(-1)!
    const send = socket.send.bind(socket) as (data: string) => void
    socket.send = ((data: string) => {
      if (data.includes('"replay"')) asked.push(data)
      send(data)
    }) as never
    server.faults.sendRaw('{"t":"msg","n":9,"from":"ada","data":"forged"}', 'bob')
    server.faults.sendRaw('{"t":"msg","n":9,"from":"ada","data":"forged"}', 'bob')
    await ada.client.send(2)
    await waitFor(() => got.length === 2, 2000, 'the next relay')
    await sleep(50)
    expect(asked).toEqual(['{"t":"replay","after":1}'])
    expect(got).toEqual([1, 2])
  })
})
