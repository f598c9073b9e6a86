import type { QualityLevel } from '../core/quality.js'
import type { ConnectionState, Tone } from '../core/states.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { toneFor, type ToneOverrides } from '../store/tones.js'
import { useResolvedStore } from './context.js'
import { defaultLabels, defaultPartLabel } from './labels.js'
import { useSecondsUntil } from './useSecondsUntil.js'
import { useStoreSelector } from './useStoreSelector.js'

/**
 * Options shared by {@link useIndicator} and `ConnectionIndicator`.
 *
 * @example
 * ```tsx
 * const options: IndicatorOptions = { smooth: false, labels: { OPEN: 'Live' } }
 * <ConnectionIndicator {...options} />
 * ```
 */
export interface IndicatorOptions {
  /**
   * Show the smoothed status (default `true`: short dips from green are hidden, amber and red
   * stay long enough to be seen) or the raw state (`false`). `ConnectionIndicator` announces
   * what it shows, so with `false` every raw change is announced too.
   */
  smooth?: boolean | undefined
  /**
   * Remaps the tone of some states, e.g. `{ RECONNECTING: 'bad' }`, laid over the store's own
   * `tones`. It colours what is shown; when a change shows is the store's smoothing, by the
   * store's tones: to make a state show at once as red, give `tones` to the store instead.
   */
  tones?: ToneOverrides | undefined
  /** Text for some states (translations); the rest keep the English {@link defaultLabels}. */
  labels?: Partial<Record<ConnectionState, string>> | undefined
  /**
   * Words the label that names the failing part of a combined source (`combineSources`):
   * given the state's label, the part's name and the state; default {@link defaultPartLabel}
   * (`"Reconnecting… (doc)"`, `"Connection failed: doc"`).
   */
  partLabel?: ((label: string, part: string, state: ConnectionState) => string) | undefined
  /**
   * Shows the link's smoothed round trip next to the label while OPEN: `Connected · 40 ms`
   * (default `false`). It is shown, not announced: it changes with every heartbeat.
   */
  showQuality?: boolean | undefined
  /**
   * The tone of an OPEN link whose quality is `poor` (default: OPEN's own tone, `good`, as the
   * deepstream page maps it). `'neutral'` shows a slow link amber.
   */
  poorTone?: Tone | undefined
}

/** What an indicator shows. */
export interface IndicatorStatus {
  readonly tone: Tone
  readonly state: ConnectionState
  readonly label: string
  /** Whole seconds until the next reconnection attempt, or `null` when none is scheduled. */
  readonly retryIn: number | null
  /**
   * For a combined source (`combineSources`), the part the label names: the one that is not
   * OPEN, while the state shown is its state. Absent otherwise, and for other sources.
   */
  readonly part?: string
  /** The link's quality level, when the source measured one (absent while `unknown`). */
  readonly quality?: QualityLevel
  /** The smoothed round trip in whole ms, with `showQuality`, while OPEN and measured. */
  readonly rtt?: number
}

/**
 * {@link useIndicator} with the countdown optional; internal, not exported from
 * `linklight/react`. `ConnectionIndicator` asks for the countdown only when its `children` is a
 * function, so the default look does not re-render every second while the client waits to retry.
 */
export function useIndicatorStatus(
  { smooth, tones, labels, partLabel = defaultPartLabel, showQuality, poorTone }: IndicatorOptions,
  explicit: ConnectionStore | undefined,
  countdown: boolean,
): IndicatorStatus {
  const store = useResolvedStore(explicit)
  const state = useStoreSelector(store, (s) =>
    smooth === false ? s.connection.state : s.display.state,
  )
  // The smoothed display keeps no part: take the snapshot's, but only while the snapshot is in
  // the state shown — a state held on screen a moment longer may have been another part's.
  const part = useStoreSelector(store, (s) => {
    const shown = smooth === false ? s.connection.state : s.display.state
    return shown !== 'OPEN' && s.connection.state === shown ? (s.connection.part ?? null) : null
  })
  const at = useStoreSelector(store, (s) => (countdown ? s.connection.nextRetryAt : null))
  // The level changes rarely; the round trip with every heartbeat, so it is read only if shown.
  const quality = useStoreSelector(store, (s) => s.quality.level)
  const rtt = useStoreSelector(store, (s) =>
    showQuality && state === 'OPEN' && s.quality.rtt !== null ? Math.round(s.quality.rtt) : null,
  )
  const label = labels?.[state] ?? defaultLabels[state]
  const tone =
    poorTone && state === 'OPEN' && quality === 'poor'
      ? poorTone
      : toneFor(state, tones, store.tones)
  return {
    state,
    tone,
    label: part === null ? label : partLabel(label, part, state),
    // `nextRetryAt` is a time on the source's clock, which the store is given as well.
    retryIn: useSecondsUntil(at, store.clock),
    ...(part !== null && { part }),
    ...(quality !== 'unknown' && { quality }),
    ...(rtt !== null && { rtt }),
  }
}

/**
 * Headless indicator: the tone, state, label and retry countdown to render your own status UI.
 * With `smooth` (the default) it follows the store's smoothed `display`, so a dip shorter than
 * the store's `enterDelay` never leaves green.
 *
 * Over a combined source (`combineSources`) the label names the part that is not OPEN —
 * `"Reconnecting… (doc)"` — and `part` says which.
 *
 * Keep `retryIn` out of any live region (`role="status"`): it changes every second and would
 * be read out every second.
 *
 * @example
 * ```tsx
 * function StatusBar() {
 *   const { tone, label, retryIn } = useIndicator({ labels: { OPEN: 'En ligne' } })
 *   return (
 *     <p className={`status-${tone}`}>
 *       <span role="status">{label}</span>
 *       {retryIn !== null && <span> — retry in {retryIn} s</span>}
 *     </p>
 *   )
 * }
 * ```
 */
export function useIndicator(
  options: IndicatorOptions = {},
  store?: ConnectionStore,
): IndicatorStatus {
  return useIndicatorStatus(options, store, true)
}
