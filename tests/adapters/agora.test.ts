import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  agoraDisconnectReasons,
  agoraQualityLevel,
  fromAgora,
  mapAgoraStateChange,
  type AgoraClientLike,
  type AgoraDisconnectedReason,
  type FromAgoraOptions,
} from '../../src/adapters/agora.js'
import type { Peer } from '../../src/core/peers.js'
import { createConnectionStore } from '../../src/store/createConnectionStore.js'
import {
  FakeAgoraClient,
  FakeAgoraRTCError,
  type FakeAgoraClientInit,
} from '../fakes/agoraClient.js'

const credentials = { appid: 'app-id', channel: 'lobby', token: 'token-1', uid: 7 }
const JOINED = ['AWAITING_CONNECTION/CONNECTING', 'OPEN/JOIN_SUCCESS']

/** Runs what is due now: the fake's joins and leaves settle in microtasks. */
const flush = () => vi.advanceTimersByTimeAsync(0)

/** A fake client and the adapter over it, recording every `(state, reason)` and event. */
function setup(init?: FakeAgoraClientInit, options?: FromAgoraOptions) {
  const client = new FakeAgoraClient(init)
  const source = fromAgora(client, options)
  const log: string[] = []
  const events: string[] = []
  const left: Peer[] = []
  source.on('connectionStateChanged', (state, reason) => log.push(`${state}/${reason}`))
  source.on('lost', () => events.push('lost'))
  source.on('restored', () => events.push('restored'))
  source.on('peerLeft', (peer) => left.push(peer))
  source.on('error', (error) => events.push(`error:${error.code}`))
  const snapshot = () => source.getSnapshot()
  const peerIds = () => [...source.getPeers().keys()]
  return { client, source, log, events, left, snapshot, peerIds }
}

/** Joined through `login()`, with `channelUsers` in the channel. */
async function joined(init?: FakeAgoraClientInit, options?: FromAgoraOptions) {
  const ctx = setup(init, options)
  await ctx.source.login(credentials)
  expect(ctx.log).toEqual(JOINED)
  return ctx
}

/** Joined, then the network drops: RECONNECTING since `droppedAt` (fake time). */
async function dropped(options?: FromAgoraOptions) {
  const ctx = await joined({}, options)
  ctx.client.dropNetwork()
  return { ...ctx, droppedAt: Date.now() }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('agora: every web state and every disconnect reason mapped', () => {
  // Written out here rather than read from the table, so a changed table fails.
  const disconnects: [AgoraDisconnectedReason, string][] = [
    ['LEAVE', 'CLOSED/LEAVE_CHANNEL'],
    ['NETWORK_ERROR', 'ERROR/JOIN_FAILED'],
    ['SERVER_ERROR', 'ERROR/REJECTED_BY_SERVER'],
    ['UID_BANNED', 'ERROR/BANNED_BY_SERVER'],
    ['FALLBACK', 'RECONNECTING/INTERRUPTED'],
    ['IP_BANNED', 'ERROR/BANNED_BY_SERVER'],
    ['CHANNEL_BANNED', 'ERROR/BANNED_BY_SERVER'],
    ['LICENSE_MISSING', 'ERROR/REJECTED_BY_SERVER'],
    ['LICENSE_EXPIRED', 'ERROR/REJECTED_BY_SERVER'],
    ['LICENSE_MINUTES_EXCEEDED', 'ERROR/REJECTED_BY_SERVER'],
    ['LICENSE_PERIOD_INVALID', 'ERROR/REJECTED_BY_SERVER'],
    ['LICENSE_MULTIPLE_SDK_SERVICE', 'ERROR/REJECTED_BY_SERVER'],
    ['LICENSE_ILLEGAL', 'ERROR/REJECTED_BY_SERVER'],
    ['TOKEN_EXPIRE', 'ERROR/TOKEN_EXPIRED'],
    ['FALLBACK_TO_HLS', 'ERROR/REJECTED_BY_SERVER'],
    ['UID_CONFLICT', 'ERROR/REJECTED_BY_SERVER'],
  ]
  const mapped = (...args: Parameters<typeof mapAgoraStateChange>) => {
    const to = mapAgoraStateChange(...args)
    return to && `${to.state}/${to.reason}`
  }

  it('the table has every reason of the SDK, each once', () => {
    expect(Object.keys(agoraDisconnectReasons).sort()).toEqual(
      disconnects.map(([reason]) => reason).sort(),
    )
  })

  it.each(disconnects)('DISCONNECTED/%s → %s', (reason, expected) => {
    expect(mapped('DISCONNECTED', 'CONNECTED', reason)).toBe(expected)
  })

  it('the five states', () => {
    expect(mapped('CONNECTING', 'DISCONNECTED')).toBe('AWAITING_CONNECTION/CONNECTING')
    expect(mapped('CONNECTED', 'CONNECTING')).toBe('OPEN/JOIN_SUCCESS')
    expect(mapped('CONNECTED', 'RECONNECTING', undefined, { rejoin: true })).toBe(
      'OPEN/REJOIN_SUCCESS',
    )
    expect(mapped('RECONNECTING', 'CONNECTED')).toBe('RECONNECTING/INTERRUPTED')
    // DISCONNECTING waits for the DISCONNECTED that carries the reason
    expect(mapped('DISCONNECTING', 'CONNECTED')).toBeNull()
    expect(mapped('DISCONNECTED', 'DISCONNECTING')).toBe('CLOSED/LEAVE_CHANNEL')
    expect(mapped('DISCONNECTED', 'CONNECTING')).toBe('ERROR/JOIN_FAILED')
  })

  it('a reason a later SDK adds → ERROR/JOIN_FAILED, its name in the message', () => {
    expect(mapAgoraStateChange('DISCONNECTED', 'CONNECTED', 'KICKED_BY_ADMIN')).toMatchObject({
      state: 'ERROR',
      reason: 'JOIN_FAILED',
    })
  })

  it.each(disconnects.filter(([reason]) => reason !== 'LEAVE' && reason !== 'FALLBACK'))(
    'through the adapter: DISCONNECTED/%s → %s, the snapshot error names the Agora reason',
    async (reason, expected) => {
      const { client, log, snapshot } = await joined()
      client.change('DISCONNECTED', reason)
      expect(log).toEqual([...JOINED, expected])
      expect(snapshot()).toMatchObject({ phase: 'FAILED', tone: 'bad', retrying: false })
      expect(snapshot().error?.message).toContain(`(${reason})`)
      expect(vi.getTimerCount()).toBe(0)
    },
  )

  it('through the adapter: an unknown reason → ERROR/JOIN_FAILED, named in the error', async () => {
    const { client, log, snapshot } = await joined()
    client.change('DISCONNECTED', 'KICKED_BY_ADMIN')
    expect(log).toEqual([...JOINED, 'ERROR/JOIN_FAILED'])
    expect(snapshot().error?.message).toMatch(/KICKED_BY_ADMIN/)
  })

  it('through the adapter: FALLBACK keeps retrying, and the deadlines run', async () => {
    const { client, log, events } = await joined()
    client.change('DISCONNECTED', 'FALLBACK')
    expect(log).toEqual([...JOINED, 'RECONNECTING/INTERRUPTED'])
    await vi.advanceTimersByTimeAsync(15_000)
    expect(events).toEqual(['lost'])
  })
})

describe('agora T0–T1: login() joins the channel', () => {
  it('T0 → AWAITING_CONNECTION/CONNECTING (phase CONNECTING), T1 → OPEN/JOIN_SUCCESS', async () => {
    const { client, source, log, snapshot } = setup()
    expect(snapshot()).toMatchObject({ state: 'CLOSED', reason: null, phase: 'DISCONNECTED' })
    const phases: string[] = []
    source.subscribe((s) => phases.push(`${s.state}:${s.phase}:${s.attempt}`))
    await source.login(credentials)
    expect(log).toEqual(JOINED)
    expect(phases).toEqual(['AWAITING_CONNECTION:CONNECTING:0', 'OPEN:CONNECTED:0'])
    expect(client.joins).toEqual([['app-id', 'lobby', 'token-1', 7, undefined]])
    expect(snapshot()).toMatchObject({ tone: 'good', error: null, nextRetryAt: null })
  })

  it('no token and no uid: join(appid, channel, null, null)', async () => {
    const { client, source } = setup()
    await source.login({ appid: 'app-id', channel: 'lobby' })
    expect(client.joins[0]?.slice(0, 4)).toEqual(['app-id', 'lobby', null, null])
  })

  it.each([
    ['invalid token, authorized failed', 'INVALID_TOKEN'],
    ['dynamic key expired', 'TOKEN_EXPIRED'],
    ['amount of users over load', 'JOIN_FAILED'],
  ])('a join refused with "%s" rejects with the SDK error → ERROR/%s', async (text, reason) => {
    const { client, source, log, snapshot } = setup()
    const refusal = new FakeAgoraRTCError('CAN_NOT_GET_GATEWAY_SERVER', text)
    client.failNextJoin(refusal)
    await expect(source.login(credentials)).rejects.toBe(refusal)
    // one ERROR, with the reason the error gives, not a JOIN_FAILED first
    expect(log).toEqual(['AWAITING_CONNECTION/CONNECTING', `ERROR/${reason}`])
    expect(snapshot().error).toEqual({
      code: reason,
      message: `Agora: join failed: ${refusal.message}`,
    })
  })

  it('a token the SDK refuses before connecting (empty) → ERROR/INVALID_TOKEN', async () => {
    const { source, log } = setup()
    await expect(source.login({ ...credentials, token: '' })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    })
    expect(log).toEqual(['ERROR/INVALID_TOKEN'])
  })

  it("the app's own client.join() is followed too, and its failure → ERROR/JOIN_FAILED", async () => {
    const { client, log, peerIds } = setup({ channelUsers: [1] })
    await client.join('app-id', 'lobby', null)
    expect(log).toEqual(JOINED)
    expect(peerIds()).toEqual(['1'])
    await client.leave()
    client.failNextJoin()
    await expect(client.join('app-id', 'lobby', null)).rejects.toThrow()
    expect(log).toEqual([
      ...JOINED,
      'CLOSED/LEAVE_CHANNEL',
      ...JOINED.slice(0, 1),
      'ERROR/JOIN_FAILED',
    ])
  })

  it('login() while joined rejects with the SDK error and changes nothing', async () => {
    const { source, log } = await joined()
    await expect(source.login(credentials)).rejects.toMatchObject({ code: 'INVALID_OPERATION' })
    expect(log).toEqual(JOINED)
  })

  it.each([
    [
      { channel: 'lobby' },
      'fromAgora: login(): appid must be your Agora App ID, a non-empty string (got undefined)',
    ],
    [
      { appid: 'a', channel: '' },
      'fromAgora: login(): channel must be a non-empty string (got "")',
    ],
    [
      { appid: 'a', channel: 'c', uid: true },
      'fromAgora: login(): uid must be a number, a string or null (got true)',
    ],
    [
      'app-id',
      'fromAgora: login(): credentials must be an object { appid, channel, token?, uid? } (got "app-id")',
    ],
  ])('bad credentials %j reject with a TypeError naming the field', async (given, message) => {
    const { client, source, log } = setup()
    const login = source.login as (credentials: unknown) => Promise<void>
    const error = await login(given).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toBe(message)
    expect(client.joins).toEqual([])
    expect(log).toEqual([])
  })

  it('login() without credentials the first time rejects with a TypeError saying what to pass', async () => {
    const { source } = setup()
    await expect(source.login()).rejects.toThrow(
      new TypeError(
        'fromAgora: login() needs credentials the first time: login({ appid, channel, token, uid })',
      ),
    )
  })
})

describe('agora T3–T7: interruption, loss, giving up', () => {
  it('T4: the network drops → RECONNECTING/INTERRUPTED, attempt 1, retrying, no retry time', async () => {
    const { client, log, snapshot } = await joined()
    client.dropNetwork()
    expect(log).toEqual([...JOINED, 'RECONNECTING/INTERRUPTED'])
    expect(snapshot()).toMatchObject({
      phase: 'RECONNECTING',
      attempt: 1,
      retrying: true,
      nextRetryAt: null,
      lost: false,
      tone: 'neutral',
    })
  })

  it('T5: lost after 15 s of RECONNECTING (not at 14.999 s), reason LOST, still retrying', async () => {
    const { log, events, snapshot, droppedAt } = await dropped()
    await vi.advanceTimersByTimeAsync(14_999)
    expect(events).toEqual([])
    expect(snapshot()).toMatchObject({ lost: false, reason: 'INTERRUPTED' })
    await vi.advanceTimersByTimeAsync(1)
    expect(events).toEqual(['lost'])
    expect(Date.now() - droppedAt).toBe(15_000)
    expect(snapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'LOST',
      lost: true,
      retrying: true,
      attempt: 1,
    })
    // the state did not change: no connectionStateChanged for the loss
    expect(log).toEqual([...JOINED, 'RECONNECTING/INTERRUPTED'])
    await vi.advanceTimersByTimeAsync(60_000)
    expect(events).toEqual(['lost'])
  })

  it('back before T7 → OPEN/REJOIN_SUCCESS and a restored event; no deadline left', async () => {
    const { client, log, events, snapshot } = await dropped()
    await vi.advanceTimersByTimeAsync(20_000)
    client.recover()
    expect(log).toEqual([...JOINED, 'RECONNECTING/INTERRUPTED', 'OPEN/REJOIN_SUCCESS'])
    expect(events).toEqual(['lost', 'restored'])
    expect(snapshot()).toMatchObject({
      lost: false,
      attempt: 0,
      retrying: false,
      phase: 'CONNECTED',
    })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('back before T5 → REJOIN_SUCCESS and restored, never lost', async () => {
    const { client, events } = await dropped()
    await vi.advanceTimersByTimeAsync(5000)
    client.recover()
    await vi.advanceTimersByTimeAsync(1_200_000)
    expect(events).toEqual(['restored'])
  })

  it('a CONNECTING inside the outage is a reconnection: phase RECONNECTING, still lost', async () => {
    const { client, log, snapshot } = await dropped()
    await vi.advanceTimersByTimeAsync(15_000)
    client.change('CONNECTING')
    expect(snapshot()).toMatchObject({
      state: 'AWAITING_CONNECTION',
      reason: 'CONNECTING',
      phase: 'RECONNECTING',
      attempt: 1,
      lost: true,
      retrying: true,
    })
    client.change('CONNECTED')
    expect(log.slice(-3)).toEqual([
      'RECONNECTING/INTERRUPTED',
      'AWAITING_CONNECTION/CONNECTING',
      'OPEN/REJOIN_SUCCESS',
    ])
  })

  it('T7: not back within 20 min → ERROR/JOIN_FAILED, the adapter leaves, and ERROR stays', async () => {
    const { client, log, snapshot, droppedAt } = await dropped()
    await vi.advanceTimersByTimeAsync(1_200_000 - 1)
    expect(snapshot().state).toBe('RECONNECTING')
    expect(client.leaves).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(Date.now() - droppedAt).toBe(1_200_000)
    expect(log).toEqual([...JOINED, 'RECONNECTING/INTERRUPTED', 'ERROR/JOIN_FAILED'])
    expect(snapshot()).toMatchObject({ phase: 'FAILED', retrying: false, lost: false })
    expect(snapshot().error?.message).toBe(
      'Agora: not reconnected within giveUpAfter (1200000 ms); left the channel',
    )
    // the SDK stops too: it went DISCONNECTING → DISCONNECTED/LEAVE, which is not a CLOSED
    expect(client.leaves).toBe(1)
    await flush()
    expect(client.connectionState).toBe('DISCONNECTED')
    expect(log.at(-1)).toBe('ERROR/JOIN_FAILED')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('after T7, reconnect() leaves and joins again with the remembered credentials', async () => {
    const { client, source, log, events, snapshot } = await dropped()
    await vi.advanceTimersByTimeAsync(1_200_000)
    source.reconnect()
    expect(snapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'RETRY_REQUESTED',
      attempt: 1,
    })
    await flush()
    expect(client.joins).toHaveLength(2)
    expect(client.joins[1]).toEqual(client.joins[0])
    expect(log).toEqual([
      ...JOINED,
      'RECONNECTING/INTERRUPTED',
      'ERROR/JOIN_FAILED',
      'RECONNECTING/RETRY_REQUESTED',
      'AWAITING_CONNECTION/CONNECTING',
      'OPEN/REJOIN_SUCCESS',
    ])
    expect(events).toEqual(['lost', 'restored'])
  })

  it('T7: every peer leaves; after reconnect() those still there join again, no ghost stays', async () => {
    const { client, source, peerIds, left } = await joined({ channelUsers: [11, 12] })
    const joinedIds: string[] = []
    source.on('peerJoined', (peer) => joinedIds.push(peer.id))
    client.dropNetwork()
    client.userLeave(12) // unseen: the link is down
    await vi.advanceTimersByTimeAsync(1_200_000)
    expect(source.getSnapshot().state).toBe('ERROR')
    expect(peerIds()).toEqual([])
    expect(left.map((p) => p.id)).toEqual(['11', '12'])
    source.reconnect()
    await flush()
    expect(source.getSnapshot().state).toBe('OPEN')
    expect(peerIds()).toEqual(['11'])
    expect(joinedIds).toEqual(['11'])
  })

  it('the SDK gives up by itself (NETWORK_ERROR) → ERROR/JOIN_FAILED, deadlines cleared', async () => {
    const { client, log } = await dropped()
    await vi.advanceTimersByTimeAsync(30_000)
    client.networkError()
    expect(log).toEqual([...JOINED, 'RECONNECTING/INTERRUPTED', 'ERROR/JOIN_FAILED'])
    expect(vi.getTimerCount()).toBe(0)
    expect(client.leaves).toBe(0)
  })

  it('lostAfter and giveUpAfter are options; Infinity turns one off', async () => {
    const { log, events } = await dropped({ lostAfter: 1000, giveUpAfter: Infinity })
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(1000)
    expect(events).toEqual(['lost'])
    await vi.advanceTimersByTimeAsync(100 * 24 * 3_600_000)
    expect(log.at(-1)).toBe('RECONNECTING/INTERRUPTED')
  })

  it('a giveUpAfter beyond what setTimeout can wait (~24.8 days) still waits it out', async () => {
    const days30 = 30 * 24 * 3_600_000
    const { log } = await dropped({ giveUpAfter: days30 })
    await vi.advanceTimersByTimeAsync(days30 - 1)
    expect(log.at(-1)).toBe('RECONNECTING/INTERRUPTED')
    await vi.advanceTimersByTimeAsync(1)
    expect(log.at(-1)).toBe('ERROR/JOIN_FAILED')
  })
})

describe('agora: bans, token expiry, leaving', () => {
  it.each(['UID_BANNED', 'IP_BANNED', 'CHANNEL_BANNED'] as const)(
    '%s → ERROR/BANNED_BY_SERVER at once',
    async (reason) => {
      const { client, log, snapshot } = await joined()
      client.ban(reason)
      expect(log).toEqual([...JOINED, 'ERROR/BANNED_BY_SERVER'])
      expect(snapshot().error?.code).toBe('BANNED_BY_SERVER')
    },
  )

  it('token expiry: the DISCONNECTING before it is not a CLOSED → ERROR/TOKEN_EXPIRED', async () => {
    const { client, source, log, snapshot } = await joined()
    client.tokenExpire()
    expect(log).toEqual([...JOINED, 'ERROR/TOKEN_EXPIRED'])
    expect(snapshot().error?.message).toBe(
      'Agora: the token expired; join again with a new token (TOKEN_EXPIRE)',
    )
    // a new token: a fresh join, not a rejoin
    await source.login({ ...credentials, token: 'token-2' })
    expect(log.slice(-2)).toEqual(JOINED)
    expect(client.joins[1]?.[2]).toBe('token-2')
  })

  it("the app's own client.leave() → CLOSED/LEAVE_CHANNEL, once", async () => {
    const { client, log, snapshot } = await joined()
    await client.leave()
    expect(log).toEqual([...JOINED, 'CLOSED/LEAVE_CHANNEL'])
    expect(snapshot()).toMatchObject({ phase: 'DISCONNECTED', error: null })
  })

  it('leaving while RECONNECTING clears the deadlines', async () => {
    const { client, log } = await dropped()
    await client.leave()
    expect(log.at(-1)).toBe('CLOSED/LEAVE_CHANNEL')
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('agora: peers', () => {
  it('the initial remoteUsers are the peers, numbers and strings as string ids', () => {
    const { client, peerIds, snapshot, events } = setup({
      connectionState: 'CONNECTED',
      channelUsers: [1, 'ada'],
    })
    expect(peerIds()).toEqual(['1', 'ada'])
    expect(snapshot()).toMatchObject({ state: 'OPEN', reason: 'JOIN_SUCCESS' })
    // it had been connected: a drop and a recovery are a rejoin
    client.dropNetwork()
    client.recover()
    expect(snapshot().reason).toBe('REJOIN_SUCCESS')
    expect(events).toEqual(['restored'])
  })

  it('joining announces who is there; user-joined and user-left follow, with their reasons', async () => {
    const { client, left, peerIds } = await joined({ channelUsers: [1, 2] })
    expect(peerIds()).toEqual(['1', '2'])
    client.userJoin('carol')
    client.userJoin(4)
    expect(peerIds()).toEqual(['1', '2', 'carol', '4'])
    client.userLeave(1, 'Quit')
    client.userLeave(2, 'ServerTimeOut')
    client.userLeave('carol', 'BecomeAudience')
    expect(left.map((p) => [p.id, p.leftReason, p.online])).toEqual([
      ['1', 'QUIT', false],
      ['2', 'DROPPED', false],
      ['carol', 'QUIT', false],
    ])
    expect(peerIds()).toEqual(['4'])
  })

  it('a user-left reason the SDK does not document: gone, reason unknown', async () => {
    const { client, left } = await joined({ channelUsers: [9] })
    client.userLeave(9, 'Kicked' as 'Quit')
    expect(left).toHaveLength(1)
    expect(left[0]).not.toHaveProperty('leftReason')
  })

  it('DISCONNECTED (a ban) empties the peers, as the SDK empties remoteUsers', async () => {
    const { client, peerIds, left } = await joined({ channelUsers: [1, 2] })
    client.ban()
    expect(peerIds()).toEqual([])
    expect(left.map((p) => p.id)).toEqual(['1', '2'])
  })

  it('a store over fromAgora shows the peers, fresh while OPEN', async () => {
    const client = new FakeAgoraClient({ channelUsers: ['ada'] })
    const store = createConnectionStore(fromAgora(client))
    await store.getState().login(credentials)
    client.userJoin('grace')
    await flush()
    expect(store.getState().peerList.map((p) => p.id)).toEqual(['ada', 'grace'])
    expect(store.getState()).toMatchObject({ peersStale: false })
    expect(store.getState().connection.state).toBe('OPEN')
    client.dropNetwork()
    expect(store.getState().peersStale).toBe(true)
    store.getState().destroy()
    expect(client.listenerCount()).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('agora: options and the client are checked', () => {
  it.each([
    [
      { lostAfter: -1 },
      'fromAgora: lostAfter must be a positive number or Infinity (off) (got -1)',
    ],
    [{ lostAfter: 0 }, 'fromAgora: lostAfter must be a positive number or Infinity (off) (got 0)'],
    [
      { giveUpAfter: '20m' },
      'fromAgora: giveUpAfter must be a positive number or Infinity (off) (got "20m")',
    ],
    [5, 'fromAgora: options must be an object (got 5)'],
  ])('%j → TypeError naming it', (options, message) => {
    expect(() => fromAgora(new FakeAgoraClient(), options as FromAgoraOptions)).toThrow(
      new TypeError(message),
    )
  })

  it.each([
    ['nothing', undefined, 'got undefined'],
    ['an empty object', {}, 'got object'],
    [
      'a client in a state the SDK does not have',
      { ...new FakeAgoraClient(), connectionState: 'FAILED' },
      'got object',
    ],
  ])('%s as the client → TypeError saying what to pass', (_, client, got) => {
    expect(() => fromAgora(client as unknown as AgoraClientLike)).toThrow(
      new TypeError(
        `fromAgora: client must be an agora-rtc-sdk-ng client (on, off, join, leave, connectionState, remoteUsers): pass AgoraRTC.createClient({ mode: 'rtc', codec: 'vp8' }) (${got})`,
      ),
    )
  })

  it('a stand-in with only on() still lights the indicator; login() says what is missing', async () => {
    const listeners = new Map<string, (...args: unknown[]) => void>()
    const source = fromAgora({
      on: (event: string, listener: (...args: unknown[]) => void) => listeners.set(event, listener),
    } as unknown as AgoraClientLike)
    expect(source.getSnapshot()).toMatchObject({ state: 'CLOSED', reason: null })
    listeners.get('connection-state-change')!('CONNECTING', 'DISCONNECTED')
    listeners.get('connection-state-change')!('CONNECTED', 'CONNECTING')
    listeners.get('user-joined')!({ uid: 42 })
    expect(source.getSnapshot()).toMatchObject({ state: 'OPEN', reason: 'JOIN_SUCCESS' })
    expect([...source.getPeers().keys()]).toEqual(['42'])
    listeners.get('connection-state-change')!('DISCONNECTED', 'CONNECTED', 'UID_BANNED')
    expect(source.getSnapshot()).toMatchObject({ state: 'ERROR', reason: 'BANNED_BY_SERVER' })
    await expect(source.login({ appid: 'app', channel: 'lobby' })).rejects.toThrow(
      'fromAgora: login() needs client.join(), which an agora-rtc-sdk-ng client has',
    )
    source.close()
    expect(source.getSnapshot().state).toBe('CLOSED')
  })

  it('the SDK itself instead of a client → TypeError saying to call createClient', () => {
    const AgoraRTC = { createClient: () => new FakeAgoraClient() }
    expect(() => fromAgora(AgoraRTC as unknown as AgoraClientLike)).toThrow(
      /client must be a client, not the SDK itself: pass AgoraRTC.createClient/,
    )
  })
})

describe('agora: close, connect, reconnect, send', () => {
  it('close() leaves no timer and no listener, and calls client.leave()', async () => {
    const { client, source, log, peerIds } = await dropped()
    client.userJoin('late') // not announced while reconnecting
    expect(client.listenerCount()).toBe(4)
    expect(vi.getTimerCount()).toBe(2)
    source.close()
    expect(vi.getTimerCount()).toBe(0)
    expect(client.listenerCount()).toBe(0)
    expect(client.leaves).toBe(1)
    expect(log).toEqual([...JOINED, 'RECONNECTING/INTERRUPTED', 'CLOSED/LEAVE_CHANNEL'])
    expect(peerIds()).toEqual([])
    await vi.advanceTimersByTimeAsync(1_200_000)
    expect(client.connectionState).toBe('DISCONNECTED')
    expect(log.at(-1)).toBe('CLOSED/LEAVE_CHANNEL')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('close() of an idle adapter does not call the SDK', () => {
    const { client, source } = setup()
    source.close()
    expect(client.leaves).toBe(0)
    expect(client.listenerCount()).toBe(0)
  })

  it('close() during a join aborts it: login() rejects, the state stays CLOSED', async () => {
    const { source, log } = setup({ latency: 100 })
    const login = source.login(credentials).catch((error: unknown) => error)
    source.close()
    await vi.advanceTimersByTimeAsync(100)
    expect(await login).toMatchObject({ code: 'OPERATION_ABORTED' })
    expect(log).toEqual(['AWAITING_CONNECTION/CONNECTING', 'CLOSED/LEAVE_CHANNEL'])
  })

  it('after close(), login() listens again (once) and joins', async () => {
    const { client, source, log } = await joined()
    source.close()
    await flush()
    await source.login()
    expect(client.listenerCount()).toBe(4)
    expect(log).toEqual([...JOINED, 'CLOSED/LEAVE_CHANNEL', ...JOINED])
    await source.login().catch(() => {})
    expect(client.listenerCount()).toBe(4)
  })

  it('connect() after close() joins again with the remembered credentials', async () => {
    const { client, source, log } = await joined()
    source.close()
    await flush()
    source.connect()
    await flush()
    expect(client.joins).toHaveLength(2)
    expect(log).toEqual([...JOINED, 'CLOSED/LEAVE_CHANNEL', ...JOINED])
  })

  it('connect() without credentials only listens again, and catches up with the client', async () => {
    const { client, source, log } = setup({ channelUsers: [5] })
    source.close()
    await client.join('app-id', 'lobby', null) // unseen: the adapter is closed
    expect(log).toEqual([])
    source.connect()
    expect(client.joins).toHaveLength(1)
    expect(log).toEqual(['OPEN/JOIN_SUCCESS'])
    expect([...source.getPeers().keys()]).toEqual(['5'])
  })

  it('connect() while OPEN does nothing', async () => {
    const { client, source, log } = await joined()
    source.connect()
    await flush()
    expect(client.joins).toHaveLength(1)
    expect(log).toEqual(JOINED)
  })

  it('login() right after T7 waits for the SDK to finish leaving, then joins', async () => {
    const { client, source, log } = setup({ latency: 100 })
    const first = source.login(credentials)
    await vi.advanceTimersByTimeAsync(100)
    await first
    client.dropNetwork()
    await vi.advanceTimersByTimeAsync(1_200_000)
    expect(client.connectionState).toBe('DISCONNECTING') // the leave request takes 100 ms
    const again = source.login()
    await vi.advanceTimersByTimeAsync(200)
    await again
    expect(client.joins).toHaveLength(2)
    expect(log.slice(-3)).toEqual(['ERROR/JOIN_FAILED', ...JOINED])
  })

  it('reconnect() while the SDK retries does nothing: no leave, no join', async () => {
    const { client, source, log } = await dropped()
    source.reconnect()
    await flush()
    expect(client.leaves).toBe(0)
    expect(client.joins).toHaveLength(1)
    expect(log.at(-1)).toBe('RECONNECTING/INTERRUPTED')
  })

  it('reconnect() after a ban rejoins; without credentials it says to call login()', async () => {
    const a = await joined()
    a.client.ban()
    a.source.reconnect()
    await flush()
    expect(a.log.slice(-4)).toEqual([
      'ERROR/BANNED_BY_SERVER',
      'RECONNECTING/RETRY_REQUESTED',
      'AWAITING_CONNECTION/CONNECTING',
      'OPEN/REJOIN_SUCCESS',
    ])

    const b = setup()
    await b.client.join('app-id', 'lobby', null)
    b.client.ban()
    b.source.reconnect()
    expect(b.events).toEqual(['error:NO_CREDENTIALS'])
    expect(b.log.at(-1)).toBe('ERROR/BANNED_BY_SERVER')
  })

  it('send() rejects: RTC has no message channel', async () => {
    const { source } = await joined()
    await expect(source.send({ hello: 'world' })).rejects.toThrow(/Agora Signaling \(RTM\)/)
  })

  it('created over a client already RECONNECTING: attempt 1, and lost 15 s later', async () => {
    const { snapshot, events } = setup({ connectionState: 'RECONNECTING', channelUsers: [3] })
    expect(snapshot()).toMatchObject({ state: 'RECONNECTING', reason: 'INTERRUPTED', attempt: 1 })
    await vi.advanceTimersByTimeAsync(15_000)
    expect(events).toEqual(['lost'])
  })
})

describe('agora: network quality', () => {
  it('network-quality reports while joined are the link quality (the worse direction), with the RTT', async () => {
    const { client, source } = await joined()
    const seen: string[] = []
    source.on('quality', (quality) => seen.push(`${quality.level} ${String(quality.rtt)}`))
    expect(source.getLinkQuality?.()).toMatchObject({ level: 'unknown', rtt: null })
    client.networkQuality(1, 1, 38)
    client.networkQuality(1, 4, 420)
    client.networkQuality(6, 6, 0)
    expect(seen).toEqual(['excellent 38', 'poor 420', 'lost 0'])
    expect(source.getLinkQuality?.()).toMatchObject({ level: 'lost', samples: 3 })
  })

  it.each([
    [0, 0, 'unknown'],
    [1, 0, 'excellent'],
    [2, 3, 'good'],
    [5, 1, 'poor'],
    [6, 1, 'lost'],
  ] as const)('uplink %i, downlink %i → %s', (up, down, level) => {
    expect(agoraQualityLevel({ uplinkNetworkQuality: up, downlinkNetworkQuality: down })).toBe(
      level,
    )
  })

  it('a drop reads lost, and reports while not joined are ignored; close() reads unknown', async () => {
    const { client, source } = await dropped()
    expect(source.getLinkQuality?.().level).toBe('lost')
    client.networkQuality(1, 1, 10)
    expect(source.getLinkQuality?.().level).toBe('lost')
    source.close()
    expect(source.getLinkQuality?.().level).toBe('unknown')
  })
})
