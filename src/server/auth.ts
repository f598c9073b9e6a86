import { createHash } from 'node:crypto'
import type { AuthRejection } from '../protocol/index.js'

/**
 * A reason to refuse `auth`. The Agora-style names (`'BANNED_BY_SERVER'`,
 * `'REJECTED_BY_SERVER'`) are accepted too and sent as `'BANNED'` and `'REJECTED'`.
 *
 * @example
 * ```ts
 * const reason: AuthRejectionReason = 'BANNED_BY_SERVER' // the client sees 'BANNED'
 * ```
 */
export type AuthRejectionReason = AuthRejection | 'BANNED_BY_SERVER' | 'REJECTED_BY_SERVER'

/**
 * What `authenticate` decides: `{ id, data? }` admits the socket as peer `id` (with `data` as
 * its presence data, which wins over the `presence` the client sent), `{ reject, message? }`
 * refuses it with that reason, and `false` is short for `{ reject: 'REJECTED' }`.
 *
 * @example
 * ```ts
 * const admitted: AuthResult = { id: 'ada', data: { name: 'Ada' } }
 * const refused: AuthResult = { reject: 'TOKEN_EXPIRED', message: 'log in again' }
 * ```
 */
export type AuthResult =
  { id: string; data?: unknown } | { reject: AuthRejectionReason; message?: string } | false

/**
 * What the server knows about a socket when it asks `authenticate`.
 *
 * @example
 * ```ts
 * const info: AuthInfo = { session: 'b7f3c1d2-…', origin: 'https://app.example' }
 * ```
 */
export interface AuthInfo {
  /** The client's session id from its `hello`. */
  session: string
  /** The `Origin` header of the upgrade request; `undefined` for non-browser clients. */
  origin: string | undefined
}

/**
 * Checks the credentials a client sent in `auth`. May be async; a throw counts as a rejection
 * (`'REJECTED'`) and is logged, so a bug in it never takes the server down.
 *
 * @example
 * ```ts
 * const authenticate: Authenticate = async (credentials) => {
 *   const user = await users.byToken((credentials as { token?: string }).token)
 *   return user ? { id: user.id, data: { name: user.name } } : { reject: 'INVALID_TOKEN' }
 * }
 * ```
 */
export type Authenticate = (
  credentials: unknown,
  info: AuthInfo,
) => AuthResult | Promise<AuthResult>

/** The outcome of `auth` once every form of {@link AuthResult} has been normalised. */
export type AuthDecision =
  { ok: true; id: string; data: unknown } | { ok: false; reason: AuthRejection; message: string }

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null

const nonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value !== ''

const defaultMessages: Record<AuthRejection, string> = {
  INVALID_TOKEN: 'invalid token',
  TOKEN_EXPIRED: 'token expired',
  BANNED: 'banned by the server',
  REJECTED: 'rejected by the server',
}

const rejectionAliases: Record<AuthRejectionReason, AuthRejection> = {
  INVALID_TOKEN: 'INVALID_TOKEN',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  BANNED: 'BANNED',
  REJECTED: 'REJECTED',
  BANNED_BY_SERVER: 'BANNED',
  REJECTED_BY_SERVER: 'REJECTED',
}

/** Whether a value is one of the reasons {@link normaliseRejection} understands. */
export const isAuthRejectionReason = (value: unknown): value is AuthRejectionReason =>
  typeof value === 'string' && Object.hasOwn(rejectionAliases, value)

/** The wire reason for a rejection: `'BANNED_BY_SERVER'` → `'BANNED'`, and so on. */
export const normaliseRejection = (reason: AuthRejectionReason): AuthRejection =>
  rejectionAliases[reason]

/** A rejection decision with the default message for its reason unless one is given. */
export function rejection(reason: AuthRejectionReason, message?: string): AuthDecision {
  const normalised = normaliseRejection(reason)
  return { ok: false, reason: normalised, message: message ?? defaultMessages[normalised] }
}

/**
 * The `authenticate` used when none is given: everyone is admitted, as `credentials.id` or
 * `credentials.username` when that is a non-empty string, else as `peer-` and ten hex digits
 * of a hash of the session id — stable across the session's reconnects, and telling nothing
 * that would let anyone present the session as their own.
 *
 * @example
 * ```ts
 * defaultAuthenticate({ username: 'ada' }, { session: 's1', origin: undefined }) // { id: 'ada' }
 * ```
 */
export function defaultAuthenticate(credentials: unknown, info: AuthInfo): AuthResult {
  if (isObject(credentials)) {
    if (nonEmptyString(credentials.id)) return { id: credentials.id }
    if (nonEmptyString(credentials.username)) return { id: credentials.username }
  }
  const digest = createHash('sha256').update(info.session).digest('hex')
  return { id: `peer-${digest.slice(0, 10)}` }
}

const cannotCheck = 'the server could not check these credentials'

// Whatever `authenticate` returns arrives here unchecked (it may be plain JavaScript), so it
// fails closed: anything with a `reject` key refuses, and only `{ id }` with a well-formed id
// and nothing else admits.
function interpret(result: unknown, maxIdLength: number): AuthDecision {
  if (result === false) return rejection('REJECTED')
  if (isObject(result) && 'reject' in result) {
    if (isAuthRejectionReason(result.reject))
      return rejection(
        result.reject,
        typeof result.message === 'string' ? result.message : undefined,
      )
    console.error(
      'linklight server: authenticate rejected with an unknown reason; sent as REJECTED:',
      result.reject,
    )
    return rejection('REJECTED')
  }
  if (isObject(result) && nonEmptyString(result.id)) {
    if (result.id.length <= maxIdLength) return { ok: true, id: result.id, data: result.data }
    console.warn(
      `linklight server: refused an id of ${result.id.length} characters (maxIdLength ${maxIdLength})`,
    )
    return rejection(
      'REJECTED',
      `peer ids are limited to ${maxIdLength} characters (got ${result.id.length})`,
    )
  }
  console.error(
    'linklight server: authenticate must return { id }, { reject } or false; got',
    result,
  )
  return rejection('REJECTED', cannotCheck)
}

/** Runs `authenticate` and turns every possible outcome, a throw included, into a decision. */
export async function decideAuth(
  authenticate: Authenticate,
  credentials: unknown,
  info: AuthInfo,
  maxIdLength: number,
): Promise<AuthDecision> {
  try {
    return interpret(await authenticate(credentials, info), maxIdLength)
  } catch (error) {
    console.error('linklight server: authenticate threw; the client is rejected', error)
    return rejection('REJECTED', cannotCheck)
  }
}
