import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/core/client.js'
import { PROTOCOL_VERSION } from '../../src/core/protocol.js'
import { setup } from '../helpers/setup.js'

describe('lifecycle: states and the public surface', () => {
  it('starts CLOSED and moves to AWAITING_CONNECTION at once unless lazyConnect', () => {
    const eager = setup({ lazyConnect: false })
    expect(eager.client.getSnapshot()).toMatchObject({
      state: 'AWAITING_CONNECTION',
      previousState: 'CLOSED',
      reason: 'CONNECTING',
    })
    const lazy = setup({ lazyConnect: true })
    expect(lazy.client.getSnapshot()).toMatchObject({
      state: 'CLOSED',
      previousState: null,
      reason: null,
      phase: 'DISCONNECTED',
    })
    lazy.fake.advance(60_000)
    expect(lazy.net.sockets).toHaveLength(0)
  })

  it('without credentials the handshake stops in AWAITING_AUTHENTICATION, login() carries it to OPEN', async () => {
    const { fake, client, log, net } = setup()
    client.connect()
    fake.advance(0)
    expect(log).toEqual([
      [0, 'AWAITING_CONNECTION', 'CONNECTING'],
      [0, 'CHALLENGING', 'CHALLENGE'],
      [0, 'AWAITING_AUTHENTICATION', 'AWAITING_LOGIN'],
    ])
    const done = client.login({ token: 't' })
    expect(client.getConnectionState()).toBe('AUTHENTICATING')
    fake.advance(0)
    await expect(done).resolves.toBeUndefined()
    expect(net.framesOf('auth')).toEqual([{ t: 'auth', credentials: { token: 't' } }])
  })

  it('login() before the socket opens: credentials go out as soon as the server accepts', async () => {
    const { fake, client, log, net } = setup()
    const done = client.login({ token: 'early' })
    expect(client.getConnectionState()).toBe('AWAITING_CONNECTION')
    fake.advance(0)
    await expect(done).resolves.toBeUndefined()
    expect(log.map(([, state]) => state)).not.toContain('AWAITING_AUTHENTICATION')
    expect(net.framesOf('auth')).toHaveLength(1)
    expect(net.framesOf('hello')[0]).toMatchObject({
      v: PROTOCOL_VERSION,
      url: 'ws://127.0.0.1:1/',
    })
  })

  it('autoLogin logs in without login()', () => {
    const { fake, client } = setup({ autoLogin: true })
    client.connect()
    fake.advance(0)
    expect(client.getConnectionState()).toBe('OPEN')
  })

  it('re-authenticates after a reconnect without the app doing anything', () => {
    const { fake, net, client, open } = setup()
    client.setPresence({ status: 'busy' })
    open({ token: 'secret' })
    net.killAll()
    fake.advance(0)
    expect(client.getSnapshot()).toMatchObject({ state: 'OPEN', reason: 'REJOIN_SUCCESS' })
    const auths = net.received.filter((r) => r.frame.t === 'auth')
    expect(auths).toHaveLength(2)
    expect(auths[1]!.socket).toBe(net.sockets[1])
    expect(auths[1]!.frame).toEqual({
      t: 'auth',
      credentials: { token: 'secret' },
      presence: { status: 'busy' },
    })
    // the same session, so the server can drop resent duplicates
    expect(net.framesOf('hello')[1]!.session).toBe(net.framesOf('hello')[0]!.session)
  })

  it('login() while OPEN with other credentials is refused; with the same ones it resolves', async () => {
    const { client, open } = setup()
    await open({ id: 'a' })
    await expect(client.login({ id: 'a' })).resolves.toBeUndefined()
    await expect(client.login({ id: 'b' })).rejects.toThrow(/already logged in.*close\(\)/)
  })

  it.each([
    ['INVALID_TOKEN', 'INVALID_TOKEN', 8],
    ['TOKEN_EXPIRED', 'TOKEN_EXPIRED', 9],
    ['BANNED', 'BANNED_BY_SERVER', 3],
    ['REJECTED', 'REJECTED_BY_SERVER', 10],
  ])(
    'auth rejected (%s) → ERROR/%s, login() rejects, no further attempts',
    async (sent, reason) => {
      const { fake, net, client, log } = setup()
      net.rejectWith = { reason: sent, message: 'nope' }
      const done = client.login({ token: 'bad' })
      fake.advance(0)
      await expect(done).rejects.toThrow(/nope/)
      expect(log.slice(-1)).toEqual([[0, 'ERROR', reason]])
      expect(client.getSnapshot()).toMatchObject({
        tone: 'bad',
        retrying: false,
        error: { code: reason, message: 'nope' },
      })
      fake.advance(3_600_000)
      expect(net.sockets).toHaveLength(1)
      expect(fake.pending()).toBe(0)
    },
  )

  it('login() again from ERROR starts over', async () => {
    const { fake, net, client } = setup()
    net.rejectWith = { reason: 'TOKEN_EXPIRED' }
    client.login({ token: 'old' })
    fake.advance(0)
    net.rejectWith = null
    const done = client.login({ token: 'new' })
    expect(client.getSnapshot()).toMatchObject({
      state: 'AWAITING_CONNECTION',
      reason: 'CONNECTING',
    })
    fake.advance(0)
    await expect(done).resolves.toBeUndefined()
    expect(net.framesOf('auth').map((f) => f.credentials)).toEqual([
      { token: 'old' },
      { token: 'new' },
    ])
  })

  it('redirect during CHALLENGING: the client follows it and logs in there', () => {
    const { net, client, log, open } = setup()
    net.redirectTo = 'ws://127.0.0.1:2/'
    open()
    expect(log).toEqual([
      [0, 'AWAITING_CONNECTION', 'CONNECTING'],
      [0, 'CHALLENGING', 'CHALLENGE'],
      [0, 'AWAITING_CONNECTION', 'REDIRECT'],
      [0, 'CHALLENGING', 'CHALLENGE'],
      [0, 'AUTHENTICATING', 'AUTHENTICATING'],
      [0, 'OPEN', 'JOIN_SUCCESS'],
    ])
    expect(net.sockets.map((s) => s.url)).toEqual(['ws://127.0.0.1:1/', 'ws://127.0.0.1:2/'])
    expect(net.sockets[0]!.closedByClient).not.toBeNull()
    expect(client.getConnectionState()).toBe('OPEN')
  })

  it('a server that redirects forever fails the attempt instead of looping', () => {
    const { fake, net, client, log } = setup({ reconnectIntervalIncrement: 1000 })
    net.redirectTo = 'ws://elsewhere.invalid/'
    // every hello names the url it went to, and "elsewhere" redirects again to itself + 1 hop
    let hop = 0
    Object.defineProperty(net, 'redirectTo', { get: () => `ws://127.0.0.1:${10 + hop++}/` })
    client.login({ id: 'me' })
    fake.advance(0)
    expect(log).toContainEqual([0, 'RECONNECTING', 'PROTOCOL_ERROR'])
    expect(client.getSnapshot().error?.message).toMatch(/redirects/)
  })

  it('close() → CLOSED/LEAVE_CHANNEL: bye and a clean close, no further attempts, no pending timers', () => {
    const { fake, net, client, open, log } = setup({ heartbeatInterval: 1000 })
    open()
    fake.advance(500)
    client.close()
    expect(log.slice(-1)).toEqual([[500, 'CLOSED', 'LEAVE_CHANNEL']])
    expect(net.sockets[0]!.sent.slice(-1)).toEqual(['{"t":"bye"}'])
    expect(net.sockets[0]!.closedByClient).toEqual({ code: 1000, reason: 'closed by client' })
    expect(net.sockets[0]!.onmessage).toBeNull()
    expect(fake.pending()).toBe(0)
    fake.advance(3_600_000)
    expect(net.sockets).toHaveLength(1)
  })

  it('close() while waiting to retry cancels the retry: no pending timers', () => {
    const { fake, net, client, open } = setup({ ...{ lostAfter: 15_000, giveUpAfter: 60_000 } })
    open()
    net.up = false
    net.killAll()
    fake.advance(100)
    expect(fake.pending()).toBeGreaterThan(0) // retry, lost and giveUp are armed
    client.close()
    expect(fake.pending()).toBe(0)
    expect(client.getSnapshot()).toMatchObject({
      state: 'CLOSED',
      attempt: 0,
      nextRetryAt: null,
      retrying: false,
    })
  })

  it('a handler that calls back into the client sees consistent transitions', () => {
    const { fake, net, client, open, log } = setup({ maxReconnectAttempts: 1 })
    client.on('connectionStateChanged', (state) => {
      if (state === 'ERROR') {
        net.up = true
        client.reconnect()
      }
    })
    open()
    net.up = false
    net.killAll()
    fake.advance(0)
    expect(log.slice(-6).map(([, s, r]) => `${s}/${r}`)).toEqual([
      'ERROR/MAX_RECONNECT_ATTEMPTS',
      'RECONNECTING/RETRY_REQUESTED',
      'AWAITING_CONNECTION/CONNECTING',
      'CHALLENGING/CHALLENGE',
      'AUTHENTICATING/AUTHENTICATING',
      'OPEN/REJOIN_SUCCESS',
    ])
  })

  it('invalid options throw a TypeError naming the option', () => {
    const WebSocket = setup().net.WebSocket
    expect(() => createClient('ws://127.0.0.1:1', { WebSocket, maxReconnectAttempts: -1 })).toThrow(
      new TypeError(
        'createClient: maxReconnectAttempts must be a positive integer or Infinity (got -1)',
      ),
    )
    expect(() => createClient('ws://127.0.0.1:1', { WebSocket, heartbeatInterval: 0 })).toThrow(
      /heartbeatInterval/,
    )
    expect(() =>
      createClient('ws://127.0.0.1:1', { WebSocket, heartbeatFailure: 'panic' as never }),
    ).toThrow(/heartbeatFailure must be 'error' or 'reconnect' \(got "panic"\)/)
    expect(() => createClient('/relative', { WebSocket })).toThrow(
      /url must be an absolute ws:\/\/ or wss:\/\/ URL/,
    )
    expect(() => createClient('ws://127.0.0.1:1')).toThrow(/pass options.WebSocket/)
  })

  it('the snapshot is immutable and a new object only when something in it changed', () => {
    const { fake, net, client, open } = setup({ heartbeatInterval: 1000 })
    open()
    const seen: unknown[] = []
    client.subscribe((s) => seen.push(s))
    const before = client.getSnapshot()
    expect(Object.isFrozen(before)).toBe(true)
    fake.advance(10_000) // ten pings and pongs
    net.sockets[0]!.push({ t: 'msg', from: 'x', data: 1 })
    expect(client.getSnapshot()).toBe(before)
    expect(seen).toEqual([])
  })
})
