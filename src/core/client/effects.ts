/**
 * What entering each state does, as a table: an entry effect may return the disposer that runs
 * when the state is left. The client runs them after every transition that changed the state.
 */
import type { Machine } from '../machine.js'
import type { Outbox } from '../outbox.js'
import type { ConnectionState } from '../states.js'
import type { Logins } from './logins.js'

/** The parts of the client the effects use. */
export interface EffectContext {
  readonly machine: () => Machine
  readonly outbox: Outbox
  readonly logins: Logins
  /** Sends `hello` with this session and the relays it has. */
  hello(): void
  /** Sends `auth` with the credentials and presence. */
  auth(): void
  /** Starts the heartbeat watchdog; returns the function that stops it. */
  watch(): () => void
  /** Writes the queued messages. */
  flush(): void
  /** Ends the session: a new one, no credentials. */
  endSession(): void
}

type Effect = (c: EffectContext) => (() => void) | void

/** Entry effects by state; a state without one does nothing on entry. */
export const entryEffects: { readonly [S in ConnectionState]?: Effect } = {
  CHALLENGING: (c) => c.hello(),
  AUTHENTICATING: (c) => c.auth(),
  OPEN(c) {
    const stopWatching = c.watch()
    c.flush()
    c.logins.settle()
    return () => {
      stopWatching()
      c.outbox.requeue()
    }
  },
  ERROR: (c) => c.logins.settle(new Error(`login: ${c.machine().error?.message}`)),
  CLOSED(c) {
    const closed = new Error('close() was called before this was done; call login() again')
    c.logins.settle(closed)
    c.outbox.rejectAll(closed)
    c.endSession()
  },
}

/** Runs the entry effects: `enter(state)` leaves the current state (its disposer) and enters `state`. */
export function createEffects(c: EffectContext) {
  let leave: (() => void) | void
  return {
    enter(state: ConnectionState) {
      const exit = leave
      leave = undefined
      exit?.()
      leave = entryEffects[state]?.(c)
    },
  }
}
