import { describe, expect, it } from 'vitest'
import { setup } from '../helpers/setup.js'

describe('deepstream: reconnection', () => {
  it('first retry is immediate, then inc, 2·inc, … capped at maxReconnectInterval', () => {
    const { fake, net, client, open, log, attemptTimes } = setup({
      reconnectIntervalIncrement: 2000,
      maxReconnectInterval: 5000,
      maxReconnectAttempts: 10,
    })
    open()
    expect(client.getConnectionState()).toBe('OPEN')
    fake.advance(1000)
    net.up = false
    net.killAll()
    fake.advance(30_000)
    // 1000 at once, then +2000, +4000, then capped at +5000
    expect(attemptTimes().slice(0, 6)).toEqual([1000, 3000, 7000, 12_000, 17_000, 22_000])
    expect(log.slice(-1)).toEqual([[1000, 'RECONNECTING', 'SERVER_CLOSED']])
  })

  it('the snapshot shows the attempt and when the next one starts', () => {
    const { fake, net, client, open, t0 } = setup({ reconnectIntervalIncrement: 2000 })
    open()
    net.up = false
    net.killAll()
    fake.advance(0)
    expect(client.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      attempt: 1,
      nextRetryAt: t0 + 2000,
      retrying: true,
      phase: 'RECONNECTING',
      tone: 'neutral',
      error: { code: 'SERVER_CLOSED' },
    })
    fake.advance(2000)
    expect(client.getSnapshot()).toMatchObject({ attempt: 2, nextRetryAt: t0 + 2000 + 4000 })
  })

  it('ERROR/MAX_RECONNECT_ATTEMPTS after maxReconnectAttempts failed attempts, then nothing', () => {
    const { fake, net, client, open, log, attemptTimes } = setup({
      reconnectIntervalIncrement: 1000,
      maxReconnectAttempts: 3,
    })
    open()
    net.up = false
    net.killAll()
    fake.advance(10_000)
    expect(log).toEqual([
      [0, 'AWAITING_CONNECTION', 'CONNECTING'],
      [0, 'CHALLENGING', 'CHALLENGE'],
      [0, 'AUTHENTICATING', 'AUTHENTICATING'],
      [0, 'OPEN', 'JOIN_SUCCESS'],
      [0, 'RECONNECTING', 'SERVER_CLOSED'],
      [3000, 'ERROR', 'MAX_RECONNECT_ATTEMPTS'],
    ])
    expect(attemptTimes()).toEqual([0, 1000, 3000])
    expect(client.getSnapshot()).toMatchObject({
      retrying: false,
      tone: 'bad',
      phase: 'FAILED',
      nextRetryAt: null,
    })
    fake.advance(3_600_000)
    expect(attemptTimes()).toHaveLength(3)
    expect(fake.pending()).toBe(0)
  })

  it('a first connection that fails reconnects too, attempt 1 at once', () => {
    const { fake, net, client, log, attemptTimes } = setup({ reconnectIntervalIncrement: 1000 })
    net.up = false
    client.connect()
    fake.advance(0)
    expect(log).toEqual([
      [0, 'AWAITING_CONNECTION', 'CONNECTING'],
      [0, 'RECONNECTING', 'SERVER_CLOSED'],
    ])
    expect(attemptTimes()).toEqual([0])
    expect(client.getSnapshot().error?.message).toMatch(
      /Could not connect to ws:\/\/127\.0\.0\.1:1\//,
    )
  })

  it('maxReconnectAttempts: Infinity never gives up', () => {
    const { fake, net, client, open, attemptTimes } = setup({
      reconnectIntervalIncrement: 10,
      maxReconnectInterval: 10,
      maxReconnectAttempts: Infinity,
    })
    open()
    net.up = false
    net.killAll()
    fake.advance(10_000)
    expect(attemptTimes().length).toBeGreaterThan(900)
    expect(client.getSnapshot()).toMatchObject({ state: 'RECONNECTING', retrying: true })
  })

  it('the attempt counter resets when OPEN is reached', () => {
    const { fake, net, client, open, log, attemptTimes } = setup({
      reconnectIntervalIncrement: 1000,
      maxReconnectAttempts: 3,
    })
    open()
    net.up = false
    net.killAll()
    fake.advance(1500) // attempts at 0 and 1000 failed; the third is due at 3000
    net.up = true
    fake.advance(1500)
    expect(log.slice(-1)).toEqual([[3000, 'OPEN', 'REJOIN_SUCCESS']])
    expect(client.getSnapshot().attempt).toBe(0)
    net.up = false
    net.killAll()
    fake.advance(10_000)
    // a full new round of three: at once, +1000, +2000 — not the third attempt of the old round
    expect(attemptTimes().slice(3)).toEqual([3000, 4000, 6000])
    expect(log.slice(-1)).toEqual([[6000, 'ERROR', 'MAX_RECONNECT_ATTEMPTS']])
  })

  it('reconnect() skips the wait (RETRY_REQUESTED)', () => {
    const { fake, net, client, open, attemptTimes } = setup({ reconnectIntervalIncrement: 60_000 })
    open()
    net.up = false
    net.killAll()
    fake.advance(5000)
    net.up = true
    client.reconnect()
    expect(client.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'RETRY_REQUESTED',
      attempt: 2,
    })
    fake.advance(0)
    expect(attemptTimes()).toEqual([0, 5000])
    expect(client.getSnapshot()).toMatchObject({ state: 'OPEN', reason: 'REJOIN_SUCCESS' })
  })

  it('reconnect() from ERROR starts a new round of attempts', () => {
    const { fake, net, client, open, log } = setup({
      reconnectIntervalIncrement: 1000,
      maxReconnectAttempts: 2,
    })
    open()
    net.up = false
    net.killAll()
    fake.advance(5000)
    expect(client.getConnectionState()).toBe('ERROR')
    net.up = true
    client.reconnect()
    fake.advance(0)
    expect(log.slice(-5)).toEqual([
      [5000, 'RECONNECTING', 'RETRY_REQUESTED'],
      [5000, 'AWAITING_CONNECTION', 'CONNECTING'],
      [5000, 'CHALLENGING', 'CHALLENGE'],
      [5000, 'AUTHENTICATING', 'AUTHENTICATING'],
      [5000, 'OPEN', 'REJOIN_SUCCESS'],
    ])
    expect(client.getSnapshot()).toMatchObject({
      state: 'OPEN',
      reason: 'REJOIN_SUCCESS',
      error: null,
    })
  })

  it('handshake states re-run after a reconnect and report the RECONNECTING phase', () => {
    const { fake, net, client, open } = setup()
    open()
    const phases: string[] = []
    client.subscribe((s) => phases.push(`${s.state}:${s.phase}`))
    net.killAll()
    fake.advance(0)
    expect(phases).toEqual([
      'RECONNECTING:RECONNECTING',
      'AWAITING_CONNECTION:RECONNECTING',
      'CHALLENGING:RECONNECTING',
      'AUTHENTICATING:RECONNECTING',
      'OPEN:CONNECTED',
    ])
  })

  it('connectTimeout: a server that accepts the socket and says nothing fails the attempt', () => {
    const { fake, net, client, log } = setup({ connectTimeout: 3000 })
    net.silent = true
    client.login({ id: 'me' })
    fake.advance(2999)
    expect(client.getConnectionState()).toBe('AWAITING_CONNECTION')
    fake.advance(1)
    // attempt 1 starts at once: its socket opens (and stays silent too)
    expect(log.slice(-2)).toEqual([
      [3000, 'RECONNECTING', 'INTERRUPTED'],
      [3000, 'AWAITING_CONNECTION', 'CONNECTING'],
    ])
    expect(net.sockets[0]!.closedByClient).toEqual({ code: 4000, reason: 'reconnecting' })
  })

  it('connectTimeout also bounds an AUTHENTICATING with no answer', () => {
    const { fake, net, client, log } = setup({ connectTimeout: 3000 })
    client.connect()
    fake.advance(0)
    expect(client.getConnectionState()).toBe('AWAITING_AUTHENTICATION')
    fake.advance(60_000) // waiting for login() has no deadline
    expect(client.getConnectionState()).toBe('AWAITING_AUTHENTICATION')
    net.silent = true
    client.login({ id: 'me' })
    fake.advance(3000)
    expect(log.slice(-3)).toEqual([
      [60_000, 'AUTHENTICATING', 'AUTHENTICATING'],
      [63_000, 'RECONNECTING', 'INTERRUPTED'],
      [63_000, 'AWAITING_CONNECTION', 'CONNECTING'],
    ])
  })
})
