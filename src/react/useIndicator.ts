import { useCallback, useSyncExternalStore } from 'react'
import type { ConnectionState, Tone } from '../core/states.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { defaultLabels } from './labels.js'
import { useStoreSelector } from './useStoreSelector.js'

/** Options shared by {@link useIndicator} and `ConnectionIndicator`. */
export interface IndicatorOptions {
  /**
   * Show the smoothed status (default `true`: short dips from green are hidden, amber and red
   * stay long enough to be seen) or the raw state (`false`). `ConnectionIndicator` announces
   * what it shows, so with `false` every raw change is announced too.
   */
  smooth?: boolean | undefined
  /** Remaps the tone of some states, e.g. `{ RECONNECTING: 'bad' }`. */
  tones?: Partial<Record<ConnectionState, Tone>> | undefined
  /** Text for some states (translations); the rest keep the English {@link defaultLabels}. */
  labels?: Partial<Record<ConnectionState, string>> | undefined
}

/** What an indicator shows. */
export interface IndicatorStatus {
  readonly tone: Tone
  readonly state: ConnectionState
  readonly label: string
  /** Whole seconds until the next reconnection attempt, or `null` when none is scheduled. */
  readonly retryIn: number | null
}

/** Seconds until `at`, re-read four times a second; renders only when the number changes. */
function useSecondsUntil(at: number | null): number | null {
  const subscribe = useCallback(
    (notify: () => void) => {
      const timer = at === null ? undefined : setInterval(notify, 250)
      return () => clearInterval(timer)
    },
    [at],
  )
  return useSyncExternalStore(
    subscribe,
    () => (at === null ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000))),
    () => null,
  )
}

/**
 * {@link useIndicator} with the countdown optional; internal, not exported from
 * `linklight/react`. `ConnectionIndicator` asks for the countdown only when its `children` is a
 * function, so the default look does not re-render every second while the client waits to retry.
 */
export function useIndicatorStatus(
  { smooth, tones, labels }: IndicatorOptions,
  store: ConnectionStore | undefined,
  countdown: boolean,
): IndicatorStatus {
  // Smoothed, the store's display. Raw, the snapshot, whose tone follows the default mapping,
  // until the display catches up with it and carries the tone the store's `tones` give it.
  const { state, tone } = useStoreSelector(store, (s) =>
    smooth === false && s.display.state !== s.connection.state ? s.connection : s.display,
  )
  const at = useStoreSelector(store, (s) => (countdown ? s.connection.nextRetryAt : null))
  return {
    state,
    tone: tones?.[state] ?? tone,
    label: labels?.[state] ?? defaultLabels[state],
    retryIn: useSecondsUntil(at),
  }
}

/**
 * Headless indicator: the tone, state, label and retry countdown to render your own status UI.
 * With `smooth` (the default) it follows the store's smoothed `display`, so a dip shorter than
 * the store's `enterDelay` never leaves green.
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
