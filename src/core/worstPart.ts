/**
 * Which part of a combined source the badge should show: the order of "worst", written once.
 * Pure — `combineSources` feeds it the parts' snapshots.
 */
import type { ConnectionState } from './states.js'
import type { ConnectionSnapshot } from './types.js'

/**
 * How bad each state is, worst first, for `combineSources`:
 *
 * 1. `ERROR` — the part gave up; nothing happens until the app acts.
 * 2. `RECONNECTING` — the part lost its link and is trying again.
 * 3. The handshake states, the least advanced first: `AWAITING_CONNECTION`, `CHALLENGING`,
 *    `AWAITING_AUTHENTICATION`, `AUTHENTICATING`. A combined source is only as far along as its
 *    slowest part.
 * 4. `OPEN`.
 * 5. `CLOSED` — the best: a source is CLOSED only before it is started or after the app's own
 *    `close()`, never because something failed, so a part the app closed (a document no one
 *    has open) does not make a healthy connection look unhealthy. A combined source is CLOSED
 *    only when every part is.
 *
 * @example
 * ```ts
 * STATE_SEVERITY.indexOf('ERROR') // 0: the worst
 * STATE_SEVERITY.indexOf('CLOSED') // 7: the best
 * ```
 */
export const STATE_SEVERITY: readonly ConnectionState[] = Object.freeze([
  'ERROR',
  'RECONNECTING',
  'AWAITING_CONNECTION',
  'CHALLENGING',
  'AWAITING_AUTHENTICATION',
  'AUTHENTICATING',
  'OPEN',
  'CLOSED',
])

/**
 * The part a combined source shows, and the name it publishes as `part`.
 *
 * @example
 * ```ts
 * const { name, snapshot, part }: WorstPart = worstPart([['chat', chat.getSnapshot()]])
 * ```
 */
export interface WorstPart {
  /** The part's name. */
  readonly name: string
  readonly snapshot: ConnectionSnapshot
  /**
   * The name to publish as the snapshot's `part`: `null` when no part stands out — in OPEN
   * (every part still running is OPEN), in CLOSED (every part is), and when every part is in
   * the same state.
   */
  readonly part: string | null
}

/**
 * The worst of `parts` by {@link STATE_SEVERITY}; in the same state a lost part is worse than
 * one that is not; then the first in order wins.
 *
 * @example
 * ```ts
 * worstPart([['chat', chat.getSnapshot()], ['doc', doc.getSnapshot()]])
 * // { name: 'doc', snapshot: <doc's RECONNECTING snapshot>, part: 'doc' }
 * ```
 */
export function worstPart(
  parts: readonly (readonly [name: string, snapshot: ConnectionSnapshot])[],
): WorstPart {
  const severity = ([, snapshot]: readonly [string, ConnectionSnapshot]) =>
    STATE_SEVERITY.indexOf(snapshot.state) * 2 - Number(snapshot.lost)
  let worst = parts[0]
  if (!worst) throw new RangeError('worstPart: no parts')
  for (const entry of parts) if (severity(entry) < severity(worst)) worst = entry
  const [name, snapshot] = worst
  const { state } = snapshot
  const alone =
    state != 'OPEN' && state != 'CLOSED' && parts.some(([, other]) => other.state != state)
  return { name, snapshot, part: alone ? name : null }
}
