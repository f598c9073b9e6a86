/**
 * The options of `createConnectionStore`, checked with the client's rules (check.ts): invalid
 * values throw a `TypeError` naming the option.
 */
import {
  checkOptions,
  count,
  integer,
  invalid,
  isObject,
  methods,
  ms,
  oneOf,
} from '../core/check.js'
import type { Clock } from '../core/clock.js'
import { ConnectionState } from '../core/states.js'
import type { ConnectionSource } from '../core/types.js'
import type { ToneOverrides } from './tones.js'

/**
 * Options of `createConnectionStore`, and of `ConnectionProvider`'s `options`.
 *
 * @example
 * ```ts
 * createConnectionStore(client, { enterDelay: 500, tones: { RECONNECTING: 'bad' }, offlinePeers: 20 })
 * createConnectionStore(client, { historyLimit: 200 }) // a longer history for support
 * ```
 */
export interface ConnectionStoreOptions {
  /** A change away from green shows only after this long (default 1000 ms). */
  enterDelay?: number | undefined
  /** Amber or red, once shown, stays at least this long (default 1500 ms). */
  minVisible?: number | undefined
  /**
   * Remaps the tone of some states (default: `toneOf`), e.g. `{ RECONNECTING: 'bad' }`. The
   * smoothing follows these tones: a state made `'bad'` shows at once.
   */
  tones?: ToneOverrides | undefined
  /** How many peers that left `departedPeers` keeps (for `usePeers({ includeOffline: true })`; default 100). */
  offlinePeers?: number | undefined
  /**
   * How many transitions `history` keeps, the oldest dropped first (default 50); `0` keeps none.
   */
  historyLimit?: number | undefined
  /**
   * Time and timers for the smoothing, the retry countdown and the end of a provider's store
   * (default: the real ones). The countdown reads `nextRetryAt`, a time on the source's clock:
   * give the store the clock you gave the source.
   */
  clock?: Clock | undefined
}

const WHERE = 'createConnectionStore'

/**
 * Throws a `TypeError` naming the first bad argument, unless `source` looks like a
 * `ConnectionSource` and every option is valid.
 */
export function checkStoreOptions(
  source: unknown,
  options: unknown,
): asserts source is ConnectionSource {
  const [isSource] = methods('getSnapshot', 'subscribe', 'on', 'getPeers', 'close')
  if (!isSource(source))
    invalid(WHERE, 'source', 'a connection source, e.g. createClient(url)', source)
  const [isTone] = oneOf(undefined, 'good', 'neutral', 'bad')
  checkOptions(WHERE, options, {
    enterDelay: ms(0),
    minVisible: ms(0),
    offlinePeers: count(0),
    // Finite: the history lives as long as the page, and a flapping link would grow it forever.
    historyLimit: integer(0),
    tones: [
      (tones) =>
        isObject(tones) &&
        Object.entries(tones).every(
          ([state, tone]) => Object.hasOwn(ConnectionState, state) && isTone(tone),
        ),
      "an object like { RECONNECTING: 'bad' }",
    ],
    clock: methods('now', 'setTimeout', 'clearTimeout'),
  })
}
