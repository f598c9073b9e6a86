/**
 * The smoothing, as a pure function: what to show next, given what is shown and the raw status.
 * The store calls it on every change and again at the time it names; nothing here keeps time.
 */
import type { DisplayStatus } from './display.js'

/**
 * A dip from green shorter than this never shows (ms). A link that drops and comes straight
 * back (deepstream's first retry is immediate) is usually OPEN again well within a second, and
 * an indicator that blinks amber for it would alarm people over nothing.
 */
const DEFAULT_ENTER_DELAY = 1000

/**
 * Amber or red, once shown, stays at least this long (ms): long enough to be noticed and for
 * its label to be read, so a flapping link shows as amber rather than as flicker.
 */
const DEFAULT_MIN_VISIBLE = 1500

/**
 * The timing of {@link nextDisplay}: the store's `enterDelay` and `minVisible` options.
 *
 * @example
 * ```ts
 * const quick: SmoothingOptions = { enterDelay: 300, minVisible: 800 }
 * nextDisplay(shown, raw, Date.now(), quick)
 * ```
 */
export interface SmoothingOptions {
  /** A change away from green shows only after this long (default 1000 ms). */
  readonly enterDelay?: number | undefined
  /** Amber or red, once shown, stays at least this long (default 1500 ms). */
  readonly minVisible?: number | undefined
}

/**
 * What {@link nextDisplay} returns: what to show, and when to look again.
 *
 * @example
 * ```ts
 * const { display, recheckAt } = nextDisplay(shown, raw, clock.now())
 * if (recheckAt !== null) clock.setTimeout(showAgain, recheckAt - clock.now())
 * ```
 */
export interface NextDisplay {
  /** What to show now: the `display` given, unchanged, when nothing is to change. */
  readonly display: DisplayStatus
  /** The clock time at which to call `nextDisplay` again, or `null` when nothing is pending. */
  readonly recheckAt: number | null
}

/**
 * What to show next. `raw` is the status the source has now, with `since` the time its tone
 * last changed; `display` is what is shown. The rules:
 * - within a tone, the shown state follows the raw one at once;
 * - red (`'bad'`) shows at once;
 * - a dip from green shows once it has lasted `enterDelay`, so a shorter one never shows;
 * - amber or red, once shown, stays at least `minVisible` (the status shown from the start,
 *   whose `since` is `-Infinity`, has served it).
 *
 * When a change is held back, `recheckAt` says when it may show: call again then (or sooner,
 * when the raw status changes).
 *
 * @example
 * ```ts
 * const shown = { state: 'OPEN', tone: 'good', since: 0 } as const
 * const raw = { state: 'RECONNECTING', tone: 'neutral', since: 5000 } as const
 * nextDisplay(shown, raw, 5200) // { display: shown, recheckAt: 6000 }
 * nextDisplay(shown, raw, 6000) // { display: { ...raw, since: 6000 }, recheckAt: null }
 * ```
 */
export function nextDisplay(
  display: DisplayStatus,
  raw: DisplayStatus,
  now: number,
  { enterDelay = DEFAULT_ENTER_DELAY, minVisible = DEFAULT_MIN_VISIBLE }: SmoothingOptions = {},
): NextDisplay {
  if (raw.tone === display.tone) {
    const same = raw.state === display.state
    return { display: same ? display : { ...display, state: raw.state }, recheckAt: null }
  }
  // A clock set back makes `since` lie in the future: count from now at the latest, so a hold
  // lasts at most its own length, never the size of the jump.
  const showAt =
    raw.tone === 'bad'
      ? now
      : display.tone === 'good'
        ? Math.min(raw.since, now) + enterDelay
        : Math.min(display.since, now) + minVisible
  if (now < showAt) return { display, recheckAt: showAt }
  return { display: { state: raw.state, tone: raw.tone, since: now }, recheckAt: null }
}
