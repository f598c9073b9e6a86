import { ObservableV2 } from 'lib0/observable'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import {
  applyAwarenessUpdate,
  Awareness,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness'
import {
  authFailureReason,
  awarenessLeftReason,
  closeReasonOf,
  fromYjs,
  mapYjsStatus,
  type FromYjsOptions,
  type HocuspocusProviderLike,
  type YjsCloseEventLike,
  type YjsStatus,
  type YWebsocketProviderLike,
} from '../../src/adapters/yjs.js'
import { realClock } from '../../src/core/clock.js'
import type { Peer } from '../../src/core/peers.js'

// ── fakes that do what the providers do, in their order (read from their sources) ──

/** y-websocket 3.1's WebsocketProvider, without a socket: a test opens, syncs and closes it. */
/** y-websocket's events, as its declarations give them (the provider argument as `unknown`). */
type FakeYWebsocketEvents = {
  status: (event: { status: YjsStatus }) => void
  sync: (synced: boolean) => void
  'connection-close': (event: YjsCloseEventLike | null, provider: unknown) => void
  closed: (event: YjsCloseEventLike, provider: unknown) => void
}

class FakeYWebsocket extends ObservableV2<FakeYWebsocketEvents> implements YWebsocketProviderLike {
  readonly doc = new Y.Doc()
  readonly awareness = new Awareness(this.doc)
  wsconnected = false
  wsconnecting = false
  shouldConnect: boolean
  wsLastMessageReceived = 0
  params: Record<string, string> = {}
  connects = 0
  private _synced = false
  constructor({ connect = true } = {}) {
    super()
    this.shouldConnect = connect
    if (connect) this.connect()
  }
  get synced() {
    return this._synced
  }
  set synced(state: boolean) {
    if (this._synced === state) return
    this._synced = state
    this.emit('sync', [state])
  }
  connect() {
    this.shouldConnect = true
    if (!this.wsconnected && !this.wsconnecting) this.attempt()
  }
  /** The next socket: setupWS. */
  attempt() {
    if (!this.shouldConnect) return
    this.connects++
    this.wsconnecting = true
    this.emit('status', [{ status: 'connecting' }])
  }
  open() {
    this.wsconnecting = false
    this.wsconnected = true
    this.wsLastMessageReceived = Date.now()
    this.emit('status', [{ status: 'connected' }])
  }
  /** Sync step 2 arrived. */
  sync() {
    this.synced = true
  }
  /** closeWebsocketConnection: `event` null for a close of its own (disconnect, watchdog). */
  close(event: YjsCloseEventLike | null) {
    this.emit('connection-close', [event, this])
    this.wsconnecting = false
    if (this.wsconnected) {
      this.wsconnected = false
      this.synced = false
      const remote = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID)
      removeAwarenessStates(this.awareness, remote, this)
      this.emit('status', [{ status: 'disconnected' }])
    }
    if (event && event.code >= 4400 && event.code < 4500) {
      this.shouldConnect = false
      this.emit('closed', [event, this])
    }
  }
  disconnect() {
    this.shouldConnect = false
    if (this.wsconnected || this.wsconnecting) this.close(null)
  }
  listenerCount() {
    let count = 0
    for (const set of this._observers.values()) count += set.size
    for (const set of (this.awareness as unknown as ObservableV2<never>)._observers.values())
      count += set.size
    return count
  }
}

/** @hocuspocus/provider 4.8's HocuspocusProvider with a socket of its own, without a socket. */
class FakeHocuspocus implements HocuspocusProviderLike {
  readonly doc = new Y.Doc()
  readonly awareness = new Awareness(this.doc)
  callbacks: Record<string, ((...args: never[]) => void)[]> = {}
  isSynced = false
  isAuthenticated = false
  manageSocket = true
  isAttached = true
  readonly configuration = {
    token: null as string | (() => string) | (() => Promise<string>) | null,
    websocketProvider: {
      status: 'disconnected' as YjsStatus,
      shouldConnect: true,
      lastMessageReceived: 0,
      configuration: { messageReconnectTimeout: 30_000 },
      connect: async () => this.connecting(),
    },
  }
  detaches = 0
  on(event: string, fn: (...args: never[]) => void) {
    ;(this.callbacks[event] ??= []).push(fn)
    return this
  }
  off(event: string, fn: (...args: never[]) => void) {
    this.callbacks[event] = (this.callbacks[event] ?? []).filter((f) => f !== fn)
    if (!this.callbacks[event].length) delete this.callbacks[event]
    return this
  }
  emit(event: string, data?: unknown) {
    for (const fn of [...(this.callbacks[event] ?? [])]) (fn as (data: unknown) => void)(data)
  }
  private get socket() {
    return this.configuration.websocketProvider
  }
  connecting() {
    this.socket.shouldConnect = true
    this.socket.status = 'connecting'
    this.socket.lastMessageReceived = 0
    this.emit('status', { status: 'connecting' })
  }
  open() {
    this.socket.status = 'connected'
    this.isAuthenticated = false
    this.emit('status', { status: 'connected' })
  }
  authenticate() {
    this.socket.lastMessageReceived = Date.now()
    this.isAuthenticated = true
    this.emit('authenticated', { scope: 'read-write' })
  }
  refuse(reason: string) {
    this.emit('authenticationFailed', { reason })
  }
  sync() {
    this.isSynced = true
    this.emit('synced', { state: true })
  }
  drop(event: YjsCloseEventLike) {
    this.socket.status = 'disconnected'
    this.emit('status', { status: 'disconnected' })
    this.emit('disconnect', { event })
    this.isAuthenticated = false
    this.isSynced = false
    const remote = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID)
    removeAwarenessStates(this.awareness, remote, this)
  }
  attach() {
    this.isAttached = true
  }
  detach() {
    this.detaches++
    this.isAttached = false
  }
  /** Tokens sent again on a live socket (after a refusal). */
  tokensSent = 0
  sendToken() {
    this.tokensSent++
    return Promise.resolve()
  }
  startSync() {}
  disconnect() {
    this.socket.shouldConnect = false
    if (this.socket.status !== 'disconnected') this.drop({ code: 1000, reason: '' })
  }
  listenerCount() {
    let count = Object.values(this.callbacks).reduce((sum, list) => sum + list.length, 0)
    for (const set of (this.awareness as unknown as ObservableV2<never>)._observers.values())
      count += set.size
    return count
  }
}

/** Another client's awareness, whose updates reach `target` as the provider would apply them. */
function remoteClient(target: Awareness, origin: unknown) {
  const awareness = new Awareness(new Y.Doc())
  const send = (ids = [awareness.clientID]) =>
    applyAwarenessUpdate(target, encodeAwarenessUpdate(awareness, ids), origin)
  return {
    id: String(awareness.clientID),
    set(state: Record<string, unknown> | null) {
      awareness.setLocalState(state)
      send()
    },
    /** The goodbye y-websocket sends at disconnect(): a null state at the same clock. */
    quit() {
      applyAwarenessUpdate(
        target,
        encodeAwarenessUpdate(awareness, [awareness.clientID], new Map()),
        origin,
      )
    },
    destroy: () => awareness.destroy(),
  }
}

function record(source: ReturnType<typeof fromYjs>) {
  const log: string[] = []
  const events: string[] = []
  const left: Peer[] = []
  source.on('connectionStateChanged', (state, reason) => log.push(`${state}/${reason}`))
  source.on('lost', () => events.push('lost'))
  source.on('restored', () => events.push('restored'))
  source.on('peerJoined', (peer) => events.push(`joined:${peer.id}`))
  source.on('peerUpdated', (peer) => events.push(`updated:${peer.id}`))
  source.on('peerLeft', (peer) => {
    left.push(peer)
    events.push(`left:${peer.id}:${peer.leftReason}`)
  })
  return { log, events, left }
}

function yWebsocket(options?: FromYjsOptions, init?: { connect?: boolean }) {
  const provider = new FakeYWebsocket(init)
  const source = fromYjs(provider, options)
  return { provider, source, ...record(source) }
}

function hocuspocus(options?: FromYjsOptions) {
  const provider = new FakeHocuspocus()
  const source = fromYjs(provider, options)
  return { provider, source, ...record(source) }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('yjs: the mapping tables', () => {
  it('mapYjsStatus: every status of both providers', () => {
    const y = (status: YjsStatus, synced = false) =>
      mapYjsStatus({ kind: 'y-websocket', status, synced })
    const h = (status: YjsStatus, authenticated: boolean, synced = false) =>
      mapYjsStatus({ kind: 'hocuspocus', status, synced, authenticated })
    expect(y('connecting')).toEqual(['AWAITING_CONNECTION', 'CONNECTING'])
    expect(y('connected')).toEqual(['CHALLENGING', 'CHALLENGE'])
    expect(y('connected', true)).toEqual(['OPEN', 'JOIN_SUCCESS'])
    expect(y('disconnected')).toBeNull()
    expect(h('connecting', false)).toEqual(['AWAITING_CONNECTION', 'CONNECTING'])
    expect(h('connected', false)).toEqual(['AUTHENTICATING', 'AUTHENTICATING'])
    expect(h('connected', true)).toEqual(['CHALLENGING', 'CHALLENGE'])
    expect(h('connected', true, true)).toEqual(['OPEN', 'JOIN_SUCCESS'])
    expect(h('disconnected', true)).toBeNull()
    expect(y('failed' as YjsStatus)).toEqual(['ERROR', 'PROTOCOL_ERROR'])
  })

  it('closeReasonOf: the watchdogs, a cut link, a server that closed', () => {
    const fresh = { silentFor: 10, timeout: 30_000 }
    expect(closeReasonOf(null, fresh)).toBe('KEEP_ALIVE_TIMEOUT')
    expect(closeReasonOf({ code: 4408, reason: 'forced' }, fresh)).toBe('KEEP_ALIVE_TIMEOUT')
    expect(closeReasonOf({ code: 1005, reason: '' }, { silentFor: 30_000, timeout: 30_000 })).toBe(
      'KEEP_ALIVE_TIMEOUT',
    )
    expect(closeReasonOf({ code: 1006, reason: '' }, fresh)).toBe('INTERRUPTED')
    expect(closeReasonOf({ code: 1001, reason: 'going away' }, fresh)).toBe('SERVER_CLOSED')
    expect(closeReasonOf({ code: 1000, reason: '' }, fresh)).toBe('SERVER_CLOSED')
  })

  it("authFailureReason: Hocuspocus's reason text", () => {
    expect(authFailureReason('token expired')).toBe('TOKEN_EXPIRED')
    expect(authFailureReason('JWT expired at 12:00')).toBe('TOKEN_EXPIRED')
    expect(authFailureReason('invalid token')).toBe('INVALID_TOKEN')
    expect(authFailureReason('Unauthorized')).toBe('INVALID_TOKEN')
    expect(authFailureReason('permission-denied')).toBe('REJECTED_BY_SERVER')
    expect(authFailureReason('document is archived')).toBe('REJECTED_BY_SERVER')
    expect(authFailureReason(undefined)).toBe('REJECTED_BY_SERVER')
  })

  it('awarenessLeftReason: a timeout or a stale state is a drop, a fresh goodbye a quit', () => {
    expect(awarenessLeftReason('timeout', 0)).toBe('DROPPED')
    expect(awarenessLeftReason({}, 1_000)).toBe('QUIT')
    expect(awarenessLeftReason({}, 19_999)).toBe('QUIT')
    expect(awarenessLeftReason({}, 20_000)).toBe('DROPPED')
  })
})

describe('yjs: arguments checked', () => {
  it('options: a TypeError that names the option', () => {
    const provider = new FakeYWebsocket({ connect: false })
    expect(() => fromYjs(provider, { lostAfter: -1 })).toThrow(
      new TypeError('fromYjs: lostAfter must be a positive number or Infinity (off) (got -1)'),
    )
    expect(() => fromYjs(provider, { giveUpAfter: '10' as unknown as number })).toThrow(
      /fromYjs: giveUpAfter must be a positive number/,
    )
    expect(() => fromYjs(provider, 5 as unknown as FromYjsOptions)).toThrow(
      /fromYjs: options must be an object/,
    )
    expect(() => fromYjs(provider, { lostAfter: Infinity, giveUpAfter: 1 })).not.toThrow()
  })

  it('the provider: neither kind, or the doc instead of its provider', () => {
    expect(() => fromYjs({} as never)).toThrow(
      /fromYjs: provider must be a y-websocket WebsocketProvider or a HocuspocusProvider/,
    )
    expect(() => fromYjs({ doc: new Y.Doc() } as never)).toThrow(/not a Y.Doc/)
  })

  it('login(): credentials of the wrong kind', async () => {
    const { source } = yWebsocket()
    await expect(source.login(42 as never)).rejects.toThrow(
      /fromYjs: login\(\): credentials must be a token string, \{ token \} or \{ params \}/,
    )
    await expect(source.login({ params: { a: 1 } } as never)).rejects.toThrow(
      /fromYjs: login\(\): params must be an object of strings/,
    )
  })
})

describe('yjs: y-websocket states', () => {
  it('connect, sync: AWAITING_CONNECTION → CHALLENGING → OPEN/JOIN_SUCCESS', () => {
    const { provider, source, log, events } = yWebsocket()
    expect(source.getSnapshot().state).toBe('AWAITING_CONNECTION')
    provider.open()
    expect(source.getSnapshot()).toMatchObject({ state: 'CHALLENGING', phase: 'CONNECTING' })
    provider.sync()
    expect(log).toEqual(['CHALLENGING/CHALLENGE', 'OPEN/JOIN_SUCCESS'])
    expect(events).toEqual([])
  })

  it('starts from where the provider is: synced → OPEN, idle → CLOSED', () => {
    const provider = new FakeYWebsocket()
    provider.open()
    provider.sync()
    expect(fromYjs(provider).getSnapshot()).toMatchObject({ state: 'OPEN', reason: 'JOIN_SUCCESS' })
    const idle = fromYjs(new FakeYWebsocket({ connect: false })).getSnapshot()
    expect(idle).toMatchObject({ state: 'CLOSED', reason: null })
  })

  it('a cut link (1006): RECONNECTING/INTERRUPTED, attempts counted, REJOIN_SUCCESS + restored', async () => {
    const { provider, source, log, events } = yWebsocket()
    provider.open()
    provider.sync()
    provider.close({ code: 1006, reason: '' })
    await vi.advanceTimersByTimeAsync(0)
    expect(source.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'INTERRUPTED',
      attempt: 1,
      retrying: true,
      lost: false,
    })
    provider.attempt()
    provider.close({ code: 1006, reason: '' })
    await vi.advanceTimersByTimeAsync(0)
    provider.attempt()
    expect(source.getSnapshot()).toMatchObject({ state: 'RECONNECTING', attempt: 2 })
    provider.open()
    expect(source.getSnapshot()).toMatchObject({ state: 'CHALLENGING', phase: 'RECONNECTING' })
    provider.sync()
    expect(log).toEqual([
      'CHALLENGING/CHALLENGE',
      'OPEN/JOIN_SUCCESS',
      'RECONNECTING/INTERRUPTED',
      'CHALLENGING/CHALLENGE',
      'OPEN/REJOIN_SUCCESS',
    ])
    expect(events).toEqual(['restored'])
    expect(source.getSnapshot()).toMatchObject({ attempt: 0, retrying: false })
  })

  it('the watchdog (a close of its own while it should connect): KEEP_ALIVE_TIMEOUT', async () => {
    const { provider, source } = yWebsocket()
    provider.open()
    provider.sync()
    provider.close(null)
    await vi.advanceTimersByTimeAsync(0)
    expect(source.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'KEEP_ALIVE_TIMEOUT',
    })
  })

  it('a server that closes the socket (1001): SERVER_CLOSED', async () => {
    const { provider, source } = yWebsocket()
    provider.open()
    provider.sync()
    provider.close({ code: 1001, reason: 'going away' })
    await vi.advanceTimersByTimeAsync(0)
    expect(source.getSnapshot().reason).toBe('SERVER_CLOSED')
  })

  it('a permanent close (4401, `closed`): ERROR/REJECTED_BY_SERVER, no RECONNECTING first', async () => {
    const { provider, source, log } = yWebsocket()
    provider.open()
    provider.sync()
    provider.close({ code: 4401, reason: 'revoked' })
    await vi.advanceTimersByTimeAsync(0)
    expect(log.slice(2)).toEqual(['ERROR/REJECTED_BY_SERVER'])
    expect(source.getSnapshot().error).toEqual({
      code: 'REJECTED_BY_SERVER',
      message:
        'y-websocket: the server closed the connection for good (4401 revoked); it will not reconnect by itself',
    })
    source.reconnect()
    expect(provider.shouldConnect).toBe(true)
    expect(source.getSnapshot()).toMatchObject({ state: 'RECONNECTING', reason: 'RETRY_REQUESTED' })
    provider.open()
    provider.sync()
    expect(log.at(-1)).toBe('OPEN/REJOIN_SUCCESS')
  })

  it('disconnect() on the provider: CLOSED/LEAVE_CHANNEL', () => {
    const { provider, source, log } = yWebsocket()
    provider.open()
    provider.sync()
    provider.disconnect()
    return vi.advanceTimersByTimeAsync(0).then(() => {
      expect(log.at(-1)).toBe('CLOSED/LEAVE_CHANNEL')
      expect(source.getSnapshot().state).toBe('CLOSED')
    })
  })

  it('yjs T5/T7: lost after 15 s, ERROR/JOIN_FAILED after 20 min and the provider disconnected', async () => {
    const { provider, source, log, events } = yWebsocket()
    provider.open()
    provider.sync()
    provider.close({ code: 1006, reason: '' })
    await vi.advanceTimersByTimeAsync(14_999)
    expect(source.getSnapshot().lost).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(source.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'LOST',
      lost: true,
    })
    expect(events).toEqual(['lost'])
    provider.attempt()
    await vi.advanceTimersByTimeAsync(1_200_000 - 15_000)
    expect(source.getSnapshot()).toMatchObject({ state: 'ERROR', reason: 'JOIN_FAILED' })
    expect(source.getSnapshot().error?.message).toMatch(/giveUpAfter \(1200000 ms\); disconnected/)
    expect(provider.shouldConnect).toBe(false)
    await vi.advanceTimersByTimeAsync(0)
    expect(source.getSnapshot().state).toBe('ERROR')
    source.reconnect()
    expect(log.slice(-2)).toEqual(['ERROR/JOIN_FAILED', 'RECONNECTING/RETRY_REQUESTED'])
    expect(provider.shouldConnect).toBe(true)
    provider.open()
    provider.sync()
    expect(log.at(-1)).toBe('OPEN/REJOIN_SUCCESS')
  })

  it('login(token): adds it to the query, reconnects a link with other parameters, resolves at OPEN', async () => {
    const { provider, source } = yWebsocket()
    provider.open()
    provider.sync()
    const done = source.login('secret')
    await vi.advanceTimersByTimeAsync(0)
    expect(provider.params).toEqual({ token: 'secret' })
    expect(provider.connects).toBe(2)
    provider.open()
    provider.sync()
    await expect(done).resolves.toBeUndefined()
    // The same parameters again: nothing to reconnect, resolved at once.
    await expect(source.login({ token: 'secret' })).resolves.toBeUndefined()
    expect(provider.connects).toBe(2)
  })

  it('send() rejects, saying to use the document or awareness', async () => {
    const { source } = yWebsocket()
    await expect(source.send({ hello: 1 })).rejects.toThrow(/Y\.Map.*awareness/s)
  })
})

describe('yjs: Hocuspocus states', () => {
  it('connect, authenticate, sync: AWAITING_CONNECTION → AUTHENTICATING → CHALLENGING → OPEN', () => {
    const { provider, source, log } = hocuspocus()
    source.connect()
    provider.open()
    provider.authenticate()
    provider.sync()
    expect(log).toEqual([
      'AWAITING_CONNECTION/CONNECTING',
      'AUTHENTICATING/AUTHENTICATING',
      'CHALLENGING/CHALLENGE',
      'OPEN/JOIN_SUCCESS',
    ])
  })

  it('a second `connected` (Hocuspocus says it at open and at the first message) changes nothing', () => {
    const { provider, log } = hocuspocus()
    provider.connecting()
    provider.open()
    provider.authenticate()
    provider.open()
    expect(log).toEqual([
      'AWAITING_CONNECTION/CONNECTING',
      'AUTHENTICATING/AUTHENTICATING',
      'CHALLENGING/CHALLENGE',
    ])
  })

  it.each([
    ['invalid token', 'INVALID_TOKEN'],
    ['token expired', 'TOKEN_EXPIRED'],
    ['permission-denied', 'REJECTED_BY_SERVER'],
  ])('authenticationFailed(%s): ERROR/%s, login() rejects', async (reason, expected) => {
    const { provider, source, log } = hocuspocus()
    const login = source.login({ token: 'wrong' })
    expect(provider.configuration.token).toBe('wrong')
    provider.connecting()
    provider.open()
    provider.refuse(reason)
    await expect(login).rejects.toThrow(`Hocuspocus: the server refused the token (${reason})`)
    expect(log.at(-1)).toBe(`ERROR/${expected}`)
    // Nothing moves it until the app acts.
    provider.drop({ code: 1006, reason: '' })
    expect(source.getSnapshot().state).toBe('ERROR')
  })

  it('login() after a refusal: the new token follows on the socket, without closing the document the server never opened', async () => {
    const { provider, source, log } = hocuspocus()
    source.connect()
    provider.open()
    provider.refuse('invalid token')
    const login = source.login('good')
    expect(provider.configuration.token).toBe('good')
    // A close would wait in the server's queue for the document and undo the next login.
    expect(provider.detaches).toBe(0)
    expect(provider.tokensSent).toBe(1)
    expect(log.at(-1)).toBe('AUTHENTICATING/AUTHENTICATING')
    provider.authenticate()
    provider.sync()
    await expect(login).resolves.toBeUndefined()
    // A fresh start after ERROR: a join, not a rejoin.
    expect(log.at(-1)).toBe('OPEN/JOIN_SUCCESS')
  })

  it('starts from where the provider is: attached, authenticated and synced → OPEN', () => {
    const provider = new FakeHocuspocus()
    provider.connecting()
    provider.open()
    provider.authenticate()
    provider.sync()
    expect(fromYjs(provider).getSnapshot()).toMatchObject({ state: 'OPEN', reason: 'JOIN_SUCCESS' })
    // Detached, the document is not live whatever its socket does.
    provider.isAttached = false
    expect(fromYjs(provider).getSnapshot()).toMatchObject({ state: 'CLOSED', reason: null })
  })

  it("its watchdog's forced close (4408) and a silent socket: KEEP_ALIVE_TIMEOUT", () => {
    const { provider, source } = hocuspocus()
    provider.connecting()
    provider.open()
    provider.authenticate()
    provider.sync()
    provider.drop({ code: 4408, reason: 'forced' })
    expect(source.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'KEEP_ALIVE_TIMEOUT',
    })

    const other = hocuspocus()
    other.provider.connecting()
    other.provider.open()
    other.provider.authenticate()
    other.provider.sync()
    vi.advanceTimersByTime(31_000)
    other.provider.drop({ code: 1005, reason: '' })
    expect(other.source.getSnapshot().reason).toBe('KEEP_ALIVE_TIMEOUT')
  })

  it('close(): a provider with its own socket is disconnected, a shared one detached', () => {
    const own = hocuspocus()
    own.provider.connecting()
    own.source.close()
    expect(own.provider.configuration.websocketProvider.shouldConnect).toBe(false)
    const shared = new FakeHocuspocus()
    shared.manageSocket = false
    fromYjs(shared).close()
    expect(shared.detaches).toBe(1)
    expect(shared.configuration.websocketProvider.shouldConnect).toBe(true)
  })
})

describe('yjs: peers are awareness states', () => {
  function online() {
    const ctx = yWebsocket()
    ctx.provider.open()
    ctx.provider.sync()
    return ctx
  }

  it('the other clients join with their state as data, updates are new objects, self is never a peer', () => {
    const { provider, source, events } = online()
    provider.awareness.setLocalState({ name: 'me' })
    const ada = remoteClient(provider.awareness, provider)
    const bob = remoteClient(provider.awareness, provider)
    ada.set({ name: 'Ada', cursor: 1 })
    bob.set({ name: 'Bob' })
    const bobBefore = source.getPeers().get(bob.id)
    ada.set({ name: 'Ada', cursor: 2 })
    ada.set({ name: 'Ada', cursor: 3 })
    expect(source.getPeers().get(ada.id)?.data).toEqual({ name: 'Ada', cursor: 3 })
    // Cursor moves touch Ada only: Bob keeps his object.
    expect(source.getPeers().get(bob.id)).toBe(bobBefore)
    expect([...source.getPeers().keys()].sort()).toEqual([ada.id, bob.id].sort())
    expect(events).toEqual([
      `joined:${ada.id}`,
      `joined:${bob.id}`,
      `updated:${ada.id}`,
      `updated:${ada.id}`,
    ])
  })

  it('a goodbye (a remote null state) is QUIT at once; the awareness timeout is DROPPED', () => {
    const { provider, source, events } = online()
    const ada = remoteClient(provider.awareness, provider)
    const bob = remoteClient(provider.awareness, provider)
    ada.set({ name: 'Ada' })
    bob.set({ name: 'Bob' })
    ada.quit()
    removeAwarenessStates(provider.awareness, [Number(bob.id)], 'timeout')
    expect(events.slice(2)).toEqual([`left:${ada.id}:QUIT`, `left:${bob.id}:DROPPED`])
    expect(source.getPeers().size).toBe(0)
  })

  it('a removal by the server of a state not renewed for 20 s is DROPPED', async () => {
    const { provider, events } = online()
    const ada = remoteClient(provider.awareness, provider)
    ada.set({ name: 'Ada' })
    await vi.advanceTimersByTimeAsync(25_000)
    ada.quit()
    expect(events.at(-1)).toBe(`left:${ada.id}:DROPPED`)
  })

  it('a drop keeps them (stale) until they are announced again, or until the awareness timeout', async () => {
    const { provider, source, events } = online()
    const ada = remoteClient(provider.awareness, provider)
    const bob = remoteClient(provider.awareness, provider)
    ada.set({ name: 'Ada' })
    bob.set({ name: 'Bob' })
    provider.close({ code: 1006, reason: '' })
    await vi.advanceTimersByTimeAsync(0)
    // y-websocket removed both from its awareness; they stay peers while the link is down.
    expect(provider.awareness.getStates().size).toBe(1)
    expect(source.getPeers().size).toBe(2)
    provider.attempt()
    provider.open()
    provider.sync()
    ada.set({ name: 'Ada' })
    await vi.advanceTimersByTimeAsync(29_000)
    expect(source.getPeers().size).toBe(2)
    await vi.advanceTimersByTimeAsync(1_000)
    expect([...source.getPeers().keys()]).toEqual([ada.id])
    expect(events.at(-1)).toBe(`left:${bob.id}:DROPPED`)
  })

  /** `count` remote states announced in one `change` event, as a provider applying a big update. */
  function manyPeers(provider: FakeYWebsocket, count: number) {
    const states = provider.awareness.getStates()
    const ids = Array.from({ length: count }, (_, i) => provider.awareness.clientID + 1 + i)
    for (const id of ids) states.set(id, { n: id })
    provider.awareness.emit('change', [{ added: ids, updated: [], removed: [] }, 'remote'])
    return ids
  }
  /** The link drops and the provider clears every remote state in one `change` event. */
  function dropAll(provider: FakeYWebsocket, ids: number[]) {
    provider.wsconnected = false
    for (const id of ids) provider.awareness.getStates().delete(id)
    provider.awareness.emit('change', [{ added: [], updated: [], removed: ids }, provider])
  }

  it('a drop that clears many states arms the hold timer once, not once per state', async () => {
    const { provider, source } = online()
    const ids = manyPeers(provider, 1_000)
    const setTimeout = vi.spyOn(realClock, 'setTimeout')
    try {
      dropAll(provider, ids)
      expect(setTimeout).toHaveBeenCalledTimes(1)
    } finally {
      setTimeout.mockRestore()
    }
    expect(source.getPeers().size).toBe(1_000)
    await vi.advanceTimersByTimeAsync(30_000)
    expect(source.getPeers().size).toBe(0)
  })

  it('a drop that clears 200,000 states holds them all (more ids than a spread can take)', async () => {
    const { provider, source } = online()
    const ids = manyPeers(provider, 200_000)
    expect(() => dropAll(provider, ids)).not.toThrow()
    expect(source.getPeers().size).toBe(200_000)
    await vi.advanceTimersByTimeAsync(30_000)
    expect(source.getPeers().size).toBe(0)
  })

  it('awareness states already there when adapted are peers', () => {
    const provider = new FakeYWebsocket()
    const ada = remoteClient(provider.awareness, provider)
    ada.set({ name: 'Ada' })
    const source = fromYjs(provider)
    expect(source.getPeers().get(ada.id)).toMatchObject({ online: true, data: { name: 'Ada' } })
  })
})

describe('yjs: close()', () => {
  it('y-websocket: CLOSED, every peer leaves, no listener left on the provider or its awareness, no timer', async () => {
    const provider = new FakeYWebsocket()
    const ada = remoteClient(provider.awareness, provider)
    const before = provider.listenerCount()
    const timersBefore = vi.getTimerCount()
    const source = fromYjs(provider)
    const { log, events } = record(source)
    expect(provider.listenerCount()).toBeGreaterThan(before)
    provider.open()
    provider.sync()
    ada.set({ name: 'Ada' })
    provider.close({ code: 1006, reason: '' })
    await vi.advanceTimersByTimeAsync(0)
    expect(vi.getTimerCount()).toBeGreaterThan(timersBefore)
    source.close()
    expect(log.at(-1)).toBe('CLOSED/LEAVE_CHANNEL')
    expect(events.at(-1)).toBe(`left:${ada.id}:undefined`)
    expect(provider.listenerCount()).toBe(before)
    expect(vi.getTimerCount()).toBe(timersBefore)
    expect(provider.shouldConnect).toBe(false)
    // Nothing more happens; connect() attaches again and starts afresh.
    provider.attempt()
    expect(source.getSnapshot().state).toBe('CLOSED')
    source.connect()
    provider.open()
    provider.sync()
    expect(log.at(-1)).toBe('OPEN/JOIN_SUCCESS')
    expect(provider.listenerCount()).toBeGreaterThan(before)
  })

  it('Hocuspocus: no listener left on the provider or its awareness', () => {
    const provider = new FakeHocuspocus()
    const before = provider.listenerCount()
    const source = fromYjs(provider)
    expect(provider.listenerCount()).toBe(before + 8)
    source.close()
    expect(provider.listenerCount()).toBe(before)
  })

  it('a login() pending when the outage gives up rejects with the give-up', async () => {
    const { provider, source } = yWebsocket({ giveUpAfter: 1000 })
    provider.open()
    provider.sync()
    provider.close({ code: 1006, reason: '' })
    await vi.advanceTimersByTimeAsync(0)
    const login = source.login()
    const settled = expect(login).rejects.toThrow(/not reconnected within giveUpAfter/)
    await vi.advanceTimersByTimeAsync(1000)
    await settled
  })

  it('a pending login() rejects', async () => {
    const { source } = yWebsocket()
    const login = source.login()
    source.close()
    await expect(login).rejects.toThrow('fromYjs: close() was called before login() finished')
  })
})
