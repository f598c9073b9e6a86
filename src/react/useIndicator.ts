import { useCallback, useSyncExternalStore } from 'react'
import { toneOf, type ConnectionState, type Tone } from '../core/states.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { useConnectionStore } from './context.js'
import { defaultLabels } from './labels.js'
import { useStoreSelector } from './useStoreSelector.js'

/** Options shared by {@link useIndicator} and `ConnectionIndicator`. */
export interface IndicatorOptions {
  /** Show the smoothed status (default `true`) or the raw state (`false`). */
  smooth?: boolean | undefined
  /** Remaps the tone of some states. */
  tones?: Partial<Record<ConnectionState, Tone>> | undefined
  /** Text for some states (translations); the rest keep the English defaults. */
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

const noSubscription = () => () => {}

/** Seconds until `at`, re-read four times a second; renders only when the number changes. */
function useSecondsUntil(at: number | null): number | null {
  const subscribe = useCallback(
    (notify: () => void) => {
      if (at === null) return noSubscription()
      const timer = setInterval(notify, 250)
      return () => clearInterval(timer)
    },
    [at],
  )
  return useSyncExternalStore(
    at === null ? noSubscription : subscribe,
    () => (at === null ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000))),
    () => null,
  )
}

/**
 * Headless indicator: the tone, state, label and retry countdown to render your own status UI.
 *
 * @example
 * ```tsx
 * const { tone, label, retryIn } = useIndicator()
 * return <span className={`status-${tone}`}>{label}{retryIn !== null && ` — retry in ${retryIn}s`}</span>
 * ```
 */
export function useIndicator(
  options: IndicatorOptions = {},
  store?: ConnectionStore,
): IndicatorStatus {
  const resolved = useConnectionStore(store)
  const smooth = options.smooth !== false
  const state = useStoreSelector(resolved, (s) => (smooth ? s.display.state : s.connection.state))
  const shownTone = useStoreSelector(resolved, (s) =>
    smooth ? s.display.tone : toneOf(s.connection.state),
  )
  const retryIn = useSecondsUntil(useStoreSelector(resolved, (s) => s.connection.nextRetryAt))
  return {
    state,
    tone: options.tones?.[state] ?? shownTone,
    label: options.labels?.[state] ?? defaultLabels[state],
    retryIn,
  }
}
