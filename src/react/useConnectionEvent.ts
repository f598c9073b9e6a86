import { useEffect, useRef } from 'react'
import type { ConnectionStore, ConnectionStoreEvents } from '../store/createConnectionStore.js'
import { useResolvedStore } from './context.js'

/**
 * Calls `handler` on a connection event: `'lost'`, `'restored'`, `'failed'` (ended in ERROR),
 * `'stateChange'`, or `'missed'` (messages for this client were lost for good). The latest
 * handler is called; it need not be memoized.
 *
 * @example
 * ```tsx
 * useConnectionEvent('failed', (reason) => toast(`Connection failed: ${reason}`))
 * useConnectionEvent('missed', () => refetchMessages())
 * ```
 */
export function useConnectionEvent<K extends keyof ConnectionStoreEvents>(
  event: K,
  handler: ConnectionStoreEvents[K],
  store?: ConnectionStore,
): void {
  const resolved = useResolvedStore(store)
  const latest = useRef(handler)
  useEffect(() => {
    latest.current = handler
  })
  useEffect(() => {
    const call = ((...args: Parameters<ConnectionStoreEvents[K]>) =>
      (latest.current as (...a: typeof args) => void)(...args)) as ConnectionStoreEvents[K]
    return resolved.on(event, call)
  }, [resolved, event])
}
