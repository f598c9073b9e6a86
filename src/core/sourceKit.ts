/**
 * The parts every hand-made `ConnectionSource` shares — the mock and the adapters over other
 * clients: one immutable snapshot, its subscribers, the events, and the online peers.
 */
import { createEmitter } from './emitter.js'
import { peerLeft, type LeftReason, type Peer } from './peers.js'
import { phaseOf, toneOf, type ConnectionReason, type ConnectionState } from './states.js'
import type { ConnectionEvents, ConnectionSnapshot, ConnectionSource } from './types.js'

/** Snapshot fields a source may set besides the state and reason. */
export type SnapshotExtra = Partial<
  Pick<ConnectionSnapshot, 'attempt' | 'nextRetryAt' | 'lost' | 'queued' | 'error' | 'retrying'>
>

/** What the kit gives a source: the shared methods, and the levers that move them. */
export interface SourceKit {
  /** `getSnapshot`, `subscribe`, `on` and `getPeers`, ready to spread into a source. */
  readonly methods: Pick<ConnectionSource, 'getSnapshot' | 'subscribe' | 'on' | 'getPeers'>
  /** Snapshot subscribers and event handlers registered now. */
  listenerCount(): number
  /**
   * Publishes a new snapshot in `state` with `reason`; emits `connectionStateChanged` when the
   * state changed. Handshake states after an `OPEN` count as re-establishing the link.
   */
  moveTo(state: ConnectionState, reason: ConnectionReason, extra?: SnapshotExtra): void
  /** Publishes the same state with some fields changed (no `connectionStateChanged`); nothing when none did. */
  patch(extra: SnapshotExtra): void
  emit: <K extends keyof ConnectionEvents>(
    event: K,
    ...args: Parameters<ConnectionEvents[K]>
  ) => void
  /** A peer comes online (or, when already online, changes its data). */
  peerOnline(id: string, data?: unknown): void
  /** A peer goes offline; unknown ids are ignored. */
  peerOffline(id: string, reason?: LeftReason): void
  /** Replaces the online peers by `ids`: the missing leave (`reason`), the new join. */
  replacePeers(ids: Iterable<string>, reason?: LeftReason): void
}

const handshake = (state: ConnectionState) =>
  state !== 'OPEN' && state !== 'CLOSED' && state !== 'ERROR' && state !== 'RECONNECTING'

/** Where a source starts, and the names its messages carry. */
export interface SourceKitInit {
  readonly state: ConnectionState
  readonly reason: ConnectionReason | null
  /** Prefixes what a throwing event handler threw, logged with `console.error`. */
  readonly logPrefix: string
  /** Opens the message of the `error` an `ERROR` state gets unless the source gives its own. */
  readonly failurePrefix: string
}

/** Creates the shared core of a source. */
export function createSourceKit(
  { state, reason, logPrefix, failurePrefix }: SourceKitInit,
  now: () => number = Date.now,
): SourceKit {
  const events = createEmitter<ConnectionEvents>((error) => console.error(logPrefix, error))
  const listeners = new Set<(snapshot: ConnectionSnapshot) => void>()
  const peers = new Map<string, Peer>()
  let handlers = 0
  // Reached OPEN, and not since closed or failed: handshakes now re-establish the link.
  let wasOpen = false

  const build = (
    next: ConnectionState,
    why: ConnectionReason | null,
    previousState: ConnectionState | null,
    extra: SnapshotExtra = {},
  ): ConnectionSnapshot => {
    const reconnecting =
      next === 'RECONNECTING' || (handshake(next) && wasOpen) || (extra.attempt ?? 0) > 0
    return Object.freeze({
      state: next,
      previousState,
      reason: why,
      phase: phaseOf(next, { reconnecting }),
      tone: toneOf(next),
      since: now(),
      attempt: 0,
      nextRetryAt: null,
      // Working through attempts: only while reconnecting or in a rejoin's handshake.
      retrying: next === 'RECONNECTING' || (handshake(next) && reconnecting),
      lost: false,
      queued: 0,
      error: next === 'ERROR' && why ? { code: why, message: `${failurePrefix}: ${why}` } : null,
      ...extra,
    })
  }
  let snapshot = build(state, reason, null)

  const publish = (next: ConnectionSnapshot) => {
    snapshot = next
    for (const listener of [...listeners]) listener(snapshot)
  }

  const online = (id: string, data: unknown) => {
    const before = peers.get(id)
    const peer: Peer = {
      id,
      online: true,
      joinedAt: before?.joinedAt ?? now(),
      lastSeenAt: now(),
      ...(data !== undefined && { data }),
    }
    peers.set(id, peer)
    events.emit(before ? 'peerUpdated' : 'peerJoined', peer)
  }
  const offline = (id: string, why?: LeftReason) => {
    const peer = peers.get(id)
    if (!peer) return
    peers.delete(id)
    events.emit('peerLeft', peerLeft(peer, why, now()))
  }

  return {
    methods: {
      getSnapshot: () => snapshot,
      subscribe(listener) {
        listeners.add(listener)
        return () => void listeners.delete(listener)
      },
      on(event, handler) {
        const off = events.on(event, handler)
        handlers++
        let done = false
        return () => {
          if (done) return
          done = true
          handlers--
          off()
        }
      },
      getPeers: () => new Map(peers),
    },
    listenerCount: () => listeners.size + handlers,
    moveTo(next, why, extra) {
      const previous = snapshot.state
      if (next === 'CLOSED' || next === 'ERROR') wasOpen = false
      publish(build(next, why, previous, extra))
      if (next === 'OPEN') wasOpen = true
      if (next !== previous) events.emit('connectionStateChanged', next, why)
    },
    patch(extra) {
      const changed = (Object.keys(extra) as (keyof SnapshotExtra)[]).some(
        (key) => extra[key] !== snapshot[key],
      )
      if (changed) publish(Object.freeze({ ...snapshot, ...extra }))
    },
    emit: events.emit,
    peerOnline: online,
    peerOffline: offline,
    replacePeers(ids, why) {
      const wanted = new Set(ids)
      for (const id of [...peers.keys()]) if (!wanted.has(id)) offline(id, why)
      for (const id of wanted) if (!peers.has(id)) online(id, undefined)
    },
  }
}
