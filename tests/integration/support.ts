/**
 * Shared pieces of the integration tests: real `ws` sockets between linklight's client and the
 * reference server on 127.0.0.1, every wait bounded, everything closed after each test.
 */
import type { Socket } from 'node:net'
import { afterEach, beforeEach } from 'vitest'
import { WebSocket } from 'ws'
import {
  createClient,
  type ClientOptions,
  type ConnectionReason,
  type ConnectionState,
  type LinklightClient,
  type Peer,
  type WebSocketConstructor,
} from '../../src/index.js'
import type { ConnectionError } from '../../src/core/types.js'
import { createServer, type ReferenceServer, type ServerOptions } from '../../src/server/index.js'
import { waitFor } from '../helpers/wait.js'

/** Milliseconds on a monotonic clock, for measured figures. */
export const now = () => performance.now()

/** One recorded state change, with the monotonic time it was seen at. */
export interface Transition {
  readonly state: ConnectionState
  readonly reason: ConnectionReason
  readonly at: number
}

/** One recorded peer event. */
export interface PeerEvent {
  readonly kind: 'joined' | 'left' | 'updated'
  readonly peer: Peer
  readonly at: number
}

/** A linklight client with everything it did recorded. */
export interface Tracked {
  readonly client: LinklightClient
  readonly transitions: Transition[]
  readonly errors: ConnectionError[]
  readonly peerEvents: PeerEvent[]
  /** Times of `restored` and `lost` events. */
  readonly restored: number[]
  readonly lost: number[]
  /** Every `ws` socket the client created, oldest first. */
  readonly sockets: WebSocket[]
  /** Monotonic time of the last frame received on any of its sockets. */
  lastReceivedAt: number
  /** `{"t":"pong"}` frames received. */
  pongs: number
  /** `[state, reason]` pairs of the transitions from index `from` on. */
  steps(from?: number): [ConnectionState, ConnectionReason][]
  /** Stops reading the current socket: the server's WebSocket pings go unanswered. */
  freeze(): WebSocket
}

/** Starts servers and clients that are all closed after each test. */
export function useIntegration() {
  const servers: ReferenceServer[] = []
  const tracked: Tracked[] = []
  const frozen: WebSocket[] = []

  afterEach(async () => {
    // A frozen socket never reads the server's close: cut it, or ws would wait 30 s for it.
    for (const ws of frozen.splice(0)) ws.terminate()
    for (const t of tracked.splice(0)) t.client.close()
    await Promise.all(servers.splice(0).map((server) => server.close()))
  })

  async function startServer(options: ServerOptions = {}): Promise<ReferenceServer> {
    const server = await createServer({ port: 0, host: '127.0.0.1', ...options })
    servers.push(server)
    return server
  }

  /** A client of `url` (not logged in) whose sockets and events are recorded. */
  function track(url: string, options: ClientOptions = {}): Tracked {
    const sockets: WebSocket[] = []
    const t: Tracked = {
      client: undefined as unknown as LinklightClient,
      transitions: [],
      errors: [],
      peerEvents: [],
      restored: [],
      lost: [],
      sockets,
      lastReceivedAt: -Infinity,
      pongs: 0,
      steps: (from = 0) => t.transitions.slice(from).map((s) => [s.state, s.reason]),
      freeze() {
        const ws = sockets.at(-1)
        if (!ws) throw new Error('freeze: the client has no socket')
        ;(ws as unknown as { _socket: Socket })._socket.pause()
        frozen.push(ws)
        return ws
      },
    }
    const Recording: WebSocketConstructor = class extends WebSocket {
      constructor(address: string) {
        super(address)
        sockets.push(this)
        this.on('message', (data, isBinary) => {
          t.lastReceivedAt = now()
          if (!isBinary && String(data) === '{"t":"pong"}') t.pongs++
        })
      }
    }
    const client = createClient(url, { WebSocket: Recording, ...options })
    Object.assign(t, { client })
    tracked.push(t)
    client.on('connectionStateChanged', (state, reason) =>
      t.transitions.push({ state, reason, at: now() }),
    )
    client.on('error', (error) => t.errors.push(error))
    client.on('restored', () => t.restored.push(now()))
    client.on('lost', () => t.lost.push(now()))
    client.on('peerJoined', (peer) => t.peerEvents.push({ kind: 'joined', peer, at: now() }))
    client.on('peerLeft', (peer) => t.peerEvents.push({ kind: 'left', peer, at: now() }))
    client.on('peerUpdated', (peer) => t.peerEvents.push({ kind: 'updated', peer, at: now() }))
    return t
  }

  /** A recorded client logged in as `id` and OPEN (within 5 s). */
  async function openClient(
    server: ReferenceServer,
    id: string,
    options: ClientOptions = {},
  ): Promise<Tracked> {
    const t = track(server.url, options)
    void t.client.login({ id })
    await waitFor(
      () => t.client.getConnectionState() === 'OPEN',
      5000,
      () => `client "${id}" to be OPEN (steps: ${JSON.stringify(t.steps())})`,
    )
    return t
  }

  return { startServer, track, openClient }
}

/** Waits until the client is in `state` (and, if given, was moved there for `reason`). */
export function waitForState(
  t: Tracked,
  state: ConnectionState,
  timeoutMs: number,
  reason?: ConnectionReason,
): Promise<number> {
  return waitFor(
    () =>
      t.client.getConnectionState() === state &&
      (reason === undefined || t.client.getSnapshot().reason === reason),
    timeoutMs,
    () =>
      `${state}${reason ? `/${reason}` : ''} (now ${t.client.getConnectionState()}/${t.client.getSnapshot().reason}; steps: ${JSON.stringify(t.steps())})`,
  )
}

/** The first transition at or after index `from` into `state`, if any. */
export const findTransition = (
  t: Tracked,
  state: ConnectionState,
  from = 0,
): Transition | undefined => t.transitions.slice(from).find((s) => s.state === state)

export const ids = (peers: Iterable<{ id: string }>) => [...peers].map((p) => p.id).sort()

/**
 * Uncaught exceptions and unhandled rejections during each test, collected instead of crashing
 * the run. Vitest already fails the run on either; counting them makes "never crashes" an
 * assertion (`expect(crashes).toEqual([])`).
 */
export function useCrashWatch(): unknown[] {
  const crashes: unknown[] = []
  const onCrash = (error: unknown) => void crashes.push(error)
  beforeEach(() => {
    crashes.length = 0
    process.on('uncaughtException', onCrash)
    process.on('unhandledRejection', onCrash)
  })
  afterEach(() => {
    process.off('uncaughtException', onCrash)
    process.off('unhandledRejection', onCrash)
  })
  return crashes
}
