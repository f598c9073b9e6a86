/**
 * The demo's Socket.IO server: socket.io 4.8 with linklight's `attachPresence`, bound to
 * 127.0.0.1, with the faults the page offers when its connection is "Socket.IO server".
 *
 * Clients reach it through a small TCP proxy on the public port (pausableProxy.ts), and that
 * is where Kill and Silence act: Kill cuts every connection without a goodbye and stops
 * listening; Silence keeps connections open and passes nothing either way, so each client's
 * Engine.IO heartbeat times out (`ping timeout`). Holding bytes in the network, rather than
 * inside Socket.IO, is the only way that Socket.IO's own pings, pongs and close frames are
 * held too. The Socket.IO server behind the proxy keeps running, sessions and all: after a
 * Kill and Restart clients resume their session (`recovered`), as after a network cut.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server, type Socket } from 'socket.io'
import { attachPresence, type Presence } from '../src/adapters/socketioServer.js'
import { startPausableProxy, type PausableProxy } from './pausableProxy.js'
import { SOCKETIO_HEARTBEAT } from './socketioHeartbeat.js'

/** What the Socket.IO server is doing, as far as the page's buttons have changed it. */
export interface SocketIOFaultState {
  /** `false` after Kill, until Restart. */
  readonly listening: boolean
  /** Connections stay open but nothing passes, either way. */
  readonly silenced: boolean
  /** New handshakes are refused by the middleware (`invalid token`). */
  readonly refusingLogins: boolean
  /** Sockets connected to the server now. */
  readonly connected: number
}

/** A running Socket.IO server. */
export interface SocketIODemoServer {
  /** e.g. `http://127.0.0.1:3001` */
  readonly url: string
  readonly port: number
  readonly io: Server
  readonly presence: Presence
  /** Cuts every connection without a goodbye (clients: `transport close`) and stops listening. */
  kill(): Promise<void>
  /** Listens again on the same port; the server and its sessions are still there. */
  restart(): Promise<void>
  /** Holds every connection, old and new: nothing passes until `silence(false)`. */
  silence(on: boolean): void
  /** `socket.disconnect(true)` for every socket (clients: `io server disconnect`, no retry); how many. */
  kick(): number
  /** While on, the middleware refuses every new handshake with `invalid token`. */
  refuseLogins(on: boolean): void
  state(): SocketIOFaultState
  /** Stops everything; for Ctrl-C and tests. */
  close(): Promise<void>
}

/** The page, the Storybook and any other page served from this machine; never another site. */
const LOOPBACK_ORIGIN = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/

/** Who a socket is: the `name` (and presence `data`) its handshake's `auth` carries. */
function identifyByName(socket: Socket): { id: string; data?: unknown } | null {
  const auth = socket.handshake.auth as { name?: unknown; data?: unknown }
  const name = typeof auth.name === 'string' ? auth.name.trim() : ''
  // no name: an observer, told who is here but not listed
  if (!name || name.length > 40) return null
  return auth.data === undefined ? { id: name } : { id: name, data: auth.data }
}

/**
 * Starts the Socket.IO server on `host:port` (0 picks a free port).
 *
 * @example
 * ```ts
 * const socketio = await startSocketIOServer({ host: '127.0.0.1', port: 0 })
 * await socketio.kill() // clients: transport close
 * await socketio.restart()
 * socketio.kick() // clients: io server disconnect
 * await socketio.close()
 * ```
 */
export async function startSocketIOServer({
  host,
  port,
}: {
  host: string
  port: number
}): Promise<SocketIODemoServer> {
  const http: HttpServer = createServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain' })
    response.end('linklight demo: a Socket.IO server; connect with socket.io-client\n')
  })
  const io = new Server(http, {
    ...SOCKETIO_HEARTBEAT,
    serveClient: false,
    // Browsers may connect from loopback pages only: the WebSocket upgrade carries no CORS,
    // so the origin is checked here for every transport.
    allowRequest: (request, callback) => {
      const { origin } = request.headers
      callback(null, origin === undefined || LOOPBACK_ORIGIN.test(origin))
    },
    cors: { origin: LOOPBACK_ORIGIN },
    // Sessions survive a cut of up to 2 minutes: a client back in time resumes (`recovered`).
    // The middleware runs on a resumed session too, so Refuse logins refuses every handshake.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
  })
  let refusing = false
  io.use((_socket, next) => {
    if (!refusing) return next()
    next(Object.assign(new Error('invalid token'), { data: { reason: 'INVALID_TOKEN' } }))
  })
  const presence = attachPresence(io, { identify: identifyByName })

  let proxy: PausableProxy
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(0, host, () => {
        http.off('error', reject)
        resolve()
      })
    })
    const inner = (http.address() as AddressInfo).port
    proxy = await startPausableProxy({ host, port, target: inner })
  } catch (error) {
    presence.close()
    await io.close()
    throw error
  }

  let closing: Promise<void> | undefined
  return {
    url: `http://${host}:${proxy.port}`,
    port: proxy.port,
    io,
    presence,
    kill: proxy.kill,
    restart: proxy.listen,
    silence: proxy.hold,
    kick() {
      const sockets = [...io.of('/').sockets.values()]
      for (const socket of sockets) socket.disconnect(true)
      return sockets.length
    },
    refuseLogins(on) {
      refusing = on
    },
    state: () => ({
      listening: proxy.listening,
      silenced: proxy.held,
      refusingLogins: refusing,
      connected: io.of('/').sockets.size,
    }),
    close: () =>
      (closing ??= (async () => {
        await proxy.close()
        presence.close()
        // closes the http server and every socket still open behind the proxy
        await io.close()
      })()),
  }
}
