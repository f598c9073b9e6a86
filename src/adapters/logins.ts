/**
 * The `login()` calls an adapter has not settled yet, settled by where the source goes: resolved
 * at `OPEN`, rejected at `ERROR` (with the source's error) or `CLOSED`. Every way there — the
 * client's events, the outage timeline giving up, `close()` — passes through the kit's
 * `connectionStateChanged`, so no caller can forget one.
 */
import type { SourceKit } from '../core/sourceKit.js'
import type { ConnectionState } from '../core/states.js'

export interface PendingLogins {
  /** A promise for one `login()` call, settled at the next OPEN, ERROR or CLOSED. */
  wait(): Promise<void>
  /** Settles them as `state` says (nothing for other states); for a source already there. */
  settle(state: ConnectionState): void
  /** Rejects every waiting call with `error`. */
  rejectAll(error: Error): void
}

/**
 * Pending logins of the source on `kit`; `where` opens their errors (`'fromYjs'`), `what` names
 * the client in the CLOSED one (`'the provider'`).
 *
 * @example
 * ```ts
 * const logins = pendingLogins(kit, 'fromSocketIO', 'the socket')
 * const done = logins.wait() // resolves at OPEN
 * ```
 */
export function pendingLogins(kit: SourceKit, where: string, what: string): PendingLogins {
  const waiting = new Set<{ resolve(): void; reject(error: Error): void }>()
  const rejectAll = (error: Error) => {
    for (const login of [...waiting]) {
      waiting.delete(login)
      login.reject(error)
    }
  }
  const settle = (state: ConnectionState) => {
    if (state === 'OPEN') {
      for (const login of [...waiting]) {
        waiting.delete(login)
        login.resolve()
      }
    } else if (state === 'ERROR' || state === 'CLOSED') {
      const why =
        state === 'CLOSED'
          ? `${what} was disconnected before login() finished`
          : `login() failed: ${kit.methods.getSnapshot().error?.message ?? state}`
      rejectAll(new Error(`${where}: ${why}`))
    }
  }
  kit.methods.on('connectionStateChanged', settle)
  return {
    wait: () => new Promise<void>((resolve, reject) => waiting.add({ resolve, reject })),
    settle,
    rejectAll,
  }
}
