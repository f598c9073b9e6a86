/**
 * The client's one timer: armed for the earliest deadline it waits for, re-armed when that
 * changes, and cleared when there is none.
 */
import type { Clock } from '../clock.js'

// setTimeout fires at once for delays above 2^31-1 ms; a longer wait wakes early and re-arms.
const MAX_DELAY = 2 ** 31 - 1

/** A timer that calls `wake` at one absolute time on `clock`. */
export interface Timer {
  /** Wakes at `at` (replacing any earlier arming); `Infinity` clears it. */
  arm(at: number): void
}

export function createTimer(clock: Clock, wake: () => void): Timer {
  let handle: unknown
  let armedAt = Infinity
  const fire = () => {
    armedAt = Infinity
    wake()
  }
  return {
    arm(at) {
      if (at == armedAt) return
      clock.clearTimeout(handle)
      armedAt = at
      handle =
        at < Infinity
          ? clock.setTimeout(fire, Math.min(MAX_DELAY, Math.max(0, at - clock.now())))
          : undefined
    },
  }
}
