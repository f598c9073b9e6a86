/**
 * The smoothed display status (§6): what an indicator shows, as opposed to the raw state.
 * A dip from green shorter than `enterDelay` never shows; amber or red, once shown, stays at
 * least `minVisible`; red (bad) shows at once. Pure: the store calls it and arms one timer.
 */
import type { ConnectionState, Tone } from '../core/states.js'

/** What an indicator shows now. */
export interface DisplayStatus {
  /** The state behind what is shown (the raw state, unless a short dip is being hidden). */
  readonly state: ConnectionState
  readonly tone: Tone
  /** When the shown tone last changed; `-Infinity` for the status shown from the start. */
  readonly since: number
}

export interface Smoothing {
  /** A change away from green shows only after it has lasted this long (default 1000). */
  readonly enterDelay: number
  /** Amber or red, once shown, stays at least this long (default 1500). */
  readonly minVisible: number
}

/** The raw status and when its tone last changed. */
export interface RawStatus {
  readonly state: ConnectionState
  readonly tone: Tone
  readonly toneSince: number
}

/**
 * What to show, given what is shown and the raw status at `now`, and when to look again
 * (`null`: nothing pending).
 *
 * @example
 * ```ts
 * nextDisplay({ state: 'OPEN', tone: 'good', since: 0 }, { state: 'RECONNECTING', tone: 'neutral', toneSince: 100 }, 300, smoothing)
 * // → still OPEN/good; look again at 1100
 * ```
 */
export function nextDisplay(
  shown: DisplayStatus,
  raw: RawStatus,
  now: number,
  o: Smoothing,
): { display: DisplayStatus; recheckAt: number | null } {
  if (raw.tone === shown.tone) {
    const display = raw.state === shown.state ? shown : { ...shown, state: raw.state }
    return { display, recheckAt: null }
  }
  const showAt =
    raw.tone === 'bad'
      ? now
      : shown.tone === 'good'
        ? raw.toneSince + o.enterDelay
        : shown.since + o.minVisible
  if (now >= showAt)
    return { display: { state: raw.state, tone: raw.tone, since: now }, recheckAt: null }
  return { display: shown, recheckAt: showAt }
}
