/**
 * linklight/agora: `fromAgora(client)` turns agora-rtc-sdk-ng's client into a `ConnectionSource`.
 * It never imports the SDK: it takes the app's client and types it structurally.
 */
import { checkOptions } from '../core/check.js'
import { outageTimeline } from '../core/outage.js'
import { createSourceKit } from '../core/sourceKit.js'
import type { ConnectionReason } from '../core/states.js'
import type { ConnectionError } from '../core/types.js'
import { qualityInState, unknownQuality, type LinkQuality } from '../core/quality.js'
import {
  agoraQualityLevel,
  joinErrorReason,
  leftReasonOf,
  mapAgoraStateChange,
  type AgoraConnectionState,
  type AgoraMapping,
} from './agoraStates.js'
import {
  checkClient,
  checkCredentials,
  completeClient,
  optionRules,
  type AgoraClientLike,
  type AgoraCredentials,
  type AgoraNetworkQualityLike,
  type AgoraSource,
  type FromAgoraOptions,
} from './agoraClient.js'

export type {
  AgoraClientEvent,
  AgoraClientLike,
  AgoraConnectionStateListener,
  AgoraCredentials,
  AgoraNetworkQualityLike,
  AgoraRemoteUserLike,
  AgoraSource,
  AgoraUid,
  FromAgoraOptions,
} from './agoraClient.js'
export {
  agoraDisconnectReasons,
  agoraLeftReasons,
  agoraQualityLevel,
  mapAgoraStateChange,
  type AgoraChangeContext,
  type AgoraConnectionState,
  type AgoraDisconnectedReason,
  type AgoraMapping,
  type AgoraUserLeftReason,
} from './agoraStates.js'

/** The Agora page's T5 and T7. */
const LOST_AFTER = 15_000
const GIVE_UP_AFTER = 1_200_000

/**
 * A `ConnectionSource` over an agora-rtc-sdk-ng client (`AgoraRTC.createClient(…)`), for
 * `createConnectionStore` or `<ConnectionProvider source>`. It starts from
 * `client.connectionState` and `client.remoteUsers`, and follows the client whoever drives it:
 * `login()` or the app's own `client.join()`.
 *
 * - States: `connection-state-change` as in {@link mapAgoraStateChange} and
 *   {@link agoraDisconnectReasons}. A `CONNECTING` or `RECONNECTING` after the link had been
 *   `CONNECTED` is a reconnection: phase `RECONNECTING`, `attempt: 1` (Agora does not count its
 *   attempts, so 1 means "under way"), `nextRetryAt: null` (nor does it say when it tries next).
 *   Back to `CONNECTED` → `OPEN`/`REJOIN_SUCCESS` and a `restored` event, as linklight's own
 *   client does after every reconnection.
 * - The Agora page's timeline: `RECONNECTING` for `lostAfter` (15 s) → `lost: true`, reason
 *   `LOST`, a `lost` event, still retrying; for `giveUpAfter` (20 min) → `ERROR`/`JOIN_FAILED`,
 *   and the adapter calls `client.leave()` so that `ERROR` means what it says: no more attempts
 *   (the page: "UID 1 needs to leave the channel" and join again — `reconnect()` does that).
 * - Peers: `remoteUsers`, then `user-joined` / `user-left` (`'Quit'` → `QUIT`,
 *   `'ServerTimeOut'` → `DROPPED`, `'BecomeAudience'` → `QUIT`); ids are `String(uid)`. When the
 *   client ends up `DISCONNECTED` (and on `close()`) every peer leaves: the SDK empties
 *   `remoteUsers` then, and announces everyone again with `user-joined` after the next join.
 * - `connect()`: after `close()` or `ERROR`, listens again and, with remembered credentials,
 *   joins again; otherwise nothing. `reconnect()`: after `ERROR`, `RECONNECTING`/
 *   `RETRY_REQUESTED`, then leave and join with the remembered credentials (without them, an
 *   `error` event says to call `login()`); while the SDK is retrying by itself it does nothing:
 *   the SDK has no "retry now", and leaving would unpublish the app's tracks.
 * - `send()` rejects: the RTC client has no public message channel.
 * - `close()`: `CLOSED`/`LEAVE_CHANNEL`, clears its timers, takes every listener off the client
 *   and calls `client.leave()`. `login()` or `connect()` starts listening again.
 *
 * @example
 * ```tsx
 * import AgoraRTC from 'agora-rtc-sdk-ng'
 * import { fromAgora } from 'linklight/agora'
 * import { ConnectionIndicator, ConnectionProvider } from 'linklight/react'
 *
 * const source = fromAgora(AgoraRTC.createClient({ mode: 'rtc', codec: 'vp8' }))
 * source.login({ appid: APP_ID, channel: 'lobby', token }).catch(showJoinError)
 *
 * <ConnectionProvider source={source}>
 *   <ConnectionIndicator />
 * </ConnectionProvider>
 * ```
 */
export function fromAgora(given: AgoraClientLike, options?: FromAgoraOptions): AgoraSource {
  checkClient(given)
  const client = completeClient(given)
  checkOptions('fromAgora', options, optionRules)
  const lostAfter = options?.lostAfter ?? LOST_AFTER
  const giveUpAfter = options?.giveUpAfter ?? GIVE_UP_AFTER

  const start = client.connectionState
  const first = mapAgoraStateChange(start, 'DISCONNECTED') ?? { state: 'CLOSED', reason: null }
  const kit = createSourceKit({
    state: first.state,
    // Nothing has happened yet while the client is idle.
    reason: start === 'DISCONNECTED' ? null : first.reason,
    logPrefix: 'linklight fromAgora:',
    failurePrefix: 'Agora',
    // The SDK never gives up by itself: after giveUpAfter the adapter leaves the channel.
    timeline: outageTimeline({
      lostAfter,
      giveUpAfter,
      onGiveUp: giveUp,
      gaveUp: 'left the channel',
    }),
  })
  const snapshot = kit.methods.getSnapshot

  let attached = false
  let credentials: AgoraCredentials | undefined
  // Bumped on every CLOSED and ERROR: a join that fails after one of them must not override it.
  let endings = 0
  // Joins of login() in flight: their failure is told by the rejected promise, with its reason.
  let ownJoins = 0
  // leave() calls made after ERROR: the DISCONNECTED they cause must not turn ERROR into CLOSED.
  let quietLeaves = 0
  let leaving: Promise<void> | undefined

  const failure = (reason: ConnectionReason, message: string): ConnectionError => ({
    code: reason,
    message: `Agora: ${message}`,
  })

  // The SDK's network-quality reports while joined; `lost` while the link is down.
  let quality: LinkQuality = unknownQuality
  const setQuality = (next: LinkQuality) => {
    if (next === quality) return
    quality = next
    kit.emit('quality', next)
  }
  const onNetworkQuality = (stats: AgoraNetworkQualityLike) => {
    if (snapshot().state !== 'OPEN') return
    const rtt = client.getRTCStats().RTT
    const measured = typeof rtt === 'number' && Number.isFinite(rtt) ? rtt : null
    setQuality(
      Object.freeze({
        level: agoraQualityLevel(stats),
        rtt: measured,
        lastRtt: measured,
        samples: quality.samples + 1,
      }),
    )
  }

  /** Moves to what an Agora change maps to; CLOSED and ERROR let every peer go. */
  const apply = ({ state, reason, message }: AgoraMapping) => {
    const now = snapshot()
    if (now.state === state && now.reason === reason) return
    kit.moveTo(
      state,
      reason,
      state === 'ERROR' ? { error: failure(reason, message ?? reason) } : {},
    )
    if (now.state !== state) setQuality(qualityInState(quality, state))
    if (state !== 'CLOSED' && state !== 'ERROR') return
    endings++
    kit.replacePeers([])
  }

  /**
   * The timeline moved to ERROR itself, not through apply(), and the DISCONNECTED of the leave
   * is ignored: so the peers leave here, as the SDK forgets its remote users when it leaves.
   */
  function giveUp() {
    endings++
    kit.replacePeers([])
    void leaveQuietly()
  }

  /** `client.leave()`, a failure reported as an `error` event. */
  const leaveClient = () =>
    client.leave().catch((error: unknown) =>
      kit.emit('error', {
        code: 'LEAVE_FAILED',
        message: `Agora: client.leave() failed: ${error instanceof Error ? error.message : String(error)}`,
      }),
    )
  function leaveQuietly(): Promise<void> {
    if (client.connectionState === 'DISCONNECTED') return leaving ?? Promise.resolve()
    quietLeaves++
    const done = leaveClient().finally(() => {
      quietLeaves--
      if (leaving === done) leaving = undefined
    })
    return (leaving = done)
  }

  const onStateChange = (
    current: AgoraConnectionState,
    previous: AgoraConnectionState,
    reason?: string,
  ) => {
    if (current === 'DISCONNECTED' && (reason === undefined || reason === 'LEAVE')) {
      if (quietLeaves) return
      // login() rejects right after this, and knows why the join failed.
      if (ownJoins && reason === undefined && previous === 'CONNECTING') return
    }
    const mapped = mapAgoraStateChange(current, previous, reason)
    if (!mapped) return
    // The SDK's own name for what happened goes into the error message.
    apply(
      reason && mapped.message ? { ...mapped, message: `${mapped.message} (${reason})` } : mapped,
    )
  }
  const onUserJoined = (user: { uid: unknown }) => kit.peerOnline(String(user.uid))
  const onUserLeft = (user: { uid: unknown }, reason: unknown) =>
    kit.peerOffline(String(user.uid), leftReasonOf(reason))

  /** Listens to the client, and catches up with where it is now. */
  function attach() {
    if (attached) return
    attached = true
    client.on('connection-state-change', onStateChange)
    client.on('user-joined', onUserJoined)
    client.on('user-left', onUserLeft)
    client.on('network-quality', onNetworkQuality)
    const now = client.connectionState
    if (now !== 'DISCONNECTED') {
      // Joined while nobody listened: a join, not a rejoin.
      const mapped = mapAgoraStateChange(now, 'DISCONNECTED')
      if (mapped) apply(mapped)
    }
    kit.replacePeers(client.remoteUsers.map((user) => String(user.uid)))
  }
  function detach() {
    if (!attached) return
    attached = false
    client.off('connection-state-change', onStateChange)
    client.off('user-joined', onUserJoined)
    client.off('user-left', onUserLeft)
    client.off('network-quality', onNetworkQuality)
  }

  async function join({ appid, channel, token, uid }: AgoraCredentials): Promise<void> {
    const ended = endings
    ownJoins++
    try {
      await client.join(appid, channel, token ?? null, uid ?? null)
    } catch (error) {
      // Unless a leave, a close or an error the SDK told us about came first, the join failing
      // is the news: ERROR with what the SDK's error says.
      if (attached && endings === ended && client.connectionState === 'DISCONNECTED') {
        const reason = joinErrorReason(error)
        apply({
          state: 'ERROR',
          reason,
          message: `join failed: ${error instanceof Error ? error.message : String(error)}`,
        })
      }
      throw error
    } finally {
      ownJoins--
    }
  }

  /** Joins again with `given`, once the SDK is idle (leaving first when it is not). */
  async function rejoin(given: AgoraCredentials): Promise<void> {
    await leaving
    if (client.connectionState !== 'DISCONNECTED') await leaveQuietly()
    if (attached) return join(given)
  }

  function connect() {
    attach()
    const { state } = snapshot()
    // The failure shows as ERROR; there is no caller to reject.
    if (credentials && (state === 'CLOSED' || state === 'ERROR'))
      void rejoin(credentials).catch(() => {})
  }

  attach()

  return {
    ...kit.methods,
    getLinkQuality: () => quality,
    connect,
    async login(given) {
      const next = given === undefined ? credentials : checkCredentials(given)
      if (!next)
        throw new TypeError(
          'fromAgora: login() needs credentials the first time: login({ appid, channel, token, uid })',
        )
      credentials = next
      attach()
      // After giving up, the SDK may still be leaving: it refuses a join until it has.
      if (leaving) await leaving
      if (!attached)
        throw new Error(
          'fromAgora: close() was called before login() could join; call login() again',
        )
      return join(next)
    },
    async send() {
      throw new Error(
        'fromAgora: send() is not available: the Agora RTC client has no message channel. Send data with Agora Signaling (RTM) or your own server.',
      )
    },
    reconnect() {
      attach()
      const { state } = snapshot()
      if (state === 'CLOSED') return connect()
      if (state !== 'ERROR') return
      if (!credentials) {
        kit.emit('error', {
          code: 'NO_CREDENTIALS',
          message:
            'fromAgora: reconnect() does not know what to join: call login({ appid, channel, token, uid }) instead',
        })
        return
      }
      kit.moveTo('RECONNECTING', 'RETRY_REQUESTED')
      void rejoin(credentials).catch(() => {})
    },
    close() {
      detach()
      if (snapshot().state !== 'CLOSED') {
        endings++
        kit.moveTo('CLOSED', 'LEAVE_CHANNEL')
      }
      kit.replacePeers([])
      setQuality(qualityInState(quality, 'CLOSED'))
      if (client.connectionState !== 'DISCONNECTED') void leaveClient()
    },
  }
}
