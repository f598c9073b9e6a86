/**
 * A store's mounts: the users it has now. The first one starts it following its source; when the
 * last one ends and no other starts soon after, it lets go.
 */
import type { Clock } from '../core/clock.js'

/**
 * How long a store waits after its last `unmount()` before it lets go of its source (ms): to
 * the end of the current task. React ends one mount and starts the next within one commit
 * (StrictMode's trial unmount, a provider moved under a new `key`, Fast Refresh), so a mount
 * that follows at once finds the store as it was, and nothing is torn down and built again.
 */
const UNMOUNT_GRACE = 0

/** The store's `mount()` and `unmount()`, and `stop()` for its end. */
export interface MountCounter {
  mount(): void
  unmount(): void
  /** Clears a pending `lastEnded`; from now on `mount()` and `unmount()` do nothing. */
  stop(): void
}

/**
 * Counts mounts: `firstStarted` runs when the count goes from 0 to 1, `lastEnded` once it has
 * been back at 0 for {@link UNMOUNT_GRACE}.
 */
export function createMountCounter(
  clock: Clock,
  firstStarted: () => void,
  lastEnded: () => void,
): MountCounter {
  let mounts = 0
  let letGo: unknown
  let stopped = false
  return {
    mount() {
      if (stopped) return
      clock.clearTimeout(letGo)
      if (++mounts === 1) firstStarted()
    },
    unmount() {
      if (stopped || mounts === 0) return
      if (--mounts > 0) return
      letGo = clock.setTimeout(lastEnded, UNMOUNT_GRACE)
    },
    stop() {
      stopped = true
      clock.clearTimeout(letGo)
    },
  }
}
