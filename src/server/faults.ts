import { isAuthRejectionReason, normaliseRejection, type AuthRejectionReason } from './auth.js'
import type { ServerConditions } from './conditions.js'

/**
 * Fault injection, for tests and demos of what clients do when the network or the server
 * misbehaves. `kill` and `restart` are async; everything else takes effect at once.
 *
 * @example
 * ```ts
 * const server = await createServer()
 * server.faults.blackhole()      // the link looks alive but nothing comes back
 * await sleep(5000)
 * server.faults.blackhole(false)
 * await server.faults.kill()     // clients see 1006, new connections are refused
 * await server.faults.restart()  // same port again
 * ```
 */
export interface Faults {
  /**
   * Cuts every socket abruptly (clients see close code 1006) and stops listening, so new
   * connections are refused. Like any network failure, each peer keeps its place for
   * `peerTimeout` (announced `DROPPED` after that, once the server listens again), and the
   * relays addressed to it meanwhile are kept for its return. Sessions (each one's last accepted
   * seq) survive too: `kill` models the network or the listener failing, not the process losing
   * its memory, and that is what lets a test prove that messages resent after the drop are
   * delivered exactly once.
   *
   * @example
   * ```ts
   * await server.faults.kill()
   * ```
   */
  kill(): Promise<void>
  /**
   * Listens again on the same port (after a `kill`, which it performs first if needed).
   *
   * @example
   * ```ts
   * await server.faults.restart()
   * ```
   */
  restart(): Promise<void>
  /**
   * Keeps every socket open but sends nothing at all (no challenge, pong, ack, presence,
   * relay or ws ping) and ignores every incoming frame; the peer-timeout sweep is frozen.
   * `blackhole(false)` resumes and restarts every socket's idle clock, so lifting it drops
   * nobody by itself.
   *
   * @example
   * ```ts
   * server.faults.blackhole()
   * server.faults.blackhole(false)
   * ```
   */
  blackhole(on?: boolean): void
  /**
   * Holds every outgoing frame `ms` before sending it, order preserved per socket; `0` ends
   * the delay (frames already held still keep their order).
   *
   * @example
   * ```ts
   * server.faults.delay(200) // every pong now arrives 200 ms late
   * ```
   */
  delay(ms: number): void
  /**
   * Rejects every following `auth` with `reason` (default `'REJECTED'`; `'BANNED_BY_SERVER'`
   * is sent as `'BANNED'`, `'REJECTED_BY_SERVER'` as `'REJECTED'`) until called with
   * `false` or `null`.
   *
   * @example
   * ```ts
   * server.faults.rejectAuth('TOKEN_EXPIRED')
   * server.faults.rejectAuth(null)
   * ```
   */
  rejectAuth(reason?: AuthRejectionReason | false | null): void
  /**
   * Answers every following `hello` whose `url` differs from `url` with a redirect to it,
   * until called with `null`. Clients already at `url` are accepted, so a redirect to the
   * server itself cannot loop.
   *
   * @example
   * ```ts
   * server.faults.redirect(otherServer.url)
   * ```
   */
  redirect(url: string | null): void
  /**
   * Sends bytes as they are — text for a string, binary for a buffer — to every authenticated
   * socket, or to the socket of peer `peerId`, to test how clients take malformed frames.
   * Returns how many sockets it was sent to.
   *
   * @example
   * ```ts
   * server.faults.sendRaw('{"t":"ack"') // truncated JSON
   * server.faults.sendRaw(new Uint8Array([1, 2, 3]), 'ada')
   * ```
   */
  sendRaw(frame: string | Buffer | Uint8Array, peerId?: string): number
}

/** What the faults act on (kept free of `ws` types, so the public declarations are too). */
export interface FaultTargets {
  conditions: ServerConditions
  resetIdleClocks(): void
  sendRaw(frame: string | Buffer | Uint8Array, peerId?: string): number
  kill(): Promise<void>
  restart(): Promise<void>
}

const describe = (value: unknown): string =>
  typeof value === 'string' ? JSON.stringify(value) : String(value)

/** The {@link Faults} of one server. */
export function createFaults(targets: FaultTargets): Faults {
  const { conditions, kill, restart } = targets
  return {
    kill,
    restart,
    blackhole(on = true) {
      if (typeof on !== 'boolean')
        throw new TypeError(`faults.blackhole: on must be a boolean (got ${describe(on)})`)
      if (!on && conditions.blackholed) targets.resetIdleClocks()
      conditions.blackholed = on
    },
    delay(ms) {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
        throw new TypeError(
          `faults.delay: ms must be a non-negative number of milliseconds (got ${describe(ms)})`,
        )
      conditions.delayMs = ms
    },
    rejectAuth(reason = 'REJECTED') {
      if (reason === false || reason === null) {
        conditions.rejectAuth = null
        return
      }
      if (!isAuthRejectionReason(reason))
        throw new TypeError(
          `faults.rejectAuth: reason must be INVALID_TOKEN, TOKEN_EXPIRED, BANNED, REJECTED, BANNED_BY_SERVER, REJECTED_BY_SERVER, false or null (got ${describe(reason)})`,
        )
      conditions.rejectAuth = normaliseRejection(reason)
    },
    redirect(url) {
      if (url !== null && (typeof url !== 'string' || !/^wss?:\/\//i.test(url)))
        throw new TypeError(
          `faults.redirect: url must be a ws:// or wss:// URL, or null (got ${describe(url)})`,
        )
      conditions.redirect = url
    },
    sendRaw(frame, peerId) {
      if (typeof frame !== 'string' && !(frame instanceof Uint8Array))
        throw new TypeError(
          `faults.sendRaw: frame must be a string, Buffer or Uint8Array (got ${describe(frame)})`,
        )
      return targets.sendRaw(frame, peerId)
    },
  }
}
