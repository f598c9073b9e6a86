/**
 * The one place a state gets its tone: an app's overrides first, else `toneOf`. The store colours
 * its `display` with its `tones` option; the indicator lays its own `tones` prop over the store's.
 */
import { toneOf, type ConnectionState, type Tone } from '../core/states.js'

/**
 * An app's tone for some states; the others keep `toneOf`'s. The store's `tones` option and the
 * indicator's `tones` prop take one.
 *
 * @example
 * ```ts
 * const tones: ToneOverrides = { RECONNECTING: 'bad', AWAITING_AUTHENTICATION: 'good' }
 * createConnectionStore(client, { tones })
 * ```
 */
export type ToneOverrides = Partial<Record<ConnectionState, Tone>>

/**
 * The tone of `state`: the one the first of `overrides` gives it, else {@link toneOf}'s.
 *
 * @example
 * ```ts
 * toneFor('RECONNECTING') // 'neutral'
 * toneFor('RECONNECTING', { RECONNECTING: 'bad' }) // 'bad'
 * // an indicator's own tones, then its store's
 * toneFor('AUTHENTICATING', { OPEN: 'good' }, { AUTHENTICATING: 'good' }) // 'good'
 * ```
 */
export function toneFor(state: ConnectionState, ...overrides: (ToneOverrides | undefined)[]): Tone {
  for (const tones of overrides) {
    const tone = tones?.[state]
    if (tone) return tone
  }
  return toneOf(state)
}
