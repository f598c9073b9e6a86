/**
 * The link-quality feature: the client's meter (meter.ts), fed by the handshake and the pings,
 * behind `getLinkQuality()` and the `quality` event.
 */
import type { ClientFeature } from './feature.js'
import { createQualityMeter } from './meter.js'

/**
 * Link quality, for `createBaseClient`: times the handshake and every heartbeat ping, and gives
 * the smoothed round trip and its level through `getLinkQuality()` and the `quality` event.
 * `createClient` always has it.
 *
 * @example
 * ```ts
 * import { createBaseClient, withLinkQuality } from 'linklight'
 * const client = createBaseClient('ws://127.0.0.1:8787', { features: [withLinkQuality] })
 * client.on('quality', ({ level, rtt }) => console.log(level, rtt))
 * ```
 */
export const withLinkQuality: ClientFeature = ({ kit }) => {
  const meter = createQualityMeter((quality) => kit.emit('quality', quality))
  return {
    methods: { getLinkQuality: () => meter.quality },
    entered: meter.entered,
    greeted: meter.greeted,
    pinged: meter.pinged,
    heard: meter.heard,
  }
}
