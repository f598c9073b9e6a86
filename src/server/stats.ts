/**
 * Counters of a running server.
 *
 * @example
 * ```ts
 * expect(server.stats()).toMatchObject({ messages: 3, duplicates: 1 })
 * ```
 */
export interface ServerStats {
  /** Sockets currently open, authenticated or not. */
  connections: number
  /** Peers online (including those in their grace period after a drop). */
  peers: number
  /** Session records remembered (each bounded in size, expiring after `sessionTimeout`). */
  sessions: number
  /** Messages accepted (duplicates excluded) since the server was created. */
  messages: number
  /** Messages dropped because their seq had already been delivered. */
  duplicates: number
}
