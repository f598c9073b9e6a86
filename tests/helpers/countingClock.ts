import { realClock, type Clock } from '../../src/core/options.js'

/**
 * A clock that keeps count of the timers scheduled through it: `pending()` is how many have
 * neither run nor been cleared. Given to a client as its `clock` (real time by default), it says
 * exactly what the client still means to do later, so "nothing will happen" is checked without
 * waiting for it.
 */
export function createCountingClock(inner: Clock = realClock) {
  const pending = new Set<unknown>()
  const clock: Clock = {
    now: () => inner.now(),
    setTimeout(callback, ms) {
      const handle = inner.setTimeout(() => {
        pending.delete(handle)
        callback()
      }, ms)
      pending.add(handle)
      return handle
    },
    clearTimeout(handle) {
      pending.delete(handle)
      inner.clearTimeout(handle)
    },
  }
  return { clock, pending: () => pending.size }
}

export type CountingClock = ReturnType<typeof createCountingClock>
