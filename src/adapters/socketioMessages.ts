/**
 * The message path of `attachPresence` (socketioServer.ts): a client's `send` is checked,
 * recognised when it is a resend, passed to `onMessage`, relayed to the room and handed to the
 * other nodes; a message handed over by another node is remembered and relayed to this node's
 * sockets. De-duplication is cluster-wide because every node records every message id it hears
 * of, under the key `[from, id]`, in the same bounded log. Observers (`from` null) have no id of
 * their own: their messages are keyed by their socket, so one observer can never claim another's
 * next id, and are de-duplicated on that connection only.
 *
 * Nothing here touches Socket.IO: sockets are reached through `deliver`, the cluster through
 * `toNodes`, so the server keeps all of its I/O in one place.
 */
import type { MessageLog, NodeMessage, RelayMessage } from './socketioDirectory.js'
import type { AttachPresenceOptions, PresenceSocketLike } from './socketioServerTypes.js'
import { readOutgoingMessage, type RelayedMessage, type SendReply } from './socketioWire.js'

/** A `msg` from another node: a message sent there, which this node remembers and relays. */
export type NodeRelayMessage = Extract<RelayMessage, { t: 'msg' }>

/** The socket a message came from, once identify has admitted it. */
export interface MessageSender<S extends PresenceSocketLike> {
  /** The peer id, or null for an observer. */
  readonly peerId: string | null
  readonly socket: S
}

/** What {@link createMessageRelay} needs from the server it serves. */
export interface MessageRelayOptions<S extends PresenceSocketLike> {
  /** Names the caller in the errors sent back, e.g. `attachPresence`. */
  readonly where: string
  /** This node's id, stamped on what it hands to the other nodes. */
  readonly node: string
  /** Message ids seen, on this node and on the others (`true`), or being judged (a promise). */
  readonly log: MessageLog
  /** Whether messages go to the room's other sockets. */
  readonly relay: boolean
  readonly onMessage?: AttachPresenceOptions<S>['onMessage']
  /** Whether presence was closed meanwhile: a message accepted then is not relayed. */
  readonly closed: () => boolean
  /** Emits a message to this node's sockets in the room, all but `exceptSocketId`. */
  deliver(relayed: RelayedMessage, exceptSocketId?: string): void
  /** Tells the other nodes (does nothing on a single node or once closed). */
  toNodes(message: NodeMessage): void
}

/**
 * The log's key for a message. Relayed messages show their id to every socket, so observers,
 * who all have `from` null, are keyed by their socket id: otherwise one could send another's
 * next id first and have the real message acked as a duplicate and dropped.
 */
const keyOf = (from: string | null, socketId: string, id: string) =>
  JSON.stringify(from === null ? [null, socketId, id] : [from, id])

/** The error's message for a client, short. */
const messageOf = (error: unknown) =>
  String(error instanceof Error ? error.message : error).slice(0, 300)

/**
 * The message path of a presence server: `receive` takes what an admitted socket sent and
 * answers it through `reply`, once (`{ ok: true }`, `{ ok: true, duplicate: true }` for a
 * resend, or `{ ok: false, error }` saying what to do); `fromNode` takes a `msg` another node
 * handed over. A message refused by `onMessage` is forgotten, so that it may be sent again.
 *
 * @example
 * ```ts
 * const messages = createMessageRelay({
 *   where: 'attachPresence', node: 'node-a', log: createMessageLog(10_000), relay: true,
 *   closed: () => false,
 *   deliver: (relayed, except) => console.info('to the room but', except, relayed),
 *   toNodes: (message) => console.info('to the other nodes', message),
 * })
 * await messages.receive({ peerId: 'ada', socket }, { id: 'm1', data: 'hi' }, console.info)
 * ```
 */
export function createMessageRelay<S extends PresenceSocketLike>(options: MessageRelayOptions<S>) {
  // onMessage is called as a plain function, never as a method of the options
  const { where, node, log, relay, onMessage, closed, deliver, toNodes } = options

  /** Resolves once `reply` has been called; it is called at most once. */
  const receive = async (
    sender: MessageSender<S>,
    payload: unknown,
    reply: (answer: SendReply) => void,
  ): Promise<void> => {
    let message
    try {
      message = readOutgoingMessage(payload)
    } catch (error) {
      return reply({
        ok: false,
        error: `${where}: ${messageOf(error)}; send { id, data }: a unique id of 1 to 128 characters and plain JSON data`,
      })
    }
    const from = sender.peerId
    const key = keyOf(from, sender.socket.id, message.id)
    const earlier = log.get(key)
    if (earlier !== undefined) {
      if (await earlier) return reply({ ok: true, duplicate: true })
      return reply({
        ok: false,
        error: `${where}: the first copy of message ${message.id} was refused; send it again`,
      })
    }
    // A resend that arrives while onMessage runs waits for its verdict instead of running twice.
    let settle: (delivered: boolean) => void = () => {}
    log.add(key, new Promise<boolean>((resolve) => (settle = resolve)))
    try {
      await onMessage?.(message.data, { id: from, socket: sender.socket })
    } catch (error) {
      log.delete(key)
      settle(false)
      return reply({
        ok: false,
        error: `${where}: message ${message.id} was refused: ${messageOf(error)}`,
      })
    }
    log.add(key, true)
    settle(true)
    if (closed())
      return reply({ ok: false, error: `${where}: the server stopped presence; reconnect` })
    const relayed: RelayedMessage = { from, id: message.id, data: message.data }
    if (relay) deliver(relayed, sender.socket.id)
    // the other nodes relay it to their sockets, and remember its id in case it is sent again there
    toNodes(
      relay
        ? { t: 'msg', node, from, id: message.id, relay: true, data: message.data }
        : { t: 'msg', node, from, id: message.id, relay: false },
    )
    reply({ ok: true })
  }

  const fromNode = (message: NodeRelayMessage): void => {
    // An observer's message is keyed by its socket, which is on the other node: no socket here
    // can send it again under that key, so there is nothing to remember.
    if (message.from !== null) {
      const key = keyOf(message.from, '', message.id)
      if (log.get(key) !== undefined) return
      log.add(key, true)
    }
    if (message.relay) deliver({ from: message.from, id: message.id, data: message.data })
  }

  return { receive, fromNode }
}

/** What {@link createMessageRelay} returns. */
export type MessageRelay<S extends PresenceSocketLike> = ReturnType<typeof createMessageRelay<S>>
