/**
 * An event-faithful stand-in for agora-rtc-sdk-ng 4.24's `IAgoraRTCClient`, for tests and
 * stories: creating a real client contacts Agora's servers, and importing the SDK in Node
 * crashes. Only types come from the SDK. What it reproduces, read from the SDK's bundle:
 *
 * - the SDK's `EventEmitter`: `on` ignores a listener already registered, `once`, `off`,
 *   `removeAllListeners`, `getListeners`; handlers run on a copy of the list and a throwing one
 *   is logged, not rethrown (`safeEmit`);
 * - `connection-state-change(cur, prev, reason?)` only on a real change, with a reason only for
 *   `DISCONNECTED`;
 * - `join()`: `CONNECTING` → `CONNECTED`, then `user-joined` for everyone already in the
 *   channel, then it resolves with the uid; a failed join goes back to `DISCONNECTED` with no
 *   reason before it rejects; `INVALID_OPERATION` when not `DISCONNECTED`, `INVALID_PARAMS` for
 *   a token that is neither a string nor `null` (before any change);
 * - `leave()`: after a tick, `DISCONNECTING` → `DISCONNECTED`/`LEAVE`; a join in flight rejects
 *   with `OPERATION_ABORTED`; nothing happens when already `DISCONNECTED`;
 * - token expiry: `DISCONNECTING` → `DISCONNECTED`/`TOKEN_EXPIRE`, then
 *   `token-privilege-did-expire`; a ban: straight to `DISCONNECTED`/`UID_BANNED` (and so on);
 * - `remoteUsers` is empty unless joined, and emptied, without `user-left`, on `DISCONNECTED`.
 */
import type {
  ConnectionDisconnectedReason,
  ConnectionState,
  IAgoraRTCClient,
  NetworkQuality,
  IAgoraRTCRemoteUser,
  UID,
} from 'agora-rtc-sdk-ng'

/** The SDK's disconnect reasons as strings (its enum cannot be used without loading the SDK). */
export type DisconnectReason = `${ConnectionDisconnectedReason}`
export type UserLeftReason = 'Quit' | 'ServerTimeOut' | 'BecomeAudience'

type Listener = (...args: never[]) => unknown

/** The members of the SDK's client this fake has, typed by the SDK's declarations. */
export type FakedClient = Pick<
  IAgoraRTCClient,
  | 'connectionState'
  | 'remoteUsers'
  | 'uid'
  | 'channelName'
  | 'on'
  | 'once'
  | 'off'
  | 'removeAllListeners'
  | 'getListeners'
  | 'join'
  | 'leave'
  | 'getRTCStats'
>

/** An `AgoraRTCError` as the SDK makes it: `name`, `code`, and a message that starts with both. */
export class FakeAgoraRTCError extends Error {
  override readonly name = 'AgoraRTCException'
  constructor(
    readonly code: string,
    message = '',
    readonly data?: unknown,
  ) {
    super(`AgoraRTCError ${code}: ${message}`)
  }
}

export interface FakeAgoraClientInit {
  /** Where the client is when the test starts (joined already, say). Default `DISCONNECTED`. */
  connectionState?: ConnectionState
  /** Remote users in the channel; in `remoteUsers` at once unless `DISCONNECTED`. */
  channelUsers?: UID[]
  /**
   * Milliseconds `join()` and `leave()` take on the server's side (a `setTimeout`); default 0,
   * a few microtasks.
   */
  latency?: number
}

const user = (uid: UID): IAgoraRTCRemoteUser => ({ uid, hasAudio: false, hasVideo: false })

export class FakeAgoraClient implements FakedClient {
  private state: ConnectionState
  private users: IAgoraRTCRemoteUser[] = []
  private readonly channel = new Set<UID>()
  private readonly events = new Map<string, { listener: Listener; once: boolean }[]>()
  private readonly latency: number
  private joining: { abort: (error: Error) => void } | undefined
  private nextJoinError: Error | undefined
  /** This client's uid while joined. */
  uid?: UID
  /** The channel while joined. */
  channelName?: string
  /** Every `join()` call's arguments, in order. */
  readonly joins: Parameters<IAgoraRTCClient['join']>[] = []
  /** How many times `leave()` was called. */
  leaves = 0

  constructor({
    connectionState = 'DISCONNECTED',
    channelUsers = [],
    latency = 0,
  }: FakeAgoraClientInit = {}) {
    this.state = connectionState
    this.latency = latency
    for (const uid of channelUsers) this.channel.add(uid)
    if (connectionState !== 'DISCONNECTED') this.users = channelUsers.map(user)
  }

  get connectionState(): ConnectionState {
    return this.state
  }
  get remoteUsers(): IAgoraRTCRemoteUser[] {
    return [...this.users]
  }

  // ── the SDK's EventEmitter ──────────────────────────────────────────────────
  getListeners(event: string): Listener[] {
    return (this.events.get(event) ?? []).map((entry) => entry.listener)
  }
  on(event: string, listener: Listener): void {
    this.add(event, listener, false)
  }
  once(event: string, listener: Listener): void {
    this.add(event, listener, true)
  }
  off(event: string, listener: Listener): void {
    const list = this.events.get(event)
    if (!list) return
    const at = list.findIndex((entry) => entry.listener === listener)
    if (at !== -1) list.splice(at, 1)
    if (!list.length) this.events.delete(event)
  }
  removeAllListeners(event?: string): void {
    if (event) this.events.delete(event)
    else this.events.clear()
  }
  /** Listeners registered for `event`, or for every event. */
  listenerCount(event?: string): number {
    if (event) return this.events.get(event)?.length ?? 0
    return [...this.events.values()].reduce((sum, list) => sum + list.length, 0)
  }

  private add(event: string, listener: Listener, once: boolean) {
    let list = this.events.get(event)
    if (!list) this.events.set(event, (list = []))
    if (!list.some((entry) => entry.listener === listener)) list.push({ listener, once })
  }
  private emit(event: string, ...args: unknown[]) {
    for (const entry of [...(this.events.get(event) ?? [])]) {
      if (entry.once) this.off(event, entry.listener)
      try {
        ;(entry.listener as (...a: unknown[]) => unknown)(...args)
      } catch (error) {
        console.error(`safeEmit event:${event} error ${String(error)}`)
      }
    }
  }

  // ── the connection ──────────────────────────────────────────────────────────
  /** The SDK's state setter: an event only on a change, a reason only with DISCONNECTED. */
  private setState(next: ConnectionState, reason?: DisconnectReason) {
    if (next === this.state) return
    const previous = this.state
    this.state = next
    if (next === 'DISCONNECTED') {
      // The SDK's reset: no more remote users, and no user-left for them.
      this.users = []
      delete this.uid
      delete this.channelName
    }
    if (next === 'DISCONNECTED' && reason)
      this.emit('connection-state-change', next, previous, reason)
    else this.emit('connection-state-change', next, previous)
  }

  private wait(): Promise<void> {
    return this.latency > 0
      ? new Promise((resolve) => setTimeout(resolve, this.latency))
      : Promise.resolve()
  }

  async join(
    appid: string,
    channel: string,
    token: string | null,
    uid?: UID | null,
    options?: Parameters<IAgoraRTCClient['join']>[4],
  ): Promise<UID> {
    this.joins.push([appid, channel, token, uid, options])
    if (this.state !== 'DISCONNECTED')
      throw new FakeAgoraRTCError(
        'INVALID_OPERATION',
        'Client already in connecting/connected state',
      )
    if (!token && token !== null)
      throw new FakeAgoraRTCError(
        'INVALID_PARAMS',
        `Invalid token: ${String(token)}. If you don not use token, set it to null`,
      )
    this.setState('CONNECTING')
    let aborted: Error | undefined
    this.joining = { abort: (error) => (aborted = error) }
    await this.wait()
    this.joining = undefined
    if (aborted) throw aborted
    const failure = this.nextJoinError
    if (failure) {
      this.nextJoinError = undefined
      this.setState('DISCONNECTED')
      throw failure
    }
    const joined = uid ?? 1_000_000 + this.joins.length
    this.uid = joined
    this.channelName = channel
    this.setState('CONNECTED')
    this.users = [...this.channel].map(user)
    for (const remote of this.users) this.emit('user-joined', remote)
    return joined
  }

  async leave(): Promise<void> {
    this.leaves++
    await Promise.resolve() // the SDK's leave mutex
    if (this.state === 'DISCONNECTED') return
    this.joining?.abort(new FakeAgoraRTCError('OPERATION_ABORTED', 'cancel token canceled'))
    this.setState('DISCONNECTING')
    await this.wait() // the leave request
    this.setState('DISCONNECTED', 'LEAVE')
  }

  // ── levers for tests ────────────────────────────────────────────────────────
  /** The next `join()` fails with `error` (default: the server refuses the token). */
  failNextJoin(
    error: Error = new FakeAgoraRTCError(
      'CAN_NOT_GET_GATEWAY_SERVER',
      'invalid token, authorized failed',
    ),
  ) {
    this.nextJoinError = error
  }

  /** The network drops: CONNECTED → RECONNECTING. The SDK retries by itself. */
  dropNetwork() {
    this.expect('CONNECTED', 'dropNetwork')
    this.setState('RECONNECTING')
  }

  /**
   * The SDK gets back in: RECONNECTING → CONNECTED; those who left meanwhile leave (`'Quit'`),
   * those who came are announced.
   */
  recover() {
    this.expect('RECONNECTING', 'recover')
    this.setState('CONNECTED')
    for (const remote of this.users.filter((u) => !this.channel.has(u.uid)))
      this.removeUser(remote.uid, 'Quit')
    for (const uid of this.channel) if (!this.users.some((u) => u.uid === uid)) this.addUser(uid)
  }

  /** The SDK gives up reconnecting: DISCONNECTED/NETWORK_ERROR. */
  networkError() {
    this.expect('RECONNECTING', 'networkError')
    this.setState('DISCONNECTED', 'NETWORK_ERROR')
  }

  /** The server bans this client: straight to DISCONNECTED with the reason. */
  ban(reason: 'UID_BANNED' | 'IP_BANNED' | 'CHANNEL_BANNED' = 'UID_BANNED') {
    this.setState('DISCONNECTED', reason)
  }

  /** The token expires: DISCONNECTING → DISCONNECTED/TOKEN_EXPIRE → token-privilege-did-expire. */
  tokenExpire() {
    this.setState('DISCONNECTING')
    this.setState('DISCONNECTED', 'TOKEN_EXPIRE')
    this.emit('token-privilege-did-expire')
  }

  /**
   * Any change, as the SDK would report it, `reason` (DISCONNECTED only) included — also one
   * this SDK version does not have, to play a later one.
   */
  change(next: ConnectionState, reason?: DisconnectReason | (string & {})) {
    this.setState(next, reason as DisconnectReason | undefined)
  }

  /** The call's statistics: only `RTT` is kept up to date (see `networkQuality`). */
  getRTCStats(): ReturnType<IAgoraRTCClient['getRTCStats']> {
    return { RTT: this.rtt } as ReturnType<IAgoraRTCClient['getRTCStats']>
  }
  private rtt = 0

  /** The SDK's 2-second `network-quality` report, with the round trip `getRTCStats()` gives. */
  networkQuality(uplink: NetworkQuality['uplinkNetworkQuality'], downlink = uplink, rtt = 0) {
    this.rtt = rtt
    this.emit('network-quality', { uplinkNetworkQuality: uplink, downlinkNetworkQuality: downlink })
  }

  /** A remote user joins the channel; announced at once when this client is in it. */
  userJoin(uid: UID) {
    this.channel.add(uid)
    if (this.state === 'CONNECTED') this.addUser(uid)
  }

  /** A remote user leaves the channel; announced at once when this client is in it. */
  userLeave(uid: UID, reason: UserLeftReason = 'Quit') {
    this.channel.delete(uid)
    if (this.state === 'CONNECTED') this.removeUser(uid, reason)
  }

  private addUser(uid: UID) {
    if (this.users.some((u) => u.uid === uid)) return
    const remote = user(uid)
    this.users.push(remote)
    this.emit('user-joined', remote)
  }
  private removeUser(uid: UID, reason: UserLeftReason) {
    const remote = this.users.find((u) => u.uid === uid)
    if (!remote) return
    this.users = this.users.filter((u) => u !== remote)
    this.emit('user-left', remote, reason)
  }
  private expect(state: ConnectionState, lever: string) {
    if (this.state !== state)
      throw new Error(`FakeAgoraClient.${lever}() needs ${state}, the client is ${this.state}`)
  }
}
