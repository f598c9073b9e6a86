/**
 * Link quality from the heartbeat: every ping's round trip, smoothed, and a level in the
 * spirit of LiveKit's `ConnectionQuality` and Agora's network quality. Pure: the client feeds
 * it the round trips it measures and the states it goes through.
 */
import type { ConnectionState } from './states.js'

/**
 * How good the link is: `'excellent'`, `'good'` or `'poor'` by the smoothed round trip;
 * `'lost'` while the link is down; `'unknown'` before the first measurement.
 */
export type QualityLevel = 'excellent' | 'good' | 'poor' | 'lost' | 'unknown'

/** The link's quality: the round trip of its heartbeats and what it amounts to. */
export interface LinkQuality {
  readonly level: QualityLevel
  /** The smoothed round trip of a ping, ms (`null` before the first one on this link). */
  readonly rtt: number | null
  /** The last ping's round trip, ms. */
  readonly lastRtt: number | null
  /** Round trips measured on this link. */
  readonly samples: number
}

/** Round trips up to this are `excellent` (ms). */
export const EXCELLENT_RTT = 150
/** Round trips up to this are `good`; above, `poor` (ms). */
export const GOOD_RTT = 400
/**
 * Weight of a new round trip in the smoothed one (TCP's SRTT uses 1/8; a badge wants to follow a
 * change within a few pings).
 */
const WEIGHT = 1 / 4

/** The quality of a link nothing has been measured on. */
export const unknownQuality: LinkQuality = Object.freeze({
  level: 'unknown',
  rtt: null,
  lastRtt: null,
  samples: 0,
})

/**
 * The level a smoothed round trip amounts to.
 *
 * @example
 * ```ts
 * qualityLevel(40) // 'excellent'
 * qualityLevel(900) // 'poor'
 * ```
 */
export const qualityLevel = (rtt: number): QualityLevel =>
  rtt <= EXCELLENT_RTT ? 'excellent' : rtt <= GOOD_RTT ? 'good' : 'poor'

/**
 * The quality after one more round trip of `rtt` ms.
 *
 * @example
 * ```ts
 * let quality = unknownQuality
 * quality = qualityAfterPing(quality, 40) // { level: 'excellent', rtt: 40, lastRtt: 40, samples: 1 }
 * quality = qualityAfterPing(quality, 800) // rtt 230: 'good'
 * ```
 */
export function qualityAfterPing(quality: LinkQuality, rtt: number): LinkQuality {
  const smoothed = quality.rtt === null ? rtt : quality.rtt + (rtt - quality.rtt) * WEIGHT
  const rounded = Math.round(smoothed * 10) / 10
  return Object.freeze({
    level: qualityLevel(rounded),
    rtt: rounded,
    lastRtt: rtt,
    samples: quality.samples + 1,
  })
}

/**
 * The quality once the link is in `state`: `lost` while it is not OPEN (nothing carried), and
 * the measurements start again on the next link; the same object when nothing changes.
 *
 * @example
 * ```ts
 * qualityInState(quality, 'RECONNECTING').level // 'lost'
 * ```
 */
export function qualityInState(quality: LinkQuality, state: ConnectionState): LinkQuality {
  if (state === 'OPEN') return quality.level === 'lost' ? unknownQuality : quality
  const level: QualityLevel = state === 'CLOSED' ? 'unknown' : 'lost'
  return quality.level === level && quality.samples === 0
    ? quality
    : Object.freeze({ ...unknownQuality, level })
}
