/**
 * Why a server refused a client, read from the text it gave: shared by the adapters whose
 * servers refuse with a message (Hocuspocus's `authenticationFailed`, a Socket.IO middleware).
 */
import type { ConnectionReason } from '../core/states.js'

/**
 * The reason of an `ERROR` for a refusal, from the text the server gave (Hocuspocus's
 * `authenticationFailed` reason, a Socket.IO middleware's error message): an expired token is
 * `TOKEN_EXPIRED`, a refused or malformed one `INVALID_TOKEN`, anything else (Hocuspocus's
 * default `'permission-denied'`, a custom text) `REJECTED_BY_SERVER`.
 *
 * @example
 * ```ts
 * authFailureReason('token expired') // 'TOKEN_EXPIRED'
 * authFailureReason('invalid token') // 'INVALID_TOKEN'
 * authFailureReason('permission-denied') // 'REJECTED_BY_SERVER'
 * ```
 */
export function authFailureReason(reason: unknown): ConnectionReason {
  const text = typeof reason == 'string' ? reason : ''
  if (/expire/i.test(text)) return 'TOKEN_EXPIRED'
  if (/token|unauthori[sz]ed|unauthenticated|jwt|credential/i.test(text)) return 'INVALID_TOKEN'
  return 'REJECTED_BY_SERVER'
}
