/**
 * The client's link-quality meter: times the handshake (`hello` to the server's first answer)
 * and each heartbeat ping to its pong, and follows the state: a link that is down is `lost`,
 * and a new link starts from its handshake's round trip. Emits every change.
 */
import { qualityAfterPing, qualityInState, unknownQuality, type LinkQuality } from '../quality.js'
import type { ConnectionState } from '../states.js'

export interface QualityMeter {
  readonly quality: LinkQuality
  /** The handshake's first frame went out. */
  greeted(now: number): void
  /** A ping went out; the round trip runs from the first ping not yet answered. */
  pinged(now: number): void
  /** A frame came back; `pong` when it answers a ping. */
  heard(now: number, pong: boolean): void
  /** The link is in `state` now (after the state's own effects ran). */
  entered(state: ConnectionState): void
}

export function createQualityMeter(changed: (quality: LinkQuality) => void): QualityMeter {
  let quality = unknownQuality
  let pingAt: number | null = null
  let helloAt: number | null = null
  /** The handshake's round trip, kept for the OPEN it leads to. */
  let handshake: number | null = null
  const set = (next: LinkQuality) => {
    if (next === quality) return
    quality = next
    changed(next)
  }
  return {
    get quality() {
      return quality
    },
    greeted(now) {
      helloAt = now
      handshake = null
    },
    pinged(now) {
      pingAt ??= now
    },
    heard(now, pong) {
      if (pong && pingAt !== null) {
        set(qualityAfterPing(quality, Math.max(0, now - pingAt)))
        pingAt = null
      } else if (!pong && helloAt !== null) {
        handshake = Math.max(0, now - helloAt)
        helloAt = null
      }
    },
    entered(state) {
      pingAt = null
      if (state === 'OPEN' && handshake !== null) set(qualityAfterPing(unknownQuality, handshake))
      else set(qualityInState(quality, state))
      if (state === 'OPEN' || state === 'RECONNECTING' || state === 'CLOSED' || state === 'ERROR')
        helloAt = handshake = null
    },
  }
}
