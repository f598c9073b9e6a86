import { count, invalid } from '../core/check.js'
import type { ConnectionHistoryEntry } from '../store/history.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { useStoreSelectorWith } from './useStoreSelectorWith.js'

const [isLimit, expected] = count(0)
const sameEntries = (a: readonly ConnectionHistoryEntry[], b: readonly ConnectionHistoryEntry[]) =>
  a.length === b.length && a.every((entry, i) => entry === b[i])

/**
 * The connection's last transitions, newest last: the last `limit` of them (default: all the
 * store keeps, its `historyLimit`). Renders only when they change; the same array until then.
 * On the server, and while hydrating, it reads an empty history.
 *
 * @example
 * ```tsx
 * const history = useConnectionHistory(10)
 * return (
 *   <ol>
 *     {history.map((e, i) => (
 *       <li key={i}>{new Date(e.at).toLocaleTimeString()} {e.state} ({e.reason})</li>
 *     ))}
 *   </ol>
 * )
 * ```
 */
export function useConnectionHistory(
  limit = Infinity,
  store?: ConnectionStore,
): readonly ConnectionHistoryEntry[] {
  if (!isLimit(limit)) invalid('useConnectionHistory', 'limit', expected, limit)
  return useStoreSelectorWith(
    store,
    ({ history }) => (history.length <= limit ? history : history.slice(history.length - limit)),
    sameEntries,
  )
}
