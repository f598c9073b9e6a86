/**
 * `fromSocketIO` against a real Socket.IO 4.8 server on 127.0.0.1 (in this process, so a test
 * can stop it, kick a socket or send something hostile): every way the socket goes, as the
 * state and reason the adapter gives, in order.
 */
import type { Server } from 'socket.io'
import { afterEach, describe, expect, it } from 'vitest'
import { figures } from '../helpers/figures.js'
import { activeResources, quietResources } from '../helpers/resources.js'
import { startSilentProxy } from '../helpers/silentProxy.js'
import { holdsWithin, waitFor, withTimeout } from '../helpers/wait.js'
import {
  closeClients,
  sourceFor,
  startSocketIO,
  type InProcessSocketIO,
} from './socketioSupport.js'

let servers: InProcessSocketIO[] = []
afterEach(async () => {
  closeClients()
  await Promise.all(servers.map((server) => server.stop()))
  servers = []
})
const serve = async (...args: Parameters<typeof startSocketIO>) => {
  const server = await startSocketIO(...args)
  servers.push(server)
  return server
}
const TIMEOUT = 5_000
const stateIs = (
  source: { getSnapshot(): { state: string; reason: string | null } },
  state: string,
) =>
  waitFor(() => source.getSnapshot().state === state, {
    timeout: TIMEOUT,
    what: () => `${state} (now ${source.getSnapshot().state}/${source.getSnapshot().reason})`,
  })

describe('fromSocketIO on a real server', () => {
  it('connects: AWAITING_CONNECTION, then OPEN/JOIN_SUCCESS', async () => {
    const server = await serve()
    const { source, seen } = sourceFor(server.url)
    expect(source.getSnapshot().state).toBe('AWAITING_CONNECTION')
    await stateIs(source, 'OPEN')
    expect(seen).toEqual([['OPEN', 'JOIN_SUCCESS']])
    expect(source.getSnapshot()).toMatchObject({ phase: 'CONNECTED', tone: 'good', attempt: 0 })
  })

  it('a stopped server: RECONNECTING with attempts counted, then REJOIN_SUCCESS, restored and missed', async () => {
    const server = await serve()
    const { source, seen } = sourceFor(server.url)
    await stateIs(source, 'OPEN')
    const told: string[] = []
    source.on('restored', () => told.push('restored'))
    source.on('missed', (info) => told.push(`missed ${String(info.count)}`))
    await server.stop()
    await stateIs(source, 'RECONNECTING')
    await waitFor(() => source.getSnapshot().attempt >= 2, {
      timeout: TIMEOUT,
      what: 'two attempts',
    })
    expect(source.getSnapshot().retrying).toBe(true)
    await server.restart()
    await stateIs(source, 'OPEN')
    expect(seen[1]?.[0]).toBe('RECONNECTING')
    expect(seen.at(-1)).toEqual(['OPEN', 'REJOIN_SUCCESS'])
    expect(told).toEqual(['restored', 'missed null'])
    expect(source.recovered).toBe(false)
  })

  it('ping timeout through a silenced link: RECONNECTING/KEEP_ALIVE_TIMEOUT, then back', async () => {
    const server = await serve({ server: { pingInterval: 150, pingTimeout: 150 } })
    const proxy = await startSilentProxy({ port: server.port })
    try {
      const { source, seen } = sourceFor(`http://127.0.0.1:${proxy.port}`)
      await stateIs(source, 'OPEN')
      proxy.silence(true)
      const took = await stateIs(source, 'RECONNECTING')
      expect(seen.at(-1)).toEqual(['RECONNECTING', 'KEEP_ALIVE_TIMEOUT'])
      figures({
        socketioPingTimeoutNoticedMs: Math.round(took),
        pingInterval: 150,
        pingTimeout: 150,
      })
      proxy.silence(false)
      await stateIs(source, 'OPEN')
    } finally {
      await proxy.close()
    }
  })

  it('a cut link the server can resume: REJOIN_SUCCESS with recovered true and nothing missed', async () => {
    const server = await serve({
      server: { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } },
    })
    const proxy = await startSilentProxy({ port: server.port })
    try {
      const { source, seen, socket } = sourceFor(`http://127.0.0.1:${proxy.port}`)
      await stateIs(source, 'OPEN')
      expect(source.recovered).toBe(false)
      // Socket.IO resumes from the offset of the last event received: there must be one.
      const greeted = new Promise((resolve) =>
        socket.once('hello' as 'connect', () => resolve(undefined)),
      )
      server.io.emit('hello', 1)
      await withTimeout(greeted, TIMEOUT, 'the greeting')
      const missed: unknown[] = []
      source.on('missed', (info) => missed.push(info))
      proxy.cut()
      await stateIs(source, 'RECONNECTING')
      await stateIs(source, 'OPEN')
      expect(seen.slice(1)).toEqual([
        ['RECONNECTING', 'INTERRUPTED'],
        ['OPEN', 'REJOIN_SUCCESS'],
      ])
      expect(source.recovered).toBe(true)
      expect(missed).toEqual([])
    } finally {
      await proxy.close()
    }
  })

  it('between attempts nextRetryAt is when the next is expected: the backoff doubling to its cap', async () => {
    const server = await serve()
    const { source } = sourceFor(server.url, { reconnectionDelay: 300, reconnectionDelayMax: 1000 })
    await stateIs(source, 'OPEN')
    const waits: [attempt: number, wait: number][] = []
    let last: number | null = null
    source.subscribe(({ attempt, nextRetryAt }) => {
      if (nextRetryAt !== null && nextRetryAt !== last)
        waits.push([attempt, nextRetryAt - Date.now()])
      last = nextRetryAt
    })
    await server.stop()
    await waitFor(() => waits.length >= 3, { timeout: TIMEOUT, what: 'three waits' })
    // randomizationFactor is 0 in these tests: the waits are exactly 300, 600, then the cap.
    expect(waits.map(([attempt]) => attempt)).toEqual([1, 1, 2])
    const expected = [300, 600, 1000]
    waits.slice(0, 3).forEach(([, wait], i) => {
      expect(wait).toBeLessThanOrEqual(expected[i]!)
      expect(wait).toBeGreaterThan(expected[i]! - 50)
    })
  })

  it('reconnect_failed after reconnectionAttempts: ERROR/MAX_RECONNECT_ATTEMPTS; reconnect() rejoins', async () => {
    const server = await serve()
    const { source, seen, socket } = sourceFor(server.url, { reconnectionAttempts: 2 })
    await stateIs(source, 'OPEN')
    await server.stop()
    await stateIs(source, 'ERROR')
    expect(seen.at(-1)).toEqual(['ERROR', 'MAX_RECONNECT_ATTEMPTS'])
    expect(source.getSnapshot()).toMatchObject({ attempt: 2, tone: 'bad', retrying: false })
    expect(source.getSnapshot().error?.message).toMatch(/reconnectionAttempts/)
    await server.restart()
    // Socket.IO does not try again by itself.
    expect(await holdsWithin(() => socket.connected, 400)).toBe(false)
    source.reconnect()
    expect(source.getSnapshot().reason).toBe('RETRY_REQUESTED')
    await stateIs(source, 'OPEN')
    expect(seen.slice(-2)).toEqual([
      ['RECONNECTING', 'RETRY_REQUESTED'],
      ['OPEN', 'REJOIN_SUCCESS'],
    ])
  })

  it('io server disconnect (a kick): ERROR/REJECTED_BY_SERVER, no retry; reconnect() connects again', async () => {
    const server = await serve()
    const { source, seen, socket } = sourceFor(server.url)
    await stateIs(source, 'OPEN')
    for (const [, kicked] of server.io.of('/').sockets) kicked.disconnect(true)
    await stateIs(source, 'ERROR')
    expect(seen.at(-1)).toEqual(['ERROR', 'REJECTED_BY_SERVER'])
    expect(await holdsWithin(() => socket.connected || socket.active, 300)).toBe(false)
    source.reconnect()
    await stateIs(source, 'OPEN')
    expect(seen.at(-1)).toEqual(['OPEN', 'REJOIN_SUCCESS'])
  })

  it('socket.disconnect() by the app: CLOSED/LEAVE_CHANNEL; socket.connect() is followed', async () => {
    const server = await serve()
    const { source, seen, socket } = sourceFor(server.url)
    await stateIs(source, 'OPEN')
    socket.disconnect()
    expect(seen.at(-1)).toEqual(['CLOSED', 'LEAVE_CHANNEL'])
    socket.connect()
    await stateIs(source, 'OPEN')
  })
})

/** The middleware of a server that wants `auth.token === 'good'`. */
const tokenGate = (io: Server) =>
  io.use((socket, next) => {
    const { token } = socket.handshake.auth as { token?: unknown }
    if (token === 'good') return next()
    if (token === 'expired')
      return next(Object.assign(new Error('token expired'), { data: { reason: 'TOKEN_EXPIRED' } }))
    if (token === 'banned') return next(new Error('you are not welcome here'))
    next(Object.assign(new Error('invalid token'), { data: { reason: 'INVALID_TOKEN' } }))
  })

describe('fromSocketIO: a middleware that refuses', () => {
  it.each([
    ['wrong', 'INVALID_TOKEN'],
    ['expired', 'TOKEN_EXPIRED'],
    ['banned', 'REJECTED_BY_SERVER'],
  ])('token %s: ERROR/%s, no retry', async (token, reason) => {
    const server = await serve({ setup: tokenGate })
    const { source, seen, socket } = sourceFor(server.url, { auth: { token } })
    await stateIs(source, 'ERROR')
    expect(seen).toEqual([['ERROR', reason]])
    expect(source.getSnapshot().error).toMatchObject({ code: reason })
    expect(source.getSnapshot().error?.message).toMatch(/refused/)
    expect(socket.active).toBe(false)
  })

  it('login() with a good token after a refusal: AUTHENTICATING, then OPEN; it resolves', async () => {
    const server = await serve({ setup: tokenGate })
    const { source, seen, socket } = sourceFor(server.url, { auth: { token: 'wrong' } })
    await stateIs(source, 'ERROR')
    await withTimeout(source.login({ token: 'good' }), TIMEOUT, 'login()')
    expect(socket.auth).toEqual({ token: 'good' })
    // Never OPEN before: a first join.
    expect(seen.slice(-2)).toEqual([
      ['AUTHENTICATING', 'AUTHENTICATING'],
      ['OPEN', 'JOIN_SUCCESS'],
    ])
  })

  it('login() on an open socket presents the new credentials on a new handshake', async () => {
    const server = await serve({ setup: tokenGate })
    const { source, seen } = sourceFor(server.url, { auth: { token: 'good' } })
    await stateIs(source, 'OPEN')
    await expect(source.login({ token: 'expired' })).rejects.toThrow(/token expired/)
    expect(seen.slice(-2)).toEqual([
      ['AUTHENTICATING', 'AUTHENTICATING'],
      ['ERROR', 'TOKEN_EXPIRED'],
    ])
    await expect(source.login('a string')).rejects.toThrow(TypeError)
  })
})

describe('fromSocketIO: the outage timeline', () => {
  it('lostAfter: reason LOST and a lost event; giveUpAfter: ERROR/JOIN_FAILED and the socket stops', async () => {
    const server = await serve()
    const { source, seen, socket } = sourceFor(server.url, {}, { lostAfter: 150, giveUpAfter: 500 })
    await stateIs(source, 'OPEN')
    let lost = 0
    source.on('lost', () => lost++)
    await server.stop()
    await stateIs(source, 'ERROR')
    expect(seen.slice(1)).toEqual([
      ['RECONNECTING', 'INTERRUPTED'],
      ['ERROR', 'JOIN_FAILED'],
    ])
    expect(lost).toBe(1)
    expect(socket.active).toBe(false)
  })
})

describe('fromSocketIO: send()', () => {
  it('holds messages until OPEN, and each is acknowledged once', async () => {
    const got: unknown[] = []
    const server = await serve({
      setup: (io) =>
        io.on('connection', (socket) =>
          socket.on(
            'linklight:send',
            (message: { id: string; data: unknown }, ack: (reply: unknown) => void) => {
              got.push(message)
              ack({ ok: true })
            },
          ),
        ),
    })
    const { source } = sourceFor(server.url, { autoConnect: false })
    const sent = [source.send('one'), source.send({ two: 2 })]
    expect(source.getSnapshot().queued).toBe(2)
    source.connect()
    await withTimeout(Promise.all(sent), TIMEOUT, 'the acknowledgements')
    expect(got.map((message) => (message as { data: unknown }).data)).toEqual(['one', { two: 2 }])
    const ids = got.map((message) => (message as { id: string }).id)
    expect(new Set(ids).size).toBe(2)
    expect(source.getSnapshot().queued).toBe(0)
  })

  it('sendEvent and messageEvent: send() to a handler of your own, messages from your own event', async () => {
    const got: unknown[] = []
    const server = await serve({
      setup: (io) =>
        io.on('connection', (socket) => {
          socket.on(
            'chat',
            (message: { id: string; data: unknown }, ack: (reply: unknown) => void) => {
              got.push(message.data)
              ack({ ok: true })
              socket.emit('chat:relay', {
                from: 'server',
                id: message.id,
                data: `echo ${String(message.data)}`,
              })
            },
          )
        }),
    })
    const { source } = sourceFor(server.url, {}, { sendEvent: 'chat', messageEvent: 'chat:relay' })
    const echoes: unknown[] = []
    source.on('message', (data, from) => echoes.push([from, data]))
    await withTimeout(source.send('hi'), TIMEOUT, 'the acknowledgement')
    await waitFor(() => echoes.length === 1, TIMEOUT, 'the echo')
    expect(got).toEqual(['hi'])
    expect(echoes).toEqual([['server', 'echo hi']])
  })

  it('a refusal by the server rejects with its reason; data that is not JSON is refused at once', async () => {
    const server = await serve({
      setup: (io) =>
        io.on('connection', (socket) =>
          socket.on('linklight:send', (_: unknown, ack: (reply: unknown) => void) =>
            ack({ ok: false, error: 'too chatty' }),
          ),
        ),
    })
    const { source } = sourceFor(server.url)
    await stateIs(source, 'OPEN')
    await expect(source.send('x')).rejects.toThrow(/refused the message: too chatty/)
    await expect(source.send(() => 1)).rejects.toThrow(TypeError)
    expect(() => source.setPresence(new Date())).toThrow(TypeError)
  })
})

describe('fromSocketIO: a hostile server', () => {
  it('malformed presence notices and messages are refused with an error event; the source goes on', async () => {
    const server = await serve()
    const { source } = sourceFor(server.url)
    await stateIs(source, 'OPEN')
    const errors: string[] = []
    source.on('error', (error) => errors.push(error.code))
    const messages: unknown[] = []
    source.on('message', (data, from) => messages.push([from, data]))
    const deep = JSON.parse('['.repeat(40) + ']'.repeat(40)) as unknown
    const hostile: [string, unknown][] = [
      ['linklight:presence', null],
      [
        'linklight:presence',
        { t: 'joined', peer: { id: 'x'.repeat(200), joinedAt: 1, lastSeenAt: 1 } },
      ],
      ['linklight:presence', { t: 'peers', self: null, peers: 'everyone' }],
      ['linklight:presence', { t: 'left', id: 'ann', reason: 'BORED', at: 1 }],
      ['linklight:message', { from: 5, id: 'm', data: 1 }],
      ['linklight:message', { from: 'ann', id: 'm', data: deep }],
    ]
    for (const [event, payload] of hostile) server.io.emit(event, payload)
    server.io.emit('linklight:presence', {
      t: 'joined',
      peer: { id: 'ann', joinedAt: 1, lastSeenAt: 2 },
    })
    server.io.emit('linklight:message', { from: 'ann', id: 'm2', data: 'hello' })
    await waitFor(() => messages.length === 1, { timeout: TIMEOUT, what: 'the good message' })
    expect(errors).toEqual(Array(hostile.length).fill('PROTOCOL_ERROR'))
    expect(source.getSnapshot().state).toBe('OPEN')
    expect([...source.getPeers().keys()]).toEqual(['ann'])
    expect(messages).toEqual([['ann', 'hello']])
  })
})

describe('fromSocketIO: close()', () => {
  it('leaves nothing: no listener on the socket or its manager, no timer, no socket; pending sends rejected', async () => {
    const server = await serve()
    const before = await quietResources()
    const { source, socket } = sourceFor(server.url, {}, { lostAfter: 10_000, giveUpAfter: 60_000 })
    await stateIs(source, 'OPEN')
    await server.stop()
    await stateIs(source, 'RECONNECTING')
    const pending = source.send('never')
    source.close()
    await expect(pending).rejects.toThrow(/close\(\)/)
    expect(source.getSnapshot()).toMatchObject({
      state: 'CLOSED',
      reason: 'LEAVE_CHANNEL',
      queued: 0,
    })
    for (const event of [
      'connect',
      'disconnect',
      'connect_error',
      'linklight:presence',
      'linklight:message',
    ])
      expect(socket.listeners(event as 'connect')).toEqual([])
    for (const event of ['reconnect_attempt', 'reconnect_failed'] as const)
      expect(socket.io.listeners(event)).toEqual([])
    expect(socket.active).toBe(false)
    await waitFor(
      () => {
        const now = activeResources()
        return now.timeouts <= before.timeouts && now.sockets <= before.sockets
      },
      {
        timeout: TIMEOUT,
        what: () =>
          `no timer or socket left (${JSON.stringify(activeResources())} vs ${JSON.stringify(before)})`,
      },
    )
  })
})
