/**
 * `combineSources`: several connections shown as one — a chat socket, a Yjs document, a
 * deepstream client behind one badge that says which of them is in trouble.
 */
import type { Peer } from './peers.js'
import { createSourceKit, type SnapshotExtra } from './sourceKit.js'
import { usualReason, type ConnectionReason } from './states.js'
import type { ConnectionSnapshot, ConnectionSource } from './types.js'
import { checkParts, isKeyedByPart, messageOf, WHERE, type SourceParts } from './sourceParts.js'
import { worstPart } from './worstPart.js'

export type { SourceParts }

/**
 * The source {@link combineSources} returns: a `ConnectionSource` showing the worst of its
 * parts, with the parts themselves.
 *
 * @example
 * ```ts
 * const source: CombinedSource<{ chat: LinklightClient; doc: ConnectionSource }> =
 *   combineSources({ chat: createClient(url), doc: fromYjs(provider) })
 * source.parts.chat.setPresence({ name: 'Ada' })
 * ```
 */
export interface CombinedSource<P extends SourceParts = SourceParts> extends ConnectionSource {
  /** The parts, by name, as given: send, set presence, or listen to one of them here. */
  readonly parts: Readonly<P>
  /**
   * Logs every part in and resolves once all are OPEN. Given an object whose every key names a
   * part (`{ chat: token, doc: { user } }`), each part gets its own entry (a part left out logs
   * in without credentials); anything else is given to every part as it is. Rejects with an
   * `Error` naming the part whose login failed (the part's error is its `cause`).
   */
  login(credentials?: unknown): Promise<void>
  /**
   * Always rejects with a `TypeError`: a combined source has no channel of its own. Send through
   * a part: `parts.chat.send(data)`.
   */
  send(data: unknown): Promise<void>
  /**
   * Snapshot subscribers and event handlers on the combined source now: `0` once everything
   * that listened to it has let go. (Each part counts its own listeners; after `close()` the
   * combined source holds none of them.)
   */
  listenerCount(): number
}

/**
 * Combines several connection sources into one, for one badge: its state is the **worst** of
 * its parts', and its snapshot names that part (`part`), so `<ConnectionIndicator>` can say
 * "Reconnecting… (doc)".
 *
 * **Worst**, from worst to best: `ERROR`, `RECONNECTING`, the handshake states from the least
 * advanced (`AWAITING_CONNECTION`, `CHALLENGING`, `AWAITING_AUTHENTICATION`, `AUTHENTICATING`),
 * `OPEN`, then `CLOSED`. A part that is `CLOSED` while others run is left out: a source is
 * `CLOSED` only before it starts or after the app's own `close()` — a failure is `RECONNECTING`
 * or `ERROR` — so a part the app closed on purpose (a document no one has open) must not turn
 * a healthy badge amber. The combined source is `CLOSED` only when every part is. In the same
 * state a lost part is worse than one that is not; then the first part in the object's order.
 *
 * **The snapshot** obeys the contract of every source (docs/sources.md). Its `reason`,
 * `attempt`, `nextRetryAt` and `error` are the worst part's, `queued` is the sum of the
 * parts', `lost` turns true (reason `LOST`, a `lost` event) when the part shown is lost, and
 * an OPEN after an outage of the combined source is `REJOIN_SUCCESS` with a `restored` event.
 * `part` names the worst part, or is `null` when none stands out: in OPEN, in CLOSED, or with
 * every part in the same state.
 *
 * **Peers** of every part, kept apart: a peer `ann` of the part `chat` is `"chat:ann"` in
 * `getPeers()` and in the peer events, with the part's data and times. `message` events are
 * forwarded with `from` prefixed the same way (`null` stays `null`: to know which part sent an
 * anonymous message, listen on the part); `missed` as it is; `error` with the message prefixed
 * by the part's name (`"doc: …"`).
 *
 * **Methods**: `connect()` and `login()` reach every part; `reconnect()` — the badge's "Retry
 * now" — reaches every part that is neither OPEN nor CLOSED (retrying a healthy part would
 * drop it; a closed one was closed on purpose), or all of them when all are CLOSED.
 * `send()` rejects: send through a part (`parts.chat.send(data)`). `close()` closes every part
 * and stops listening to them — nothing of the combined source is left on a part — until the
 * next `connect()`, `login()` or `reconnect()`, which listens to them again. While closed, a
 * part driven directly is not followed.
 *
 * Throws a `TypeError` when `parts` is not an object of named sources: empty, a part without
 * the methods of a `ConnectionSource`, a name that is empty or has a `:`, one source twice.
 *
 * @example
 * ```tsx
 * import { combineSources, createClient } from 'linklight'
 * import { fromYjs } from 'linklight/yjs'
 *
 * const source = combineSources({ chat: createClient(chatUrl), doc: fromYjs(provider) })
 * await source.login({ chat: { token }, doc: undefined }) // or one credential for all
 * source.parts.chat.send({ text: 'hello' })
 *
 * // the badge reads "Reconnecting… (doc)", with data-part="doc", while the document reconnects
 * <ConnectionProvider source={source}>
 *   <ConnectionIndicator variant="badge" />
 * </ConnectionProvider>
 * ```
 */
export function combineSources<P extends SourceParts>(parts: P): CombinedSource<P> {
  checkParts(parts)
  const held = Object.freeze({ ...parts })
  const entries: (readonly [name: string, source: ConnectionSource])[] = Object.entries(held)
  const names = entries.map(([name]) => name)
  const snapshots = () => entries.map(([name, part]) => [name, part.getSnapshot()] as const)

  const start = worstPart(snapshots()).snapshot
  const kit = createSourceKit({
    state: start.state,
    reason: start.reason,
    logPrefix: 'linklight combineSources:',
  })

  // The kit keeps every field but `part`: the combined snapshot is the kit's plus the part's
  // name, one frozen object per change of either, published to its own subscribers.
  let part: string | null = null
  let base = kit.methods.getSnapshot()
  let snapshot: ConnectionSnapshot = Object.freeze({ ...base, part })
  const listeners = new Set<(snapshot: ConnectionSnapshot) => void>()
  const publish = () => {
    const now = kit.methods.getSnapshot()
    if (now === base && part === snapshot.part) return
    base = now
    const next = (snapshot = Object.freeze({ ...now, part }))
    for (const listener of [...listeners]) listener(next)
  }
  // The kit calls this before emitting the events of a change: subscribers first, as always.
  kit.methods.subscribe(publish)

  /** Follows the parts: shows the worst of them. Deferred while a method drives them all. */
  let batching = 0
  let stale = false
  function follow() {
    if (batching) return void (stale = true)
    const worst = worstPart(snapshots())
    const shown = worst.snapshot
    const queued = entries.reduce((sum, [, source]) => sum + source.getSnapshot().queued, 0)
    const current = kit.methods.getSnapshot()
    const extra: SnapshotExtra = {
      attempt: shown.attempt,
      nextRetryAt: shown.nextRetryAt,
      queued,
      // An ERROR without an error of its own gets one the kit writes from the reason.
      ...((shown.error || shown.state != 'ERROR') && { error: shown.error }),
    }
    // A part lost before it became the one shown (it was behind a worse one): the combined
    // source turns lost now, in a snapshot whose reason says so, as the contract wants.
    const reason: ConnectionReason =
      shown.lost && !current.lost ? 'LOST' : (shown.reason ?? usualReason(shown.state))
    part = worst.part
    const { state } = shown
    // The kit decides JOIN_SUCCESS or REJOIN_SUCCESS for the combined source, not the part.
    if (
      state == current.state &&
      (state == 'OPEN' || state == 'CLOSED' || reason == current.reason)
    )
      kit.patch(extra)
    else kit.moveTo(state, state == 'OPEN' ? 'JOIN_SUCCESS' : reason, extra)
    publish()
  }
  /** Runs `drive` over the parts, then shows where they ended up, in one change. */
  function batch(drive: () => void) {
    batching++
    try {
      drive()
    } finally {
      if (--batching == 0 && stale) {
        stale = false
        follow()
      }
    }
  }

  // Listening to the parts: from creation until close(), and again after it once restarted.
  const detachers: (() => void)[] = []
  const prefixed = (name: string, peer: Peer): Peer => ({ ...peer, id: `${name}:${peer.id}` })
  function attach() {
    if (detachers.length) return
    for (const [name, source] of entries) {
      for (const peer of source.getPeers().values()) kit.putPeer(prefixed(name, peer))
      detachers.push(
        source.subscribe(follow),
        source.on('peerJoined', (peer) => kit.putPeer(prefixed(name, peer))),
        source.on('peerUpdated', (peer) => kit.putPeer(prefixed(name, peer))),
        source.on('peerLeft', (peer) =>
          kit.peerOffline(`${name}:${peer.id}`, peer.leftReason, peer.lastSeenAt),
        ),
        source.on('message', (data, from) =>
          kit.emit('message', data, from === null ? null : `${name}:${from}`),
        ),
        source.on('missed', (info) => kit.emit('missed', info)),
        source.on('error', (error) =>
          kit.emit('error', { code: error.code, message: `${name}: ${error.message}` }),
        ),
      )
    }
    follow()
  }
  function detach() {
    for (const stop of detachers.splice(0)) stop()
  }
  attach()

  const firstName = names[0]!
  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    on: kit.methods.on,
    getPeers: kit.methods.getPeers,
    // One for the combined snapshot's own subscription to the kit.
    listenerCount: () => listeners.size + kit.listenerCount() - 1,
    parts: held,
    connect() {
      batch(() => {
        attach()
        for (const [, source] of entries) source.connect()
      })
    },
    login(credentials) {
      const perPart = isKeyedByPart(credentials, names)
      const logins: Promise<void>[] = []
      batch(() => {
        attach()
        for (const [name, source] of entries) {
          const given = perPart ? (credentials as Record<string, unknown>)[name] : credentials
          const login = given === undefined ? source.login() : source.login(given)
          logins.push(
            login.catch((error: unknown) => {
              throw new Error(`${WHERE}: the login of part "${name}" failed: ${messageOf(error)}`, {
                cause: error,
              })
            }),
          )
        }
      })
      return Promise.all(logins).then(() => {})
    },
    send: () =>
      Promise.reject(
        new TypeError(
          `${WHERE}: a combined source has no channel of its own; send through one of its parts, e.g. source.parts.${firstName}.send(data) (parts: ${names.join(', ')})`,
        ),
      ),
    reconnect() {
      batch(() => {
        attach()
        const running = entries.filter(([, source]) => source.getSnapshot().state != 'CLOSED')
        if (running.length == 0) for (const [, source] of entries) source.reconnect()
        else
          for (const [, source] of running)
            if (source.getSnapshot().state != 'OPEN') source.reconnect()
      })
    },
    close() {
      batch(() => {
        for (const [, source] of entries) source.close()
      })
      detach()
      // A part that did not reach CLOSED (it should have) must not keep the badge from it.
      if (kit.methods.getSnapshot().state != 'CLOSED') {
        part = null
        kit.moveTo('CLOSED', 'LEAVE_CHANNEL')
        publish()
      }
    },
  }
}
