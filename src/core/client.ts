/**
 * `createClient`: the interpreter of the pure machine in machine.ts. After each transition it
 * brings every piece of I/O in line with the new machine — one socket (client/socket.ts), the
 * state's entry effects (client/effects.ts), the network listeners, one timer — and publishes
 * through the source kit every source shares. `close()`, which wants no socket, no deadline and
 * no listener, leaves nothing running by construction.
 */
import { createEffects } from './client/effects.js'
import { type Input } from './client/frames.js'
import { handleFrame } from './client/inbound.js'
import { createLogins } from './client/logins.js'
import { createSession } from './client/session.js'
import { openSocket, type Socket } from './client/socket.js'
import { createTimer } from './client/timer.js'
import { createWatchdog } from './client/watchdog.js'
import {
  deadlineOf,
  initialMachine,
  transition,
  type Machine,
  type MachineEvent,
} from './machine.js'
import { watchNetwork } from './network.js'
import { resolveOptions, resolveUrl, type ClientOptions } from './options.js'
import { createOutbox, type OutgoingMessage, type WriteResult } from './outbox.js'
import { PROTOCOL_VERSION, type ClientFrame } from './protocol.js'
import { createSourceKit } from './sourceKit.js'
import type { ConnectionReason, ConnectionState } from './states.js'
import type { ConnectionError, ConnectionSource } from './types.js'

/** linklight's connection client. */
export interface LinklightClient extends ConnectionSource {
  /**
   * The state now (the same as `getSnapshot().state`).
   *
   * @example
   * ```ts
   * if (client.getConnectionState() === 'OPEN') client.send({ typing: true })
   * ```
   */
  getConnectionState(): ConnectionState
  /**
   * Your presence data, shown to the other peers; kept and re-sent after every reconnect.
   *
   * @example
   * ```ts
   * client.setPresence({ name: 'Ada', cursor: { x: 10, y: 20 } })
   * ```
   */
  setPresence(data: unknown): void
}

// A UTF-8 character takes at most 3 bytes per UTF-16 unit: only long texts need counting.
const fits = (text: string, bytes: number) =>
  text.length * 3 <= bytes || new TextEncoder().encode(text).byteLength <= bytes

/**
 * Creates a connection to a linklight server (or, with `protocol: plainProtocol()`, any
 * WebSocket server) that reconnects with a growing, capped wait, checks the link with
 * heartbeats, and queues messages while offline, resending what the server did not acknowledge.
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
  const kit = createSourceKit({
    state: 'CLOSED',
    reason: null,
    logPrefix: 'linklight:',
    failurePrefix: 'linklight',
    clock,
  })
  const outbox = createOutbox(o.queueLimit)
  const logins = createLogins()
  let m: Machine = { ...initialMachine, since: clock.now() }
  let socket: Socket | null = null
  let session = createSession()
  let login: { credentials?: unknown; presence?: unknown } = {}
  let maxPayload = Infinity
  let unwatchNetwork: (() => void) | null = null
  const inbox: [Input, (() => void) | undefined][] = []
  let busy = false

  // Events raised while a transition is being applied (by handlers, sockets, user code) wait
  // their turn, so every transition sees the machine its predecessor left.
  function dispatch(input: Input, accepted?: () => void) {
    inbox.push([input, accepted])
    if (busy) return
    busy = true
    try {
      for (let next; (next = inbox.shift());) step(...next)
    } finally {
      busy = false
    }
  }

  function step(input: Input, accepted: (() => void) | undefined) {
    const prev = m
    m = transition(m, { ...input, now: clock.now() } as MachineEvent, o)
    if (m == prev) return
    accepted?.()
    if (m.socket != prev.socket) replaceSocket()
    if (m.state != prev.state) effects.enter(m.state)
    syncNetwork()
    timer.arm(Math.min(deadlineOf(m, o), watchdog.wakeAt))
    publish()
  }

  const failed = (id: number, reason: ConnectionReason, message: string) =>
    dispatch({ type: 'failed', socket: id, reason, message, silentSince: watchdog.lastDataAt })

  function replaceSocket() {
    socket?.release(m.state == 'CLOSED' ? 1000 : 4000)
    socket = null
    maxPayload = Infinity
    const id = m.socket
    if (!id) return
    socket = openSocket(o.WebSocket, m.url ?? baseUrl, {
      opened: () => dispatch({ type: 'opened', socket: id }),
      message: (data) => receive(id, data),
      closed: (message) => failed(id, 'SERVER_CLOSED', message),
    })
  }

  // A frame must never throw out of the socket's handler (that would crash Node, or wedge the
  // socket): whatever goes wrong is reported, and a link we can no longer trust is re-established.
  function receive(id: number, raw: unknown) {
    watchdog.heard(clock.now())
    try {
      handleFrame(inbound, id, raw)
    } catch (error) {
      const message = `Dropped the link after a frame it could not handle: ${String(error)}`
      kit.emit('error', { code: 'PROTOCOL_ERROR', message })
      failed(id, 'PROTOCOL_ERROR', String(error))
    }
  }

  const write = (frame: ClientFrame | string) =>
    socket?.write(typeof frame == 'string' ? frame : protocol.encode(frame))

  const writeMessage = (message: OutgoingMessage): WriteResult => {
    if (fits(message.frame, maxPayload)) return (write(message.frame), true)
    const error = new RangeError(
      `send: the message is larger than the server accepts (${maxPayload} bytes); it was not sent`,
    )
    kit.emit('error', { code: 'MESSAGE_TOO_LARGE', message: error.message })
    return error
  }
  const flush = () => outbox.flush(writeMessage, protocol.handshake)

  const inbound = {
    protocol,
    kit,
    outbox,
    session: () => session,
    state: () => m.state,
    dispatch,
    write,
    flush,
    acceptFrames: (bytes: number) => void (maxPayload = bytes),
  }
  const effects = createEffects({
    machine: () => m,
    outbox,
    logins,
    hello: () =>
      write({
        t: 'hello',
        v: PROTOCOL_VERSION,
        url: socket?.url ?? baseUrl,
        session: session.id,
        received: session.received,
      }),
    // JSON leaves out what is undefined: no presence set, no presence sent.
    auth: () => write({ t: 'auth', credentials: login.credentials, presence: login.presence }),
    watch: () => watchdog.start(clock.now()),
    flush,
    endSession() {
      session = createSession()
      login = { presence: login.presence }
    },
  })
  const watchdog = createWatchdog(o, {
    ping: () => write(protocol.ping()),
    interrupted: () =>
      failed(m.socket, 'INTERRUPTED', `No data from the server for ${o.interruptedAfter} ms`),
    heartbeatFailed: (silentSince) => dispatch({ type: 'heartbeatFailed', silentSince }),
  })
  const timer = createTimer(clock, () => {
    watchdog.check(clock.now())
    dispatch({ type: 'tick' })
    timer.arm(Math.min(deadlineOf(m, o), watchdog.wakeAt))
  })

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
    else if (m.socket) failed(m.socket, 'NETWORK_OFFLINE', 'The device went offline')
  }

  const publish = () =>
    kit.moveTo(m.state, m.reason!, {
      attempt: m.attempt,
      nextRetryAt: m.nextRetryAt,
      lost: m.lost,
      error: m.error,
      queued: outbox.pending,
    })

  const client: LinklightClient = {
    ...kit.methods,
    getConnectionState: () => m.state,
    connect: () => dispatch({ type: 'connect' }),
    reconnect: () => dispatch({ type: 'reconnect' }),
    login(...args: [credentials?: unknown]) {
      if (m.state == 'OPEN')
        return args.length && JSON.stringify(args[0]) !== JSON.stringify(login.credentials)
          ? Promise.reject(
              new Error('login: already logged in; close() first to change credentials'),
            )
          : Promise.resolve()
      if (args.length) login.credentials = args[0]
      const done = logins.wait()
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
      if (open) flush()
      else publish()
      return promise
    },
    setPresence(data) {
      login.presence = data
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
