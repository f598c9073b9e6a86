/**
 * `createClient`: the interpreter of the pure machine in machine.ts. After each transition it
 * brings every piece of I/O in line with the new machine — one socket (client/socket.ts), the
 * state's entry effects (client/effects.ts), the network listeners, one timer — and publishes
 * through the source kit every source shares. `close()`, which wants no socket, no deadline and
 * no listener, leaves nothing running by construction.
 */
import { createEffects } from './client/effects.js'
import type { Input } from './client/frames.js'
import { handleFrame, type InboundContext } from './client/inbound.js'
import { createLogins, loginWhileOpen } from './client/logins.js'
import { createOutbound } from './client/outbound.js'
import { createSession } from './client/session.js'
import { openSocket, type Socket } from './client/socket.js'
import { createTimer } from './client/timer.js'
import { createQualityMeter } from './client/meter.js'
import { createWatchdog } from './client/watchdog.js'
import { deadlineOf, initialMachine, transition, type MachineEvent } from './machine.js'
import { resolveOptions, resolveUrl, type ClientOptions } from './options.js'
import { createOutbox } from './outbox.js'
import { PROTOCOL_VERSION, type ClientFrame } from './protocol.js'
import { createSourceKit } from './sourceKit.js'
import type { ConnectionReason } from './states.js'
import type { ConnectionError, LinklightClient } from './types.js'

const prefixes = { logPrefix: 'linklight:', failurePrefix: 'linklight' }

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
  const kit = createSourceKit({ state: 'CLOSED', reason: null, clock, ...prefixes })
  const outbox = createOutbox(o.queueLimit)
  const logins = createLogins()
  let m = initialMachine
  let socket: Socket | null = null
  let session = createSession()
  let login: { credentials?: unknown; presence?: unknown } = {}
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
    m = transition(m, { ...input, now: clock.now(), random: Math.random() } as MachineEvent, o)
    if (m == prev) return
    accepted?.()
    if (m.socket != prev.socket) replaceSocket()
    if (m.state != prev.state) {
      meter.entered(m.state)
      effects.enter(m.state)
    }
    timer.arm(Math.min(deadlineOf(m, o), watchdog.wakeAt))
    publish()
  }

  const failed = (id: number, reason: ConnectionReason, message: string) =>
    dispatch({ type: 'failed', socket: id, reason, message, silentSince: watchdog.lastDataAt })

  function replaceSocket() {
    socket?.release(m.state == 'CLOSED' ? 1000 : 4000)
    outbound.limit(Infinity)
    const id = m.socket
    socket = !id
      ? null
      : openSocket(o.WebSocket, m.url ?? baseUrl, {
          opened: () => dispatch({ type: 'opened', socket: id }),
          message: (data) => receive(id, data),
          closed: (message) => failed(id, 'SERVER_CLOSED', message),
        })
  }

  // A frame must never throw out of the socket's handler (that would crash Node, or wedge the
  // socket): whatever goes wrong is reported, and a link we can no longer trust is re-established.
  function receive(id: number, raw: unknown) {
    watchdog.heard(clock.now())
    meter.heard(clock.now(), typeof raw == 'string' && protocol.isPong(raw))
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
  const outbound = createOutbound(outbox, protocol, write, kit)
  const inbound: InboundContext = {
    ...{ protocol, kit, outbox, dispatch, write, flush: outbound.flush },
    session: () => session,
    state: () => m.state,
    acceptFrames: outbound.limit,
  }
  const effects = createEffects({
    ...{ outbox, logins, flush: outbound.flush, machine: () => m },
    hello: () => {
      meter.greeted(clock.now())
      write({
        t: 'hello',
        v: PROTOCOL_VERSION,
        url: socket!.url,
        session: session.id,
        received: session.received,
      })
    },
    auth: () => write({ t: 'auth', credentials: login.credentials, presence: login.presence }),
    watch: () => watchdog.start(clock.now()),
    endSession() {
      session = createSession()
      login = { presence: login.presence }
    },
    onNetwork,
  })
  const meter = createQualityMeter((quality) => kit.emit('quality', quality))
  const ping = () => {
    meter.pinged(clock.now())
    write(protocol.ping())
  }
  const watchdog = createWatchdog(o, {
    ping,
    interrupted: () =>
      failed(m.socket, 'INTERRUPTED', `No data from the server for ${o.interruptedAfter} ms`),
    heartbeatFailed: (silentSince) => dispatch({ type: 'heartbeatFailed', silentSince }),
  })
  const timer = createTimer(clock, () => {
    watchdog.check(clock.now())
    dispatch({ type: 'tick' })
    timer.arm(Math.min(deadlineOf(m, o), watchdog.wakeAt))
  })

  function onNetwork(online: boolean) {
    // Never trust the event alone: probe an open link, or try now and let the server answer.
    if (online && m.state == 'OPEN') ping()
    else if (online) dispatch({ type: 'online' })
    else if (m.socket) failed(m.socket, 'NETWORK_OFFLINE', 'The device went offline')
  }

  function publish() {
    // `lost` follows from the reason (LOST) in the kit, as for every source.
    const { attempt, nextRetryAt, error } = m
    kit.moveTo(m.state, m.reason!, { attempt, nextRetryAt, error, queued: outbox.pending })
  }

  const client: LinklightClient = {
    ...kit.methods,
    getConnectionState: () => m.state,
    getLinkQuality: () => meter.quality,
    connect: () => dispatch({ type: 'connect' }),
    reconnect: () => dispatch({ type: 'reconnect' }),
    login(...args: [credentials?: unknown]) {
      if (m.state == 'OPEN') return loginWhileOpen(args, login.credentials)
      if (args.length) login.credentials = args[0]
      const done = logins.wait()
      dispatch({ type: 'login' })
      return done
    },
    send(data) {
      const sent = outbound.send(data, m.state == 'OPEN')
      publish()
      return sent
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

export type { ConnectionError, LinklightClient }
