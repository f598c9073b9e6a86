import { createServer as createHttpServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import type { PeerInfo } from '../protocol/index.js'
import type { ServerConditions } from './conditions.js'
import { createFaults, type Faults } from './faults.js'
import { createHub, sweepInterval } from './hub.js'
import { resolveServerOptions, type ServerOptions } from './options.js'
import type { ServerStats } from './stats.js'

/**
 * A running reference server.
 *
 * @example
 * ```ts
 * const server = await createServer()
 * const client = createClient(server.url, { WebSocket })
 * // …
 * await server.close()
 * ```
 */
export interface ReferenceServer {
  /** `ws://host:port`, ready to hand to a client. */
  readonly url: string
  /** The port listened on (the one picked when `port` was 0); `restart` reuses it. */
  readonly port: number
  /** The interface listened on (`'127.0.0.1'` unless `host` said otherwise). */
  readonly host: string
  /** Cuts every socket, stops every timer and the listener; nothing keeps Node alive after. */
  close(): Promise<void>
  /** Fault injection for tests and demos. */
  readonly faults: Faults
  /** Connection, peer and message counters. */
  stats(): ServerStats
  /** Peers online now, as a newcomer's `welcome` would list them (plus itself). */
  peers(): PeerInfo[]
}

function listen(http: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error)
    http.once('error', onError)
    http.listen(port, host, () => {
      http.off('error', onError)
      resolve((http.address() as AddressInfo).port)
    })
  })
}

function stopListening(http: Server): Promise<void> {
  return new Promise((resolve) => {
    http.close(() => resolve())
    // Plain HTTP keep-alive sockets would hold `close` open; upgraded ones are already cut.
    http.closeAllConnections()
  })
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host)

/**
 * Starts linklight's reference realtime server on `ws`; resolves once it is listening.
 * Binds to 127.0.0.1 unless told otherwise. Throws a `TypeError` naming any invalid option.
 *
 * @example
 * ```ts
 * import { createServer } from 'linklight/server'
 *
 * const server = await createServer({
 *   port: 8787,
 *   authenticate: (credentials) =>
 *     (credentials as { token?: string }).token === 'secret' ? { id: 'ada' } : { reject: 'INVALID_TOKEN' },
 * })
 * console.log(server.url) // ws://127.0.0.1:8787
 * ```
 */
export async function createServer(options?: ServerOptions): Promise<ReferenceServer> {
  const resolved = resolveServerOptions(options)
  const conditions: ServerConditions = {
    blackholed: false,
    delayMs: 0,
    rejectAuth: null,
    redirect: null,
  }
  const hub = createHub(resolved, conditions)

  const http = createHttpServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain', connection: 'close' })
    response.end('linklight reference server: connect with a WebSocket\n')
  })
  const { allowedOrigins } = resolved
  const wss = new WebSocketServer({
    server: http,
    maxPayload: resolved.maxPayload,
    autoPong: false,
    verifyClient: (
      { origin }: { origin: string | undefined },
      callback: (ok: boolean, code?: number, message?: string) => void,
    ) => {
      // Node clients send no Origin; a browser on a foreign page does, and is refused.
      if (allowedOrigins && origin !== undefined && !allowedOrigins.has(origin))
        callback(false, 403, 'Origin not allowed')
      else if (!hub.hasRoom()) {
        console.warn(
          `linklight server: refused a connection: maxConnections (${resolved.maxConnections}) are open`,
        )
        callback(false, 503, 'Too many connections')
      } else callback(true)
    },
  })
  wss.on('connection', (ws, request) => hub.attach(ws, request.headers.origin))
  // ws re-emits the HTTP server's errors here; listen errors are handled by `listen`.
  wss.on('error', () => {})

  const port = await listen(http, resolved.port, resolved.host)
  let listening = true
  let closed = false
  let sweeper: ReturnType<typeof setInterval> | undefined = setInterval(
    () => hub.sweep(),
    sweepInterval(resolved),
  )

  const stop = async (forget: boolean): Promise<void> => {
    clearInterval(sweeper)
    sweeper = undefined
    if (forget) hub.dropAll()
    else hub.cutAll()
    if (!listening) return
    listening = false
    await stopListening(http)
  }

  // kill, restart and close each wait for the one before, so they never interleave.
  let lifecycle: Promise<void> = Promise.resolve()
  const serially = (step: () => Promise<void>): Promise<void> => {
    const next = lifecycle.then(step)
    lifecycle = next.catch(() => {})
    return next
  }

  const faults = createFaults({
    conditions,
    resetIdleClocks: () => hub.resetIdleClocks(),
    sendRaw: (frame, peerId) => hub.sendRaw(frame, peerId),
    kill: () => serially(() => stop(false)),
    restart: () =>
      serially(async () => {
        if (closed) throw new Error('faults.restart: the server was closed; create a new one')
        await stop(false)
        await listen(http, port, resolved.host)
        listening = true
        sweeper = setInterval(() => hub.sweep(), sweepInterval(resolved))
      }),
  })

  return {
    url: `ws://${urlHost(resolved.host)}:${port}`,
    port,
    host: resolved.host,
    faults,
    stats: () => hub.stats(),
    peers: () => hub.peers(),
    close: () =>
      serially(async () => {
        if (closed) return
        closed = true
        await stop(true)
        await new Promise<void>((resolve) => wss.close(() => resolve()))
      }),
  }
}
