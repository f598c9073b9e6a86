/**
 * linklight/yjs: `fromYjs(provider)` turns a Yjs provider — y-websocket's `WebsocketProvider` or
 * `@hocuspocus/provider`'s `HocuspocusProvider` — into a `ConnectionSource`: is the document
 * live, and who else is in it. It never imports either package: it types them structurally.
 */
import { checkOptions } from '../core/check.js'
import { realClock } from '../core/clock.js'
import { outageTimeline } from '../core/outage.js'
import { createSourceKit } from '../core/sourceKit.js'
import { pendingLogins } from './logins.js'
import type { ConnectionReason, ConnectionState } from '../core/states.js'
import {
  checkCredentials,
  optionRules,
  providerKind,
  type FromYjsOptions,
  type HocuspocusProviderLike,
  type YjsAwarenessChanges,
  type YjsProviderLike,
  type YjsSource,
  type YWebsocketProviderLike,
} from './yjsProvider.js'
import { hocuspocusDriver, yWebsocketDriver, type DriverEvents } from './yjsDrivers.js'
import { awarenessLeftReason, closeReasonOf, mapYjsStatus } from './yjsStates.js'

export type {
  FromYjsOptions,
  HocuspocusEvent,
  HocuspocusProviderLike,
  HocuspocusSocketLike,
  HocuspocusToken,
  YjsAwarenessChanges,
  YjsAwarenessLike,
  YjsAwarenessListener,
  YjsCredentials,
  YjsProviderLike,
  YjsSource,
  YWebsocketEvent,
  YWebsocketProviderLike,
} from './yjsProvider.js'
export {
  AWARENESS_STALE_AFTER,
  authFailureReason,
  awarenessLeftReason,
  closeReasonOf,
  mapYjsStatus,
  type YjsCloseContext,
  type YjsCloseEventLike,
  type YjsLink,
  type YjsMapping,
  type YjsProviderKind,
  type YjsStatus,
} from './yjsStates.js'

/** The Agora page's T5 and T7: neither provider ever gives up by itself. */
const LOST_AFTER = 15_000
const GIVE_UP_AFTER = 1_200_000
/** y-protocols' `outdatedTimeout`: a state not renewed this long is removed (30 s). */
const AWARENESS_TIMEOUT = 30_000

/**
 * A `ConnectionSource` over a Yjs provider — y-websocket's `WebsocketProvider` or a
 * `HocuspocusProvider` — for `createConnectionStore` or `<ConnectionProvider source>`: is the
 * document live, and who else is in it. It starts from where the provider is (already synced →
 * `OPEN`; awareness states already there → peers) and follows it whoever drives it.
 *
 * - States, as in {@link mapYjsStatus}: `connecting` → `AWAITING_CONNECTION`/`CONNECTING`;
 *   connected but not synced → `CHALLENGING`/`CHALLENGE` (sync step 1/2 negotiate the document
 *   state; nothing is live until step 2 arrives); Hocuspocus before its `authenticated` →
 *   `AUTHENTICATING` (the token goes out at open, and nothing syncs until the server accepts
 *   it); synced → `OPEN`/`JOIN_SUCCESS`, `REJOIN_SUCCESS` and a `restored` event after a drop.
 * - A drop while the provider means to stay connected → `RECONNECTING`, with the reason of
 *   {@link closeReasonOf}: `KEEP_ALIVE_TIMEOUT` when the provider's watchdog closed a socket
 *   that stayed silent for its `messageReconnectTimeout` (30 s in y-websocket, a constant;
 *   Hocuspocus's option), `INTERRUPTED` for a cut link (1006), `SERVER_CLOSED` otherwise. The
 *   provider's own attempts keep it `RECONNECTING` (`attempt` counts them) until a socket opens;
 *   the handshake then reads phase `RECONNECTING`.
 * - Neither provider gives up, so the adapter applies the Agora page's timeline: `lostAfter`
 *   (15 s) → `lost`; `giveUpAfter` (20 min) → `ERROR`/`JOIN_FAILED` and the provider is
 *   disconnected, so the badge is red and nothing retries behind it.
 * - `ERROR` also for Hocuspocus's `authenticationFailed` (`INVALID_TOKEN`, `TOKEN_EXPIRED` or
 *   `REJECTED_BY_SERVER`, from the reason text: {@link authFailureReason}) and y-websocket's
 *   permanent close (a 4400–4499 code, its `closed` event: `REJECTED_BY_SERVER`).
 * - `disconnect()`/`destroy()` on the provider, or `close()` → `CLOSED`/`LEAVE_CHANNEL`.
 * - Peers are the awareness states of every other client, by `String(clientID)`, with the state
 *   (name, colour, cursor…) as `data`; each change is a new object for that peer only. A state
 *   removed by the awareness timeout, or one the server removes after it stopped renewing,
 *   leaves `DROPPED`; a client that said goodbye leaves `QUIT` at once. When this link drops,
 *   the provider clears every remote state: the adapter keeps them (the store shows them stale)
 *   until they are announced again after the rejoin, or until 30 s after their last renewal,
 *   when they leave `DROPPED`.
 * - `connect()` connects the provider; `login(credentials)` connects with a token (see
 *   {@link YjsSource.login}); `reconnect()` after `ERROR`: `RECONNECTING`/`RETRY_REQUESTED`,
 *   then connects again (a rejoin). `send()` rejects: share data through the document.
 * - `close()`: `CLOSED`/`LEAVE_CHANNEL`, disconnects the provider (a Hocuspocus provider on a
 *   shared socket is detached instead), takes every listener off the provider and its
 *   awareness and clears the adapter's timers. `connect()` or `login()` attach again.
 *
 * @example
 * ```tsx
 * import * as Y from 'yjs'
 * import { WebsocketProvider } from 'y-websocket'
 * import { fromYjs } from 'linklight/yjs'
 * import { ConnectionIndicator, ConnectionProvider } from 'linklight/react'
 *
 * const doc = new Y.Doc()
 * const source = fromYjs(new WebsocketProvider('wss://example.com/yjs', 'my-doc', doc))
 *
 * <ConnectionProvider source={source}>
 *   <ConnectionIndicator />
 * </ConnectionProvider>
 * ```
 */
export function fromYjs(provider: YjsProviderLike, options?: FromYjsOptions): YjsSource {
  const kind = providerKind(provider)
  checkOptions('fromYjs', options, optionRules)
  const driver =
    kind === 'hocuspocus'
      ? hocuspocusDriver(provider as HocuspocusProviderLike)
      : yWebsocketDriver(provider as YWebsocketProviderLike)
  const name = kind === 'hocuspocus' ? 'Hocuspocus' : 'y-websocket'
  const clock = realClock

  const kit = createSourceKit({
    logPrefix: 'linklight fromYjs:',
    failurePrefix: name,
    timeline: outageTimeline({
      lostAfter: options?.lostAfter ?? LOST_AFTER,
      giveUpAfter: options?.giveUpAfter ?? GIVE_UP_AFTER,
      onGiveUp() {
        // ERROR is published: the close this causes must not turn it into CLOSED.
        failed = true
        driver.disconnect()
      },
      gaveUp: 'disconnected the provider; call reconnect() to connect it again',
    }),
  })
  const snapshot = kit.methods.getSnapshot

  let detach: (() => void) | null = null
  // ERROR holds until the app acts: connect(), login() or reconnect().
  let failed = false
  // Why the link is down, kept for the whole outage.
  let cause: ConnectionReason = 'INTERRUPTED'
  let attempts = 0

  const logins = pendingLogins(kit, 'fromYjs', 'the provider')

  function moveTo(state: ConnectionState, reason: ConnectionReason, extra = {}) {
    const before = snapshot()
    // A provider idle from the start stays CLOSED with no reason: nothing has happened yet.
    if (before.state === state && (before.reason === reason || state === 'CLOSED')) return
    kit.moveTo(state, reason, extra)
    if (state === 'CLOSED') releaseHeld()
  }

  /** Moves to where the provider is now. */
  function follow() {
    if (failed || !detach) return
    const link = driver.read()
    const { state } = snapshot()
    if (link.status === 'disconnected') {
      if (!driver.wantsLink()) return moveTo('CLOSED', 'LEAVE_CHANNEL')
      if (state !== 'RECONNECTING' && state !== 'CLOSED' && state !== 'ERROR') {
        attempts = 0
        moveTo('RECONNECTING', cause)
      }
      return
    }
    if (link.status === 'connecting' && state === 'RECONNECTING') {
      // The provider's next attempt: the outage goes on.
      attempts++
      kit.patch({ attempt: Math.max(1, attempts) })
      return
    }
    const mapped = mapYjsStatus(link)
    if (!mapped) return
    if (mapped[0] === 'OPEN') cause = 'INTERRUPTED'
    moveTo(mapped[0], mapped[1])
  }

  const driverEvents: DriverEvents = {
    changed: follow,
    dropped(event) {
      if (failed || !detach) return
      const { state } = snapshot()
      // The first close of an outage says why; the failed attempts after it do not.
      if (state !== 'RECONNECTING') cause = closeReasonOf(event, driver.silence())
      follow()
    },
    failed(reason, message) {
      failed = true
      moveTo('ERROR', reason, { error: { code: reason, message: `${name}: ${message}` } })
    },
  }

  // ── peers: the awareness states of the other clients ──────────────────────────────
  const awareness = driver.awareness
  /** Client id → clock time of its state's last renewal (the `update` event). */
  const renewed = new Map<number, number>()
  /** Peers kept through this link's drop: client id → when they leave unless announced. */
  const held = new Map<number, number>()
  let heldTimer: unknown = null

  const isSelf = (id: number) => id === awareness?.clientID
  const linkDown = () => driver.read().status !== 'connected'

  function armHeld() {
    if (heldTimer !== null) clock.clearTimeout(heldTimer)
    heldTimer = null
    if (!held.size) return
    // A plain loop: a link drop can hold more ids than a spread can pass as arguments.
    let next = Infinity
    for (const until of held.values()) if (until < next) next = until
    heldTimer = clock.setTimeout(
      () => {
        heldTimer = null
        const now = clock.now()
        for (const [id, until] of [...held])
          if (until <= now) {
            held.delete(id)
            renewed.delete(id)
            kit.peerOffline(String(id), 'DROPPED')
          }
        armHeld()
      },
      Math.max(0, next - clock.now()),
    )
  }
  function releaseHeld() {
    held.clear()
    armHeld()
  }

  const onAwarenessChange = ({ added, updated, removed }: YjsAwarenessChanges, origin: unknown) => {
    const states = awareness!.getStates()
    // The timer is re-armed once per event, not per id: a link drop removes every remote
    // state in one event, and re-arming per id would scan all held ids for each of them.
    let heldChanged = false
    for (const id of [...added, ...updated]) {
      const state = states.get(id)
      if (isSelf(id) || !state) continue
      if (held.delete(id)) heldChanged = true
      kit.peerOnline(String(id), state)
    }
    const now = clock.now()
    for (const id of removed) {
      if (isSelf(id)) continue
      if (origin === provider && linkDown()) {
        // The provider clears every remote state when its socket closes: that says nothing
        // about them. Keep them until they renew, or until the awareness timeout.
        held.set(id, (renewed.get(id) ?? now) + AWARENESS_TIMEOUT)
        heldChanged = true
        continue
      }
      kit.peerOffline(String(id), awarenessLeftReason(origin, now - (renewed.get(id) ?? now)))
    }
    if (heldChanged) armHeld()
  }
  // Renewals do not change a state: only `update` sees them.
  const onAwarenessUpdate = ({ added, updated, removed }: YjsAwarenessChanges) => {
    const now = clock.now()
    for (const id of [...added, ...updated]) renewed.set(id, now)
    for (const id of removed) if (!held.has(id)) renewed.delete(id)
  }

  /** Listens to the provider and its awareness, and catches up with where they are. */
  function attach() {
    if (detach) return
    const off = driver.listen(driverEvents)
    awareness?.on('change', onAwarenessChange)
    awareness?.on('update', onAwarenessUpdate)
    detach = () => {
      off()
      awareness?.off('change', onAwarenessChange)
      awareness?.off('update', onAwarenessUpdate)
    }
    follow()
    if (awareness) {
      const now = clock.now()
      for (const [id, state] of awareness.getStates()) {
        if (isSelf(id)) continue
        renewed.set(id, awareness.meta?.get(id)?.lastUpdated ?? now)
        kit.peerOnline(String(id), state)
      }
    }
  }
  function stopListening() {
    detach?.()
    detach = null
    releaseHeld()
    renewed.clear()
  }

  /** Connects from CLOSED or ERROR: a fresh start. */
  function connect() {
    attach()
    const { state } = snapshot()
    if (state !== 'CLOSED' && state !== 'ERROR') return
    failed = false
    driver.connect()
    follow()
  }

  attach()

  return {
    ...kit.methods,
    connect,
    login(given) {
      let credentials: ReturnType<typeof checkCredentials>
      try {
        credentials = given === undefined ? {} : checkCredentials(given)
      } catch (error) {
        return Promise.reject(error as Error)
      }
      attach()
      failed = false
      const done = logins.wait()
      driver.authenticate(credentials)
      follow()
      if (snapshot().state === 'OPEN') logins.settle('OPEN')
      return done
    },
    async send() {
      throw new Error(
        'fromYjs: send() is not available: a Yjs provider has no message channel. Share data by putting it in the document (a Y.Map or Y.Array: doc.getMap(name).set(key, value)), or, for ephemeral state such as cursors, in awareness (provider.awareness.setLocalStateField(key, value)).',
      )
    },
    reconnect() {
      attach()
      const { state } = snapshot()
      if (state === 'CLOSED') return connect()
      if (state !== 'ERROR') return
      failed = false
      moveTo('RECONNECTING', 'RETRY_REQUESTED')
      cause = 'RETRY_REQUESTED'
      attempts = 0
      driver.authenticate({})
      follow()
    },
    close() {
      stopListening()
      failed = false
      cause = 'INTERRUPTED'
      logins.rejectAll(new Error('fromYjs: close() was called before login() finished'))
      driver.disconnect()
      if (snapshot().state !== 'CLOSED') kit.moveTo('CLOSED', 'LEAVE_CHANNEL')
    },
  }
}
