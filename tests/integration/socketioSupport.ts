/**
 * A real Socket.IO server in this process on 127.0.0.1, for the `fromSocketIO` tests that need
 * to reach into the server (kick one socket, emit something hostile) or stop and start it on the
 * same port; and the clients of a test, all closed by `closeClients()`. Tests that SIGKILL a
 * server or run a cluster use the child processes of tests/helpers/socketioServers.ts instead.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import { Server, type ServerOptions } from 'socket.io'
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import {
  fromSocketIO,
  type FromSocketIOOptions,
  type SocketIOSource,
} from '../../src/adapters/socketio.js'
import type { ConnectionReason, ConnectionState } from '../../src/core/states.js'
import { freePort } from '../helpers/yjsServers.js'

/** A Socket.IO server that can be stopped and started again on the same port. */
export interface InProcessSocketIO {
  readonly url: string
  readonly port: number
  /** The running server; a new one after `restart()`. */
  readonly io: Server
  /** Closes the server and every connection (clients see `transport close`). */
  stop(): Promise<void>
  /** Starts it again on the same port, set up the same way; nothing when it runs. */
  restart(): Promise<void>
}

export interface InProcessOptions {
  readonly server?: Partial<ServerOptions>
  /** Runs on every start, before the server listens: middleware, handlers; may return a cleanup for `stop()`. */
  readonly setup?: (io: Server) => unknown
}

/** Starts a Socket.IO server on a free 127.0.0.1 port. */
export async function startSocketIO(options: InProcessOptions = {}): Promise<InProcessSocketIO> {
  const port = await freePort()
  let http: HttpServer | null = null
  let server: Server | null = null
  let cleanup: (() => void) | null = null
  const start = async () => {
    if (server) return
    http = createServer()
    server = new Server(http, { transports: ['websocket'], ...options.server })
    const made = options.setup?.(server)
    cleanup = typeof made === 'function' ? (made as () => void) : null
    await new Promise<void>((resolve, reject) => {
      http!.once('error', reject)
      http!.listen(port, '127.0.0.1', resolve)
    })
  }
  await start()
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get io() {
      return server!
    },
    async stop() {
      if (!server) return
      const closing = server
      server = null
      cleanup?.()
      await closing.close()
      http?.closeAllConnections()
    },
    restart: start,
  }
}

/** Fast reconnection, so outages in tests last milliseconds. */
export const FAST: Partial<ManagerOptions & SocketOptions> = {
  transports: ['websocket'],
  reconnectionDelay: 50,
  reconnectionDelayMax: 200,
  randomizationFactor: 0,
}

const clients = new Set<{ close(): void }>()

/** A socket.io-client socket to `url`, closed by `closeClients()`. */
export function client(url: string, options: Partial<ManagerOptions & SocketOptions> = {}): Socket {
  const socket = io(url, { ...FAST, forceNew: true, ...options })
  clients.add({ close: () => socket.disconnect() })
  return socket
}

/** `fromSocketIO` over a new client of `url`; both closed by `closeClients()`. */
export function sourceFor(
  url: string,
  socketOptions: Partial<ManagerOptions & SocketOptions> = {},
  options?: FromSocketIOOptions,
): { socket: Socket; source: SocketIOSource; seen: [ConnectionState, ConnectionReason][] } {
  const socket = client(url, socketOptions)
  const source = fromSocketIO(socket, options)
  const seen: [ConnectionState, ConnectionReason][] = []
  source.on('connectionStateChanged', (state, reason) => seen.push([state, reason]))
  clients.add(source)
  return { socket, source, seen }
}

/** Closes every client and source made since the last call. */
export function closeClients() {
  for (const one of clients) one.close()
  clients.clear()
}
