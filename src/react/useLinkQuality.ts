import type { LinkQuality } from '../core/quality.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { useStoreSelector } from './useStoreSelector.js'

/**
 * The link's quality: `{ level, rtt, lastRtt, samples }`, where `level` is `'excellent'`,
 * `'good'` or `'poor'` by the smoothed round trip of the heartbeats, `'lost'` while the link is
 * down and `'unknown'` before anything was measured (or for sources that cannot tell). It
 * re-renders with every measurement; components that read only the state do not.
 *
 * @example
 * ```tsx
 * function Latency() {
 *   const { level, rtt } = useLinkQuality()
 *   return <span data-quality={level}>{rtt === null ? '—' : `${Math.round(rtt)} ms`}</span>
 * }
 * ```
 */
export function useLinkQuality(store?: ConnectionStore): LinkQuality {
  return useStoreSelector(store, (s) => s.quality)
}
