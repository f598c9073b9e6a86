/**
 * The part of the source kit every source needs, peers or not: one immutable snapshot and its
 * subscribers, the events, and optionally the outage timeline. A source says where it is with
 * `moveTo`; the core derives the rest of the snapshot from rules.ts and emits what the change
 * means. The peers it holds are changed by the peer levers (peerLevers.ts), which only sources
 * with presence carry; CLOSED lets every peer go.
 */
import { realClock, type Clock } from './clock.js'
import { createEmitter } from './emitter.js'
import type { Timeline } from './outage.js'
import { peerLeft, type LeftReason, type Peer } from './peers.js'
import {
  attemptAfter,
  isRetrying,
  isSettled,
  lostAfter,
  openReason,
  phaseFor,
  rejoinAfter,
} from './rules.js'
import { toneOf, type ConnectionReason, type ConnectionState } from './states.js'
import type { ConnectionEvents, ConnectionSnapshot, ConnectionSource } from './types.js'

/** Snapshot fields a source may set besides the state and reason. */
export type SnapshotExtra = Partial<
  Pick<ConnectionSnapshot, 'attempt' | 'nextRetryAt' | 'queued' | 'error'>
>

/** The snapshot, the events and the peers of a source, and the levers that move them. */
export interface KitCore {
  /** `getSnapshot`, `subscribe`, `on` and `getPeers`, ready to spread into a source. */
  readonly methods: Pick<ConnectionSource, 'getSnapshot' | 'subscribe' | 'on' | 'getPeers'>
  /** Snapshot subscribers and event handlers registered now. */
  listenerCount(): number
  /**
   * Publishes the snapshot of `state` with `reason` (nothing when nothing changed), then emits
   * what the change means: `connectionStateChanged` when the state changed, `lost` when `lost`
   * turned true, `restored` on a rejoin. An OPEN's `JOIN_SUCCESS`/`REJOIN_SUCCESS` is decided
   * here, and CLOSED lets every peer go.
   */
  moveTo(state: ConnectionState, reason: ConnectionReason, extra?: SnapshotExtra): void
  /** Publishes the same state with some fields changed; nothing when none did. */
  patch(extra: SnapshotExtra): void
  /** The link has been down for `lostAfter`: reason `LOST`, `lost: true`, a `lost` event. */
  lose(): void
  emit: <K extends keyof ConnectionEvents>(
    event: K,
    ...args: Parameters<ConnectionEvents[K]>
  ) => void
  /** The online peers by id (changed only through the peer levers). */
  readonly peers: Map<string, Peer>
  /** A peer goes offline; unknown ids are ignored. */
  peerOffline(id: string, reason?: LeftReason, at?: number): void
}

/** Where a source starts, what it calls itself, and the outage timeline it wants. */
export interface SourceKitInit {
  /** The state the source starts in (default `CLOSED`). */
  readonly state?: ConnectionState | undefined
  /** The reason of that state (default `null`: nothing has happened yet). */
  readonly reason?: ConnectionReason | null | undefined
  /** Prefixes what a throwing event handler threw, logged with `console.error`. */
  readonly logPrefix?: string | undefined
  /** Opens the message of the `error` an `ERROR` state gets unless the source gives its own. */
  readonly failurePrefix?: string | undefined
  readonly clock?: Clock | undefined
  /**
   * Times each outage (from the moment the source starts retrying until it settles), for
   * clients that never give up by themselves: `outageTimeline({ lostAfter, giveUpAfter, … })`.
   * linklight's client times its outages in its machine instead.
   */
  readonly timeline?: Timeline | undefined
}

const errorFor = (state: ConnectionState, reason: ConnectionReason | null, prefix: string) =>
  state == 'ERROR' && reason ? { code: reason, message: `${prefix}: ${reason}` } : null

/** Creates the core of a source kit; `createSourceKit` adds the peer levers to it. */
export function createKitCore(init: SourceKitInit = {}): KitCore {
  const { clock = realClock, timeline } = init
  const { logPrefix = 'linklight source:', failurePrefix = 'Connection failed' } = init
  const initState = init.state ?? 'CLOSED'
  const initReason = init.reason ?? null
  const events = createEmitter<ConnectionEvents>((error) => console.error(logPrefix, error))
  const listeners = new Set<(snapshot: ConnectionSnapshot) => void>()
  const peers = new Map<string, Peer>()
  let rejoin = initState == 'OPEN' || initState == 'RECONNECTING'
  let snapshot: ConnectionSnapshot = Object.freeze({
    state: initState,
    previousState: null,
    reason: initReason,
    phase: phaseFor(initState, rejoin),
    tone: toneOf(initState),
    since: clock.now(),
    attempt: initState == 'RECONNECTING' ? 1 : 0,
    nextRetryAt: null,
    retrying: initState == 'RECONNECTING',
    lost: false,
    queued: 0,
    error: errorFor(initState, initReason, failurePrefix),
  })

  function publish(next: ConnectionSnapshot) {
    const before = snapshot
    const keys = Object.keys(next) as (keyof ConnectionSnapshot)[]
    if (keys.every((key) => next[key] === before[key])) return
    snapshot = Object.freeze(next)
    for (const listener of [...listeners]) listener(snapshot)
    if (next.state != before.state) events.emit('connectionStateChanged', next.state, next.reason!)
    if (next.lost && !before.lost) events.emit('lost')
    if (next.state != before.state && next.reason == 'REJOIN_SUCCESS') events.emit('restored')
  }

  const kit: KitCore = {
    methods: {
      getSnapshot: () => snapshot,
      subscribe(listener) {
        listeners.add(listener)
        return () => void listeners.delete(listener)
      },
      on: events.on,
      getPeers: () => new Map(peers),
    },
    listenerCount: () => listeners.size + events.count(),
    moveTo(state, why, extra = {}) {
      const from = snapshot.state
      const changed = state != from
      // An OPEN's own reason is decided when it is reached; a publish that stays OPEN keeps it.
      const joined = state == 'OPEN' && why.endsWith('JOIN_SUCCESS')
      const reason = joined ? (changed ? openReason(rejoin) : snapshot.reason!) : why
      rejoin = rejoinAfter(rejoin, from, state)
      const settled = isSettled(state)
      const attempt = attemptAfter(snapshot.attempt, from, state, extra.attempt)
      const clean = state == 'OPEN' || state == 'CLOSED'
      publish({
        state,
        previousState: changed ? from : snapshot.previousState,
        reason,
        phase: phaseFor(state, rejoin),
        tone: toneOf(state),
        since: changed ? clock.now() : snapshot.since,
        attempt,
        nextRetryAt: settled ? null : (extra.nextRetryAt ?? null),
        retrying: isRetrying(state, attempt),
        lost: lostAfter(snapshot.lost, state, reason),
        queued: extra.queued ?? snapshot.queued,
        error: clean ? null : (extra.error ?? errorFor(state, reason, failurePrefix)),
      })
      if (outage) {
        if (settled) outage.end()
        else if (snapshot.retrying) outage.start()
      }
      if (state == 'CLOSED') for (const id of [...peers.keys()]) kit.peerOffline(id)
    },
    patch(extra) {
      const { state } = snapshot
      const attempt = attemptAfter(snapshot.attempt, state, state, extra.attempt)
      publish({ ...snapshot, ...extra, attempt, retrying: isRetrying(state, attempt) })
    },
    lose() {
      const { state, lost, attempt, nextRetryAt, error } = snapshot
      if (!lost && !isSettled(state)) kit.moveTo(state, 'LOST', { attempt, nextRetryAt, error })
    },
    emit: events.emit,
    peers,
    peerOffline(id, reason, at = clock.now()) {
      const peer = peers.get(id)
      if (!peer) return
      peers.delete(id)
      events.emit('peerLeft', peerLeft(peer, reason, at))
    },
  }
  // Declared after the kit it drives; `moveTo` only reads it once the source runs.
  const outage = timeline?.(kit, failurePrefix, clock)
  if (snapshot.retrying) outage?.start()
  return kit
}
