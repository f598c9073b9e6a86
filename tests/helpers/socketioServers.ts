/**
 * Real Socket.IO servers with `attachPresence` on 127.0.0.1 for the Socket.IO tests, each in a
 * forked child process (socketioChild.mjs, which loads the TypeScript source through tsx) that a
 * test can SIGKILL and start again on the same port; alone, or as nodes of a cluster over Redis
 * (@socket.io/redis-adapter). Children exit when this process goes away, as in yjsServers.ts.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  io as connectClient,
  type ManagerOptions,
  type Socket as ClientSocket,
  type SocketOptions,
} from 'socket.io-client'
import {
  readPresenceNotice,
  readRelayedMessage,
  readSendReply,
  type PresenceNotice,
  type RelayedMessage,
  type SendReply,
} from '../../src/adapters/socketioWire.js'
import type { PeerInfo } from '../../src/core/protocol.js'
import { forkChild, freePort, startChildServer, type ForkedChild } from './yjsServers.js'
import { withTimeout } from './wait.js'

const SOCKETIO_CHILD = join(dirname(fileURLToPath(import.meta.url)), 'socketioChild.mjs')

/** Options of {@link startSocketIONode}. */
export interface SocketIONodeOptions {
  port?: number
  /** Engine.IO's heartbeat, in ms (Socket.IO's defaults: 25,000 and 20,000). */
  pingInterval?: number
  pingTimeout?: number
  /** Accept only this `auth.token`; 'expired' is refused with 'token expired' (TOKEN_EXPIRED), others with 'invalid token' (INVALID_TOKEN). */
  token?: string
  /** Cluster through the Redis on 127.0.0.1 at this port (@socket.io/redis-adapter, ioredis). */
  redis?: { port: number }
  /** connectionStateRecovery on (single node only: the plain Redis adapter cannot recover). */
  recovery?: boolean
  /** attachPresence's timing options. */
  presence?: { beatInterval?: number; peerTimeout?: number }
  /** A name for errors and logs. */
  name?: string
}

/** A Socket.IO node in a child process. */
export interface SocketIONode {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** The PID of the running process (a new one after `restart()`); -1 while it is down. */
  readonly pid: number
  /** SIGKILL the child (no goodbye to clients or to the other nodes); resolves when it has exited. */
  kill(): Promise<void>
  /** Starts it again on the same port (after kill()), a new presence node; resolves when it listens. */
  restart(): Promise<void>
  /** Kills it if running; for afterAll. */
  stop(): Promise<void>
  /** Disconnects that peer's sockets on this node (`socket.disconnect(true)`); resolves with how many. */
  kick(peerId: string): Promise<number>
  /** `presence.peers()` in the child, and its presence node id. */
  peers(): Promise<{ peers: PeerInfo[]; node: string }>
}

/** How long the child may take to answer an IPC request. */
const REQUEST_TIMEOUT_MS = 5_000

let requests = 0

function ask<T>(child: ForkedChild | null, message: object, what: string): Promise<T> {
  if (!child?.process.connected) return Promise.reject(new Error(`${what}: the node is down`))
  const request = ++requests
  const answer = new Promise<T>((resolve) => {
    const onMessage = (reply: { reply?: number }) => {
      if (reply?.reply !== request) return
      child.process.off('message', onMessage)
      resolve(reply as T)
    }
    child.process.on('message', onMessage)
  })
  child.process.send({ request, ...message })
  return withTimeout(answer, REQUEST_TIMEOUT_MS, what)
}

/**
 * A Socket.IO server with `attachPresence` in a forked child; see socketioChild.mjs for what it
 * does with each option. Identifies a socket by `auth.name`, with `auth.data` as its presence.
 */
export async function startSocketIONode(options: SocketIONodeOptions = {}): Promise<SocketIONode> {
  const port = options.port ?? (await freePort())
  const { port: _port, name, ...childOptions } = options
  const what = `Socket.IO node${name ? ` "${name}"` : ''}`
  let current: ForkedChild | null = null
  const server = await startChildServer(port, async (p) => {
    current = await forkChild(SOCKETIO_CHILD, p, [JSON.stringify(childOptions)], what)
    return current
  })
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get pid() {
      return server.pid
    },
    async kill() {
      current = null
      await server.kill()
    },
    restart: server.restart,
    async stop() {
      current = null
      await server.stop()
    },
    async kick(peerId) {
      const reply = await ask<{ kicked: number }>(current, { kick: peerId }, `${what}: kick`)
      return reply.kicked
    },
    async peers() {
      const reply = await ask<{ peers: PeerInfo[]; node: string }>(
        current,
        { peers: true },
        `${what}: peers`,
      )
      return { peers: reply.peers, node: reply.node }
    },
  }
}

/** A raw socket.io-client socket speaking linklight's wire, with everything it received. */
export interface RawClient {
  readonly socket: ClientSocket
  /** Presence notices received, each checked with `readPresenceNotice` (a bad one fails the test). */
  readonly notices: PresenceNotice[]
  /** Messages relayed to it, checked with `readRelayedMessage`. */
  readonly messages: RelayedMessage[]
  /** `disconnect` reasons seen, in order. */
  readonly disconnects: string[]
  /** Notices received that the wire's checks refused (should stay empty). */
  readonly malformed: unknown[]
  /** `send` with an acknowledgement, within 5 s. */
  send(id: string, data: unknown): Promise<SendReply>
  /** The notices in short form: `peers ada,bob`, `joined ada`, `updated ada {"c":1}`, `left ada QUIT`. */
  log(): string[]
}

/** Short form of one notice, for readable assertions. */
export const shortNotice = (notice: PresenceNotice): string => {
  switch (notice.t) {
    case 'peers':
      return `peers ${notice.peers.map((peer) => peer.id).join(',')}`
    case 'left':
      return `left ${notice.id} ${notice.reason}`
    default:
      return `${notice.t} ${notice.peer.id}${notice.peer.data === undefined ? '' : ` ${JSON.stringify(notice.peer.data)}`}`
  }
}

const rawClients = new Set<ClientSocket>()

/**
 * A raw Socket.IO client of `url` on WebSocket only; `auth.name` makes it a listed peer (the
 * children identify by it), no name an observer. Closed by {@link closeRawClients}.
 */
export function rawClient(
  url: string,
  auth: Record<string, unknown> = {},
  prefix = 'linklight:',
  options: Partial<ManagerOptions & SocketOptions> = {},
): RawClient {
  const socket = connectClient(url, {
    transports: ['websocket'],
    auth,
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
    ...options,
  })
  rawClients.add(socket)
  const notices: PresenceNotice[] = []
  const messages: RelayedMessage[] = []
  const disconnects: string[] = []
  const malformed: unknown[] = []
  socket.on(`${prefix}presence`, (value: unknown) => {
    try {
      notices.push(readPresenceNotice(value))
    } catch {
      malformed.push(value)
    }
  })
  socket.on(`${prefix}message`, (value: unknown) => {
    try {
      messages.push(readRelayedMessage(value))
    } catch {
      malformed.push(value)
    }
  })
  socket.on('disconnect', (reason) => disconnects.push(reason))
  return {
    socket,
    notices,
    messages,
    disconnects,
    malformed,
    send: async (id, data) =>
      readSendReply(await socket.timeout(5_000).emitWithAck(`${prefix}send`, { id, data })),
    log: () => notices.map(shortNotice),
  }
}

/** Closes every raw client made so far; for afterEach. */
export function closeRawClients(): void {
  for (const socket of rawClients) socket.disconnect()
  rawClients.clear()
}
