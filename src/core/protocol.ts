/**
 * Frames on the wire and the codecs that turn them into text. The linklight protocol is
 * described for server authors in docs/protocol.md; this file is its executable form.
 */

/** Version of the linklight protocol spoken by this package (sent in `hello`). */
export const PROTOCOL_VERSION = 1

/** Why a server refused `auth`. */
export type AuthRejection = 'INVALID_TOKEN' | 'TOKEN_EXPIRED' | 'BANNED' | 'REJECTED'

/** A peer as the server describes it. Times are the server's epoch milliseconds. */
export interface PeerInfo {
  id: string
  joinedAt: number
  lastSeenAt: number
  data?: unknown
}

/** Frames a client sends. */
export type ClientFrame =
  | { t: 'hello'; v: number; url: string; session: string }
  | { t: 'auth'; credentials: unknown; presence?: unknown }
  | { t: 'ping' }
  | { t: 'msg'; seq: number; data: unknown }
  | { t: 'presence'; data: unknown }
  | { t: 'bye' }

/** Frames a server sends. */
export type ServerFrame =
  | { t: 'challenge' }
  | { t: 'accept'; maxPayload?: number }
  | { t: 'redirect'; url: string }
  | { t: 'welcome'; id: string; lastSeq: number; peers: PeerInfo[] }
  | { t: 'rejected'; reason: AuthRejection; message?: string }
  | { t: 'pong' }
  | { t: 'ack'; seq: number }
  | { t: 'msg'; from: string | null; data: unknown }
  | { t: 'joined'; peer: PeerInfo }
  | { t: 'left'; id: string; reason: 'QUIT' | 'DROPPED'; at: number }
  | { t: 'updated'; peer: PeerInfo }
  | { t: 'error'; code: string; message: string; fatal?: boolean }

/**
 * How a client turns frames into text and back. Pass one as the `protocol` option to talk to a
 * server that is not linklight's.
 */
export interface Protocol {
  /** `true` when the server runs linklight's handshake (challenge, auth, presence, acks). */
  readonly handshake: boolean
  /** Text for a frame; throws when the frame cannot be encoded. */
  encode(frame: ClientFrame): string
  /** The frame in a text from the server; throws a {@link ProtocolError} when malformed. */
  decode(raw: string): ServerFrame
  /** Text of a heartbeat ping. */
  ping(): string
  /** Whether a text from the server is the answer to a ping (checked before `decode`). */
  isPong(raw: string): boolean
}

/** A frame that does not follow the protocol. */
export class ProtocolError extends Error {
  override name = 'ProtocolError'
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value == 'object' && value !== null && !Array.isArray(value)

/**
 * A frame's fields beyond `t`, as `name:type` pairs separated by spaces; `?` before the type
 * makes a field optional. Types: `s` string, `n` number, `b` boolean, `a` anything present,
 * `z` string or null, `r` `'QUIT'` or `'DROPPED'`, `p` a peer, `P` a list of peers.
 */
export type FrameShape = string

const types: Record<string, (value: unknown) => boolean> = {
  s: (v) => typeof v == 'string',
  n: (v) => typeof v == 'number',
  b: (v) => typeof v == 'boolean',
  a: (v) => v !== undefined,
  z: (v) => v === null || typeof v == 'string',
  r: (v) => v == 'QUIT' || v == 'DROPPED',
  p: (v) => isObject(v) && hasShape(v, 'id:s joinedAt:n lastSeenAt:n'),
  P: (v) => Array.isArray(v) && v.every(types.p!),
}

/** Whether `frame` has the fields `shape` asks for. */
export const hasShape = (frame: Record<string, unknown>, shape: FrameShape): boolean =>
  shape.split(' ').every((field) => {
    const [name = '', type = ''] = field.split(':')
    const value = frame[name]
    return !name || (type[0] == '?' && value === undefined) || types[type.slice(-1)]!(value)
  })

// What each server frame must carry; anything else is malformed.
const serverFrames: Record<ServerFrame['t'], FrameShape> = {
  challenge: '',
  accept: 'maxPayload:?n',
  redirect: 'url:s',
  welcome: 'id:s lastSeq:n peers:P',
  rejected: 'reason:s message:?s',
  pong: '',
  ack: 'seq:n',
  msg: 'data:a from:z',
  joined: 'peer:p',
  left: 'id:s reason:r at:n',
  updated: 'peer:p',
  error: 'code:s message:s fatal:?b',
}

/** Longest text the linklight codec decodes (1 MiB); longer frames are reported, not parsed. */
export const MAX_FRAME_LENGTH = 1 << 20

/**
 * Parses a JSON frame and checks it against a table of required fields.
 * Shared by the client codec and the reference server.
 */
export function parseFrame<F extends { t: string }>(
  raw: string,
  checks: Record<string, FrameShape | ((f: Record<string, unknown>) => boolean)>,
  maxLength = MAX_FRAME_LENGTH,
): F {
  if (raw.length > maxLength)
    throw new ProtocolError(`frame of ${raw.length} characters exceeds the limit of ${maxLength}`)
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    throw new ProtocolError(`frame is not valid JSON: ${raw.slice(0, 60)}`)
  }
  if (!isObject(value) || typeof value.t !== 'string')
    throw new ProtocolError('frame must be a JSON object with a string "t"')
  const check = Object.hasOwn(checks, value.t) ? checks[value.t] : undefined
  if (check === undefined) throw new ProtocolError(`unknown frame type "${value.t}"`)
  if (!(typeof check == 'string' ? hasShape(value, check) : check(value)))
    throw new ProtocolError(`malformed "${value.t}" frame`)
  return value as F
}

/**
 * linklight's own JSON protocol (the default): handshake, presence, acknowledged messages.
 * See docs/protocol.md.
 */
export const linklightProtocol: Protocol = Object.freeze({
  handshake: true,
  encode(frame: ClientFrame) {
    // JSON would silently drop an undefined `data` and the server would refuse the frame.
    if (frame.t === 'msg' && frame.data === undefined)
      throw new ProtocolError('a message needs data')
    return JSON.stringify(frame)
  },
  decode: (raw: string) => parseFrame<ServerFrame>(raw, serverFrames),
  ping: () => '{"t":"ping"}',
  isPong: (raw: string) => raw === '{"t":"pong"}',
})

/** Options of {@link plainProtocol}. */
export interface PlainProtocolOptions {
  /** Text sent as a heartbeat ping (default `'ping'`). */
  ping?: string
  /** Text the server answers a ping with (default `'pong'`). */
  pong?: string
}

/**
 * A codec for plain WebSocket servers: no handshake, no presence, no acks. Messages are sent
 * as JSON (strings as they are); incoming text is parsed as JSON when it can be.
 *
 * @example
 * ```ts
 * const client = createClient('wss://echo.example', {
 *   protocol: plainProtocol({ ping: '--heartbeat--', pong: '--heartbeat--' }),
 *   autoLogin: true,
 * })
 * ```
 */
export function plainProtocol({
  ping = 'ping',
  pong = 'pong',
}: PlainProtocolOptions = {}): Protocol {
  return Object.freeze({
    handshake: false,
    encode(frame: ClientFrame) {
      if (frame.t === 'ping') return ping
      if (frame.t !== 'msg') throw new ProtocolError(`plain protocol cannot send "${frame.t}"`)
      const text = typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data)
      if (typeof text !== 'string') throw new ProtocolError('plain protocol cannot send undefined')
      return text
    },
    decode(raw: string): ServerFrame {
      let data: unknown = raw
      try {
        data = JSON.parse(raw)
      } catch {
        // not JSON: deliver the text as it is
      }
      return { t: 'msg', from: null, data }
    },
    ping: () => ping,
    isPong: (raw: string) => raw === pong,
  })
}
