/**
 * The meaning of a snapshot, written once. linklight's client (through its pure machine), the
 * adapters and the mock source all derive `retrying`, `lost`, the rejoin and the phase from
 * these functions, so a badge behaves the same whatever source feeds it.
 */
import { phaseOf, type ConnectionReason, type ConnectionState, type Phase } from './states.js'

/** OPEN, CLOSED and ERROR: nothing is being attempted, no outage is being timed. */
export const isSettled = (state: ConnectionState) =>
  state == 'OPEN' || state == 'CLOSED' || state == 'ERROR'

/**
 * The attempt count after a move `from` → `to`: `given` when the source counts its attempts,
 * else carried on; either way 0 in OPEN and CLOSED and at least 1 in RECONNECTING. A handshake
 * straight after OPEN is a reconnection under way (1); one after CLOSED or ERROR a fresh start (0).
 */
export function attemptAfter(
  attempt: number,
  from: ConnectionState,
  to: ConnectionState,
  given?: number,
): number {
  if (to == 'OPEN' || to == 'CLOSED') return 0
  const carried = given ?? (to == 'ERROR' || !isSettled(from) ? attempt : Number(from == 'OPEN'))
  return to == 'RECONNECTING' ? Math.max(1, carried) : carried
}

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
 * Whether the link counts as lost after a move to `to` with `reason`: from the change whose
 * reason is `LOST` until the outage ends, which OPEN, CLOSED and ERROR all do.
 */
export const lostAfter = (lost: boolean, to: ConnectionState, reason: ConnectionReason | null) =>
  (lost || reason == 'LOST') && !isSettled(to)

/** The reason of an OPEN: `REJOIN_SUCCESS` when it ends an outage of a link that had been open. */
export const openReason = (rejoin: boolean): ConnectionReason =>
  rejoin ? 'REJOIN_SUCCESS' : 'JOIN_SUCCESS'

/** The phase of a state: the handshake of a rejoin reads as RECONNECTING. */
export const phaseFor = (state: ConnectionState, rejoin: boolean): Phase =>
  phaseOf(state, { reconnecting: rejoin })
