/**
 * The Agora page's timeline for sources whose client never gives up by itself: once an outage
 * has lasted `lostAfter` the link is lost, and after `giveUpAfter` the source stops trying.
 */
import type { Clock } from './clock.js'
import type { KitCore } from './kitCore.js'

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

/** What `outageTimeline` needs: the two deadlines, and how to stop the client when giving up. */
export interface TimelineOptions {
  /** The outage has lasted this long → reason `LOST`, `lost: true`, a `lost` event (`Infinity`: never). */
  readonly lostAfter: number
  /** Not back to OPEN this long after the outage began → `ERROR`/`JOIN_FAILED` (`Infinity`: never). */
  readonly giveUpAfter: number
  /** Stops the client underneath, so that nothing retries behind a red badge. */
  readonly onGiveUp: () => void
  /** What `onGiveUp` does, for the error message: `'left the channel'`. */
  readonly gaveUp: string
}

/** Attaches an outage timeline to a source kit (see `outageTimeline`). */
export type Timeline = (kit: KitCore, failurePrefix: string, clock: Clock) => Outage

/**
 * The Agora page's timeline for a source whose client never gives up by itself, to pass to
 * `createSourceKit`: `lost` after `lostAfter`, and after `giveUpAfter` `ERROR`/`JOIN_FAILED`
 * and `onGiveUp`. Only sources that use it carry its code.
 *
 * @example
 * ```ts
 * const kit = createSourceKit({
 *   timeline: outageTimeline({ lostAfter: 15_000, giveUpAfter: 1_200_000, onGiveUp: () => client.disconnect(), gaveUp: 'disconnected' }),
 * })
 * ```
 */
export const outageTimeline =
  ({ lostAfter, giveUpAfter, onGiveUp, gaveUp }: TimelineOptions): Timeline =>
  (kit, failurePrefix, clock) =>
    createOutage({ lostAfter, giveUpAfter }, clock, {
      lost: () => kit.lose(),
      giveUp() {
        const message = `${failurePrefix}: not reconnected within giveUpAfter (${giveUpAfter} ms); ${gaveUp}`
        kit.moveTo('ERROR', 'JOIN_FAILED', { error: { code: 'JOIN_FAILED', message } })
        onGiveUp()
      },
    })
