/**
 * A stand-in for `@deepstream/client`'s `DeepstreamClient`, for unit tests and stories where no
 * deepstream server runs. It reports what the real client reports, in the same order, with the
 * same event names and arguments: `connectionStateChanged(state)`, `error(meta, event, topic)`,
 * `MAX_RECONNECTION_ATTEMPTS_REACHED(attempts)`, presence `(user, online)` callbacks. The levers
 * (`drop`, `heartbeatTimeout`, `giveUp`, `userOnline`, …) play what the server or network would do.
 * The real client against a real server is tested in tests/integration/deepstream.test.ts.
 */
import type { DeepstreamClientLike, DeepstreamState } from '../../src/adapters/deepstream.js'

type Callback = (...args: never[]) => void
type PresenceCallback = (user: string, online: boolean) => void

const HANDSHAKE: DeepstreamState[] = [
  'AWAITING_CONNECTION',
  'CHALLENGING',
  'AWAITING_AUTHENTICATION',
  'AUTHENTICATING',
  'OPEN',
]

export interface FakeDeepstreamClient extends DeepstreamClientLike {
  /** Moves to `state` and reports it, as the client's state machine does. */
  setState(state: DeepstreamState | string): void
  /** The socket drops: RECONNECTING, and one CONNECTION_ERROR per failed attempt. */
  drop(failedAttempts?: number): void
  /** The server answers again: the handshake, then OPEN (credentials are remembered). */
  recover(): void
  /** Two heartbeats missed: the HEARTBEAT_TIMEOUT error, and the state stays until the socket closes. */
  heartbeatTimeout(): void
  /** Out of attempts: MAX_RECONNECTION_ATTEMPTS_REACHED, then CLOSING and CLOSED. */
  giveUp(attempts: number): void
  /** Users the server lists as online (`presence.getAll`). */
  readonly online: Set<string>
  userOnline(user: string): void
  userOffline(user: string): void
  /** Events emitted through `client.event.emit`, in order. */
  readonly emitted: Array<{ name: string; data: unknown }>
  /** Delivers an event from someone else to this client's subscribers. */
  receive(name: string, data: unknown): void
  /** Callbacks registered on the client, its presence and its events. */
  listenerCount(): number
}

export function createFakeDeepstreamClient(
  initial: DeepstreamState = 'AWAITING_AUTHENTICATION',
): FakeDeepstreamClient {
  let state: string = initial
  const callbacks = new Map<string, Set<Callback>>()
  const presence = new Set<PresenceCallback>()
  const events = new Map<string, Set<(data: unknown) => void>>()
  const online = new Set<string>()
  const emitted: Array<{ name: string; data: unknown }> = []

  const fire = (event: string, ...args: unknown[]) => {
    for (const callback of [...(callbacks.get(event) ?? [])])
      (callback as (...a: unknown[]) => void)(...args)
  }
  const setState = (next: string) => {
    state = next
    fire('connectionStateChanged', next)
  }
  const error = (event: string) => fire('error', undefined, event, 'CONNECTION')
  const handshake = () => HANDSHAKE.forEach(setState)
  const isOpen = () => state === 'OPEN'

  const client: FakeDeepstreamClient = {
    getConnectionState: () => state,
    on(event, callback) {
      let set = callbacks.get(event)
      if (!set) callbacks.set(event, (set = new Set()))
      set.add(callback)
      return client
    },
    off(event, callback) {
      callbacks.get(event)?.delete(callback)
      return client
    },
    async login() {
      if (state === 'CLOSED') {
        error('IS_CLOSED')
        return new Promise<never>(() => {}) // the real client never answers a closed login
      }
      if (state === 'AWAITING_AUTHENTICATION') {
        setState('AUTHENTICATING')
        setState('OPEN')
      }
      return {}
    },
    close() {
      setState('CLOSING')
      setState('CLOSED')
    },
    resume() {
      setState('RECONNECTING')
      return Promise.resolve()
    },
    presence: {
      async getAll() {
        return [...online]
      },
      subscribe: (callback) => void presence.add(callback),
      unsubscribe: (callback) => void presence.delete(callback),
    },
    event: {
      emit(name, data) {
        emitted.push({ name, data })
        // The real client calls the sender's own subscribers at once, too.
        for (const callback of [...(events.get(name) ?? [])]) callback(data)
      },
      subscribe(name, callback) {
        let set = events.get(name)
        if (!set) events.set(name, (set = new Set()))
        set.add(callback)
      },
      unsubscribe: (name, callback) => void events.get(name)?.delete(callback),
    },
    setState,
    drop(failedAttempts = 0) {
      setState('RECONNECTING')
      for (let i = 0; i < failedAttempts; i++) error('CONNECTION_ERROR')
    },
    recover: handshake,
    heartbeatTimeout: () => error('HEARTBEAT_TIMEOUT'),
    giveUp(attempts) {
      fire('MAX_RECONNECTION_ATTEMPTS_REACHED', attempts)
      setState('CLOSING')
      setState('CLOSED')
      error('CONNECTION_ERROR')
    },
    online,
    userOnline(user) {
      online.add(user)
      if (isOpen()) for (const callback of [...presence]) callback(user, true)
    },
    userOffline(user) {
      online.delete(user)
      if (isOpen()) for (const callback of [...presence]) callback(user, false)
    },
    emitted,
    receive(name, data) {
      for (const callback of [...(events.get(name) ?? [])]) callback(data)
    },
    listenerCount: () =>
      [...callbacks.values(), ...events.values()].reduce((n, set) => n + set.size, 0) +
      presence.size,
  }
  return client
}
