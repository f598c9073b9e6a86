/**
 * The smoothed display status: what an indicator shows, as opposed to the raw state. The rules
 * that turn one into the other are `nextDisplay` (nextDisplay.ts).
 */
import type { ConnectionState, Tone } from '../core/states.js'

/**
 * What an indicator shows now: the store's `display`.
 *
 * @example
 * ```ts
 * const { state, tone, since } = store.getState().display
 * console.log(`${tone} (${state}) since ${since}`)
 * ```
 */
export interface DisplayStatus {
  /** The state behind what is shown (the raw state, unless a short dip is being hidden). */
  readonly state: ConnectionState
  /** The tone of `state`, with the store's `tones`. */
  readonly tone: Tone
  /** When the shown tone last changed; `-Infinity` for the status shown from the start. */
  readonly since: number
}
