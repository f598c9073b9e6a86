/**
 * The connection state machine as a pure function: `transition(machine, event, options)`
 * returns the next machine and touches nothing else. The client interprets the result: it keeps
 * one socket per `socket` id, wakes the machine with a `tick` at `deadlineOf(machine)`, and runs
 * each state's entry actions (send `hello` on CHALLENGING, `auth` on AUTHENTICATING, flush the
 * queue on OPEN).
 */
import type { ResolvedOptions } from './options.js'
import { nextRetryDelay } from './schedule.js'
import { isSettled, lostAfter, openReason, rejoinAfter } from './rules.js'
import type { ConnectionReason, ConnectionState } from './states.js'

/** `{ code, message }` of what went wrong, shown on the snapshot. */
export interface ConnectionError {
  readonly code: string
  readonly message: string
}

export interface Machine {
  readonly state: ConnectionState
  readonly reason: ConnectionReason | null
  /** Reconnection attempts made in this outage (0 when not reconnecting). */
  readonly attempt: number
  readonly nextRetryAt: number | null
  readonly lost: boolean
  readonly error: ConnectionError | null
  /** The next OPEN is a rejoin (see `rejoinAfter` in rules.ts). */
  readonly rejoin: boolean
  readonly hasCredentials: boolean
  /** Id of the socket that should exist now; 0 means none. Events of other sockets are stale. */
  readonly socket: number
  readonly sockets: number
  /** Where the current socket goes when a server redirected it; `null` means the client's url. */
  readonly url: string | null
  readonly redirects: number
  /** The current attempt (or AUTHENTICATING) fails if not through by then. */
  readonly connectDeadline: number | null
  /** When the server was last heard before the current outage (`lost`, `giveUp` count from it). */
  readonly outageSince: number | null
}

/** When an event happened, and a random draw in [0, 1) for the retry's jitter (absent: none). */
type At = { readonly now: number; readonly random?: number }
type Of<T extends string, P = unknown> = { readonly type: T } & At & P
type OnSocket = { readonly socket: number }
type Failure = OnSocket & {
  readonly reason: ConnectionReason
  readonly message: string
  /** When the server was last heard, if the link had been up. */
  readonly silentSince?: number
}

/** Everything that can happen to a connection. `now` is the clock's time when it happened. */
export type MachineEvent =
  | Of<'connect'>
  | Of<'login'>
  | Of<'reconnect'>
  | Of<'close'>
  | Of<'online'>
  /** Time passed: every deadline due now happens, in order. */
  | Of<'tick'>
  | Of<'heartbeatFailed', { readonly silentSince: number }>
  | Of<'opened', OnSocket>
  | Of<'challenge', OnSocket>
  | Of<'accept', OnSocket>
  | Of<'welcome', OnSocket>
  | Of<'redirect', OnSocket & { readonly url: string }>
  | Of<'failed', Failure>
  | Of<'rejected', Failure>
  | Of<'fatal', Failure>

type Handler<T extends MachineEvent['type']> = (
  m: Machine,
  event: Extract<MachineEvent, { type: T }>,
  o: ResolvedOptions,
) => Machine

// A server that keeps redirecting is broken; the attempt fails after this many hops.
const MAX_REDIRECTS = 3

export const initialMachine: Machine = {
  state: 'CLOSED',
  reason: null,
  attempt: 0,
  nextRetryAt: null,
  lost: false,
  error: null,
  rejoin: false,
  hasCredentials: false,
  socket: 0,
  sockets: 0,
  url: null,
  redirects: 0,
  connectDeadline: null,
  outageSince: null,
}

/** RECONNECTING with no socket: waiting for the next attempt. */
const waiting = (m: Machine) => m.state == 'RECONNECTING' && !m.socket

function to(
  m: Machine,
  state: ConnectionState,
  reason: ConnectionReason,
  patch?: Partial<Machine>,
): Machine {
  return {
    ...m,
    ...patch,
    state,
    reason,
    rejoin: rejoinAfter(m.rejoin, m.state, state),
    lost: lostAfter(m.lost, state, reason),
  }
}

/** A new socket for an attempt that starts now. */
const newSocket = (m: Machine, now: number, o: ResolvedOptions): Partial<Machine> => ({
  socket: m.sockets + 1,
  sockets: m.sockets + 1,
  url: null,
  redirects: 0,
  nextRetryAt: null,
  connectDeadline: now + o.connectTimeout,
})

/** Nothing open, nothing pending: the fields ERROR and CLOSED share. */
const stopped: Partial<Machine> = {
  socket: 0,
  url: null,
  connectDeadline: null,
  nextRetryAt: null,
}

/** From CLOSED or ERROR: a first connection, as if the client were new. */
const start = (m: Machine, now: number, o: ResolvedOptions, hasCredentials: boolean): Machine =>
  to(m, 'AWAITING_CONNECTION', 'CONNECTING', {
    ...newSocket(m, now, o),
    attempt: 0,
    error: null,
    hasCredentials,
    outageSince: null,
  })

/** Next reconnection attempt, now. */
const attemptNow = (m: Machine, now: number, o: ResolvedOptions, reason: ConnectionReason) =>
  to(m, 'RECONNECTING', reason, { ...newSocket(m, now, o), attempt: m.attempt + 1 })

const fail = (m: Machine, now: number, reason: ConnectionReason, message: string) =>
  to(m, 'ERROR', reason, { ...stopped, error: { code: reason, message } })

/** The handshake is through: OPEN, with the outage (if any) over. */
const open = (m: Machine) =>
  to(m, 'OPEN', openReason(m.rejoin), {
    attempt: 0,
    nextRetryAt: null,
    error: null,
    redirects: 0,
    connectDeadline: null,
    outageSince: null,
  })

/** Credentials are known: authenticate (OPEN at once without a handshake), with a deadline. */
const authenticate = (m: Machine, now: number, o: ResolvedOptions) =>
  o.protocol.handshake
    ? to(m, 'AUTHENTICATING', 'AUTHENTICATING', {
        connectDeadline: m.connectDeadline ?? now + o.connectTimeout,
      })
    : open(m)

/** Negotiated: log in when credentials are known (or `autoLogin`), else wait for `login()`. */
const negotiated = (m: Machine, now: number, o: ResolvedOptions) =>
  m.hasCredentials || o.autoLogin
    ? authenticate(m, now, o)
    : to(m, 'AWAITING_AUTHENTICATION', 'AWAITING_LOGIN', { connectDeadline: null })

/**
 * The link or an attempt failed: an open link, or a first connection, starts reconnecting
 * with attempt 1 at once; a failed attempt waits its turn, or gives up after the last one.
 */
function linkFailed(
  m: Machine,
  at: At,
  o: ResolvedOptions,
  reason: ConnectionReason,
  message: string,
  silentSince = at.now,
): Machine {
  const { now } = at
  if (m.state == 'CLOSED' || m.state == 'ERROR') return m
  const error = { code: reason, message }
  if (m.state == 'OPEN' || !m.attempt)
    return to(m, 'RECONNECTING', reason, {
      ...newSocket(m, now, o),
      attempt: 1,
      error,
      // An open link has been out since the server was last heard; a first connection since now.
      outageSince: m.outageSince ?? (m.state == 'OPEN' ? Math.min(silentSince, now) : now),
    })
  if (m.attempt >= o.maxReconnectAttempts)
    return fail(
      m,
      now,
      'MAX_RECONNECT_ATTEMPTS',
      `Gave up after ${m.attempt} failed reconnection attempts (last: ${message})`,
    )
  return to(m, 'RECONNECTING', reason, {
    ...stopped,
    error,
    nextRetryAt: now + nextRetryDelay(m.attempt, o, at.random),
  })
}

export type TimerName = 'retry' | 'connect' | 'lost' | 'giveUp'

/** The deadlines a machine waits for, by name, as absolute times on the client's clock. */
export function timersOf(m: Machine, o: ResolvedOptions): Partial<Record<TimerName, number>> {
  const timers: Partial<Record<TimerName, number>> = {}
  if (waiting(m) && m.nextRetryAt !== null) timers.retry = m.nextRetryAt
  if (m.connectDeadline !== null) timers.connect = m.connectDeadline
  if (m.outageSince !== null && !isSettled(m.state)) {
    if (!m.lost && o.lostAfter < Infinity) timers.lost = m.outageSince + o.lostAfter
    if (o.giveUpAfter < Infinity) timers.giveUp = m.outageSince + o.giveUpAfter
  }
  return timers
}

/** When the machine next wants a `tick`; `Infinity` when it waits for nothing. */
export const deadlineOf = (m: Machine, o: ResolvedOptions) =>
  Math.min(...Object.values(timersOf(m, o)))

/** The first deadline of `m` due at `now`, taken; `m` itself when none is. */
function deadline(m: Machine, at: At, o: ResolvedOptions): Machine {
  const { now } = at
  // `now >= undefined` is false: a timer the machine does not run is never due.
  const due = timersOf(m, o)
  return now >= due.connect!
    ? linkFailed(
        m,
        at,
        o,
        'INTERRUPTED',
        `No answer within connectTimeout (${o.connectTimeout} ms)`,
      )
    : now >= due.giveUp!
      ? fail(m, now, 'JOIN_FAILED', `Not reconnected within giveUpAfter (${o.giveUpAfter} ms)`)
      : now >= due.lost!
        ? // The state stays; the reason says why it matters.
          { ...m, lost: true, reason: 'LOST' }
        : now >= due.retry!
          ? attemptNow(m, now, o, m.reason ?? 'CONNECTING')
          : m
}

// Every transition, by event: the state and reason it leads to, and the guard that allows it.
const transitions: { [T in MachineEvent['type']]: Handler<T> } = {
  connect: (m, e, o) =>
    m.state == 'CLOSED' || m.state == 'ERROR' ? start(m, e.now, o, m.hasCredentials) : m,
  login: (m, e, o) =>
    m.state == 'CLOSED' || m.state == 'ERROR'
      ? start(m, e.now, o, true)
      : m.state == 'AWAITING_AUTHENTICATION'
        ? authenticate({ ...m, hasCredentials: true }, e.now, o)
        : { ...m, hasCredentials: true },
  reconnect: (m, e, o) =>
    m.state == 'CLOSED'
      ? start(m, e.now, o, m.hasCredentials)
      : m.state == 'ERROR'
        ? attemptNow({ ...m, attempt: 0, outageSince: e.now }, e.now, o, 'RETRY_REQUESTED')
        : m.state == 'OPEN'
          ? linkFailed(m, e, o, 'RETRY_REQUESTED', 'Reconnection requested')
          : waiting(m)
            ? attemptNow(m, e.now, o, 'RETRY_REQUESTED')
            : m,
  close: (m) =>
    m.state == 'CLOSED'
      ? m
      : to(m, 'CLOSED', 'LEAVE_CHANNEL', {
          ...stopped,
          attempt: 0,
          error: null,
          hasCredentials: false,
          outageSince: null,
        }),
  online: (m, e, o) => (waiting(m) ? attemptNow(m, e.now, o, 'NETWORK_ONLINE') : m),
  opened: (m, e, o) =>
    !o.protocol.handshake
      ? negotiated(m, e.now, o)
      : m.state == 'RECONNECTING'
        ? to(m, 'AWAITING_CONNECTION', 'CONNECTING')
        : m,
  challenge: (m) => (m.state == 'AWAITING_CONNECTION' ? to(m, 'CHALLENGING', 'CHALLENGE') : m),
  accept: (m, e, o) => (m.state == 'CHALLENGING' ? negotiated(m, e.now, o) : m),
  redirect: (m, e, o) =>
    m.state != 'CHALLENGING'
      ? m
      : m.redirects < MAX_REDIRECTS
        ? to(m, 'AWAITING_CONNECTION', 'REDIRECT', {
            socket: m.sockets + 1,
            sockets: m.sockets + 1,
            url: e.url,
            redirects: m.redirects + 1,
          })
        : linkFailed(m, e, o, 'PROTOCOL_ERROR', `More than ${MAX_REDIRECTS} redirects`),
  welcome: (m) => (m.state == 'AUTHENTICATING' ? open(m) : m),
  rejected: (m, e) => (m.state == 'AUTHENTICATING' ? fail(m, e.now, e.reason, e.message) : m),
  fatal: (m, e) => fail(m, e.now, e.reason, e.message),
  failed: (m, e, o) => linkFailed(m, e, o, e.reason, e.message, e.silentSince),
  heartbeatFailed: (m, e, o) => {
    if (m.state != 'OPEN') return m
    const message = `No answer from the server for two heartbeat intervals (${o.heartbeatInterval} ms each)`
    return o.heartbeatFailure == 'error'
      ? fail(m, e.now, 'KEEP_ALIVE_TIMEOUT', message)
      : linkFailed(m, e, o, 'KEEP_ALIVE_TIMEOUT', message, e.silentSince)
  },
  // Every deadline that is due is taken, in order (one may end the outage the next belongs
  // to); a few at most, so that zero timeouts cannot spin: the rest wait for the next tick.
  tick: (m, e, o) => {
    for (let i = 0, before = null as Machine | null; i < 8 && before != m; i++)
      m = deadline((before = m), e, o)
    return m
  },
}

/**
 * The next machine for an event. Pure: no I/O, no clock, no randomness: `event.now` is the
 * time and `event.random` the draw for a retry's jitter. Events of a socket the machine no
 * longer wants change nothing.
 *
 * @example
 * ```ts
 * const next = transition(initialMachine, { type: 'connect', now: 0 }, resolveOptions({ WebSocket }))
 * next.state // 'AWAITING_CONNECTION'
 * ```
 */
export function transition(m: Machine, event: MachineEvent, o: ResolvedOptions): Machine {
  if ('socket' in event && event.socket != m.socket) return m
  return (transitions[event.type] as Handler<MachineEvent['type']>)(m, event, o)
}
