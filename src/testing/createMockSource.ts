/**
 * `createMockSource`: a `ConnectionSource` driven by hand, for tests and stories.
 */
import { checkOptions, invalid, type Rule } from '../core/check.js'
import type { LeftReason } from '../core/peers.js'
import { createSourceKit, type SnapshotExtra } from '../core/sourceKit.js'
import { usualReason, type ConnectionReason, type ConnectionState } from '../core/states.js'
import type { ConnectionSource } from '../core/types.js'

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
   * The link has been down past `lostAfter`: reason `LOST`, snapshot `lost: true` and a `lost`
   * event; still retrying. From OPEN (or CLOSED, ERROR) it drops first (RECONNECTING/INTERRUPTED).
   */
  lose(): void
  /**
   * Back to OPEN: `REJOIN_SUCCESS` with a `restored` event when the link had been open,
   * else `JOIN_SUCCESS`.
   */
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
  const kit = createSourceKit({
    state: start.state ?? 'CLOSED',
    reason: start.reason ?? null,
    logPrefix: 'linklight mock:',
    failurePrefix: 'Mock failure',
  })
  for (const p of start.peers ?? []) {
    const { id, data } = typeof p === 'string' ? { id: p, data: undefined } : p
    kit.peerOnline(id, data)
  }
  const sent: unknown[] = []
  const state = () => kit.methods.getSnapshot().state

  /** The snapshot fields `options` ask for, after checking them; `where` names the caller. */
  const scheduled = (
    where: string,
    options: MockTransitionOptions | undefined,
    attempt?: number,
  ): SnapshotExtra => {
    checkOptions(`createMockSource: ${where}`, options, transitionRules)
    const extra: { attempt?: number; nextRetryAt?: number } = {}
    const wanted = options?.attempt ?? attempt
    if (wanted !== undefined) extra.attempt = wanted
    if (options?.retryIn !== undefined) extra.nextRetryAt = Date.now() + options.retryIn
    return extra
  }

  return {
    ...kit.methods,
    listenerCount: kit.listenerCount,
    get sent() {
      return sent
    },
    connect() {
      if (state() === 'CLOSED' || state() === 'ERROR')
        kit.moveTo('AWAITING_CONNECTION', 'CONNECTING')
    },
    async login() {
      kit.moveTo('OPEN', 'JOIN_SUCCESS')
    },
    async send(data) {
      sent.push(data)
    },
    // As linklight's client: from CLOSED a fresh start, from ERROR, OPEN or a wait a new
    // attempt now; during a handshake the attempt under way goes on.
    reconnect() {
      const now = state()
      if (now === 'CLOSED') kit.moveTo('AWAITING_CONNECTION', 'CONNECTING')
      else if (now === 'ERROR' || now === 'OPEN' || now === 'RECONNECTING')
        kit.moveTo('RECONNECTING', 'RETRY_REQUESTED')
    },
    close() {
      if (state() !== 'CLOSED') kit.moveTo('CLOSED', 'LEAVE_CHANNEL')
    },
    set: (next, reason = usualReason(next, 'MAX_RECONNECT_ATTEMPTS'), options) =>
      kit.moveTo(next, reason, scheduled('set()', options)),
    drop: (options) => kit.moveTo('RECONNECTING', 'INTERRUPTED', scheduled('drop()', options, 1)),
    scheduleRetry(retryIn) {
      if (retryIn !== null && !retryInRule[0](retryIn))
        invalid(
          'createMockSource: scheduleRetry()',
          'retryIn',
          `${retryInRule[1]} or null`,
          retryIn,
        )
      // Same state, same `since`: only the retry time changes, as when the client schedules one.
      kit.patch({ nextRetryAt: retryIn === null ? null : Date.now() + retryIn })
    },
    lose() {
      const { state: now } = kit.methods.getSnapshot()
      if (now === 'OPEN' || now === 'CLOSED' || now === 'ERROR')
        kit.moveTo('RECONNECTING', 'INTERRUPTED')
      // Still waiting for the same attempt: a scheduled retry stays.
      kit.lose()
    },
    restore: () => kit.moveTo('OPEN', 'REJOIN_SUCCESS'),
    fail: (reason = 'MAX_RECONNECT_ATTEMPTS') => kit.moveTo('ERROR', reason),
    peerJoin: (id, data) => kit.peerOnline(id, data),
    peerUpdate: (id, data) => kit.peerOnline(id, data),
    peerLeave: (id, reason = 'QUIT') => kit.peerOffline(id, reason),
  }
}
