/**
 * Frames on the wire and the codecs that turn them into text. The linklight protocol is
 * described for server authors in docs/protocol.md; this file is its executable form.
 */

/**
 * Version of the linklight protocol spoken by this package (sent in `hello`). Version 2 added
 * strict message order (`resend`), numbered relays that are replayed after a reconnect
 * (`replay`, `missed`) and batched presence (`batch`).
 */
export const PROTOCOL_VERSION = 2

/**
 * Deepest nesting of arrays and objects a frame may have, the frame itself counting as one
 * level. Deeper text is refused before it is parsed: serialising it again would overflow the
 * stack of whoever stores or forwards it.
 */
export const MAX_FRAME_DEPTH = 64

/** Longest peer id either end accepts. */
export const MAX_ID_LENGTH = 128

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
  | { t: 'hello'; v: number; url: string; session: string; received?: number }
  | { t: 'auth'; credentials: unknown; presence?: unknown }
  | { t: 'ping' }
  | { t: 'msg'; seq: number; data: unknown }
  | { t: 'presence'; data: unknown }
  | { t: 'bye' }
  | { t: 'replay'; after: number }

/** A presence change, sent alone or inside a `batch`. */
export type PresenceFrame =
  | { t: 'joined'; peer: PeerInfo }
  | { t: 'left'; id: string; reason: 'QUIT' | 'DROPPED'; at: number }
  | { t: 'updated'; peer: PeerInfo }

/** Frames a server sends. */
export type ServerFrame =
  | { t: 'challenge' }
  | { t: 'accept'; maxPayload?: number }
  | { t: 'redirect'; url: string }
  | { t: 'welcome'; id: string; lastSeq: number; peers: PeerInfo[] }
  | { t: 'rejected'; reason: AuthRejection; message?: string }
  | { t: 'pong' }
  | { t: 'ack'; seq: number }
  | { t: 'resend'; after: number }
  | { t: 'msg'; from: string | null; data: unknown; n?: number }
  | { t: 'missed'; upTo: number; count: number | null }
  | PresenceFrame
  | { t: 'batch'; frames: PresenceFrame[] }
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
 * makes a field optional. Types: `s` string, `i` a peer id (1 to {@link MAX_ID_LENGTH}
 * characters), `n` number, `c` a count (an integer ≥ 0), `N` a count or null, `b` boolean,
 * `a` anything present, `z` string or null, `r` `'QUIT'` or `'DROPPED'`, `p` a peer, `P` a list
 * of peers, `B` a list of presence frames.
 */
export type FrameShape = string

const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0

const types: Record<string, (value: unknown) => boolean> = {
  s: (v) => typeof v == 'string',
  i: (v) => typeof v == 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH,
  n: (v) => typeof v == 'number',
  c: isCount,
  N: (v) => v === null || isCount(v),
  b: (v) => typeof v == 'boolean',
  a: (v) => v !== undefined,
  z: (v) => v === null || typeof v == 'string',
  r: (v) => v == 'QUIT' || v == 'DROPPED',
  p: (v) => isObject(v) && hasShape(v, 'id:i joinedAt:n lastSeenAt:n'),
  P: (v) => Array.isArray(v) && v.every(types.p!),
  B: (v) => Array.isArray(v) && v.every(isPresenceFrame),
}

/** Whether `frame` has the fields `shape` asks for. */
export const hasShape = (frame: Record<string, unknown>, shape: FrameShape): boolean =>
  shape.split(' ').every((field) => {
    const [name = '', type = ''] = field.split(':')
    const value = frame[name]
    return !name || (type[0] == '?' && value === undefined) || types[type.slice(-1)]!(value)
  })

const presenceFrames: Record<PresenceFrame['t'], FrameShape> = {
  joined: 'peer:p',
  left: 'id:i reason:r at:n',
  updated: 'peer:p',
}

function isPresenceFrame(value: unknown): boolean {
  if (!isObject(value) || typeof value.t != 'string' || !Object.hasOwn(presenceFrames, value.t))
    return false
  return hasShape(value, presenceFrames[value.t as PresenceFrame['t']])
}

// What each server frame must carry; anything else is malformed.
const serverFrames: Record<ServerFrame['t'], FrameShape> = {
  challenge: '',
  accept: 'maxPayload:?n',
  redirect: 'url:s',
  welcome: 'id:i lastSeq:c peers:P',
  rejected: 'reason:s message:?s',
  pong: '',
  ack: 'seq:c',
  resend: 'after:c',
  msg: 'data:a from:z n:?c',
  missed: 'upTo:c count:N',
  ...presenceFrames,
  batch: 'frames:B',
  error: 'code:s message:s fatal:?b',
}

/** Longest text the linklight codec decodes (1 MiB); longer frames are reported, not parsed. */
export const MAX_FRAME_LENGTH = 1 << 20

/**
 * Whether JSON text nests arrays and objects deeper than `max`. One pass over the text, before
 * parsing: `JSON.parse` copes with any depth, but `JSON.stringify` of what it built does not.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  if (text.length <= max) return false
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c == 92)
        i++ // a backslash: the next character is escaped
      else if (c == 34) inString = false
    } else if (c == 34) inString = true
    else if (c == 91 || c == 123) {
      if (++depth > max) return true
    } else if (c == 93 || c == 125) depth--
  }
  return false
}

/**
 * Parses a JSON frame and checks it against a table of required fields. Text longer than
 * `maxLength` or nested deeper than `maxDepth` is refused before it is parsed.
 * Shared by the client codec and the reference server.
 */
export function parseFrame<F extends { t: string }>(
  raw: string,
  checks: Record<string, FrameShape | ((f: Record<string, unknown>) => boolean)>,
  maxLength = MAX_FRAME_LENGTH,
  maxDepth = MAX_FRAME_DEPTH,
): F {
  if (raw.length > maxLength)
    throw new ProtocolError(`frame of ${raw.length} characters exceeds the limit of ${maxLength}`)
  if (nestsDeeperThan(raw, maxDepth))
    throw new ProtocolError(`frame nests arrays or objects deeper than ${maxDepth} levels`)
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
