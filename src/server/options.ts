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
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'function') return 'a function'
  if (typeof value !== 'object' || value === null) return String(value)
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}

const fail = (option: string, expected: string, value: unknown): never => {
  throw new TypeError(`createServer: ${option} must be ${expected} (got ${describe(value)})`)
}

/** Checks the options and fills in defaults; throws a `TypeError` naming a bad option. */
export function resolveServerOptions(options: ServerOptions | undefined): ResolvedServerOptions {
  if (options === undefined) options = {}
  if (typeof options !== 'object' || options === null)
    fail('options', 'an object or undefined', options)

  const {
    port = 0,
    host = '127.0.0.1',
    authenticate = defaultAuthenticate,
    peerTimeout = 20_000,
    maxPayload = 1_048_576,
    allowedOrigins,
    onMessage,
  } = options

  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    fail('port', 'an integer from 0 to 65535 (0 picks a free port)', port)
  if (typeof host !== 'string' || host === '') fail('host', 'a non-empty string', host)
  if (typeof authenticate !== 'function') fail('authenticate', 'a function', authenticate)
  if (typeof peerTimeout !== 'number' || !Number.isFinite(peerTimeout) || peerTimeout <= 0)
    fail('peerTimeout', 'a positive number of milliseconds', peerTimeout)
  if (!Number.isInteger(maxPayload) || maxPayload <= 0)
    fail('maxPayload', 'a positive integer number of bytes', maxPayload)
  if (
    allowedOrigins !== undefined &&
    (!Array.isArray(allowedOrigins) || !allowedOrigins.every((o) => typeof o === 'string'))
  )
    fail('allowedOrigins', 'an array of origin strings', allowedOrigins)
  if (onMessage !== undefined && typeof onMessage !== 'function')
    fail('onMessage', 'a function', onMessage)

  return {
    port,
    host,
    authenticate,
    peerTimeout,
    maxPayload,
    allowedOrigins: allowedOrigins === undefined ? null : new Set(allowedOrigins),
    onMessage: onMessage ?? null,
  }
}
