import type { AuthRejection } from '../protocol/index.js'

/** Network conditions the faults set and every outbox obeys. */
export interface LinkConditions {
  /** Send nothing at all (frames, pings, pongs, closes are dropped). */
  blackholed: boolean
  /** Hold every outgoing item this long. */
  delayMs: number
}

/** Everything the faults can change about how the server behaves. */
export interface ServerConditions extends LinkConditions {
  /** Reject every `auth` with this reason. */
  rejectAuth: AuthRejection | null
  /** Redirect every `hello` whose url differs to this url. */
  redirect: string | null
}
