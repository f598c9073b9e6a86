/**
 * The store's `display`, kept in time: the source's raw status (its tone, and since when it has
 * had it) and the one timer that looks again when a held-back change may show. The rules are
 * `nextDisplay`'s; this applies them on the store's clock.
 */
import type { Clock } from '../core/clock.js'
import type { ConnectionState } from '../core/states.js'
import type { DisplayStatus } from './display.js'
import { nextDisplay, type SmoothingOptions } from './nextDisplay.js'
import { toneFor, type ToneOverrides } from './tones.js'

/** The raw status of a store's source, and what to show after what is shown. */
export interface DisplaySmoother {
  /** The source is in `state` from now on. */
  follow(state: ConnectionState): void
  /** The raw status, shown as it is: nothing was shown before it to smooth. */
  unsmoothed(): DisplayStatus
  /**
   * What to show now, `shown` being what is shown. While a change is held back, `onDue` is
   * called once when it may show (the timer of an earlier call is cleared).
   */
  next(shown: DisplayStatus, smoothing?: SmoothingOptions): DisplayStatus
  /** Clears the timer, if any. */
  cancel(): void
}

/** A smoother for a source now in `state`, on `clock`, in the store's `tones` and timing. */
export function createDisplaySmoother(
  state: ConnectionState,
  clock: Clock,
  tones: ToneOverrides,
  timing: SmoothingOptions,
  onDue: () => void,
): DisplaySmoother {
  let raw: DisplayStatus = { state, tone: toneFor(state, tones), since: clock.now() }
  let recheck: unknown
  return {
    follow(state) {
      const tone = toneFor(state, tones)
      if (tone !== raw.tone) raw = { state, tone, since: clock.now() }
      else if (state !== raw.state) raw = { ...raw, state }
    },
    unsmoothed: () => ({ ...raw, since: -Infinity }),
    next(shown, smoothing = timing) {
      clock.clearTimeout(recheck)
      const now = clock.now()
      const next = nextDisplay(shown, raw, now, smoothing)
      if (next.recheckAt !== null) recheck = clock.setTimeout(onDue, next.recheckAt - now)
      return next.display
    },
    cancel: () => clock.clearTimeout(recheck),
  }
}
