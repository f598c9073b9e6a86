/**
 * The cluster-wide presence directory behind `attachPresence`: which node holds which peer, and
 * what the local clients are told when that changes. Pure: no Socket.IO, no timers; the time
 * comes from the injected `now`, so tests drive it with a fake clock.
 *
 * Each node knows its own sockets for sure and hears about the others through node messages
 * (`hello`, `hold`, `release`, `beat`, `bye`). A peer is online while any node holds it; the
 * directory turns holdings into the one view this node's clients see, and returns each change
 * of that view as a presence frame, exactly once.
 */
import type { PeerInfo, PresenceFrame } from '../core/protocol.js'
import { boundedValueProblem, isWireId, MESSAGE_LIMITS, PRESENCE_LIMITS } from './socketioWire.js'

/** A peer as one node holds it: since when, and its presence data (if any). */
export interface HeldPeer {
  id: string
  joinedAt: number
  data?: unknown
}

/** Why a peer left: it said goodbye (`QUIT`) or its link or node went away (`DROPPED`). */
export type LeaveReason = 'QUIT' | 'DROPPED'

/** What nodes tell each other about the peers they hold. */
export type DirectoryMessage =
  /** A node (re)started: the others answer with a `beat` at once. */
  | { t: 'hello'; node: string }
  /** The node holds this peer now, or its data changed. */
  | { t: 'hold'; node: string; peer: HeldPeer }
  /** The node's last socket of this peer went away. */
  | { t: 'release'; node: string; id: string; reason: LeaveReason }
  /** Every peer the node holds: replaces what it was thought to hold. */
  | { t: 'beat'; node: string; peers: HeldPeer[] }
  /** The node stops (its presence was closed): forget it. */
  | { t: 'bye'; node: string }

/** Node messages that are not about holdings: a relayed chat message, a data change request. */
export type RelayMessage =
  /** A message sent on `node`, passed on so every node relays it and remembers its id. */
  | { t: 'msg'; node: string; from: string | null; id: string; relay: boolean; data?: unknown }
  /** `presence.update(id, data)` called on `node`: whoever holds the peer applies it. */
  | { t: 'set'; node: string; id: string; data: unknown }

/** Everything one node says to the others (over the adapter, e.g. through Redis). */
export type NodeMessage = DirectoryMessage | RelayMessage

/** Most peers one node's `beat` may list. */
export const MAX_NODE_PEERS = 100_000
/** Most other nodes a directory keeps track of; messages from further nodes are ignored. */
export const MAX_NODES = 1_000

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0

function readHeldPeer(value: unknown): HeldPeer {
  if (!isRecord(value) || !isWireId(value.id) || !isTime(value.joinedAt))
    throw new TypeError('a held peer needs an id (1 to 128 characters) and joinedAt')
  const peer: HeldPeer = { id: value.id, joinedAt: value.joinedAt }
  if (value.data === undefined) return peer
  const problem = boundedValueProblem(value.data, PRESENCE_LIMITS)
  if (problem) throw new TypeError(`peer ${value.id}: its data ${problem}`)
  return { ...peer, data: value.data }
}

/**
 * Checks a message that came from another node, and returns it rebuilt from its checked fields
 * only; throws a `TypeError` saying what is wrong. Node messages travel through the adapter
 * (Redis, …), so they are checked like anything else from the network.
 *
 * @example
 * ```ts
 * readNodeMessage({ t: 'bye', node: 'n1' }) // { t: 'bye', node: 'n1' }
 * ```
 */
export function readNodeMessage(value: unknown): NodeMessage {
  if (!isRecord(value) || !isWireId(value.node))
    throw new TypeError('a node message needs node: an id of 1 to 128 characters')
  const { node } = value
  switch (value.t) {
    case 'hello':
    case 'bye':
      return { t: value.t, node }
    case 'hold':
      return { t: 'hold', node, peer: readHeldPeer(value.peer) }
    case 'release':
      if (!isWireId(value.id) || (value.reason !== 'QUIT' && value.reason !== 'DROPPED'))
        throw new TypeError("a 'release' needs an id and reason 'QUIT' or 'DROPPED'")
      return { t: 'release', node, id: value.id, reason: value.reason }
    case 'beat':
      if (!Array.isArray(value.peers) || value.peers.length > MAX_NODE_PEERS)
        throw new TypeError(`a 'beat' needs peers: an array of at most ${MAX_NODE_PEERS}`)
      return { t: 'beat', node, peers: value.peers.map(readHeldPeer) }
    case 'set': {
      if (!isWireId(value.id)) throw new TypeError("a 'set' needs an id")
      const problem = boundedValueProblem(value.data, PRESENCE_LIMITS)
      if (problem) throw new TypeError(`a 'set' for ${value.id}: its data ${problem}`)
      return { t: 'set', node, id: value.id, data: value.data }
    }
    case 'msg': {
      if (value.from !== null && !isWireId(value.from))
        throw new TypeError("a 'msg' needs from: a peer id, or null")
      if (!isWireId(value.id)) throw new TypeError("a 'msg' needs an id")
      if (typeof value.relay !== 'boolean') throw new TypeError("a 'msg' needs relay: a boolean")
      const message = {
        t: 'msg',
        node,
        from: value.from,
        id: value.id,
        relay: value.relay,
      } as const
      if (!value.relay) return message
      // the origin node checked it already; checked again, as it came over the network
      const problem = boundedValueProblem(value.data, MESSAGE_LIMITS)
      if (problem) throw new TypeError(`a 'msg' ${value.id}: its data ${problem}`)
      return { ...message, data: value.data }
    }
    default:
      throw new TypeError(`unknown node message ${JSON.stringify(String(value.t)).slice(0, 40)}`)
  }
}

/** What applying a message did: the changes to tell this node's clients, in order. */
export interface DirectoryResult {
  readonly changes: PresenceFrame[]
  /** The message was a `hello`: answer with this node's `beat` now. */
  readonly answer: boolean
}

/** The directory of one node. */
export interface PresenceDirectory {
  /** This node's id: its holdings are never swept. */
  readonly node: string
  /** Applies a message from any node, this one included. */
  apply(message: DirectoryMessage): DirectoryResult
  /** Forgets every other node not heard from within `peerTimeout`: its peers leave `DROPPED`. */
  sweep(): PresenceFrame[]
  /** Everyone online, as this node's clients see them. */
  peers(): PeerInfo[]
  /** The peers `node` holds, as its `beat` lists them. */
  held(node: string): HeldPeer[]
  /** The other nodes heard from and not yet forgotten. */
  nodes(): string[]
}

/** Options of {@link createPresenceDirectory}. */
export interface PresenceDirectoryOptions {
  /** This node's id. */
  readonly node: string
  /** Milliseconds after which a silent node is forgotten by `sweep()`. */
  readonly peerTimeout: number
  /** The time, in epoch milliseconds. */
  readonly now: () => number
}

/** One node's holding of one peer. */
interface Holding {
  joinedAt: number
  data: unknown
  /** `data` as JSON, to tell a real change from the same data sent again. */
  dataKey: string | undefined
  seenAt: number
  /** When this holding's data last changed, in the order this node learnt it. */
  changed: number
}

const keyOf = (data: unknown) => (data === undefined ? undefined : JSON.stringify(data))

/**
 * A presence directory for one node.
 *
 * @example
 * ```ts
 * const directory = createPresenceDirectory({ node: 'a', peerTimeout: 15_000, now: Date.now })
 * directory.apply({ t: 'hold', node: 'b', peer: { id: 'ada', joinedAt: 1 } }).changes
 * // [{ t: 'joined', peer: { id: 'ada', joinedAt: 1, lastSeenAt: … } }]
 * ```
 */
export function createPresenceDirectory(options: PresenceDirectoryOptions): PresenceDirectory {
  const { node: self, peerTimeout, now } = options
  /** peer id → node → holding */
  const holdings = new Map<string, Map<string, Holding>>()
  /** node → the peer ids it holds */
  const byNode = new Map<string, Set<string>>()
  /** other node → when it was last heard from */
  const heard = new Map<string, number>()
  /** What this node's clients were last told about each peer: its data key. */
  const shown = new Map<string, string | undefined>()
  let changes = 0

  const view = (id: string, holders: Map<string, Holding>): PeerInfo => {
    let joinedAt = Infinity
    let lastSeenAt = 0
    let latest: Holding | undefined
    for (const holding of holders.values()) {
      joinedAt = Math.min(joinedAt, holding.joinedAt)
      lastSeenAt = Math.max(lastSeenAt, holding.seenAt)
      if (holding.dataKey !== undefined && (!latest || holding.changed > latest.changed))
        latest = holding
    }
    return latest ? { id, joinedAt, lastSeenAt, data: latest.data } : { id, joinedAt, lastSeenAt }
  }

  /** Compares the view of `id` with what was shown, and records the difference in `out`. */
  const settle = (id: string, reason: LeaveReason, out: PresenceFrame[]) => {
    const holders = holdings.get(id)
    if (!holders?.size) {
      holdings.delete(id)
      if (shown.delete(id)) out.push({ t: 'left', id, reason, at: now() })
      return
    }
    const peer = view(id, holders)
    const key = keyOf(peer.data)
    if (!shown.has(id)) out.push({ t: 'joined', peer })
    else if (shown.get(id) !== key) out.push({ t: 'updated', peer })
    shown.set(id, key)
  }

  const hold = (node: string, peer: HeldPeer, out: PresenceFrame[]) => {
    let ids = byNode.get(node)
    // The bound a 'beat' is checked against holds for single 'hold's too: a node cannot grow
    // the directory past MAX_NODE_PEERS one peer at a time. Peers it holds may still change.
    if (ids && ids.size >= MAX_NODE_PEERS && !ids.has(peer.id)) return
    if (!ids) byNode.set(node, (ids = new Set()))
    let holders = holdings.get(peer.id)
    if (!holders) holdings.set(peer.id, (holders = new Map()))
    ids.add(peer.id)
    const dataKey = keyOf(peer.data)
    const before = holders.get(node)
    const holding: Holding = {
      joinedAt: peer.joinedAt,
      data: peer.data,
      dataKey,
      seenAt: now(),
      changed: before && before.dataKey === dataKey ? before.changed : ++changes,
    }
    holders.set(node, holding)
    settle(peer.id, 'DROPPED', out)
  }

  const release = (node: string, id: string, reason: LeaveReason, out: PresenceFrame[]) => {
    byNode.get(node)?.delete(id)
    if (holdings.get(id)?.delete(node)) settle(id, reason, out)
  }

  const forget = (node: string, reason: LeaveReason, out: PresenceFrame[]) => {
    for (const id of byNode.get(node) ?? []) release(node, id, reason, out)
    byNode.delete(node)
    heard.delete(node)
  }

  return {
    node: self,
    apply(message) {
      const out: PresenceFrame[] = []
      const { node } = message
      if (node !== self) {
        if (message.t === 'bye') {
          // a node that stops takes its users' links with it: they did not choose to leave
          forget(node, 'DROPPED', out)
          return { changes: out, answer: false }
        }
        // bounded: a flood of made-up node ids cannot grow the directory without end
        if (!heard.has(node) && heard.size >= MAX_NODES) return { changes: out, answer: false }
        heard.set(node, now())
      }
      switch (message.t) {
        case 'hello':
          return { changes: out, answer: node !== self }
        case 'hold':
          hold(node, message.peer, out)
          break
        case 'release':
          release(node, message.id, message.reason, out)
          break
        case 'beat': {
          const listed = new Set(message.peers.map((peer) => peer.id))
          // a peer the node no longer lists was released in a message this node missed
          for (const id of [...(byNode.get(node) ?? [])])
            if (!listed.has(id)) release(node, id, 'DROPPED', out)
          for (const peer of message.peers) hold(node, peer, out)
          break
        }
        case 'bye':
          // this node's own goodbye: its holdings go, as the other nodes will drop them
          forget(node, 'DROPPED', out)
          break
      }
      return { changes: out, answer: false }
    },
    sweep() {
      const out: PresenceFrame[] = []
      const limit = now() - peerTimeout
      for (const [node, at] of [...heard]) if (at < limit) forget(node, 'DROPPED', out)
      return out
    },
    peers: () => [...holdings].map(([id, holders]) => view(id, holders)),
    held: (node) =>
      [...(byNode.get(node) ?? [])].flatMap((id) => {
        const holding = holdings.get(id)?.get(node)
        if (!holding) return []
        const { joinedAt, data } = holding
        return [data === undefined ? { id, joinedAt } : { id, joinedAt, data }]
      }),
    nodes: () => [...heard.keys()],
  }
}

/**
 * The ids of messages already handled, for de-duplication: at most `limit`, the oldest forgotten
 * first. A message still being handled is remembered with the promise of its outcome, so a copy
 * that arrives meanwhile learns whether the first got through.
 *
 * @example
 * ```ts
 * const log = createMessageLog(2)
 * log.add('a', true); log.get('a') // true
 * ```
 */
export function createMessageLog(limit: number) {
  const entries = new Map<string, boolean | Promise<boolean>>()
  return {
    get: (key: string) => entries.get(key),
    add(key: string, outcome: boolean | Promise<boolean>) {
      entries.delete(key)
      entries.set(key, outcome)
      // Map keeps insertion order: the first key is the oldest
      while (entries.size > limit) entries.delete(entries.keys().next().value!)
    },
    delete: (key: string) => entries.delete(key),
    get size() {
      return entries.size
    },
  }
}

/** The message log of {@link createMessageLog}. */
export type MessageLog = ReturnType<typeof createMessageLog>
