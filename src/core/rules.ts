/**
 * The meaning of a snapshot, written once. linklight's client (through its pure machine), the
 * adapters and the mock source all derive `retrying`, `lost`, the rejoin and the phase from
 * these functions, so a badge behaves the same whatever source feeds it.
 */
import { phaseOf, type ConnectionReason, type ConnectionState, type Phase } from './states.js'

/** OPEN, CLOSED and ERROR: nothing is being attempted, no outage is being timed. */
export const isSettled = (state: ConnectionState) =>
  state == 'OPEN' || state == 'CLOSED' || state == 'ERROR'

/** Working through reconnection attempts: some were made and the source has not settled. */
export const isRetrying = (state: ConnectionState, attempt: number) =>
  attempt > 0 && !isSettled(state)

/**
 * Whether the next OPEN is a rejoin after a move `from` → `to`. A link that reached OPEN
 * rejoins until it is closed or started afresh: leaving ERROR for anything but RECONNECTING
 * (`connect()` or `login()` after a failure) is a fresh start; `reconnect()` is not.
 */
export const rejoinAfter = (rejoin: boolean, from: ConnectionState, to: ConnectionState) =>
  to == 'OPEN' || (rejoin && to != 'CLOSED' && (from != 'ERROR' || to == 'RECONNECTING'))

/**
 * Whether the link still counts as lost after a move to `to`: only while the outage lasts,
 * which OPEN, CLOSED and ERROR all end.
 */
export const lostAfter = (lost: boolean, to: ConnectionState) => lost && !isSettled(to)

/** The reason of an OPEN: `REJOIN_SUCCESS` when it ends an outage of a link that had been open. */
export const openReason = (rejoin: boolean): ConnectionReason =>
  rejoin ? 'REJOIN_SUCCESS' : 'JOIN_SUCCESS'

/** The phase of a state: the handshake of a rejoin reads as RECONNECTING. */
export const phaseFor = (state: ConnectionState, rejoin: boolean): Phase =>
  phaseOf(state, { reconnecting: rejoin })
