/**
 * A snapshot of a connection store for a support ticket: the connection now, its recent
 * transitions and where it runs, as plain data (`connectionDiagnostics`) and as a short text
 * (`formatDiagnostics`).
 *
 * It carries no secrets by construction: it is built field by field from the snapshot, never
 * spread from it, and leaves out the credentials (the store never holds them), message
 * contents, the peers' ids and data (only counts: ids are often names or e-mail addresses) and
 * the page's URL (which may carry a token). The error's message is the source's own text, with
 * any URL in it cut to its scheme, host and path.
 */
import { ConnectionReason, ConnectionState, type Phase } from '../core/states.js'
import type { ConnectionStore } from './createConnectionStore.js'
import type { ConnectionHistoryEntry } from './history.js'

/**
 * What {@link connectionDiagnostics} returns: plain data, ready for `JSON.stringify`. Times
 * are clock times: the store's for `generatedAt` and the history, the source's for the
 * connection's (the same clock unless the app gave them different ones; epoch ms with the
 * real clock).
 *
 * @example
 * ```ts
 * const d: ConnectionDiagnostics = connectionDiagnostics(store)
 * fetch('/support/diagnostics', { method: 'POST', body: JSON.stringify(d) })
 * ```
 */
export interface ConnectionDiagnostics {
  /** When it was taken, on the store's clock. */
  readonly generatedAt: number
  /** The connection now: the snapshot's fields that say how it is doing. */
  readonly connection: {
    readonly state: ConnectionState
    readonly reason: ConnectionReason | null
    readonly phase: Phase
    /** Since when it has been in `state`. */
    readonly since: number
    readonly attempt: number
    readonly nextRetryAt: number | null
    readonly lost: boolean
    readonly queued: number
    readonly error: { readonly code: string; readonly message: string } | null
  }
  /** How many peers are online, and how many that left the store still keeps: counts only. */
  readonly peers: { readonly online: number; readonly departed: number }
  /** The store's `history`: its last transitions, oldest first. */
  readonly history: readonly ConnectionHistoryEntry[]
  /** The browser it runs in; absent outside a browser (Node, a worker with no `window`). */
  readonly browser?: { readonly userAgent: string; readonly online: boolean }
}

/** The browser's user agent and online flag; `undefined` outside a browser. */
function browserNow(): ConnectionDiagnostics['browser'] {
  // Node 21+ has a `navigator` too (user agent `Node.js/22`, no `onLine`): a page has a `window`.
  if (typeof window === 'undefined' || typeof navigator === 'undefined') return undefined
  return { userAgent: String(navigator.userAgent), online: navigator.onLine !== false }
}

/**
 * A snapshot of `store` for support: the connection now, the peer counts, the history and
 * the browser. Safe to paste into a ticket: no credentials, messages or peer data.
 *
 * @example
 * ```ts
 * const text = formatDiagnostics(connectionDiagnostics(store))
 * await navigator.clipboard.writeText(text)
 * ```
 */
export function connectionDiagnostics(store: ConnectionStore): ConnectionDiagnostics {
  const { connection: c, peers, departedPeers, history } = store.getState()
  const diagnostics: ConnectionDiagnostics = {
    generatedAt: store.clock.now(),
    connection: {
      state: c.state,
      reason: c.reason,
      phase: c.phase,
      since: c.since,
      attempt: c.attempt,
      nextRetryAt: c.nextRetryAt,
      lost: c.lost,
      queued: c.queued,
      error: c.error && { code: c.error.code, message: withoutUrlSecrets(c.error.message) },
    },
    peers: { online: peers.size, departed: departedPeers.size },
    history,
  }
  const browser = browserNow()
  return browser ? { ...diagnostics, browser } : diagnostics
}

/**
 * `text` with every URL in it cut to its scheme, host and path: a query, a fragment or a
 * `user:password@` may hold a token (`wss://host/rt?token=…` is common), and an error message
 * often quotes the URL it failed on.
 */
export const withoutUrlSecrets = (text: string) =>
  // A URL ends before a space, a quote or a bracket, and not on the punctuation after it.
  text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]*[^\s"'<>().,:;!?]/gi, (url) => {
    const at = url.indexOf('://') + 3
    const rest = url.slice(at).replace(/^[^/?#]*@/, '')
    const kept = rest.replace(/[?#].*$/, '')
    return url.slice(0, at) + kept + (kept.length < rest.length ? '?…' : '')
  })

/** A clock time in UTC; a time no `Date` can show (a fake clock's `-Infinity`) as it is. */
const time = (at: number) => {
  const date = new Date(at)
  return Number.isNaN(date.getTime()) ? String(at) : date.toISOString()
}

// History lines in columns: as wide as the longest state and the longest reason.
const widest = (names: object) => Math.max(...Object.keys(names).map((name) => name.length))
const STATE_WIDTH = widest(ConnectionState)
const REASON_WIDTH = widest(ConnectionReason)

/** One history entry as a line: time, state, reason, attempt, and where it came from. */
const historyLine = ({
  at,
  state,
  reason,
  attempt,
  previousState,
  errorCode,
}: ConnectionHistoryEntry) =>
  [
    `  ${time(at)}  ${state.padEnd(STATE_WIDTH)} ${(reason ?? '—').padEnd(REASON_WIDTH)} attempt ${attempt}`,
    previousState ? ` (from ${previousState})` : '',
    errorCode ? ` error ${errorCode}` : '',
  ].join('')

/**
 * `diagnostics` as a short text block for a support ticket, times in UTC.
 *
 * @example
 * ```ts
 * formatDiagnostics(connectionDiagnostics(store))
 * // linklight diagnostics, 2026-12-03T16:40:00.000Z
 * // Connection: RECONNECTING (LOST), phase RECONNECTING, attempt 3, since 2026-12-03T16:39:12.000Z
 * // …
 * ```
 */
export function formatDiagnostics(diagnostics: ConnectionDiagnostics): string {
  const { generatedAt, connection: c, peers, history, browser } = diagnostics
  const details = [
    c.nextRetryAt !== null && `next retry ${time(c.nextRetryAt)}`,
    c.lost && 'lost',
    `${c.queued} queued`,
  ].filter(Boolean)
  return [
    `linklight diagnostics, ${time(generatedAt)}`,
    `Connection: ${c.state} (${c.reason ?? '—'}), phase ${c.phase}, attempt ${c.attempt}, since ${time(c.since)}`,
    `  ${details.join(', ')}`,
    ...(c.error ? [`  error ${c.error.code}: ${c.error.message}`] : []),
    `Peers: ${peers.online} online, ${peers.departed} departed`,
    `Browser: ${browser ? `${browser.userAgent} (${browser.online ? 'online' : 'offline'})` : 'none (not in a browser)'}`,
    `History (${history.length}, oldest first):`,
    ...(history.length ? history.map(historyLine) : ['  (no transitions yet)']),
  ].join('\n')
}
