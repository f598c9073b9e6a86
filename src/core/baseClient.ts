/**
 * `createBaseClient`: the interpreter of the pure machine in machine.ts. After each transition
 * it brings every piece of I/O in line with the new machine — one socket (client/socket.ts), the
 * state's entry effects (client/effects.ts), the network listeners, one timer — and publishes
 * through the kit every source shares. Messages, presence and link quality are features
 * (client/feature.ts) it runs only when asked to, so an app that shows the state carries none.
 * `close()`, which wants no socket, no deadline and no listener, leaves nothing running by
 * construction.
 */
import { createEffects } from './client/effects.js'
import type { ClientFeature, FeatureHooks } from './client/feature.js'
import type { Input } from './client/frames.js'
import { handleFrame, type InboundContext } from './client/inbound.js'
import { createLogins, loginWhileOpen } from './client/logins.js'
import { createSession } from './client/session.js'
import { openSocket, type Socket } from './client/socket.js'
import { createTimer } from './client/timer.js'
import { createWatchdog } from './client/watchdog.js'
import { invalid } from './check.js'
import { createKitCore } from './kitCore.js'
import { deadlineOf, initialMachine, transition, type MachineEvent } from './machine.js'
import { resolveOptions, resolveUrl, type ClientOptions } from './options.js'
import { PROTOCOL_VERSION, type ClientFrame } from './protocol.js'
import type { ConnectionReason } from './states.js'
import type { LinklightClient } from './types.js'

const prefixes = { logPrefix: 'linklight:', failurePrefix: 'linklight' }

/**
 * Options of {@link createBaseClient}: the client's options and the features to include.
 *
 * @example
 * ```ts
 * const options: BaseClientOptions = { ...presets.resilient, features: [withPresence] }
 * ```
 */
export interface BaseClientOptions extends ClientOptions {
  /** The parts of the client to include: `withMessages`, `withPresence`, `withLinkQuality`. */
  features?: readonly ClientFeature[] | undefined
}

/**
 * A client from {@link createBaseClient}. `send()` and `setPresence()` need the
 * `withMessages` and `withPresence` features (without them `send()` rejects and `setPresence()`
 * throws, with a `TypeError` that says so), and `getLinkQuality()` is there with
 * `withLinkQuality`.
 *
 * @example
 * ```ts
 * const client: BaseClient = createBaseClient(url, { features: [withLinkQuality] })
 * const quality = client.getLinkQuality?.() // there, because withLinkQuality was given
 * ```
 */
export type BaseClient = Omit<LinklightClient, 'getLinkQuality'> &
  Partial<Pick<LinklightClient, 'getLinkQuality'>>

const missingFeature = (method: string, feature: string) =>
  new TypeError(
    `${method} needs ${feature}: createBaseClient(url, { features: [${feature}] }), or createClient(url), which has every feature`,
  )

/**
 * Creates linklight's client with only the features you pass: states and the handshake,
 * reconnection, heartbeats, the outage timeline and network awareness always; messages
 * (`withMessages`), presence (`withPresence`) and link quality (`withLinkQuality`) when asked
 * for. An app that only shows the connection's state ships the smallest bundle this way;
 * `createClient` is the same client with every feature.
 *
 * @example
 * ```ts
 * import { createBaseClient, presets } from 'linklight'
 * const client = createBaseClient('ws://127.0.0.1:8787', { ...presets.resilient })
 * client.subscribe((snapshot) => console.log(snapshot.state, snapshot.reason))
 * await client.login({ token })
 * ```
 */
export function createBaseClient(url: string, options?: BaseClientOptions): BaseClient {
  const baseUrl = resolveUrl(url)
  const { features: chosen = [], ...clientOptions } = options ?? {}
  if (!Array.isArray(chosen) || !chosen.every((f) => typeof f == 'function'))
    invalid('createBaseClient', 'features', 'an array of features such as withMessages', chosen)
  const o = resolveOptions(clientOptions)
  const { clock, protocol } = o
  const kit = createKitCore({ state: 'CLOSED', reason: null, clock, ...prefixes })
  const logins = createLogins()
  let m = initialMachine
  let socket: Socket | null = null
  let session = createSession()
  let credentials: unknown
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
    if (m == prev) {
      // close() on a client already CLOSED (lazyConnect, or a second close()): no state to
      // leave, but what was queued meanwhile is let go all the same.
      if (input.type == 'close') {
        each('entered', 'CLOSED', 'CLOSED')
        publish()
      }
      return
    }
    // A frame's data that cannot be applied makes its link untrustworthy; the step goes on.
    try {
      accepted?.()
    } catch (error) {
      distrust(m.socket, error)
    }
    if (m.socket != prev.socket) replaceSocket()
    if (m.state != prev.state) {
      effects.enter(m.state)
      each('entered', m.state, prev.state)
    }
    timer.arm(Math.min(deadlineOf(m, o), watchdog.wakeAt))
    publish()
  }

  const failed = (id: number, reason: ConnectionReason, message: string) =>
    dispatch({ type: 'failed', socket: id, reason, message, silentSince: watchdog.lastDataAt })

  function replaceSocket() {
    socket?.release(m.state == 'CLOSED' ? 1000 : 4000)
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
    const now = clock.now()
    watchdog.heard(now)
    try {
      each('heard', now, typeof raw == 'string' && protocol.isPong(raw))
      handleFrame(inbound, id, raw)
    } catch (error) {
      distrust(id, error)
    }
  }

  function distrust(id: number, error: unknown) {
    const message = `Dropped the link after a frame it could not handle: ${String(error)}`
    kit.emit('error', { code: 'PROTOCOL_ERROR', message })
    failed(id, 'PROTOCOL_ERROR', String(error))
  }

  const write = (frame: ClientFrame | string) =>
    socket?.write(typeof frame == 'string' ? frame : protocol.encode(frame))
  const problem = (code: string, message: string) => kit.emit('error', { code, message })
  // A feature given twice is one feature: one queue, one meter.
  const features: FeatureHooks[] = [...new Set(chosen)].map((feature) =>
    feature({
      ...{ kit, options: o, write, publish, problem },
      state: () => m.state,
      session: () => session,
    }),
  )
  /**
   * Calls hook `name` of every feature that has it, and collects what each returns. A hook that
   * throws is reported as a `FEATURE_ERROR` and the others still run: a feature must not stop
   * the client's own work.
   */
  const each = <K extends Exclude<keyof FeatureHooks, 'methods' | 'took' | 'frame'>>(
    name: K,
    ...args: Parameters<NonNullable<FeatureHooks[K]>>
  ) =>
    features.map((feature) => {
      try {
        return (feature[name] as ((...a: typeof args) => unknown) | undefined)?.(...args)
      } catch (error) {
        problem('FEATURE_ERROR', `A client feature failed on ${name}: ${String(error)}`)
      }
    })
  const inbound: InboundContext = { protocol, features, dispatch, problem, session: () => session }
  const effects = createEffects({
    ...{ logins, machine: () => m, onNetwork },
    hello: () => {
      each('greeted', clock.now())
      write({
        t: 'hello',
        v: PROTOCOL_VERSION,
        url: socket!.url,
        session: session.id,
        received: session.received,
      })
    },
    auth: () => write(Object.assign({ t: 'auth' as const, credentials }, ...each('auth'))),
    watch: () => watchdog.start(clock.now()),
    endSession() {
      session = createSession()
      credentials = undefined
    },
  })
  const ping = () => {
    each('pinged', clock.now())
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
    const queued = each('queued').reduce<number>((sum, n) => sum + ((n as number) || 0), 0)
    kit.moveTo(m.state, m.reason!, { attempt, nextRetryAt, error, queued })
  }

  const client = Object.assign(
    {
      ...kit.methods,
      getConnectionState: () => m.state,
      connect: () => dispatch({ type: 'connect' }),
      reconnect: () => dispatch({ type: 'reconnect' }),
      login(...args: [credentials?: unknown]) {
        if (m.state == 'OPEN') return loginWhileOpen(args, credentials)
        if (args.length) credentials = args[0]
        const done = logins.wait()
        dispatch({ type: 'login' })
        return done
      },
      send: () => Promise.reject(missingFeature('send', 'withMessages')),
      setPresence() {
        throw missingFeature('setPresence', 'withPresence')
      },
      close() {
        if (m.state == 'OPEN' && protocol.handshake) write({ t: 'bye' })
        dispatch({ type: 'close' })
      },
    } as BaseClient,
    ...features.map((feature) => feature.methods),
  )
  if (!o.lazyConnect) dispatch({ type: 'connect' })
  return client
}
