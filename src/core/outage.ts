/**
 * The Agora page's timeline for sources whose client never gives up by itself: once an outage
 * has lasted `lostAfter` the link is lost, and after `giveUpAfter` the source stops trying.
 */
import type { Clock } from './clock.js'

/** The timers of the current outage. */
export interface Outage {
  /** Starts timing an outage, unless one is being timed. */
  start(): void
  /** Ends the outage: its timers are cleared. */
  end(): void
}

// setTimeout fires at once for delays above 2^31-1 ms (~24.8 days): longer ones wait in steps.
const MAX_DELAY = 2 ** 31 - 1

/** What happens at each deadline of an outage. */
export interface OutageSteps {
  lost(): void
  giveUp(): void
}

/** Times outages on `clock`: `lost` after `lostAfter`, `giveUp` after `giveUpAfter` (`Infinity`: never). */
export function createOutage(
  { lostAfter, giveUpAfter }: { readonly lostAfter: number; readonly giveUpAfter: number },
  clock: Clock,
  steps: OutageSteps,
): Outage {
  let timers: unknown[] | null = null

  const after = (delay: number, done: () => void, into: unknown[]) => {
    if (delay === Infinity) return
    const step = Math.min(delay, MAX_DELAY)
    into.push(
      clock.setTimeout(() => (delay > step ? after(delay - step, done, into) : done()), step),
    )
  }

  return {
    start() {
      if (timers) return
      const current: unknown[] = (timers = [])
      after(lostAfter, () => timers === current && steps.lost(), current)
      after(giveUpAfter, () => timers === current && steps.giveUp(), current)
    },
    end() {
      timers?.forEach((timer) => clock.clearTimeout(timer))
      timers = null
    },
  }
}
