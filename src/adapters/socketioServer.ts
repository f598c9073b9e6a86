/**
 * `linklight/socket.io/server`: presence and de-duplicated messages for a Socket.IO server,
 * spoken in the wire of socketioWire.ts, so `fromSocketIO` on the client shows who is online.
 *
 * Socket.IO has rooms but no presence. `attachPresence` keeps it: a peer (an id from `identify`)
 * is online while any of its sockets is connected to any node of the cluster. Each node knows
 * its own sockets for sure and tells the others what it holds through the adapter
 * (`serverSideEmit`: Redis, …), at once on every change and in full every `beatInterval`; a node
 * not heard from for `peerTimeout` is taken for dead and its peers leave `DROPPED`. Every node
 * tells only its own clients about changes to its view, so each client gets each change once,
 * in order after its snapshot. Nothing here imports Socket.IO: the server is typed structurally.
 *
 * This file admits sockets, keeps the presence directory and does all of the I/O (emits, the
 * adapter, timers). What is done with a message — a client's `send`, or one another node hands
 * over — is in socketioMessages.ts; the options and the structural types in
 * socketioServerTypes.ts; the directory and the node messages in socketioDirectory.ts.
 */
import { checkOptions, invalid } from '../core/check.js'
import type { PresenceFrame } from '../core/protocol.js'
import {
  createMessageLog,
  createPresenceDirectory,
  readNodeMessage,
  type DirectoryMessage,
  type HeldPeer,
  type LeaveReason,
  type NodeMessage,
} from './socketioDirectory.js'
import {
  boundedValueProblem,
  DEFAULT_EVENT_PREFIX,
  eventNames,
  isWireId,
  MAX_PEERS,
  PRESENCE_LIMITS,
  type PresenceNotice,
  type SendReply,
} from './socketioWire.js'
import {
  optionRules,
  type AttachPresenceOptions,
  type Presence,
  type PresenceBroadcastLike,
  type PresenceListener,
  type PresenceNamespaceLike,
  type PresenceServerLike,
  type PresenceSocketLike,
} from './socketioServerTypes.js'
import { createMessageRelay } from './socketioMessages.js'

export type { PeerInfo } from '../core/protocol.js'
export type { SendReply } from './socketioWire.js'
export type {
  AttachPresenceOptions,
  Presence,
  PresenceBroadcastLike,
  PresenceIdentity,
  PresenceListener,
  PresenceNamespaceLike,
  PresenceServerLike,
  PresenceSocketLike,
} from './socketioServerTypes.js'

/** Defaults of {@link AttachPresenceOptions}. */
const DEFAULT_ROOM = 'linklight'
/** A beat every 5 s costs one small message per node; a dead node is noticed within 15 s. */
const DEFAULT_BEAT_INTERVAL = 5_000
/** Three beats missed in a row: a busy event loop or a Redis hiccup does not drop anyone. */
const DEFAULT_PEER_TIMEOUT = 15_000
const DEFAULT_DEDUPE = 10_000

/**
 * Socket.IO's disconnect reasons that mean someone chose to leave; all others are a drop. A
 * server shutting down is a drop: its users did not choose to go, and come back on another node.
 */
const QUIT_REASONS = new Set(['client namespace disconnect', 'server namespace disconnect'])

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  isRecord(value) && typeof value.then === 'function'

/**
 * Whether the adapter carries `serverSideEmit` to other nodes: Socket.IO's in-memory adapter
 * only warns, and every cluster adapter (Redis, Postgres, the cluster adapter…) overrides it.
 * Told by the prototype chain, so that nothing from Socket.IO is imported.
 */
function isClusterAdapter(adapter: object): boolean {
  let defining = 0
  for (let proto = Object.getPrototypeOf(adapter); proto; proto = Object.getPrototypeOf(proto))
    if (Object.hasOwn(proto, 'serverSideEmit')) defining++
  return defining > 1 || Object.hasOwn(adapter, 'serverSideEmit')
}

const randomNodeId = () =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36)}`

/** A socket this node serves. */
interface Member<S> {
  readonly socket: S
  /** pending: identify has not answered; refused: it failed; gone: disconnected or closed. */
  state: 'pending' | 'admitted' | 'refused' | 'gone'
  /** The peer id, or null for an observer. */
  peerId: string | null
  /** Resolves once identify has answered. */
  ready: Promise<void>
  readonly listeners: [string, PresenceListener][]
}

/** A peer with at least one socket on this node. */
interface LocalPeer {
  readonly sockets: Set<Member<unknown>>
  readonly joinedAt: number
  data: unknown
}

/**
 * Adds presence to a Socket.IO server or namespace: every socket `identify` names is listed;
 * each client of `fromSocketIO` gets the list on connect and then every change; `send` is
 * checked, de-duplicated across the cluster, passed to `onMessage` and relayed. Works on one
 * node, and on a cluster through any adapter with `serverSideEmit` (set the adapter first).
 * Throws a `TypeError` naming the option when one is wrong.
 *
 * @example
 * ```ts
 * import { Server } from 'socket.io'
 * import { attachPresence } from 'linklight/socket.io/server'
 *
 * const io = new Server(httpServer)
 * const presence = attachPresence(io, {
 *   identify: (socket) => ({ id: socket.data.userId, data: { name: socket.data.name } }),
 * })
 * ```
 */
export function attachPresence<S extends PresenceSocketLike>(
  io: PresenceServerLike<S>,
  options: AttachPresenceOptions<S>,
): Presence {
  const where = 'attachPresence'
  if (!isRecord(io) || !isRecord(io.sockets))
    invalid(where, 'io', 'a Socket.IO Server or Namespace', io)
  checkOptions(where, options, optionRules)
  if (options === undefined || typeof options.identify != 'function')
    invalid(where, 'identify', optionRules.identify![1], options?.identify)
  const nsp = (io.sockets instanceof Map ? io : io.sockets) as PresenceNamespaceLike<S>
  if (typeof nsp.on != 'function' || typeof nsp.serverSideEmit != 'function')
    invalid(where, 'io', 'a Socket.IO Server or Namespace', io)
  const room = options.room ?? DEFAULT_ROOM
  const events = eventNames(options.prefix ?? DEFAULT_EVENT_PREFIX)
  const nodeEvent = `${options.prefix ?? DEFAULT_EVENT_PREFIX}node`
  const beatInterval = options.beatInterval ?? DEFAULT_BEAT_INTERVAL
  const peerTimeout = options.peerTimeout ?? DEFAULT_PEER_TIMEOUT
  if (peerTimeout <= beatInterval)
    invalid(where, 'peerTimeout', `more than beatInterval (${beatInterval} ms)`, peerTimeout)
  const clientPresence = options.clientPresence ?? true
  const relay = options.relay ?? true
  const { identify, onMessage } = options

  const node = randomNodeId()
  const clustered = isClusterAdapter(nsp.adapter)
  const directory = createPresenceDirectory({ node, peerTimeout, now: Date.now })
  const members = new Map<string, Member<S>>()
  const localPeers = new Map<string, LocalPeer>()
  let closed = false

  // The structural `emit`s take `never[]` arguments, as Socket.IO's are typed per event: what
  // goes out here is plain data.
  const emitTo = (target: PresenceBroadcastLike, event: string, payload: unknown) =>
    (target.emit as (event: string, payload: unknown) => unknown)(event, payload)
  const tell = (socket: S, event: string, payload: unknown) =>
    (socket.emit as (event: string, payload: unknown) => unknown).call(socket, event, payload)
  const toNodes = (message: NodeMessage) => {
    if (!clustered || closed) return
    ;(nsp.serverSideEmit as (event: string, message: NodeMessage) => unknown).call(
      nsp,
      nodeEvent,
      message,
    )
  }
  const messageRelay = createMessageRelay<S>({
    where,
    node,
    log: createMessageLog(options.dedupe ?? DEFAULT_DEDUPE),
    relay,
    onMessage,
    closed: () => closed,
    deliver(relayed, exceptSocketId) {
      const inRoom = nsp.local.to(room)
      emitTo(
        exceptSocketId === undefined ? inRoom : inRoom.except(exceptSocketId),
        events.message,
        relayed,
      )
    },
    toNodes,
  })
  const announce = (changes: PresenceFrame[]) => {
    for (const frame of changes)
      emitTo(nsp.local.to(room), events.presence, frame satisfies PresenceNotice)
  }
  const applyHere = (message: DirectoryMessage) => {
    const result = directory.apply(message)
    announce(result.changes)
    return result
  }

  const heldHere = (): HeldPeer[] =>
    [...localPeers].map(([id, { joinedAt, data }]) =>
      data === undefined ? { id, joinedAt } : { id, joinedAt, data },
    )
  const holdHere = (id: string, peer: LocalPeer) => {
    const held: HeldPeer =
      peer.data === undefined
        ? { id, joinedAt: peer.joinedAt }
        : { id, joinedAt: peer.joinedAt, data: peer.data }
    applyHere({ t: 'hold', node, peer: held })
    toNodes({ t: 'hold', node, peer: held })
  }
  const beat = () => {
    const peers = heldHere()
    // renews this node's own holdings (their lastSeenAt) in the directory as well
    applyHere({ t: 'beat', node, peers })
    toNodes({ t: 'beat', node, peers })
  }

  const setLocalData = (id: string, data: unknown) => {
    const peer = localPeers.get(id)
    if (!peer) return
    peer.data = data
    holdHere(id, peer)
  }

  const listen = (member: Member<S>, event: string, listener: (...args: unknown[]) => void) => {
    const safe: PresenceListener = (...args) => {
      try {
        listener(...args)
      } catch {
        // a hostile payload must never throw into Socket.IO
      }
    }
    member.listeners.push([event, safe])
    member.socket.on(event, safe)
  }

  const unlisten = (member: Member<S>) => {
    for (const [event, listener] of member.listeners.splice(0)) member.socket.off(event, listener)
  }

  /** Calls `then` once identify has answered (at once if it has). */
  const whenReady = (member: Member<S>, then: () => void) => {
    const run = () => {
      try {
        then()
      } catch {
        // as in listen(): nothing a client sends may throw into the server
      }
    }
    if (member.state === 'pending') void member.ready.then(run)
    else run()
  }

  const admit = (member: Member<S>, identity: unknown) => {
    if (member.state !== 'pending' || closed) return
    // A socket restored by connectionStateRecovery is back in its rooms already: out of the
    // room until its snapshot, so that it is not told of its own join first.
    member.socket.leave?.(room)
    if (identity !== null) {
      if (!isRecord(identity) || !isWireId(identity.id)) {
        member.state = 'refused'
        return
      }
      const { id } = identity
      // data that is not plain bounded JSON is left out: the peer is listed without it
      const data =
        identity.data !== undefined && !boundedValueProblem(identity.data, PRESENCE_LIMITS)
          ? identity.data
          : undefined
      member.peerId = id
      const peer = localPeers.get(id)
      if (!peer) {
        const created: LocalPeer = { sockets: new Set([member]), joinedAt: Date.now(), data }
        localPeers.set(id, created)
        holdHere(id, created)
      } else {
        peer.sockets.add(member)
        if (data !== undefined) setLocalData(id, data)
      }
    }
    member.state = 'admitted'
    // Joined after the change above went out and before the next: the snapshot already holds
    // it, and every later change reaches this socket through the room (Socket.IO's own
    // adapters join synchronously).
    member.socket.join(room)
    const peers = directory.peers().slice(0, MAX_PEERS)
    tell(member.socket, events.presence, { t: 'peers', self: member.peerId, peers })
  }

  const depart = (member: Member<S>, reason: unknown) => {
    const was = member.state
    if (was === 'gone') return
    member.state = 'gone'
    unlisten(member)
    members.delete(member.socket.id)
    const id = member.peerId
    if (was !== 'admitted' || id === null) return
    const peer = localPeers.get(id)
    if (!peer) return
    peer.sockets.delete(member)
    if (peer.sockets.size) return
    localPeers.delete(id)
    const why: LeaveReason = QUIT_REASONS.has(String(reason)) ? 'QUIT' : 'DROPPED'
    applyHere({ t: 'release', node, id, reason: why })
    toNodes({ t: 'release', node, id, reason: why })
  }

  const send = async (member: Member<S>, payload: unknown, ack: unknown) => {
    const reply = (answer: SendReply) => {
      if (typeof ack != 'function') return
      try {
        ack(answer)
      } catch {
        // the client's ack is Socket.IO's; nothing of ours to do if it throws
      }
    }
    if (member.state === 'pending') await member.ready
    if (member.state !== 'admitted')
      return reply({
        ok: false,
        error: `${where}: this socket is not in presence (identify refused it, or it left); reconnect`,
      })
    return messageRelay.receive(member, payload, reply)
  }

  const setPresence = (member: Member<S>, data: unknown, ack: unknown) => {
    const reply = (answer: SendReply) => {
      if (typeof ack == 'function') ack(answer)
    }
    if (!clientPresence)
      return reply({
        ok: false,
        error: `${where}: this server does not take presence from clients`,
      })
    if (member.state !== 'admitted' || member.peerId === null)
      return reply({
        ok: false,
        error: `${where}: this socket is not listed, so it has no presence`,
      })
    const problem = boundedValueProblem(data, PRESENCE_LIMITS)
    if (problem)
      return reply({
        ok: false,
        error: `${where}: presence data ${problem}; send plain JSON within the presence limits`,
      })
    setLocalData(member.peerId, data)
    reply({ ok: true })
  }

  const onConnection = (socket: S) => {
    if (closed || members.has(socket.id)) return
    const member: Member<S> = {
      socket,
      state: 'pending',
      peerId: null,
      ready: Promise.resolve(),
      listeners: [],
    }
    members.set(socket.id, member)
    listen(member, 'disconnect', (reason) => depart(member, reason))
    listen(member, events.send, (payload, ack) => void send(member, payload, ack))
    listen(member, events.setPresence, (data, ack) =>
      whenReady(member, () => setPresence(member, data, ack)),
    )
    let identity: unknown
    try {
      identity = identify(socket)
    } catch {
      member.state = 'refused'
      return
    }
    if (!isThenable(identity)) return admit(member, identity)
    member.ready = Promise.resolve(identity).then(
      (answer) => admit(member, answer),
      () => {
        if (member.state === 'pending') member.state = 'refused'
      },
    )
  }

  const onNodeMessage = (raw: unknown) => {
    if (closed) return
    let message: NodeMessage
    try {
      message = readNodeMessage(raw)
    } catch {
      return // not from a node of ours, or garbled: nothing is taken from it
    }
    if (message.node === node) return
    switch (message.t) {
      case 'set':
        return setLocalData(message.id, message.data)
      case 'msg':
        return messageRelay.fromNode(message)
      default:
        if (applyHere(message).answer) beat()
    }
  }

  const onConnectionListener = onConnection as PresenceListener
  const onNodeListener = ((raw: unknown) => {
    try {
      onNodeMessage(raw)
    } catch {
      // a message from another node must never throw into the adapter
    }
  }) as PresenceListener
  nsp.on('connection', onConnectionListener)
  const timers: ReturnType<typeof setInterval>[] = []
  if (clustered) {
    nsp.on(nodeEvent, onNodeListener)
    toNodes({ t: 'hello', node })
    const sweep = () => announce(directory.sweep())
    timers.push(setInterval(beat, beatInterval))
    // Sweeping a few times per peerTimeout: a dead node's peers leave within 1.25 × peerTimeout.
    timers.push(setInterval(sweep, Math.max(10, Math.min(beatInterval, peerTimeout / 4))))
  }
  // sockets that connected before presence was attached
  for (const socket of nsp.sockets.values()) onConnection(socket)

  return {
    node,
    peers: () => directory.peers(),
    update(peerId, data) {
      if (!isWireId(peerId))
        invalid(`${where} update`, 'peerId', 'a string of 1 to 128 characters', peerId)
      const problem = boundedValueProblem(data, PRESENCE_LIMITS)
      if (problem) throw new TypeError(`${where} update: data ${problem} (PRESENCE_LIMITS)`)
      if (closed) return
      setLocalData(peerId, data)
      toNodes({ t: 'set', node, id: peerId, data })
    },
    close() {
      if (closed) return
      toNodes({ t: 'bye', node })
      closed = true
      for (const timer of timers.splice(0)) clearInterval(timer)
      nsp.off('connection', onConnectionListener)
      nsp.off(nodeEvent, onNodeListener)
      for (const member of members.values()) {
        member.state = 'gone'
        unlisten(member)
      }
      members.clear()
      localPeers.clear()
    },
  }
}
