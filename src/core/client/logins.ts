/** The `login()` calls waiting for the handshake to end one way or the other. */
export interface Logins {
  /** A promise that settles with the next `settle`; awaiting it is optional. */
  wait(): Promise<void>
  /** Resolves every waiting login, or rejects them with `error`. */
  settle(error?: Error): void
}

const noop = () => {}

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
