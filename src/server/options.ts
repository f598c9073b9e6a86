import {
  checkOptions,
  func,
  integer,
  ms,
  nonEmptyString,
  orInfinity,
  showData,
  stringList,
  type Rule,
} from '../core/check.js'
import { MAX_FRAME_DEPTH, MAX_ID_LENGTH } from '../protocol/index.js'
import { defaultAuthenticate, type Authenticate } from './auth.js'

/**
 * One accepted message, as `onMessage` sees it: after de-duplication, in the order the
 * server accepted it.
 *
 * @example
 * ```ts
 * const seen: ServerMessage[] = []
 * await createServer({ onMessage: (message) => seen.push(message) })
 * ```
 */
export interface ServerMessage {
  /** Peer id of the sender. */
  from: string
  /** Session id of the sender. */
  session: string
  /** The sender's sequence number for this message. */
  seq: number
  /** The message as the client sent it. */
  data: unknown
}

/**
 * Options of {@link createServer}; all times in milliseconds.
 *
 * @example
 * ```ts
 * const server = await createServer({ port: 8787, peerTimeout: 5000 })
 * ```
 */
export interface ServerOptions {
  /** TCP port; `0` (the default) picks a free one, see `server.port`. */
  port?: number
  /** Interface to bind; loopback (`'127.0.0.1'`) unless you mean to expose the server. */
  host?: string
  /** Decides who may connect and as whom; the default admits everyone. */
  authenticate?: Authenticate
  /** Silence after which a peer is announced `DROPPED` (default 20000, as Agora's). */
  peerTimeout?: number
  /** Largest frame accepted, in bytes (default 1 MiB); larger ones close the socket with 1009. */
  maxPayload?: number
  /**
   * Origins browsers may connect from. Requests without an `Origin` header (Node clients)
   * are always allowed; unset allows every origin.
   */
  allowedOrigins?: readonly string[]
  /** Called once per accepted message, duplicates excluded, in order. */
  onMessage?: (message: ServerMessage) => void
  /**
   * Time a socket has to finish `hello` and `auth` (default 10000). A socket still not admitted
   * then gets a fatal `HANDSHAKE_TIMEOUT` error and close code 4002.
   */
  handshakeTimeout?: number
  /** Sockets open at once, authenticated or not (default 10000); more are refused with HTTP 503. */
  maxConnections?: number
  /**
   * Bytes a socket may have waiting to be written (default 4 MiB). A client that reads slower
   * than the server writes to it is closed with code 4003 rather than buffered without end; it
   * reconnects and is replayed what it missed.
   */
  maxBufferedBytes?: number
  /**
   * Frames one socket may send per second, averaged over a one-second burst (default
   * `Infinity`: no limit). Above it the socket gets a fatal `RATE_LIMITED` error and close code
   * 4004.
   */
  maxFramesPerSecond?: number
  /** Deepest nesting of arrays and objects in a frame, from 8 to 64 (default 64). */
  maxDepth?: number
  /** Longest peer id, from 1 to 128 characters (default 128); longer ids are refused at `auth`. */
  maxIdLength?: number
  /** Largest presence data of one peer, as JSON, in bytes (default 4096). */
  maxPresenceBytes?: number
  /** How long a session is remembered after its peer left (default 300000, five minutes). */
  sessionTimeout?: number
  /** Relays kept per session for a replay after a reconnect (default 1000). */
  resumeBacklog?: number
}

/** {@link ServerOptions} with every default filled in. */
export interface ResolvedServerOptions {
  port: number
  host: string
  authenticate: Authenticate
  peerTimeout: number
  maxPayload: number
  allowedOrigins: ReadonlySet<string> | null
  onMessage: ((message: ServerMessage) => void) | null
  handshakeTimeout: number
  maxConnections: number
  maxBufferedBytes: number
  maxFramesPerSecond: number
  maxDepth: number
  maxIdLength: number
  maxPresenceBytes: number
  sessionTimeout: number
  resumeBacklog: number
}

const WHERE = 'createServer'

// One rule per option (core/check.ts, as the client's): what a valid value passes and how the
// error describes it. A bad array or plain object shows in the error as JSON (`showData`).
const rules: Record<keyof ServerOptions, Rule> = {
  port: [integer(0, 65_535)[0], 'an integer from 0 to 65535 (0 picks a free port)'],
  host: nonEmptyString,
  authenticate: func(),
  peerTimeout: ms(1),
  maxPayload: integer(1, Infinity, 'bytes'),
  allowedOrigins: stringList('origin strings'),
  onMessage: func(),
  handshakeTimeout: ms(1),
  maxConnections: integer(1),
  maxBufferedBytes: integer(1024, Infinity, 'bytes'),
  maxFramesPerSecond: orInfinity(
    [(value) => typeof value == 'number' && value >= 1 && value < Infinity, 'a number >= 1'],
    'no limit',
  ),
  maxDepth: integer(8, MAX_FRAME_DEPTH),
  maxIdLength: integer(1, MAX_ID_LENGTH),
  maxPresenceBytes: integer(2, Infinity, 'bytes'),
  sessionTimeout: ms(1),
  resumeBacklog: integer(0),
}

/** Checks the options and fills in defaults; throws a `TypeError` naming a bad option. */
export function resolveServerOptions(options: ServerOptions | undefined): ResolvedServerOptions {
  checkOptions(WHERE, options, rules, showData)
  const {
    port = 0,
    host = '127.0.0.1',
    authenticate = defaultAuthenticate,
    peerTimeout = 20_000,
    maxPayload = 1_048_576,
    allowedOrigins,
    onMessage,
    handshakeTimeout = 10_000,
    maxConnections = 10_000,
    maxBufferedBytes = 4 * 1_048_576,
    maxFramesPerSecond = Infinity,
    maxDepth = MAX_FRAME_DEPTH,
    maxIdLength = MAX_ID_LENGTH,
    maxPresenceBytes = 4096,
    sessionTimeout = 300_000,
    resumeBacklog = 1000,
  } = options ?? {}

  return {
    port,
    host,
    authenticate,
    peerTimeout,
    maxPayload,
    allowedOrigins: allowedOrigins === undefined ? null : new Set(allowedOrigins),
    onMessage: onMessage ?? null,
    handshakeTimeout,
    maxConnections,
    maxBufferedBytes,
    maxFramesPerSecond,
    maxDepth,
    maxIdLength,
    maxPresenceBytes,
    sessionTimeout,
    resumeBacklog,
  }
}
