/**
 * linklight/socket.io: `fromSocketIO(socket)` turns a `socket.io-client` socket into a
 * `ConnectionSource` — the badge, and, with `attachPresence` on the server
 * (`linklight/socket.io/server`), who else is here and an acknowledged `send()` that delivers
 * each message once. It never imports Socket.IO: it types the socket structurally.
 */
import { realClock } from '../core/clock.js'
import { outageTimeline } from '../core/outage.js'
import { peerFrom } from '../core/peers.js'
import { createSourceKit } from '../core/sourceKit.js'
import { pendingLogins } from './logins.js'
import type { ConnectionReason } from '../core/states.js'
import { createAckedOutbox } from './socketioOutbox.js'
import { disconnectMapping, expectedRetryDelay, refusalReasonOf } from './socketioStates.js'
import {
  checkAuth,
  checkSocket,
  checkSocketIOOptions,
  type FromSocketIOOptions,
  type SocketIOListener,
  type SocketIOSocketLike,
  type SocketIOSource,
} from './socketioTypes.js'
import {
  boundedValueProblem,
  DEFAULT_EVENT_PREFIX,
  eventNames,
  MAX_PEERS,
  MESSAGE_LIMITS,
  PRESENCE_LIMITS,
  readPresenceNotice,
  readRelayedMessage,
  type PresenceNotice,
} from './socketioWire.js'

export type {
  FromSocketIOOptions,
  SocketIOListener,
  SocketIOManagerLike,
  SocketIOSocketLike,
  SocketIOSource,
} from './socketioTypes.js'
export {
  disconnectMapping,
  expectedRetryDelay,
  refusalReasonOf,
  socketIODisconnects,
  type SocketIOConnectError,
  type SocketIODisconnectDescription,
  type SocketIODisconnectReason,
} from './socketioStates.js'
export type {
  OutgoingMessage,
  PresenceNotice,
  RelayedMessage,
  SendReply,
  SocketIOEvents,
} from './socketioWire.js'

/** The Agora page's T5: an outage this long is `lost`. */
const LOST_AFTER = 15_000
const ACK_TIMEOUT = 5_000
const QUEUE_LIMIT = 1_000

const randomPrefix = () => Math.random().toString(36).slice(2, 10) + Date.now().toString(36)

/**
 * A `ConnectionSource` over a `socket.io-client` socket, for `createConnectionStore` or
 * `<ConnectionProvider source>`. It starts from where the socket is and follows it, whoever
 * drives it.
 *
 * - States: connecting → `AWAITING_CONNECTION`/`CONNECTING`; `connect` → `OPEN`/`JOIN_SUCCESS`,
 *   or after a drop `REJOIN_SUCCESS` and a `restored` event. A reconnection the server could not
 *   resume (`socket.recovered` false) also emits `missed`: what this client missed is gone,
 *   reload it. `source.recovered` tells which.
 * - `disconnect` reasons, as in {@link disconnectMapping}: `ping timeout` →
 *   `RECONNECTING`/`KEEP_ALIVE_TIMEOUT`; `transport close` → `INTERRUPTED` (`SERVER_CLOSED` for a
 *   clean close); `transport error` → `SERVER_CLOSED`; `io server disconnect` (a kick: Socket.IO
 *   does not retry) → `ERROR`/`REJECTED_BY_SERVER`; `io client disconnect` → `CLOSED`/`LEAVE_CHANNEL`.
 * - A middleware refusal (`connect_error` on a socket that stopped) → `ERROR` with
 *   `INVALID_TOKEN`, `TOKEN_EXPIRED` or `REJECTED_BY_SERVER` ({@link refusalReasonOf}). Other
 *   `connect_error`s are failed attempts: `RECONNECTING`.
 * - The manager's `reconnect_attempt n` → `attempt: n`; between attempts `nextRetryAt` is when
 *   the next is expected ({@link expectedRetryDelay}); `reconnect_failed` (after
 *   `reconnectionAttempts`) → `ERROR`/`MAX_RECONNECT_ATTEMPTS`. `reconnect()` from `ERROR`
 *   connects again.
 * - `lostAfter` (15 s) into an outage → reason `LOST` and a `lost` event; `giveUpAfter` (off by
 *   default) → `ERROR`/`JOIN_FAILED`, and the socket is disconnected.
 * - With `attachPresence` on the server: peers are the other clients in its room, with their
 *   data; `send(data)` is held until `OPEN`, emitted with an acknowledgement and sent again
 *   after a drop or a late acknowledgement (the server recognises a resend by its id: each
 *   message arrives once); messages relayed by the server arrive as `message` events.
 * - `close()`: `CLOSED`/`LEAVE_CHANNEL`, disconnects the socket, takes every listener off it and
 *   rejects what `send()` still holds. `connect()` or `login()` attach again.
 *
 * @example
 * ```tsx
 * import { io } from 'socket.io-client'
 * import { fromSocketIO } from 'linklight/socket.io'
 * import { ConnectionIndicator, ConnectionProvider } from 'linklight/react'
 *
 * const source = fromSocketIO(io('https://example.com', { auth: { token } }))
 *
 * <ConnectionProvider source={source}>
 *   <ConnectionIndicator />
 * </ConnectionProvider>
 * ```
 */
export function fromSocketIO(
  given: SocketIOSocketLike,
  options?: FromSocketIOOptions,
): SocketIOSource {
  const socket = checkSocket(given)
  checkSocketIOOptions(options)
  const named = eventNames(options?.prefix ?? DEFAULT_EVENT_PREFIX)
  const events = {
    ...named,
    send: options?.sendEvent ?? named.send,
    message: options?.messageEvent ?? named.message,
  }
  const manager = socket.io
  const clock = realClock
  const idPrefix = options?.messageIdPrefix ?? randomPrefix()
  const makeId = options?.messageId ?? ((prefix: string, n: number) => `${prefix}-${n}`)
  let sent = 0

  const kit = createSourceKit({
    logPrefix: 'linklight fromSocketIO:',
    failurePrefix: 'Socket.IO',
    timeline: outageTimeline({
      lostAfter: options?.lostAfter ?? LOST_AFTER,
      giveUpAfter: options?.giveUpAfter ?? Infinity,
      onGiveUp() {
        // ERROR is published: the disconnect this causes must not turn it into CLOSED.
        failed = true
        socket.disconnect()
      },
      gaveUp: 'disconnected the socket; call reconnect() to connect it again',
    }),
  })
  const snapshot = kit.methods.getSnapshot

  // ERROR holds until the app acts: connect(), login() or reconnect().
  let failed = false
  // login() is reconnecting with new credentials: its own disconnect is not a CLOSED.
  let switching = false
  let recovered = false
  // Attempts the manager has made in this outage: its backoff's count.
  let made = 0
  let selfId: string | null = null
  // A join past MAX_PEERS is refused once per full list, not once per notice.
  let tooManyTold = false
  let presence: { data: unknown } | null = null
  let detach: (() => void) | null = null

  const outbox = createAckedOutbox({
    limit: options?.queueLimit ?? QUEUE_LIMIT,
    nextId: () => makeId(idPrefix, ++sent),
    changed: (queued) => kit.patch({ queued }),
  })
  const ackTimeout = options?.ackTimeout ?? ACK_TIMEOUT
  const emitWithAck = (payload: unknown, done: (error: unknown, reply?: unknown) => void) =>
    socket.timeout(ackTimeout).emit(events.send, payload, done)

  const logins = pendingLogins(kit, 'fromSocketIO', 'the socket')

  const fail = (reason: ConnectionReason, message: string) => {
    failed = true
    switching = false
    kit.moveTo('ERROR', reason, { error: { code: reason, message: `Socket.IO: ${message}` } })
  }

  /** Between attempts: when the manager's next one is expected, after `made` attempts. */
  function awaitRetry() {
    const delay = expectedRetryDelay(made, {
      delay: manager.reconnectionDelay(),
      max: manager.reconnectionDelayMax(),
    })
    kit.patch({ nextRetryAt: clock.now() + delay })
  }

  function onConnect() {
    failed = false
    switching = false
    recovered = socket.recovered === true
    kit.moveTo('OPEN', 'JOIN_SUCCESS')
    // A rejoin the server could not resume: what was sent to this client meanwhile is gone.
    if (snapshot().reason === 'REJOIN_SUCCESS' && !recovered) kit.emit('missed', { count: null })
    if (presence) socket.emit(events.setPresence, presence.data)
    outbox.flush(emitWithAck)
  }

  function onDisconnect(reason: string, description?: unknown) {
    outbox.linkDown()
    if (failed) return
    if (switching && reason === 'io client disconnect') return
    const [state, mapped] = disconnectMapping(reason, description, {
      reconnects: manager.reconnection(),
      active: socket.active,
    })
    if (state === 'ERROR') return fail(mapped, `disconnected (${reason}); not reconnecting`)
    if (state === 'CLOSED') return kit.moveTo('CLOSED', 'LEAVE_CHANNEL')
    made = 0
    kit.moveTo(state, mapped, { attempt: 1 })
    awaitRetry()
  }

  function onConnectError(error: { message?: unknown; data?: unknown }) {
    if (failed) return
    if (!socket.active) {
      // The server answered and refused: Socket.IO stops here.
      const reason = refusalReasonOf(error)
      return fail(reason, `the server refused the connection: ${String(error?.message ?? reason)}`)
    }
    // A failed attempt; the manager tries again.
    if (snapshot().state !== 'RECONNECTING') {
      made = 0
      kit.moveTo('RECONNECTING', 'INTERRUPTED', { attempt: 1 })
    }
    awaitRetry()
  }

  function onReconnectAttempt(attempt: number) {
    if (failed) return
    made = Number.isSafeInteger(attempt) && attempt > 0 ? attempt : made + 1
    if (snapshot().state !== 'RECONNECTING') kit.moveTo('RECONNECTING', 'INTERRUPTED')
    kit.patch({ attempt: made, nextRetryAt: null })
  }

  function onReconnectFailed() {
    if (failed) return
    fail(
      'MAX_RECONNECT_ATTEMPTS',
      'gave up after its reconnectionAttempts; call reconnect() to try again',
    )
  }

  function onPresence(raw: unknown) {
    let notice: PresenceNotice
    try {
      notice = readPresenceNotice(raw)
    } catch (error) {
      return refuse(`a presence notice was refused: ${(error as Error).message}`)
    }
    switch (notice.t) {
      case 'peers': {
        selfId = notice.self
        const peers = notice.peers.filter((peer) => peer.id !== selfId)
        tooManyTold = false
        return kit.replacePeers(peers, 'DROPPED')
      }
      case 'joined':
      case 'updated': {
        const { id } = notice.peer
        if (id === selfId) return
        // MAX_PEERS bounds the snapshot; joins one by one must not grow the map past it.
        if (!kit.peers.has(id) && kit.peers.size >= MAX_PEERS) {
          if (!tooManyTold)
            refuse(
              `a '${notice.t}' notice for ${id} was ignored: ${MAX_PEERS} peers are listed already, the most a client holds; check the server`,
            )
          tooManyTold = true
          return
        }
        kit.putPeer(peerFrom(notice.peer))
        return
      }
      case 'left':
        if (notice.id === selfId) return
        kit.peerOffline(notice.id, notice.reason, notice.at)
    }
  }

  function onMessage(raw: unknown) {
    try {
      const { from, data } = readRelayedMessage(raw)
      kit.emit('message', data, from)
    } catch (error) {
      refuse(`a relayed message was refused: ${(error as Error).message}`)
    }
  }

  /** What the server sent is malformed: say so, and go on. */
  const refuse = (message: string) =>
    kit.emit('error', { code: 'PROTOCOL_ERROR', message: `fromSocketIO: ${message}` })

  const socketListeners: [string, SocketIOListener][] = [
    ['connect', onConnect],
    ['disconnect', onDisconnect as SocketIOListener],
    ['connect_error', onConnectError as SocketIOListener],
    [events.presence, onPresence as SocketIOListener],
    [events.message, onMessage as SocketIOListener],
  ]
  const managerListeners: [string, SocketIOListener][] = [
    ['reconnect_attempt', onReconnectAttempt as SocketIOListener],
    ['reconnect_failed', onReconnectFailed],
  ]

  /** Listens to the socket and its manager, and catches up with where the socket is. */
  function attach() {
    if (detach) return
    for (const [event, listener] of socketListeners) socket.on(event, listener)
    for (const [event, listener] of managerListeners) manager.on(event, listener)
    detach = () => {
      for (const [event, listener] of socketListeners) socket.off(event, listener)
      for (const [event, listener] of managerListeners) manager.off(event, listener)
    }
    if (socket.connected) onConnect()
    else if (socket.active) kit.moveTo('AWAITING_CONNECTION', 'CONNECTING')
  }

  /** Connects from CLOSED or ERROR: a fresh start. */
  function connect() {
    attach()
    const { state } = snapshot()
    if (state !== 'CLOSED' && state !== 'ERROR') return
    failed = false
    if (socket.connected) return onConnect()
    kit.moveTo('AWAITING_CONNECTION', 'CONNECTING')
    socket.connect()
  }

  attach()

  return {
    ...kit.methods,
    get recovered() {
      return recovered
    },
    get selfId() {
      return selfId
    },
    connect,
    login(credentials) {
      try {
        if (credentials !== undefined) socket.auth = checkAuth(credentials)
      } catch (error) {
        return Promise.reject(error as Error)
      }
      attach()
      failed = false
      const done = logins.wait()
      kit.moveTo('AUTHENTICATING', 'AUTHENTICATING')
      // The middleware checks credentials at the handshake only: present them on a new one.
      if (socket.connected || socket.active) {
        switching = true
        socket.disconnect()
      }
      socket.connect()
      return done
    },
    send(data) {
      const problem = boundedValueProblem(data, MESSAGE_LIMITS)
      if (problem)
        return Promise.reject(
          new TypeError(`fromSocketIO: send(data) refused data that ${problem}`),
        )
      return outbox.add(data)
    },
    setPresence(data) {
      const problem = boundedValueProblem(data, PRESENCE_LIMITS)
      if (problem)
        throw new TypeError(`fromSocketIO: setPresence(data) refused data that ${problem}`)
      presence = { data }
      if (socket.connected) socket.emit(events.setPresence, data)
    },
    reconnect() {
      attach()
      const { state } = snapshot()
      if (state === 'CLOSED') return connect()
      if (state !== 'ERROR') return
      failed = false
      kit.moveTo('RECONNECTING', 'RETRY_REQUESTED')
      socket.connect()
    },
    close() {
      detach?.()
      detach = null
      failed = false
      switching = false
      logins.rejectAll(new Error('fromSocketIO: close() was called before login() finished'))
      outbox.rejectAll(
        new Error('fromSocketIO: close() was called before the message was delivered'),
      )
      socket.disconnect()
      if (snapshot().state !== 'CLOSED') kit.moveTo('CLOSED', 'LEAVE_CHANNEL')
    },
  }
}
