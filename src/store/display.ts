/**
 * The smoothed display status: what an indicator shows, as opposed to the raw state. A dip
 * from green shorter than `enterDelay` never shows; amber or red, once shown, stays at least
 * `minVisible`; red shows at once. The store computes it (`shown()` in createConnectionStore.ts).
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
