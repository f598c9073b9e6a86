/**
 * `createClient`: the interpreter of the pure machine in machine.ts. It owns every piece of I/O —
 * one socket, one timer, the network listeners — and after each transition brings each of them
 * in line with the new machine, so `close()` (which wants no socket, no deadline and no
 * listener) leaves nothing running by construction.
 */
import { createEmitter } from './emitter.js'
import { checkLink, startWatch, type Watch } from './heartbeat.js'
import {
  deadlineOf,
  initialMachine,
  transition,
  type Machine,
  type MachineEvent,
} from './machine.js'
import { watchNetwork } from './network.js'
import { resolveOptions, resolveUrl, type ClientOptions, type WebSocketLike } from './options.js'
import { createOutbox, type OutgoingMessage, type WriteResult } from './outbox.js'
import { peerFrom, peerLeft, replacePeers, type Peer } from './peers.js'
import {
  PROTOCOL_VERSION,
  type ClientFrame,
  type PresenceFrame,
  type ServerFrame,
} from './protocol.js'
import { isRetrying, phaseFor } from './rules.js'
import { toneOf, type ConnectionReason, type ConnectionState } from './states.js'
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

// setTimeout fires at once for delays above 2^31-1 ms; a longer wait wakes early and re-arms.
const MAX_DELAY = 2 ** 31 - 1
// The server's words for a refused login, where linklight's reason is spelled differently.
const rejections: Record<string, ConnectionReason> = {
  INVALID_TOKEN: 'INVALID_TOKEN',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  BANNED: 'BANNED_BY_SERVER',
}
const noop = () => {}
const report = (error: unknown) =>
  typeof reportError == 'function' ? reportError(error) : console.error('linklight:', error)
// 128 random bits: the session id is a bearer secret (it resumes this client's place on the
// server), so it must not be guessable.
const newSession = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('')
// A UTF-8 character takes at most 3 bytes per UTF-16 unit: only long texts need counting.
const fits = (text: string, bytes: number) =>
  text.length * 3 <= bytes || new TextEncoder().encode(text).byteLength <= bytes

const snapshotOf = (m: Machine, queued: number): ConnectionSnapshot => ({
  state: m.state,
  previousState: m.previousState,
  reason: m.reason,
  phase: phaseFor(m.state, m.rejoin),
  tone: toneOf(m.state),
  since: m.since,
  attempt: m.attempt,
  nextRetryAt: m.nextRetryAt,
  retrying: isRetrying(m.state, m.attempt),
  lost: m.lost,
  queued,
  error: m.error,
})

/**
 * Creates a connection to a linklight server (or, with `protocol: plainProtocol()`, any
 * WebSocket server) that reconnects with a growing, capped wait, checks the link with heartbeats, and queues
 * messages while offline, resending what the server did not acknowledge.
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
  const events = createEmitter<
    ConnectionEvents & { snapshot: (snapshot: ConnectionSnapshot) => void }
  >(report)
  const outbox = createOutbox(o.queueLimit)
  const peers = new Map<string, Peer>()

  let m: Machine = { ...initialMachine, since: clock.now() }
  let snapshot = Object.freeze(snapshotOf(m, 0))
  let ws: WebSocketLike | null = null
  let wsId = 0
  let wsUrl = baseUrl
  let credentials: unknown
  let presence: unknown
  let session = newSession()
  // Our own peer id (from `welcome`): presence news about it is not news about a peer.
  let selfId: string | null = null
  // The number of the last relay received in this session, and where a replay was last asked.
  let received = 0
  let replayAskedAt = -1
  let maxPayload = Infinity
  let lastDataAt = 0
  // The heartbeat watchdog while OPEN (heartbeat.ts), and when it wants to look again.
  let watch: Watch | null = null
  let watchAt = Infinity
  // The one timer: it wakes the client at the machine's next deadline or the watchdog's.
  let timer: unknown
  let timerAt = Infinity
  let unwatchNetwork: (() => void) | null = null
  let logins: [resolve: () => void, reject: (error: Error) => void][] = []
  const inbox: Input[] = []
  let busy = false

  // Events raised while a transition is being applied (by handlers, sockets, user code) wait
  // their turn, so every transition sees the machine its predecessor left.
  function dispatch(input: Input) {
    inbox.push(input)
    if (busy) return
    busy = true
    try {
      for (let next; (next = inbox.shift());) step(next)
    } finally {
      busy = false
    }
  }

  function step(input: Input) {
    const prev = m
    m = transition(m, { ...input, now: clock.now() } as MachineEvent, o)
    if (m == prev) return
    const changed = m.state != prev.state
    syncSocket()
    if (changed) enter(prev.state)
    syncNetwork()
    arm()
    publish()
    if (changed) events.emit('connectionStateChanged', m.state, m.reason!)
    if (m.lost && !prev.lost) events.emit('lost')
    if (changed && m.reason == 'REJOIN_SUCCESS') events.emit('restored')
  }

  // ── the socket ────────────────────────────────────────────────────────────────
  function syncSocket() {
    if (wsId == m.socket) return
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null
      // `ws` emits 'error' when closed while connecting; with no listener that would throw.
      ws.onerror = noop
      try {
        if (m.state == 'CLOSED') ws.close(1000, 'closed by client')
        else ws.close(4000, 'reconnecting')
      } catch {
        // already closing
      }
      ws = null
    }
    wsId = m.socket
    if (wsId) openSocket(wsId, m.url ?? baseUrl)
  }

  function openSocket(id: number, target: string) {
    let opened = false
    const failed = (message: string) =>
      dispatch({
        type: 'failed',
        socket: id,
        reason: 'SERVER_CLOSED',
        message,
        silentSince: lastDataAt,
      })
    wsUrl = target
    maxPayload = Infinity
    try {
      ws = new o.WebSocket(target)
    } catch (error) {
      return failed(`Could not open ${target}: ${String(error)}`)
    }
    ws.onopen = () => {
      opened = true
      dispatch({ type: 'opened', socket: id })
    }
    ws.onmessage = (event) => receive(id, event.data)
    ws.onerror = noop // the close event that follows says what happened
    ws.onclose = (event) =>
      failed(
        `${opened ? 'The connection to' : 'Could not connect to'} ${target} (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`,
      )
  }

  function write(frame: ClientFrame | string) {
    try {
      ws?.send(typeof frame == 'string' ? frame : protocol.encode(frame))
    } catch {
      // The socket is going away; its close event follows and unacknowledged messages are resent.
    }
  }

  const writeMessage = (message: OutgoingMessage): WriteResult => {
    if (fits(message.frame, maxPayload)) {
      write(message.frame)
      return true
    }
    const error = new RangeError(
      `send: the message is larger than the server accepts (${maxPayload} bytes); it was not sent`,
    )
    problem('MESSAGE_TOO_LARGE', error.message)
    return error
  }

  const problem = (code: string, message: string) => events.emit('error', { code, message })

  // A frame must never throw out of the socket's handler (that would crash Node, or wedge the
  // socket): whatever goes wrong is reported, and a link whose state we can no longer trust
  // is dropped and re-established.
  function receive(id: number, raw: unknown) {
    try {
      handle(id, raw)
    } catch (error) {
      problem(
        'PROTOCOL_ERROR',
        `Dropped the link after a frame it could not handle: ${String(error)}`,
      )
      dispatch({
        type: 'failed',
        socket: id,
        reason: 'PROTOCOL_ERROR',
        message: String(error),
        silentSince: lastDataAt,
      })
    }
  }

  function handle(id: number, raw: unknown) {
    lastDataAt = clock.now()
    if (typeof raw != 'string')
      return protocol.handshake
        ? problem('PROTOCOL_ERROR', 'Ignored a binary frame: the protocol is text only')
        : events.emit('message', raw, null)
    if (protocol.isPong(raw)) return
    let frame: ServerFrame
    try {
      frame = protocol.decode(raw)
    } catch (error) {
      return problem(
        'PROTOCOL_ERROR',
        `Ignored a malformed frame from the server: ${(error as Error).message}`,
      )
    }
    const socket = id
    switch (frame.t) {
      case 'challenge':
      case 'accept':
        maxPayload = (frame.t == 'accept' && frame.maxPayload) || Infinity
        return dispatch({ type: frame.t, socket })
      case 'redirect':
        return dispatch({ type: 'redirect', socket, url: frame.url })
      case 'welcome':
        if (m.state != 'AUTHENTICATING') return
        selfId = frame.id
        replayAskedAt = -1
        outbox.resume(frame.lastSeq)
        welcome(frame.peers)
        return dispatch({ type: 'welcome', socket })
      case 'rejected':
        return dispatch({
          type: 'rejected',
          socket,
          reason: Object.hasOwn(rejections, frame.reason)
            ? rejections[frame.reason]!
            : 'REJECTED_BY_SERVER',
          message: frame.message ?? `The server refused the login (${frame.reason})`,
        })
      case 'ack':
        if (!outbox.ack(frame.seq))
          problem('PROTOCOL_ERROR', `Ignored an ack for message ${frame.seq}, which was never sent`)
        return
      case 'resend':
        // The server lost messages on the way: it has everything up to `after`, send the rest.
        if (!outbox.ack(frame.after))
          return problem('PROTOCOL_ERROR', `Ignored a resend after ${frame.after}, never sent`)
        outbox.requeue()
        if (m.state == 'OPEN') outbox.flush(writeMessage, protocol.handshake)
        return
      case 'msg':
        return relayed(frame)
      case 'missed':
        received = frame.upTo
        return events.emit('missed', { count: frame.count })
      case 'joined':
      case 'updated':
      case 'left':
        return presenceChanged(frame)
      case 'batch':
        return frame.frames.forEach(presenceChanged)
      case 'error':
        problem(frame.code, `The server reported an error: ${frame.message}`)
        if (frame.fatal)
          dispatch({ type: 'fatal', socket, reason: 'PROTOCOL_ERROR', message: frame.message })
    }
  }

  // Relays are numbered per session: one already seen is a replay's overlap, one that skips
  // ahead means some were lost on this link, and the server is asked (once) to replay them.
  function relayed(frame: Extract<ServerFrame, { t: 'msg' }>) {
    if (frame.n === undefined) return events.emit('message', frame.data, frame.from)
    if (frame.n <= received) return
    if (frame.n > received + 1) {
      if (replayAskedAt == received) return
      replayAskedAt = received
      return write({ t: 'replay', after: received })
    }
    received = frame.n
    events.emit('message', frame.data, frame.from)
  }

  function presenceChanged(frame: PresenceFrame) {
    if (frame.t == 'left') {
      const peer = peers.get(frame.id)
      if (peer && peers.delete(frame.id))
        events.emit('peerLeft', peerLeft(peer, frame.reason, frame.at))
      return
    }
    if (frame.peer.id == selfId) return
    const peer = peerFrom(frame.peer)
    const known = peers.has(peer.id)
    peers.set(peer.id, peer)
    events.emit(known ? 'peerUpdated' : 'peerJoined', peer)
  }

  function welcome(list: Parameters<typeof replacePeers>[1]) {
    const diff = replacePeers(peers, list, Date.now())
    peers.clear()
    for (const [id, peer] of diff.peers) peers.set(id, peer)
    for (const peer of diff.left) events.emit('peerLeft', peer)
    for (const peer of diff.joined) events.emit('peerJoined', peer)
    for (const peer of diff.updated) events.emit('peerUpdated', peer)
  }

  // ── entering a state ──────────────────────────────────────────────────────────
  function enter(prev: ConnectionState) {
    if (prev == 'OPEN') {
      watch = null
      watchAt = Infinity
      outbox.requeue()
    }
    switch (m.state) {
      case 'CHALLENGING':
        return write({ t: 'hello', v: PROTOCOL_VERSION, url: wsUrl, session, received })
      case 'AUTHENTICATING':
        // JSON leaves out what is undefined: no presence set, no presence sent.
        return write({ t: 'auth', credentials, presence })
      case 'OPEN':
        lastDataAt = clock.now()
        watch = startWatch(lastDataAt, o)
        watchAt = Math.min(watch.nextPingAt, lastDataAt + o.interruptedAfter)
        outbox.flush(writeMessage, protocol.handshake)
        return settleLogins()
      case 'ERROR':
        return settleLogins(new Error(`login: ${m.error?.message}`))
      case 'CLOSED': {
        const closed = new Error('close() was called before this was done; call login() again')
        settleLogins(closed)
        outbox.rejectAll(closed)
        session = newSession()
        received = 0
        selfId = null
        credentials = undefined
        const gone = [...peers.values()]
        peers.clear()
        for (const peer of gone) events.emit('peerLeft', peerLeft(peer, undefined, Date.now()))
      }
    }
  }

  function settleLogins(error?: Error) {
    const waiting = logins
    logins = []
    for (const [resolve, reject] of waiting) {
      if (error) reject(error)
      else resolve()
    }
  }

  // ── the timer, the watchdog, the network: brought in line with the machine ───
  function arm() {
    const at = Math.min(deadlineOf(m, o), watchAt)
    if (at == timerAt) return
    clock.clearTimeout(timer)
    timerAt = at
    timer =
      at < Infinity
        ? clock.setTimeout(wake, Math.min(MAX_DELAY, Math.max(0, at - clock.now())))
        : undefined
  }

  function wake() {
    timerAt = Infinity
    const now = clock.now()
    if (watch && now >= watchAt) checkWatch(watch, now)
    // Each tick handles one deadline; several may be due at once.
    for (let before; before != m;) {
      before = m
      dispatch({ type: 'tick' })
    }
    arm()
  }

  function checkWatch(current: Watch, now: number) {
    const result = checkLink({ ...current, lastDataAt }, now, watchAt, o)
    watch = result.watch
    watchAt = result.wakeAt
    if (result.ping) write(protocol.ping())
    if (result.failure == 'INTERRUPTED')
      dispatch({
        type: 'failed',
        socket: m.socket,
        reason: 'INTERRUPTED',
        message: `No data from the server for ${o.interruptedAfter} ms`,
        silentSince: lastDataAt,
      })
    else if (result.failure) dispatch({ type: 'heartbeatFailed', silentSince: lastDataAt })
  }

  function syncNetwork() {
    const wanted = m.state != 'CLOSED' && m.state != 'ERROR'
    if (wanted && !unwatchNetwork) unwatchNetwork = watchNetwork(onNetwork)
    if (!wanted && unwatchNetwork) {
      unwatchNetwork()
      unwatchNetwork = null
    }
  }

  function onNetwork(online: boolean) {
    // Never trust the event alone: probe an open link, or try now and let the server answer.
    if (online && m.state == 'OPEN') write(protocol.ping())
    else if (online) dispatch({ type: 'online' })
    else if (m.socket)
      dispatch({
        type: 'failed',
        socket: m.socket,
        reason: 'NETWORK_OFFLINE',
        message: 'The device went offline',
        silentSince: lastDataAt,
      })
  }

  function publish() {
    const next = snapshotOf(m, outbox.pending)
    if ((Object.keys(next) as (keyof ConnectionSnapshot)[]).some((k) => next[k] !== snapshot[k]))
      events.emit('snapshot', (snapshot = Object.freeze(next)))
  }

  const client: LinklightClient = {
    getConnectionState: () => m.state,
    getSnapshot: () => snapshot,
    getPeers: () => new Map(peers),
    subscribe: (listener) => events.on('snapshot', listener),
    on: events.on,
    connect: () => dispatch({ type: 'connect' }),
    reconnect: () => dispatch({ type: 'reconnect' }),
    login(...args: [credentials?: unknown]) {
      if (m.state == 'OPEN')
        return args.length && JSON.stringify(args[0]) !== JSON.stringify(credentials)
          ? Promise.reject(
              new Error('login: already logged in; close() first to change credentials'),
            )
          : Promise.resolve()
      if (args.length) credentials = args[0]
      const done = new Promise<void>((resolve, reject) => logins.push([resolve, reject]))
      done.catch(noop) // awaiting it is optional
      dispatch({ type: 'login' })
      return done
    },
    send(data) {
      if (data === undefined) throw new TypeError('send: data must not be undefined (send null)')
      const open = m.state == 'OPEN'
      const promise = outbox.add((seq) => {
        try {
          return protocol.encode({ t: 'msg', seq, data })
        } catch (error) {
          throw new TypeError(`send: data cannot be encoded as JSON (${(error as Error).message})`)
        }
      }, !open)
      if (open) outbox.flush(writeMessage, protocol.handshake)
      else publish()
      return promise
    },
    setPresence(data) {
      presence = data
      if (m.state == 'OPEN' && protocol.handshake) write({ t: 'presence', data })
    },
    close() {
      if (m.state == 'OPEN' && protocol.handshake) write({ t: 'bye' })
      dispatch({ type: 'close' })
    },
  }

  if (!o.lazyConnect) dispatch({ type: 'connect' })
  return client
}

export type { ConnectionError }
