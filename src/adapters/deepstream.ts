/**
 * linklight/deepstream: a `ConnectionSource` over the `@deepstream/client` the app already runs.
 * It never imports deepstream: the app passes its client in.
 */
import { checkOptions, count, invalid, isObject, ms, type Rule } from '../core/check.js'
import { createOutbox } from '../core/outbox.js'
import { outageTimeline } from '../core/outage.js'
import { createSourceKit } from '../core/sourceKit.js'
import type { ConnectionReason } from '../core/states.js'
import type { ConnectionSource } from '../core/types.js'
import { mapDeepstreamState, type DeepstreamState } from './deepstreamStates.js'

export { deepstreamStates, mapDeepstreamState, type DeepstreamState } from './deepstreamStates.js'

type Callback = (...args: never[]) => void

/**
 * The parts of `@deepstream/client`'s `DeepstreamClient` the adapter uses; the real client fits
 * it as it is. A stand-in may leave out the optional ones: without `presence` there are no
 * peers, without `event` `send()` refuses, without `resume` a give-up is final, and without
 * `off` the adapter's listeners stay on the client after `close()` (and do nothing).
 *
 * @example
 * ```ts
 * import { DeepstreamClient } from '@deepstream/client'
 * const client: DeepstreamClientLike = new DeepstreamClient('wss://example.com/deepstream')
 * ```
 */
export interface DeepstreamClientLike {
  getConnectionState(): string
  on(event: string, callback: Callback): unknown
  off?(event: string, callback: Callback): unknown
  login(details: object): Promise<unknown>
  close(): void
  resume?(): Promise<void> | void
  readonly presence?: {
    getAll(): Promise<string[]>
    subscribe(callback: (user: string, online: boolean) => void): void
    unsubscribe(callback: (user: string, online: boolean) => void): void
  }
  readonly event?: {
    emit(name: string, data: never): void
    subscribe(name: string, callback: (data: unknown) => void): void
    unsubscribe(name: string, callback: (data: unknown) => void): void
  }
}

/**
 * Options of {@link fromDeepstream}.
 *
 * @example
 * ```ts
 * fromDeepstream(client, { topic: 'chat', queueLimit: 100, presenceRecheck: 500 })
 * ```
 */
export interface FromDeepstreamOptions {
  /** The deepstream event `send()` emits on and messages arrive from (default `'linklight'`). */
  topic?: string
  /**
   * Messages `send()` holds while the client is not `OPEN` (default 1000); one more is refused
   * with a `RangeError`, and none already held is dropped.
   */
  queueLimit?: number
  /**
   * When the people online are asked for again after each `OPEN` (default 500 ms). deepstream
   * registers presence subscriptions in batches (its `subscriptionInterval`, 100 ms by
   * default), so someone who joins between the first answer and that registration would be
   * missed; the second answer catches them. Keep it above the client's `subscriptionInterval`.
   */
  presenceRecheck?: number
  /**
   * The link has been down this long → reason `LOST`, `lost: true` and a `lost` event, while
   * deepstream keeps trying (default: off).
   */
  lostAfter?: number
  /**
   * Not back to `OPEN` this long after the link dropped → `ERROR`/`JOIN_FAILED`, and the client
   * is closed so that nothing retries behind a red badge; `reconnect()` starts over (default:
   * off — deepstream gives up by itself after its `maxReconnectAttempts`).
   */
  giveUpAfter?: number
}

const rules: Record<keyof FromDeepstreamOptions, Rule> = {
  topic: [(value) => typeof value == 'string' && value.length > 0, 'a non-empty string'],
  queueLimit: count(1),
  presenceRecheck: ms(0),
  lostAfter: ms(1, true),
  giveUpAfter: ms(1, true),
}

const looksLikeClient = (client: unknown): client is DeepstreamClientLike =>
  isObject(client) &&
  ['getConnectionState', 'on', 'login', 'close'].every((name) => typeof client[name] == 'function')

/**
 * Lights linklight's indicator from a `@deepstream/client` 7 client: its sixteen states mapped
 * onto linklight's eight with a reason each (see `deepstreamStates`), the people online from
 * `client.presence`, `send()` through deepstream events on `options.topic`, and `login` /
 * `close` passed through.
 *
 * - `MAX_RECONNECTION_ATTEMPTS_REACHED` shows as `ERROR`/`MAX_RECONNECT_ATTEMPTS`, as the
 *   deepstream page describes, although the client itself goes on to `CLOSED`; `reconnect()`
 *   (the indicator's "Retry now") then calls the client's `resume()`, which starts over.
 * - A `HEARTBEAT_TIMEOUT` error shows at once as `RECONNECTING`/`KEEP_ALIVE_TIMEOUT`: the
 *   client only reports `RECONNECTING` once its socket has finished closing, which a silent
 *   server can delay for a long time.
 * - Dropping from `OPEN` is `RECONNECTING`; the next `OPEN` is `REJOIN_SUCCESS` with a
 *   `restored` event. With `lostAfter`, an outage that long is `lost` (reason `LOST` and a
 *   `lost` event); with `giveUpAfter`, one that long is `ERROR`/`JOIN_FAILED`.
 * - Peers are deepstream users (the names they logged in with): the full list is fetched at
 *   every `OPEN`, so no one who left while the link was down stays listed.
 * - Messages are held while not `OPEN` and emitted in order once it is; deepstream events are
 *   not acknowledged, so `send()` resolves when the message is handed to the client.
 *
 * @example
 * ```ts
 * import { DeepstreamClient } from '@deepstream/client'
 * import { fromDeepstream } from 'linklight/deepstream'
 *
 * const client = new DeepstreamClient('wss://example.com/deepstream')
 * const source = fromDeepstream(client, { topic: 'chat' })
 * source.login({ username: 'ada' })
 * // <ConnectionProvider source={source}><ConnectionIndicator /></ConnectionProvider>
 * ```
 */
export function fromDeepstream(
  client: DeepstreamClientLike,
  options?: FromDeepstreamOptions,
): ConnectionSource {
  if (!looksLikeClient(client))
    invalid(
      'fromDeepstream',
      'client',
      'a DeepstreamClient from @deepstream/client (new DeepstreamClient(url))',
      client,
    )
  checkOptions('fromDeepstream', options, rules)
  const topic = options?.topic ?? 'linklight'
  const outbox = createOutbox(options?.queueLimit ?? 1000)
  const initial = mapDeepstreamState(client.getConnectionState(), {
    gaveUp: false,
    cause: null,
  })!
  const kit = createSourceKit({
    state: initial[0],
    reason: null,
    logPrefix: 'linklight/deepstream:',
    failurePrefix: 'deepstream',
    timeline: outageTimeline({
      lostAfter: options?.lostAfter ?? Infinity,
      giveUpAfter: options?.giveUpAfter ?? Infinity,
      onGiveUp() {
        gaveUp = true
        client.close()
      },
      gaveUp: 'closed the client; call reconnect() to start over',
    }),
  })
  const snapshot = kit.methods.getSnapshot

  let gaveUp = false
  const pendingLogins = new Set<(error?: Error) => void>()
  let cause: ConnectionReason | null = null
  let attempt = 0
  // Bumped on every attach and detach: answers to an older one (a presence query) are stale.
  let generation = 0
  let attached = false
  // Set while our own emit runs: deepstream calls the sender's own subscribers at once.
  let sending = false

  const flush = () =>
    outbox.flush((message) => {
      sending = true
      try {
        client.event!.emit(topic, JSON.parse(message.frame) as never)
      } finally {
        sending = false
      }
      return true
    }, false)

  const presenceRecheck = options?.presenceRecheck ?? 500
  let recheck: ReturnType<typeof setTimeout> | undefined
  const stopRecheck = () => clearTimeout(recheck)

  const fetchPeers = () => {
    const asked = generation
    client.presence?.getAll().then(
      (users) => {
        if (asked === generation && snapshot().state === 'OPEN') kit.replacePeers(users, 'QUIT')
      },
      (error: unknown) => {
        // A query of an earlier attachment (before close()) has nobody left to tell.
        if (asked !== generation) return
        kit.emit('error', {
          code: 'PRESENCE',
          message: `presence.getAll failed: ${String(error)}`,
        })
      },
    )
  }

  const onState = (state: string) => {
    const mapped = mapDeepstreamState(state, { gaveUp, cause })
    if (!mapped) return
    const [next, reason] = mapped
    const before = snapshot()
    if (next !== 'CLOSED') gaveUp = false
    if (next === 'OPEN' || next === 'CLOSED' || next === 'ERROR') cause = null
    if (next === before.state && reason === before.reason) return
    if (next === 'OPEN' || next === 'CLOSED') attempt = 0
    // Until deepstream reports a failed attempt, the kit counts the one under way.
    kit.moveTo(next, reason, { queued: outbox.pending, ...(attempt && { attempt }) })
    if (next === 'OPEN') {
      fetchPeers()
      stopRecheck()
      recheck = setTimeout(fetchPeers, presenceRecheck)
      flush()
      kit.patch({ queued: outbox.pending })
    } else stopRecheck()
  }

  // deepstream reports error(meta, event, topic); a bare error(event) is read the same way.
  const onError = (meta: unknown, reported?: unknown) => {
    const event = String(typeof reported == 'string' ? reported : meta)
    if (event === 'HEARTBEAT_TIMEOUT') {
      cause = 'KEEP_ALIVE_TIMEOUT'
      if (snapshot().state === 'OPEN') onState('RECONNECTING')
    } else if (event === 'CONNECTION_ERROR' && snapshot().state === 'RECONNECTING') {
      // Each failed attempt reports one connection error.
      attempt++
      kit.patch({ attempt })
    }
    if (event !== 'IS_CLOSED')
      kit.emit('error', { code: event, message: `deepstream reported ${event}` })
  }

  // deepstream says how many attempts it made; its error events for them may still be on the way.
  const onGiveUp = (attempts: number) => {
    if (typeof attempts == 'number') attempt = attempts
    gaveUp = true
    cause = null
    kit.moveTo('ERROR', 'MAX_RECONNECT_ATTEMPTS', {
      attempt,
      error: {
        code: 'MAX_RECONNECT_ATTEMPTS',
        message: `deepstream gave up after ${attempt} failed reconnection attempts; call reconnect() to start over`,
      },
      queued: outbox.pending,
    })
  }

  const onPresence = (user: string, online: boolean) =>
    online ? kit.peerOnline(user) : kit.peerOffline(user, 'QUIT')

  const onMessage = (data: unknown) => {
    if (!sending) kit.emit('message', data, null)
  }

  const listeners: ReadonlyArray<readonly [string, Callback]> = [
    ['connectionStateChanged', onState],
    ['error', onError],
    ['MAX_RECONNECTION_ATTEMPTS_REACHED', onGiveUp],
  ]

  const attach = () => {
    if (attached) return
    attached = true
    generation++
    for (const [event, callback] of listeners) client.on(event, callback)
    client.presence?.subscribe(onPresence)
    client.event?.subscribe(topic, onMessage)
  }
  const detach = () => {
    if (!attached) return
    attached = false
    generation++
    stopRecheck()
    for (const [event, callback] of listeners) client.off?.(event, callback)
    client.presence?.unsubscribe(onPresence)
    client.event?.unsubscribe(topic, onMessage)
  }

  /** Brings a client that closed or gave up back: `resume()` starts its attempts over. */
  const revive = () => {
    attach()
    const state = client.getConnectionState() as DeepstreamState
    if (state !== 'CLOSED' && state !== 'CLOSING' && state !== 'OFFLINE') return
    if (!client.resume) return
    cause = 'RETRY_REQUESTED'
    gaveUp = false
    void Promise.resolve(client.resume()).catch(() => {})
  }

  attach()
  if (initial[0] === 'OPEN') fetchPeers()

  return {
    ...kit.methods,
    connect: revive,
    login(credentials) {
      revive()
      // deepstream never settles a login that close() cut short: close() rejects it here.
      const done = new Promise<void>((resolve, reject) => {
        const settle = (error?: Error) => {
          pendingLogins.delete(settle)
          if (error) reject(error)
          else resolve()
        }
        pendingLogins.add(settle)
        Promise.resolve(client.login(isObject(credentials) ? credentials : {})).then(
          () => settle(),
          (error: unknown) => settle(error instanceof Error ? error : new Error(String(error))),
        )
      })
      return done
    },
    send(data) {
      let frame: string | undefined
      try {
        frame = JSON.stringify(data)
      } catch (error) {
        throw new TypeError(
          `fromDeepstream: send() data cannot be encoded as JSON (${(error as Error).message})`,
        )
      }
      if (frame === undefined)
        throw new TypeError(
          `fromDeepstream: send() data must be JSON data (got ${typeof data}; send null)`,
        )
      // A source that cannot send says so in a rejected promise (docs/sources.md §5).
      if (!client.event)
        return Promise.reject(
          new TypeError(
            'fromDeepstream: send() needs the client’s event handler (client.event), which a DeepstreamClient has',
          ),
        )
      const offline = snapshot().state !== 'OPEN'
      const sent = outbox.add(() => frame, offline)
      if (!offline) flush()
      kit.patch({ queued: outbox.pending })
      return sent
    },
    reconnect: revive,
    close() {
      outbox.rejectAll(new Error('fromDeepstream: closed before the message was sent'))
      const closed = new Error('fromDeepstream: close() was called before login() finished')
      for (const settle of [...pendingLogins]) settle(closed)
      detach()
      client.close()
      gaveUp = false
      cause = null
      attempt = 0
      if (snapshot().state !== 'CLOSED') kit.moveTo('CLOSED', 'LEAVE_CHANNEL')
    },
  }
}
