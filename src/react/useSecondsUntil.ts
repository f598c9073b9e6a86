import { useCallback, useSyncExternalStore } from 'react'
import type { Clock } from '../core/clock.js'

/** Whole seconds from `now` until `at`, at least 0. */
const secondsUntil = (at: number, now: number) => Math.max(0, Math.ceil((at - now) / 1000))

/**
 * Whole seconds until `at` on `clock` (internal), or `null` when `at` is. It re-reads the clock
 * when the number is due to change, so it renders once a second, and never on the server.
 */
export function useSecondsUntil(at: number | null, clock: Clock): number | null {
  const subscribe = useCallback(
    (notify: () => void) => {
      let timer: unknown
      const next = () => {
        const left = at === null ? 0 : at - clock.now()
        // Due when `left` crosses the next whole second down; a timer that fires a little early
        // changes no number and looks again for the little that is left.
        if (left > 0) timer = clock.setTimeout(tick, left % 1000 || 1000)
      }
      const tick = () => {
        notify()
        next()
      }
      next()
      return () => clock.clearTimeout(timer)
    },
    [at, clock],
  )
  return useSyncExternalStore(
    subscribe,
    () => (at === null ? null : secondsUntil(at, clock.now())),
    () => null,
  )
}
