/** The `login()` calls waiting for the handshake to end one way or the other. */
export interface Logins {
  /** A promise that settles with the next `settle`; awaiting it is optional. */
  wait(): Promise<void>
  /** Resolves every waiting login, or rejects them with `error`. */
  settle(error?: Error): void
}

const noop = () => {}

/** What a promise pending when `close()` was called is rejected with. */
export const CLOSED_EARLY = 'close() was called before this was done; call login() again'

export function createLogins(): Logins {
  let waiting: [resolve: () => void, reject: (error: Error) => void][] = []
  return {
    wait() {
      const done = new Promise<void>((resolve, reject) => waiting.push([resolve, reject]))
      done.catch(noop)
      return done
    },
    settle(error) {
      const settled = waiting
      waiting = []
      for (const [resolve, reject] of settled) {
        if (error) reject(error)
        else resolve()
      }
    },
  }
}

/**
 * What `login()` returns while OPEN: done at once with the same credentials (or none), refused
 * with others — changing who you are needs a new session.
 */
export const loginWhileOpen = (args: [credentials?: unknown], credentials: unknown) =>
  args.length && JSON.stringify(args[0]) !== JSON.stringify(credentials)
    ? Promise.reject(new Error('login: already logged in; close() first to change credentials'))
    : Promise.resolve()
