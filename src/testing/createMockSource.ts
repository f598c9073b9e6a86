/**
 * `createMockSource`: a `ConnectionSource` driven by hand, for tests and stories (§10).
 */
import { checkOptions, invalid, type Rule } from '../core/check.js'
import { createEmitter } from '../core/emitter.js'
import { peerLeft, type LeftReason, type Peer } from '../core/peers.js'
import { phaseOf, toneOf, type ConnectionReason, type ConnectionState } from '../core/states.js'
import type { ConnectionEvents, ConnectionSnapshot, ConnectionSource } from '../core/types.js'

/**
 * What `set()` and `drop()` may add to the snapshot they publish, to show a reconnection
 * schedule (a retry countdown, the attempt number) without a real client.
 *
 * @example
 * ```ts
 * source.drop({ retryIn: 4000 }) // useIndicator().retryIn counts down from 4
 * source.set('RECONNECTING', 'KEEP_ALIVE_TIMEOUT', { attempt: 2, retryIn: 8000 })
 * ```
 */
export interface MockTransitionOptions {
  /**
   * Milliseconds until the next reconnection attempt: the snapshot's `nextRetryAt` becomes
   * `Date.now() + retryIn`. The mock is driven by hand, so nothing happens when that time
   * comes; the next `set()`, `drop()`, `restore()`… clears it, as the real client does.
   */
  retryIn?: number | undefined
  /** Reconnection attempts made in this outage (the snapshot's `attempt`). */
  attempt?: number | undefined
}

/** A connection source whose state and peers a test or story sets by hand. */
export interface MockSource extends ConnectionSource {
  /**
   * Moves to `state` with `reason` (a sensible default reason when omitted); `options` may
   * schedule a retry (`retryIn`) and set the `attempt`.
   */
  set(state: ConnectionState, reason?: ConnectionReason, options?: MockTransitionOptions): void
  /**
   * The link drops: RECONNECTING/INTERRUPTED, attempt 1 (or `options.attempt`), with a retry
   * in `options.retryIn` ms when given.
   */
  drop(options?: MockTransitionOptions): void
  /**
   * Schedules the next reconnection attempt `retryIn` ms from now (or, with `null`, none)
   * without changing the state: subscribers get a snapshot with the new `nextRetryAt` and no
   * `connectionStateChanged` is emitted. Like the retry time `set()` and `drop()` take, it is
   * only shown (`useIndicator().retryIn`); the mock makes no attempt when it comes.
   *
   * @example
   * ```ts
   * const source = createMockSource('OPEN')
   * source.drop()
   * source.scheduleRetry(4000) // "retry in 4 s"
   * source.scheduleRetry(null) // no retry scheduled
   * ```
   */
  scheduleRetry(retryIn: number | null): void
  /**
   * The link has been silent past `lostAfter`: RECONNECTING (INTERRUPTED unless it already
   * was), snapshot `lost: true`, and a `lost` event; still retrying.
   */
  lose(): void
  /** Back to OPEN/REJOIN_SUCCESS, with a `restored` event. */
  restore(): void
  /** Gives up: ERROR with `reason` (default MAX_RECONNECT_ATTEMPTS). */
  fail(reason?: ConnectionReason): void
  peerJoin(id: string, data?: unknown): void
  peerLeave(id: string, reason?: LeftReason): void
  peerUpdate(id: string, data: unknown): void
  /** Everything passed to `send()`, in order. */
  readonly sent: readonly unknown[]
  /**
   * Snapshot subscribers and event handlers registered now: `0` once everything that listened
   * (a store, a provider) has let go.
   */
  listenerCount(): number
}

/** What a mock starts with: a state, or a state and peers. */
export type MockSourceInit =
  | ConnectionState
  | {
      state?: ConnectionState
      reason?: ConnectionReason
      peers?: ReadonlyArray<string | { id: string; data?: unknown }>
    }

// Non-negative, finite: a retry time the countdown can show.
const retryInRule: Rule = [
  (value) => typeof value == 'number' && value >= 0 && value < Infinity,
  'a non-negative, finite number of milliseconds',
]
const transitionRules: Record<keyof MockTransitionOptions, Rule> = {
  retryIn: retryInRule,
  attempt: [(value) => Number.isInteger(value) && (value as number) >= 0, 'a non-negative integer'],
}

const defaultReasons: Record<ConnectionState, ConnectionReason> = {
  CLOSED: 'LEAVE_CHANNEL',
  AWAITING_CONNECTION: 'CONNECTING',
  CHALLENGING: 'CHALLENGE',
  AWAITING_AUTHENTICATION: 'AWAITING_LOGIN',
  AUTHENTICATING: 'AUTHENTICATING',
  OPEN: 'JOIN_SUCCESS',
  RECONNECTING: 'INTERRUPTED',
  ERROR: 'MAX_RECONNECT_ATTEMPTS',
}

/**
 * Creates a mock connection source.
 *
 * @example
 * ```ts
 * const source = createMockSource('OPEN')
 * render(<ConnectionProvider source={source}><StatusBar /></ConnectionProvider>)
 * act(() => source.drop())
 * ```
 */
export function createMockSource(init: MockSourceInit = 'CLOSED'): MockSource {
  const start = typeof init === 'string' ? { state: init } : init
  const events = createEmitter<ConnectionEvents>((error) => console.error('linklight mock:', error))
  const listeners = new Set<(snapshot: ConnectionSnapshot) => void>()
  const peers = new Map<string, Peer>()
  const sent: unknown[] = []
  let handlers = 0
  const now = () => Date.now()

  const build = (
    state: ConnectionState,
    reason: ConnectionReason | null,
    previousState: ConnectionState | null,
    extra: Partial<ConnectionSnapshot> = {},
  ): ConnectionSnapshot => {
    const reconnecting = state === 'RECONNECTING' || (extra.attempt ?? 0) > 0
    return Object.freeze({
      state,
      previousState,
      reason,
      phase: phaseOf(state, { reconnecting }),
      tone: toneOf(state),
      since: now(),
      attempt: 0,
      nextRetryAt: null,
      retrying: state === 'RECONNECTING',
      lost: false,
      queued: 0,
      error:
        state === 'ERROR' && reason ? { code: reason, message: `Mock failure: ${reason}` } : null,
      ...extra,
    })
  }
  let snapshot = build(start.state ?? 'CLOSED', start.reason ?? null, null)
  for (const p of start.peers ?? []) {
    const { id, data } = typeof p === 'string' ? { id: p, data: undefined } : p
    peers.set(id, {
      id,
      online: true,
      joinedAt: now(),
      lastSeenAt: now(),
      ...(data !== undefined && { data }),
    })
  }

  /** The snapshot fields `options` ask for, after checking them; `where` names the caller. */
  const scheduled = (
    where: string,
    options: MockTransitionOptions | undefined,
    attempt?: number,
  ): Partial<ConnectionSnapshot> => {
    checkOptions(`createMockSource: ${where}`, options, transitionRules)
    const extra: { attempt?: number; nextRetryAt?: number } = {}
    const wanted = options?.attempt ?? attempt
    if (wanted !== undefined) extra.attempt = wanted
    if (options?.retryIn !== undefined) extra.nextRetryAt = now() + options.retryIn
    return extra
  }

  function moveTo(
    state: ConnectionState,
    reason: ConnectionReason,
    extra?: Partial<ConnectionSnapshot>,
  ) {
    const previous = snapshot
    snapshot = build(state, reason, previous.state, extra)
    for (const listener of [...listeners]) listener(snapshot)
    if (state !== previous.state) events.emit('connectionStateChanged', state, reason)
  }

  const upsert = (id: string, data: unknown, kind: 'peerJoined' | 'peerUpdated') => {
    const before = peers.get(id)
    const peer: Peer = {
      id,
      online: true,
      joinedAt: before?.joinedAt ?? now(),
      lastSeenAt: now(),
      ...(data !== undefined && { data }),
    }
    peers.set(id, peer)
    events.emit(before ? 'peerUpdated' : kind, peer)
  }

  return {
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
    listenerCount: () => listeners.size + handlers,
    getPeers: () => new Map(peers),
    get sent() {
      return sent
    },
    connect() {
      if (snapshot.state === 'CLOSED' || snapshot.state === 'ERROR')
        moveTo('AWAITING_CONNECTION', 'CONNECTING')
    },
    async login() {
      moveTo('OPEN', 'JOIN_SUCCESS')
    },
    async send(data) {
      sent.push(data)
    },
    reconnect: () => moveTo('RECONNECTING', 'RETRY_REQUESTED', { attempt: 1 }),
    close() {
      if (snapshot.state !== 'CLOSED') moveTo('CLOSED', 'LEAVE_CHANNEL')
    },
    set: (state, reason = defaultReasons[state], options) =>
      moveTo(state, reason, scheduled('set()', options)),
    drop: (options) => moveTo('RECONNECTING', 'INTERRUPTED', scheduled('drop()', options, 1)),
    scheduleRetry(retryIn) {
      if (retryIn !== null && !retryInRule[0](retryIn))
        invalid(
          'createMockSource: scheduleRetry()',
          'retryIn',
          `${retryInRule[1]} or null`,
          retryIn,
        )
      // Same state, same `since`: only the retry time changes, as when the client schedules one.
      snapshot = Object.freeze({
        ...snapshot,
        nextRetryAt: retryIn === null ? null : now() + retryIn,
      })
      for (const listener of [...listeners]) listener(snapshot)
    },
    lose() {
      const reconnecting = snapshot.state === 'RECONNECTING'
      const reason = reconnecting && snapshot.reason ? snapshot.reason : 'INTERRUPTED'
      // Still waiting for the same attempt: a scheduled retry stays.
      moveTo('RECONNECTING', reason, {
        attempt: Math.max(1, snapshot.attempt),
        lost: true,
        nextRetryAt: snapshot.nextRetryAt,
      })
      events.emit('lost')
    },
    restore() {
      moveTo('OPEN', 'REJOIN_SUCCESS')
      events.emit('restored')
    },
    fail: (reason = 'MAX_RECONNECT_ATTEMPTS') => moveTo('ERROR', reason),
    peerJoin: (id, data) => upsert(id, data, 'peerJoined'),
    peerUpdate: (id, data) => upsert(id, data, 'peerUpdated'),
    peerLeave(id, reason = 'QUIT') {
      const peer = peers.get(id)
      if (!peer) return
      peers.delete(id)
      events.emit('peerLeft', peerLeft(peer, reason, now()))
    },
  }
}
