/**
 * What entering each state does, as a table: an entry effect may return the disposer that runs
 * when the state is left. The client runs them after every transition that changed the state.
 */
import type { Machine } from '../machine.js'
import { watchNetwork } from '../network.js'
import type { ConnectionState } from '../states.js'
import { CLOSED_EARLY, type Logins } from './logins.js'

/** The parts of the client the effects use. */
export interface EffectContext {
  readonly machine: () => Machine
  readonly logins: Logins
  /** Sends `hello` with this session and the relays it has. */
  hello(): void
  /** Sends `auth` with the credentials and presence. */
  auth(): void
  /** Starts the heartbeat watchdog; returns the function that stops it. */
  watch(): () => void
  /** Ends the session: a new one, no credentials. */
  endSession(): void
  /** The device went online (`true`) or offline. */
  onNetwork(online: boolean): void
}

type Effect = (c: EffectContext) => (() => void) | void

/** Entry effects by state; a state without one does nothing on entry. */
export const entryEffects: { readonly [S in ConnectionState]?: Effect } = {
  CHALLENGING: (c) => c.hello(),
  AUTHENTICATING: (c) => c.auth(),
  OPEN(c) {
    const stopWatching = c.watch()
    c.logins.settle()
    return stopWatching
  },
  ERROR: (c) => c.logins.settle(new Error(`login: ${c.machine().error?.message}`)),
  CLOSED(c) {
    c.logins.settle(new Error(CLOSED_EARLY))
    c.endSession()
  },
}

/** Effects that last across states, while `during` holds. */
export const spanEffects: readonly {
  readonly during: (state: ConnectionState) => boolean
  readonly effect: Effect
}[] = [
  // The network's online/offline events matter while the client means to be connected.
  {
    during: (state) => state != 'CLOSED' && state != 'ERROR',
    effect: (c) => watchNetwork(c.onNetwork),
  },
]

/**
 * Runs the effects: `enter(state)` leaves the current state (its disposer), enters `state`, and
 * starts or stops the effects that span states.
 */
export function createEffects(c: EffectContext) {
  let leave: (() => void) | void
  const spans = spanEffects.map((span) => ({ ...span, stop: undefined as (() => void) | void }))
  return {
    enter(state: ConnectionState) {
      const exit = leave
      leave = undefined
      exit?.()
      leave = entryEffects[state]?.(c)
      for (const span of spans) {
        if (span.during(state)) span.stop ??= span.effect(c) ?? undefined
        else if (span.stop) span.stop = void span.stop()
      }
    },
  }
}
