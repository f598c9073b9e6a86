/**
 * What `fromSocketIO` and `attachPresence` say to each other over a Socket.IO connection: four
 * event names, the shapes sent on them, and the checks each end runs on what it receives. The
 * shapes reuse linklight's own presence frames (`joined`, `updated`, `left`), so a peer means the
 * same thing on every transport. Nothing here imports Socket.IO.
 */
import { MAX_ID_LENGTH, type PeerInfo, type PresenceFrame } from '../core/protocol.js'

/** The events, by default. Both ends take a `prefix` option to rename all four at once. */
export const DEFAULT_EVENT_PREFIX = 'linklight:'

/** The four event names under a prefix. */
export interface SocketIOEvents {
  /** Server → client: a {@link PresenceNotice}. */
  readonly presence: string
  /** Client → server, with an acknowledgement: an {@link OutgoingMessage}, answered by a {@link SendReply}. */
  readonly send: string
  /** Server → client: a {@link RelayedMessage} from another peer. */
  readonly message: string
  /** Client → server: this client's new presence data. */
  readonly setPresence: string
}

/**
 * The event names under `prefix`.
 *
 * @example
 * ```ts
 * eventNames('linklight:').presence // 'linklight:presence'
 * ```
 */
export const eventNames = (prefix: string): SocketIOEvents => ({
  presence: `${prefix}presence`,
  send: `${prefix}send`,
  message: `${prefix}message`,
  setPresence: `${prefix}set-presence`,
})

/**
 * What the server says about the room: the full list on connect (`peers`, with `self`, the id
 * this client has there, or `null` when it is not listed), then each change.
 */
export type PresenceNotice = { t: 'peers'; self: string | null; peers: PeerInfo[] } | PresenceFrame

/** A message a client sends: `id` is unique per sender, so a resend is recognised. */
export interface OutgoingMessage {
  id: string
  data: unknown
}

/** The server's answer to an {@link OutgoingMessage}. */
export type SendReply = { ok: true; duplicate?: boolean } | { ok: false; error: string }

/** A message relayed to the room: `from` is the sender's peer id (`null`: not listed). */
export interface RelayedMessage {
  from: string | null
  id: string
  data: unknown
}

/** Limits on a value that came over the network. */
export interface ValueLimits {
  /** Deepest nesting of arrays and objects. */
  readonly depth: number
  /** Most values (each array, object, string, number…) in it, all levels counted. */
  readonly nodes: number
}

/** Message data: nests at most 32 levels, at most 20,000 values. */
export const MESSAGE_LIMITS: ValueLimits = { depth: 32, nodes: 20_000 }
/** Presence data of one peer: nests at most 16 levels, at most 1,000 values. */
export const PRESENCE_LIMITS: ValueLimits = { depth: 16, nodes: 1_000 }
/** Most peers one `peers` notice may list. */
export const MAX_PEERS = 10_000

/**
 * Why `value` is not plain JSON within `limits`, or `null` when it is. Walks at most
 * `limits.nodes` values, so a hostile value costs a bounded amount of work.
 *
 * @example
 * ```ts
 * boundedValueProblem({ a: [1, 2] }, { depth: 4, nodes: 10 }) // null
 * boundedValueProblem([[[[1]]]], { depth: 2, nodes: 10 }) // 'nests deeper than 2 levels'
 * ```
 */
export function boundedValueProblem(value: unknown, limits: ValueLimits): string | null {
  const tooMany = `holds more than ${limits.nodes} values`
  let seen = 0
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length) {
    const [item, depth] = stack.pop()!
    if (++seen > limits.nodes) return tooMany
    if (item === null || typeof item === 'string' || typeof item === 'boolean') continue
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) return 'holds a number that is not finite'
      continue
    }
    if (typeof item !== 'object')
      return `holds ${item === undefined ? 'undefined' : `a ${typeof item}`}, which JSON cannot carry`
    if (depth >= limits.depth) return `nests deeper than ${limits.depth} levels`
    // Counted before they are read: a wide container costs no more than the limit allows.
    const room = limits.nodes - seen - stack.length
    const children = Array.isArray(item)
      ? item.length > room
        ? null
        : item
      : plainValues(item, room)
    if (children === null) return tooMany
    if (children === undefined) return 'holds an object that is not plain data'
    for (const child of children) stack.push([child, depth + 1])
  }
  return null
}

/** The values of a plain object, `null` when it has more than `room`, `undefined` when it is not plain. */
function plainValues(item: object, room: number): unknown[] | null | undefined {
  const proto = Object.getPrototypeOf(item) as unknown
  if (proto !== Object.prototype && proto !== null) return undefined
  const values: unknown[] = []
  for (const key in item) {
    if (!Object.hasOwn(item, key)) continue
    if (values.length >= room) return null
    values.push((item as Record<string, unknown>)[key])
  }
  return values
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A peer or message id: a non-empty string of at most 128 characters. */
export const isWireId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH

const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0

function readPeer(value: unknown): PeerInfo {
  if (!isRecord(value) || !isWireId(value.id))
    throw new TypeError('a peer needs an id: a string of 1 to 128 characters')
  if (!isTime(value.joinedAt) || !isTime(value.lastSeenAt))
    throw new TypeError(`peer ${value.id}: joinedAt and lastSeenAt must be epoch milliseconds`)
  const peer: PeerInfo = { id: value.id, joinedAt: value.joinedAt, lastSeenAt: value.lastSeenAt }
  if (value.data === undefined) return peer
  const problem = boundedValueProblem(value.data, PRESENCE_LIMITS)
  if (problem) throw new TypeError(`peer ${value.id}: its data ${problem}`)
  return { ...peer, data: value.data }
}

/**
 * Checks a presence notice that arrived from the server, and returns it rebuilt from its checked
 * fields only; throws a `TypeError` saying what is wrong with it.
 *
 * @example
 * ```ts
 * readPresenceNotice({ t: 'left', id: 'ada', reason: 'QUIT', at: 1 }) // the notice
 * readPresenceNotice({ t: 'left' }) // throws TypeError
 * ```
 */
export function readPresenceNotice(value: unknown): PresenceNotice {
  if (!isRecord(value)) throw new TypeError('a presence notice must be an object')
  switch (value.t) {
    case 'peers': {
      const { peers, self } = value
      if (self !== null && !isWireId(self))
        throw new TypeError("a 'peers' notice needs self: an id, or null")
      if (!Array.isArray(peers) || peers.length > MAX_PEERS)
        throw new TypeError(`a 'peers' notice needs peers: an array of at most ${MAX_PEERS}`)
      return { t: 'peers', self, peers: peers.map(readPeer) }
    }
    case 'joined':
    case 'updated':
      return { t: value.t, peer: readPeer(value.peer) }
    case 'left': {
      const { id, reason, at } = value
      if (!isWireId(id)) throw new TypeError("a 'left' notice needs an id")
      if (reason !== 'QUIT' && reason !== 'DROPPED')
        throw new TypeError("a 'left' notice needs reason 'QUIT' or 'DROPPED'")
      if (!isTime(at)) throw new TypeError("a 'left' notice needs at: epoch milliseconds")
      return { t: 'left', id, reason, at }
    }
    default:
      throw new TypeError(`unknown presence notice ${JSON.stringify(String(value.t)).slice(0, 40)}`)
  }
}

/**
 * Checks a message a client sent (either end may use it); throws a `TypeError` saying what is
 * wrong with it.
 *
 * @example
 * ```ts
 * readOutgoingMessage({ id: 'm1', data: { text: 'hi' } }) // the message
 * ```
 */
export function readOutgoingMessage(value: unknown): OutgoingMessage {
  if (!isRecord(value) || !isWireId(value.id))
    throw new TypeError('a message needs an id: a string of 1 to 128 characters')
  const problem = boundedValueProblem(value.data, MESSAGE_LIMITS)
  if (problem) throw new TypeError(`message ${value.id}: its data ${problem}`)
  return { id: value.id, data: value.data }
}

/**
 * Checks a message relayed by the server; throws a `TypeError` saying what is wrong with it.
 *
 * @example
 * ```ts
 * readRelayedMessage({ from: 'ada', id: 'm1', data: 'hi' }) // the message
 * ```
 */
export function readRelayedMessage(value: unknown): RelayedMessage {
  if (!isRecord(value)) throw new TypeError('a relayed message must be an object')
  if (value.from !== null && !isWireId(value.from))
    throw new TypeError('a relayed message needs from: a peer id, or null')
  const { id, data } = readOutgoingMessage(value)
  return { from: value.from, id, data }
}

/**
 * Checks a server's answer to a sent message; throws a `TypeError` when it is not one.
 *
 * @example
 * ```ts
 * readSendReply({ ok: true }) // { ok: true }
 * ```
 */
export function readSendReply(value: unknown): SendReply {
  if (isRecord(value) && value.ok === true)
    return value.duplicate === true ? { ok: true, duplicate: true } : { ok: true }
  if (isRecord(value) && value.ok === false && typeof value.error === 'string')
    return { ok: false, error: value.error.slice(0, 500) }
  throw new TypeError("the server's answer is neither { ok: true } nor { ok: false, error }")
}
