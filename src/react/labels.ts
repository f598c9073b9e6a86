import type { ConnectionState } from '../core/states.js'

/**
 * The indicator's default text for each state. Pass `labels` to `ConnectionIndicator` or
 * `useIndicator` to translate some or all of them; the ones left out keep these.
 *
 * @example
 * ```tsx
 * <ConnectionIndicator labels={{ OPEN: 'Verbunden', ERROR: 'Verbindung fehlgeschlagen' }} />
 * defaultLabels.RECONNECTING // 'Reconnecting…'
 * ```
 */
export const defaultLabels: Readonly<Record<ConnectionState, string>> = Object.freeze({
  CLOSED: 'Disconnected',
  AWAITING_CONNECTION: 'Connecting…',
  CHALLENGING: 'Connecting…',
  AWAITING_AUTHENTICATION: 'Waiting to sign in',
  AUTHENTICATING: 'Signing in…',
  OPEN: 'Connected',
  RECONNECTING: 'Reconnecting…',
  ERROR: 'Connection failed',
})

/**
 * How the indicator names the part of a combined source (`combineSources`) that is not OPEN:
 * `"Connection failed: doc"` for ERROR, `"Reconnecting… (doc)"` for the other states. Pass
 * `partLabel` to `ConnectionIndicator` or `useIndicator` to word it otherwise (translations).
 *
 * @example
 * ```tsx
 * defaultPartLabel('Reconnecting…', 'doc', 'RECONNECTING') // 'Reconnecting… (doc)'
 * <ConnectionIndicator partLabel={(label, part) => `${label} — ${part}`} />
 * ```
 */
export function defaultPartLabel(label: string, part: string, state: ConnectionState): string {
  return state === 'ERROR' ? `${label}: ${part}` : `${label} (${part})`
}
