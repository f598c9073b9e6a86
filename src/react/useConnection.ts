import type { ConnectionSnapshot } from '../core/types.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { useConnectionStore } from './context.js'
import { useStoreSelector } from './useStoreSelector.js'

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
  const select = (s: { connection: ConnectionSnapshot }) => selector(s.connection)
  return useStoreSelector(useConnectionStore(store), select, equalityFn)
}
