/**
 * The options of `createConnectionStore`, checked and filled in. Invalid values throw a
 * `TypeError` naming the option, as the client's options do.
 */
import { realClock, type Clock } from '../core/options.js'
import { ConnectionState, toneOf, type Tone } from '../core/states.js'
import type { ConnectionSource } from '../core/types.js'

/** Options of `createConnectionStore`. */
export interface ConnectionStoreOptions {
  /** A change away from green shows only after this long (default 1000 ms). */
  enterDelay?: number | undefined
  /** Amber or red, once shown, stays at least this long (default 1500 ms). */
  minVisible?: number | undefined
  /** Remaps the tone of some states (default: `toneOf`). */
  tones?: Partial<Record<ConnectionState, Tone>> | undefined
  /** Peers that left and are still kept (for `usePeers({ includeOffline: true })`; default 100). */
  offlinePeers?: number | undefined
  /** Timers and time for the smoothing (default: the real ones). */
  clock?: Clock | undefined
}

/** {@link ConnectionStoreOptions} with every default filled in. */
export interface ResolvedStoreOptions {
  readonly enterDelay: number
  readonly minVisible: number
  readonly offlinePeers: number
  readonly clock: Clock
  readonly toneFor: (state: ConnectionState) => Tone
}

const describe = (value: unknown) =>
  typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)

const fail = (name: string, expected: string, value: unknown): never => {
  throw new TypeError(`createConnectionStore: ${name} must be ${expected} (got ${describe(value)})`)
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null

const hasMethods = (value: unknown, names: readonly string[]) =>
  isObject(value) && names.every((name) => typeof value[name] === 'function')

function milliseconds(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !(value >= 0) || value === Infinity)
    return fail(name, 'a non-negative number of milliseconds', value)
  return value
}

const TONES: readonly unknown[] = ['good', 'neutral', 'bad']
const isToneMap = (value: unknown) =>
  isObject(value) &&
  Object.entries(value).every(
    ([state, tone]) =>
      Object.hasOwn(ConnectionState, state) && (tone === undefined || TONES.includes(tone)),
  )

/** Throws a `TypeError` unless `source` looks like a `ConnectionSource`. */
export function checkSource(source: unknown): asserts source is ConnectionSource {
  if (!hasMethods(source, ['getSnapshot', 'subscribe', 'on', 'getPeers', 'close']))
    fail(
      'source',
      'a connection source (createClient(…), an adapter or createMockSource())',
      source,
    )
}

/** Checks the options and fills in defaults. */
export function resolveStoreOptions(options: ConnectionStoreOptions = {}): ResolvedStoreOptions {
  if (!isObject(options)) fail('options', 'an object or undefined', options)
  const { offlinePeers = 100, tones, clock = realClock } = options
  if (!Number.isInteger(offlinePeers) || offlinePeers < 0)
    fail('offlinePeers', 'a non-negative integer', offlinePeers)
  if (tones !== undefined && !isToneMap(tones))
    fail('tones', "an object mapping states to 'good', 'neutral' or 'bad'", tones)
  if (!hasMethods(clock, ['now', 'setTimeout', 'clearTimeout']))
    fail('clock', 'an object with now(), setTimeout() and clearTimeout()', clock)
  return {
    enterDelay: milliseconds(options.enterDelay, 'enterDelay', 1000),
    minVisible: milliseconds(options.minVisible, 'minVisible', 1500),
    offlinePeers,
    clock,
    toneFor: (state) => tones?.[state] ?? toneOf(state),
  }
}
