import type { Clock } from '../../src/core/options.js'

/**
 * A clock for deterministic tests. `advance(ms)` runs due timers in order, each at its own time;
 * `sleep(ms)` moves time on without running anything, as when a laptop sleeps, so the timers
 * that were due fire late on the next `advance`. `pending()` counts timers still scheduled.
 */
export function createFakeClock(start = 1_000_000) {
  let now = start
  let nextId = 1
  const timers = new Map<number, { at: number; fn: () => void }>()
  const clock: Clock = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++
      timers.set(id, { at: now + Math.max(0, ms), fn })
      return id
    },
    clearTimeout(handle) {
      timers.delete(handle as number)
    },
  }
  function advance(ms: number) {
    const target = now + ms
    for (let guard = 0; guard < 1_000_000; guard++) {
      let next: [number, { at: number; fn: () => void }] | undefined
      for (const entry of timers)
        if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry
      if (!next) break
      timers.delete(next[0])
      now = Math.max(now, next[1].at)
      next[1].fn()
    }
    now = target
  }
  return {
    clock,
    advance,
    sleep: (ms: number) => void (now += ms),
    pending: () => timers.size,
    now: () => now,
  }
}

export type FakeClock = ReturnType<typeof createFakeClock>
