import type { ConnectionState } from '../core/states.js'

/** The indicator's default text for each state; pass `labels` to translate. */
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
