/**
 * `createClient`: the interpreter of the pure machine in machine.ts. It owns every piece of I/O —
 * one socket, the machine's timers, the heartbeat watchdog, the network listeners — and after
 * each transition brings each of them in line with the new machine, so `close()` (which wants
 * no socket, no timer and no listener) leaves nothing running by construction.
 */
import { createEmitter } from './emitter.js'
import { checkLink, startWatch, type Watch } from './heartbeat.js'
import {
  initialMachine,
  isRetrying,
  timersOf,
  transition,
  type Machine,
  type MachineEvent,
  type TimerName,
} from './machine.js'
import { watchNetwork } from './network.js'
import { resolveOptions, resolveUrl, type ClientOptions, type WebSocketLike } from './options.js'
import { createOutbox, type OutgoingMessage, type WriteResult } from './outbox.js'
import { peerFrom, peerLeft, replacePeers, type Peer } from './peers.js'
import { PROTOCOL_VERSION, type AuthRejection, type ServerFrame } from './protocol.js'
import { phaseOf, toneOf, type ConnectionReason, type ConnectionState } from './states.js'
import type {
  ConnectionError,
  ConnectionEvents,
  ConnectionSnapshot,
  ConnectionSource,
} from './types.js'

/** linklight's connection client. */
export interface LinklightClient extends ConnectionSource {
  getConnectionState(): ConnectionState
  /** Your presence data, shown to the other peers; kept and re-sent after every reconnect. */
  setPresence(data: unknown): void
}

type Input = MachineEvent extends infer E
  ? E extends MachineEvent
    ? Omit<E, 'now'>
    : never
  : never

const TIMERS: readonly TimerName[] = ['retry', 'connect', 'lost', 'giveUp']
// setTimeout fires at once for delays above 2^31-1 ms; longer waits are re-armed.
const MAX_DELAY = 2 ** 31 - 1
const rejections: Record<AuthRejection, ConnectionReason> = {
  INVALID_TOKEN: 'INVALID_TOKEN',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  BANNED: 'BANNED_BY_SERVER',
  REJECTED: 'REJECTED_BY_SERVER',
}
const noop = () => {}
const report = (error: unknown) =>
  typeof reportError === 'function'
    ? reportError(error)
    : console.error('linklight: an event handler threw', error)
const newSession = () => Math.random().toString(36).slice(2) + Date.now().toString(36)
// A UTF-8 character takes at most 3 bytes per UTF-16 unit: only long texts need counting.
const fits = (text: string, bytes: number) =>
  text.length * 3 <= bytes || new TextEncoder().encode(text).byteLength <= bytes

function snapshotOf(m: Machine, queued: number): ConnectionSnapshot {
  return {
    state: m.state,
    previousState: m.previousState,
    reason: m.reason,
    phase: phaseOf(m.state, { reconnecting: m.reconnecting }),
    tone: toneOf(m.state),
    since: m.since,
    attempt: m.attempt,
    nextRetryAt: m.nextRetryAt,
    retrying: isRetrying(m),
    lost: m.lost,
    queued,
    error: m.error,
  }
}

const sameSnapshot = (a: ConnectionSnapshot, b: ConnectionSnapshot) =>
  (Object.keys(a) as (keyof ConnectionSnapshot)[]).every((key) => a[key] === b[key])

/**
 * Creates a connection to a linklight server (or, with `protocol: plainProtocol()`, any
 * WebSocket server) that reconnects, heartbeats and queues the way SPEC §3 describes.
 *
 * @example
 * ```ts
 * import { createClient, presets } from 'linklight'
 * const client = createClient('ws://127.0.0.1:8787', { ...presets.deepstream })
 * client.on('connectionStateChanged', (state, reason) => console.log(state, reason))
 * await client.login({ id: 'ada' })
 * client.send({ text: 'hello' })
 * ```
 */
export function createClient(url: string, options?: ClientOptions): LinklightClient {
  const baseUrl = resolveUrl(url)
  const o = resolveOptions(options)
  const { clock, protocol } = o
  const events = createEmitter<ConnectionEvents>(report)
  const listeners = new Set<(snapshot: ConnectionSnapshot) => void>()
  const outbox = createOutbox(o.queueLimit)
  const timers = new Map<TimerName, { at: number; handle: unknown }>()
  const peers = new Map<string, Peer>()

  let m: Machine = { ...initialMachine, since: clock.now() }
  let snapshot = Object.freeze(snapshotOf(m, 0))
  let socket: { id: number; ws: WebSocketLike; url: string; opened: boolean } | null = null
  let credentials: unknown
  let presence: unknown
  let session = newSession()
  let serverMaxPayload = Infinity
  let lastDataAt = -Infinity
  let watch: { state: Watch; due: number; handle: unknown } | null = null
  let unwatchNetwork: (() => void) | null = null
  let logins: { resolve: () => void; reject: (error: Error) => void }[] = []
  const inbox: Input[] = []
  let busy = false

  // Events raised while a transition is being applied (by handlers, sockets, user code) wait
  // their turn, so every transition sees the machine its predecessor left.
  function dispatch(input: Input) {
    inbox.push(input)
    if (busy) return
    busy = true
    try {
      for (let next = inbox.shift(); next; next = inbox.shift()) step(next)
    } finally {
      busy = false
    }
  }

  function step(input: Input) {
    const prev = m
    m = transition(m, { ...input, now: clock.now() } as MachineEvent, o)
    if (m === prev) return
    syncSocket()
    if (m.state !== prev.state) enter(prev)
    syncTimers()
    syncNetwork()
    publish()
    if (m.state !== prev.state)
      events.emit('connectionStateChanged', m.state, m.reason as ConnectionReason)
    if (m.lost && !prev.lost) events.emit('lost')
    if (m.state === 'OPEN' && prev.state !== 'OPEN' && m.reason === 'REJOIN_SUCCESS')
      events.emit('restored')
  }

  // ── the socket ────────────────────────────────────────────────────────────────
  function syncSocket() {
    if (socket && socket.id !== m.socket) {
      const { ws } = socket
      socket = null
      ws.onopen = ws.onmessage = ws.onclose = null
      // `ws` emits 'error' when closed while connecting; with no listener that would throw.
      ws.onerror = noop
      try {
        ws.close(
          m.state === 'CLOSED' ? 1000 : 4000,
          m.state === 'CLOSED' ? 'closed by client' : 'reconnecting',
        )
      } catch {
        // already closing
      }
    }
    if (!socket && m.socket) openSocket(m.socket, m.url ?? baseUrl)
  }

  function openSocket(id: number, target: string) {
    let ws: WebSocketLike
    try {
      ws = new o.WebSocket(target)
    } catch (error) {
      dispatch({
        type: 'failed',
        socket: id,
        reason: 'SERVER_CLOSED',
        message: `Could not open ${target}: ${String(error)}`,
      })
      return
    }
    const current = { id, ws, url: target, opened: false }
    socket = current
    serverMaxPayload = Infinity
    ws.onopen = () => {
      current.opened = true
      dispatch({ type: 'opened', socket: id })
    }
    ws.onmessage = (event) => receive(id, event.data)
    ws.onerror = noop // the close event that follows says what happened
    ws.onclose = (event) =>
      dispatch({
        type: 'failed',
        socket: id,
        reason: 'SERVER_CLOSED',
        message: current.opened
          ? `The connection to ${target} closed (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`
          : `Could not connect to ${target} (code ${event.code})`,
        silentSince: lastDataAt,
      })
  }

  function write(text: string) {
    try {
      socket?.ws.send(text)
    } catch {
      // The socket is going away; its close event follows and unacknowledged messages are resent.
    }
  }

  const writeMessage = (message: OutgoingMessage): WriteResult => {
    if (!fits(message.frame, serverMaxPayload)) {
      const error = new RangeError(
        `send: the message is larger than the server accepts (${serverMaxPayload} bytes); it was not sent`,
      )
      events.emit('error', { code: 'MESSAGE_TOO_LARGE', message: error.message })
      return error
    }
    write(message.frame)
    return true
  }

  function fail(code: string, message: string) {
    events.emit('error', { code, message })
  }

  function receive(id: number, raw: unknown) {
    if (socket?.id !== id) return
    lastDataAt = clock.now()
    if (typeof raw !== 'string') {
      if (protocol.handshake)
        fail('PROTOCOL_ERROR', 'Ignored a binary frame: the linklight protocol is text only')
      else events.emit('message', raw, null)
      return
    }
    if (protocol.isPong(raw)) return
    let frame: ServerFrame
    try {
      frame = protocol.decode(raw)
    } catch (error) {
      fail(
        'PROTOCOL_ERROR',
        `Ignored a malformed frame from the server: ${(error as Error).message}`,
      )
      return
    }
    handleFrame(id, frame)
  }

  function handleFrame(id: number, frame: ServerFrame) {
    switch (frame.t) {
      case 'challenge':
        return dispatch({ type: 'challenge', socket: id })
      case 'welcome':
        welcome(frame.peers, frame.lastSeq)
        return dispatch({ type: 'welcome', socket: id })
      case 'accept':
        serverMaxPayload = frame.maxPayload ?? Infinity
        return dispatch({ type: 'accept', socket: id })
      case 'redirect':
        return dispatch({ type: 'redirect', socket: id, url: frame.url })
      case 'rejected':
        return dispatch({
          type: 'rejected',
          socket: id,
          reason: Object.hasOwn(rejections, frame.reason)
            ? rejections[frame.reason]
            : 'REJECTED_BY_SERVER',
          message: frame.message ?? `The server refused the login (${frame.reason})`,
        })
      case 'pong':
        return
      case 'ack':
        return outbox.ack(frame.seq)
      case 'msg':
        return events.emit('message', frame.data, frame.from)
      case 'joined':
      case 'updated': {
        const peer = peerFrom(frame.peer)
        const known = peers.has(peer.id)
        peers.set(peer.id, peer)
        return events.emit(known ? 'peerUpdated' : 'peerJoined', peer)
      }
      case 'left': {
        const peer = peers.get(frame.id)
        if (!peer) return
        peers.delete(frame.id)
        return events.emit('peerLeft', peerLeft(peer, frame.reason, frame.at))
      }
      case 'error':
        fail(frame.code, `The server reported an error: ${frame.message}`)
        if (frame.fatal)
          dispatch({ type: 'fatal', socket: id, reason: 'PROTOCOL_ERROR', message: frame.message })
        return
    }
  }

  function welcome(list: Parameters<typeof replacePeers>[1], lastSeq: number) {
    outbox.ack(lastSeq)
    const diff = replacePeers(peers, list, Date.now())
    peers.clear()
    for (const [id, peer] of diff.peers) peers.set(id, peer)
    for (const peer of diff.left) events.emit('peerLeft', peer)
    for (const peer of diff.joined) events.emit('peerJoined', peer)
    for (const peer of diff.updated) events.emit('peerUpdated', peer)
  }

  // ── entering a state ──────────────────────────────────────────────────────────
  function enter(prev: Machine) {
    if (prev.state === 'OPEN') {
      stopWatch()
      outbox.requeue()
    }
    switch (m.state) {
      case 'CHALLENGING':
        return write(
          protocol.encode({
            t: 'hello',
            v: PROTOCOL_VERSION,
            url: socket?.url ?? baseUrl,
            session,
          }),
        )
      case 'AUTHENTICATING':
        return write(
          protocol.encode(
            presence === undefined
              ? { t: 'auth', credentials }
              : { t: 'auth', credentials, presence },
          ),
        )
      case 'OPEN':
        startWatch_()
        outbox.flush(writeMessage, protocol.handshake)
        return settleLogins(null)
      case 'ERROR':
        return settleLogins(new Error(`login: ${m.error?.message ?? 'the connection failed'}`))
      case 'CLOSED': {
        const closed = new Error(
          'linklight: close() was called before this was done; call connect() or login() again',
        )
        settleLogins(closed)
        outbox.rejectAll(closed)
        session = newSession()
        credentials = undefined
        const gone = [...peers.values()]
        peers.clear()
        for (const peer of gone) events.emit('peerLeft', peerLeft(peer, undefined, Date.now()))
      }
    }
  }

  function settleLogins(error: Error | null) {
    const waiting = logins
    logins = []
    for (const login of waiting) {
      if (error) login.reject(error)
      else login.resolve()
    }
  }

  // ── timers, heartbeat, network: brought in line with the machine ─────────────
  function syncTimers() {
    const wanted = timersOf(m, o)
    for (const name of TIMERS) {
      const at = wanted[name]
      const current = timers.get(name)
      if (current?.at === at) continue
      if (current) clock.clearTimeout(current.handle)
      timers.delete(name)
      if (at !== undefined) arm(name, at)
    }
  }

  function arm(name: TimerName, at: number) {
    const handle = clock.setTimeout(
      () => {
        timers.delete(name)
        if (clock.now() < at) arm(name, at)
        else dispatch({ type: 'timer', name })
      },
      Math.min(MAX_DELAY, Math.max(0, at - clock.now())),
    )
    timers.set(name, { at, handle })
  }

  function startWatch_() {
    lastDataAt = clock.now()
    armWatch(startWatch(lastDataAt, o))
  }

  function armWatch(state: Watch) {
    const due = Math.min(
      state.nextPingAt,
      state.lastDataAt + 2 * o.heartbeatInterval,
      state.lastDataAt + o.interruptedAfter,
    )
    watch = { state, due, handle: clock.setTimeout(onWatch, Math.max(0, due - clock.now())) }
  }

  function onWatch() {
    if (!watch) return
    const result = checkLink({ ...watch.state, lastDataAt }, clock.now(), watch.due, o)
    watch = null
    if (result.ping) write(protocol.ping())
    if (result.failure === 'INTERRUPTED')
      dispatch({
        type: 'failed',
        socket: m.socket,
        reason: 'INTERRUPTED',
        message: `No data from the server for ${o.interruptedAfter} ms`,
        silentSince: lastDataAt,
      })
    else if (result.failure) dispatch({ type: 'heartbeatFailed', silentSince: lastDataAt })
    else {
      watch = {
        state: result.watch,
        due: result.wakeAt,
        handle: clock.setTimeout(onWatch, Math.max(0, result.wakeAt - clock.now())),
      }
    }
  }

  function stopWatch() {
    if (watch) clock.clearTimeout(watch.handle)
    watch = null
  }

  function syncNetwork() {
    const wanted = m.state !== 'CLOSED' && m.state !== 'ERROR'
    if (wanted && !unwatchNetwork) unwatchNetwork = watchNetwork(onNetwork)
    if (!wanted && unwatchNetwork) {
      unwatchNetwork()
      unwatchNetwork = null
    }
  }

  function onNetwork(online: boolean) {
    if (online) {
      // Never trust the event alone: probe an open link, or try now and let the server answer.
      if (m.state === 'OPEN') write(protocol.ping())
      else dispatch({ type: 'online' })
    } else if (m.socket !== 0) {
      dispatch({
        type: 'failed',
        socket: m.socket,
        reason: 'NETWORK_OFFLINE',
        message: 'The device went offline',
        silentSince: lastDataAt,
      })
    }
  }

  function publish() {
    const next = snapshotOf(m, outbox.pending)
    if (sameSnapshot(next, snapshot)) return
    snapshot = Object.freeze(next)
    for (const listener of [...listeners]) {
      try {
        listener(snapshot)
      } catch (error) {
        report(error)
      }
    }
  }

  const client: LinklightClient = {
    getConnectionState: () => m.state,
    getSnapshot: () => snapshot,
    getPeers: () => new Map(peers),
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    on: (event, handler) => events.on(event, handler),
    connect: () => dispatch({ type: 'connect' }),
    reconnect: () => dispatch({ type: 'reconnect' }),
    login(...args: [credentials?: unknown]) {
      if (m.state === 'OPEN') {
        const same = args.length === 0 || JSON.stringify(args[0]) === JSON.stringify(credentials)
        return same
          ? Promise.resolve()
          : Promise.reject(
              new Error(
                'login: already logged in; call close() and then login() to change credentials',
              ),
            )
      }
      if (args.length) credentials = args[0]
      const done = new Promise<void>((resolve, reject) => logins.push({ resolve, reject }))
      done.catch(noop) // awaiting it is optional
      dispatch({ type: 'login' })
      return done
    },
    send(data) {
      if (data === undefined)
        throw new TypeError('send: data must not be undefined (send null for "nothing")')
      const promise = outbox.add((seq) => {
        try {
          return protocol.encode({ t: 'msg', seq, data })
        } catch (error) {
          throw new TypeError(`send: data cannot be encoded as JSON (${(error as Error).message})`)
        }
      }, m.state !== 'OPEN')
      if (m.state === 'OPEN') outbox.flush(writeMessage, protocol.handshake)
      else publish()
      return promise
    },
    setPresence(data) {
      presence = data
      if (m.state === 'OPEN' && protocol.handshake) write(protocol.encode({ t: 'presence', data }))
    },
    close() {
      if (m.state === 'OPEN' && protocol.handshake) write(protocol.encode({ t: 'bye' }))
      dispatch({ type: 'close' })
    },
  }

  if (!o.lazyConnect) dispatch({ type: 'connect' })
  return client
}

export type { ConnectionError }
