/**
 * The store's connection history, as pure functions: which snapshots count as a transition,
 * the entry one makes, and the bounded list they go into. The store calls `nextHistory` with
 * every snapshot it takes; nothing here keeps time or state.
 */
import type { ConnectionReason, ConnectionState } from '../core/states.js'
import type { ConnectionSnapshot } from '../core/types.js'

/**
 * How many transitions a store keeps by default (its `historyLimit` option). One outage of
 * linklight's client makes five to ten (RECONNECTING, each further attempt, LOST, the handshake
 * states, OPEN), so 50 reach back over the last several outages: what a support ticket needs,
 * in a few kilobytes.
 */
export const DEFAULT_HISTORY_LIMIT = 50

/**
 * One transition of the connection, as the store saw it: an entry of the store's `history`
 * and of `useConnectionHistory()`.
 *
 * @example
 * ```ts
 * const { at, state, reason, attempt } = store.getState().history.at(-1)!
 * console.log(`${new Date(at).toISOString()} ${state} (${reason}) attempt ${attempt}`)
 * ```
 */
export interface ConnectionHistoryEntry {
  /** When the store took the snapshot: its clock's time (epoch ms with the real clock). */
  readonly at: number
  readonly state: ConnectionState
  readonly reason: ConnectionReason | null
  /** Reconnection attempts in the outage so far (0 in OPEN and CLOSED). */
  readonly attempt: number
  /** As on the snapshot: the state before the last state change, kept by a change of reason. */
  readonly previousState: ConnectionState | null
  /** The error's `code` in ERROR; absent in every other state. */
  readonly errorCode?: string
}

/**
 * Whether `after` is a transition from `before`: a new state, a new reason (`LOST`) or a new
 * reconnection attempt. A snapshot that changes only the queue, the retry time or the error
 * text is not.
 *
 * @example
 * ```ts
 * isTransition(open, source.getSnapshot()) // true after a drop
 * ```
 */
export const isTransition = (before: ConnectionSnapshot, after: ConnectionSnapshot): boolean =>
  after.state !== before.state || after.reason !== before.reason || after.attempt !== before.attempt

/**
 * The entry for `snapshot`, taken at `at`. Frozen: every reader of the store shares it.
 *
 * @example
 * ```ts
 * historyEntry(source.getSnapshot(), Date.now())
 * // { at: 1764779000000, state: 'RECONNECTING', reason: 'INTERRUPTED', attempt: 1, previousState: 'OPEN' }
 * ```
 */
export function historyEntry(snapshot: ConnectionSnapshot, at: number): ConnectionHistoryEntry {
  const { state, reason, attempt, previousState, error } = snapshot
  const entry: ConnectionHistoryEntry = { at, state, reason, attempt, previousState }
  return Object.freeze(state === 'ERROR' && error ? { ...entry, errorCode: error.code } : entry)
}

/**
 * `history` with `entry` added last, keeping the newest `limit` entries. A new frozen array:
 * the store's history is compared by reference, like its other fields.
 *
 * @example
 * ```ts
 * appendHistory([a, b, c], d, 3) // [b, c, d]
 * ```
 */
export function appendHistory(
  history: readonly ConnectionHistoryEntry[],
  entry: ConnectionHistoryEntry,
  limit: number,
): readonly ConnectionHistoryEntry[] {
  if (limit <= 0) return history
  const kept = history.length >= limit ? history.slice(history.length - limit + 1) : history
  return Object.freeze([...kept, entry])
}

/**
 * The history after the store moves from snapshot `before` to `after` at `now`: with one more
 * entry when that is a transition ({@link isTransition}), else `history` itself, so a selector
 * reading it sees no change.
 *
 * @example
 * ```ts
 * const history = nextHistory(state.history, state.connection, snapshot, clock.now(), 50)
 * ```
 */
export function nextHistory(
  history: readonly ConnectionHistoryEntry[],
  before: ConnectionSnapshot,
  after: ConnectionSnapshot,
  now: number,
  limit: number,
): readonly ConnectionHistoryEntry[] {
  return isTransition(before, after)
    ? appendHistory(history, historyEntry(after, now), limit)
    : history
}
