import type { ConnectionSnapshot } from '../core/types.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { useStoreSelectorWith } from './useStoreSelectorWith.js'

/**
 * Any slice of the connection snapshot; renders only when the slice changes (by `equalityFn`).
 *
 * @example
 * ```tsx
 * const { attempt, nextRetryAt } = useConnection(
 *   (s) => ({ attempt: s.attempt, nextRetryAt: s.nextRetryAt }),
 *   (a, b) => a.attempt === b.attempt && a.nextRetryAt === b.nextRetryAt,
 * )
 * ```
 */
export function useConnection<T>(
  selector: (snapshot: ConnectionSnapshot) => T,
  equalityFn?: (a: T, b: T) => boolean,
  store?: ConnectionStore,
): T {
  return useStoreSelectorWith(store, (s) => selector(s.connection), equalityFn)
}
