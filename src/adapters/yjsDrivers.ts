/**
 * The two providers `fromYjs` drives, behind the same few operations: what their link is now,
 * their events as the adapter needs them, and how to connect, authenticate and disconnect each.
 */
import type { ConnectionReason } from '../core/states.js'
import type {
  checkCredentials,
  HocuspocusProviderLike,
  YjsAwarenessLike,
  YWebsocketProviderLike,
} from './yjsProvider.js'
import { authFailureReason } from './refusals.js'
import type { YjsCloseEventLike, YjsLink } from './yjsStates.js'

/** What the adapter is told by whichever provider it drives. */
export interface DriverEvents {
  /** The link changed: read it again. */
  changed(): void
  /** A socket closed; `event` `null` when the provider closed it itself. */
  dropped(event: YjsCloseEventLike | null | undefined): void
  /** The provider will not go on: `ERROR` with this reason. */
  failed(reason: ConnectionReason, message: string): void
}

/** One provider kind, behind the same few operations. */
export interface Driver {
  readonly awareness: YjsAwarenessLike | null
  /** The provider's link now. */
  read(): YjsLink
  /** The provider means to be connected (it reconnects by itself while this holds). */
  wantsLink(): boolean
  /** Milliseconds since the last message, and the provider's silence limit. */
  silence(): { silentFor: number; timeout: number }
  /** Registers the listeners; returns what takes them off. */
  listen(events: DriverEvents): () => void
  connect(): void
  /** Connects again with new credentials (when the link is up: authenticates again). */
  authenticate(credentials: ReturnType<typeof checkCredentials>): void
  disconnect(): void
}

export function yWebsocketDriver(provider: YWebsocketProviderLike): Driver {
  return {
    awareness: provider.awareness,
    read: () => ({
      kind: 'y-websocket',
      status: provider.wsconnected
        ? 'connected'
        : provider.wsconnecting
          ? 'connecting'
          : 'disconnected',
      synced: provider.synced,
    }),
    wantsLink: () => provider.shouldConnect,
    // y-websocket's watchdog is the only close with no event while it should connect (its
    // `disconnect()` clears `shouldConnect` first), so the event alone says KEEP_ALIVE_TIMEOUT:
    // `wsLastMessageReceived` outlives its socket and would blame a refused attempt on silence.
    silence: () => ({ silentFor: 0, timeout: Infinity }),
    listen(events) {
      const onStatus = ({ status }: { status: string }) => {
        // A drop is told by connection-close, which comes first and says why.
        if (status !== 'disconnected') events.changed()
      }
      // `sync` false comes inside the close, before connection-close is handled: the drop
      // is told by that, with its reason.
      const onSync = (synced: boolean) => {
        if (synced) events.changed()
      }
      // A permanent close emits `closed` right after connection-close, in the same call: wait
      // for it, so the drop does not flash RECONNECTING before ERROR.
      const onClose = (event: YjsCloseEventLike | null) =>
        queueMicrotask(() => events.dropped(event))
      const onClosed = (event: YjsCloseEventLike) =>
        events.failed(
          'REJECTED_BY_SERVER',
          `the server closed the connection for good (${event.code}${event.reason ? ` ${event.reason}` : ''}); it will not reconnect by itself`,
        )
      provider.on('status', onStatus)
      provider.on('sync', onSync)
      provider.on('connection-close', onClose)
      provider.on('closed', onClosed)
      return () => {
        provider.off('status', onStatus)
        provider.off('sync', onSync)
        provider.off('connection-close', onClose)
        provider.off('closed', onClosed)
      }
    },
    connect: () => provider.connect(),
    authenticate({ token, params }) {
      const next = { ...provider.params, ...params }
      if (typeof token == 'string') next.token = token
      const changed = Object.keys(next).some((key) => next[key] !== provider.params[key])
      provider.params = next
      // The query is read when a socket opens: one that is up carries the old parameters.
      if (changed && (provider.wsconnected || provider.wsconnecting)) provider.disconnect()
      provider.connect()
    },
    disconnect: () => provider.disconnect(),
  }
}

export function hocuspocusDriver(provider: HocuspocusProviderLike): Driver {
  const socket = () => provider.configuration.websocketProvider
  // Per connection: Hocuspocus keeps `isSynced` true through a close its watchdog forces, and
  // then never says `synced` again, so the adapter keeps its own flags.
  let authenticated = false
  let synced = false
  // `attach()` reports the socket's status before it marks the provider attached.
  let attaching = false
  const attached = () => attaching || provider.isAttached
  const attach = () => {
    attaching = true
    try {
      provider.attach()
    } finally {
      attaching = false
    }
  }
  const linkUp = () => attached() && socket().status === 'connected'
  if (linkUp()) {
    authenticated = provider.isAuthenticated
    synced = provider.isSynced && authenticated
  }
  const connectSocket = () => {
    if (socket().status === 'disconnected')
      void socket()
        .connect()
        .catch(() => {})
  }
  return {
    awareness: provider.awareness,
    read: () => ({
      kind: 'hocuspocus',
      status: attached() ? socket().status : 'disconnected',
      synced,
      authenticated,
    }),
    wantsLink: () => attached() && socket().shouldConnect,
    silence() {
      const { lastMessageReceived, configuration } = socket()
      return {
        // 0 until the first message on this socket: a refused attempt is not a silence.
        silentFor: lastMessageReceived ? Date.now() - lastMessageReceived : 0,
        timeout: configuration.messageReconnectTimeout,
      }
    },
    listen(events) {
      const onStatus = ({ status }: { status: string }) => {
        if (status !== 'connected') authenticated = synced = false
        if (status !== 'disconnected') events.changed()
      }
      const onAuthenticated = () => {
        authenticated = true
        events.changed()
      }
      const onSynced = ({ state }: { state: boolean }) => {
        synced = state && authenticated
        events.changed()
      }
      const onUnsynced = ({ number }: { number: number }) => {
        if (number === 0 && authenticated && !synced) onSynced({ state: true })
      }
      const onFailed = ({ reason }: { reason: string }) => {
        authenticated = synced = false
        events.failed(
          authFailureReason(reason),
          `the server refused the token (${reason}); call login() with a valid one`,
        )
      }
      const onDisconnect = ({ event }: { event: YjsCloseEventLike }) => {
        authenticated = synced = false
        events.dropped(event)
      }
      provider.on('status', onStatus)
      provider.on('authenticated', onAuthenticated)
      provider.on('synced', onSynced)
      provider.on('unsyncedChanges', onUnsynced)
      provider.on('authenticationFailed', onFailed)
      provider.on('disconnect', onDisconnect)
      return () => {
        provider.off('status', onStatus)
        provider.off('authenticated', onAuthenticated)
        provider.off('synced', onSynced)
        provider.off('unsyncedChanges', onUnsynced)
        provider.off('authenticationFailed', onFailed)
        provider.off('disconnect', onDisconnect)
      }
    },
    connect() {
      attach()
      connectSocket()
    },
    authenticate({ token }) {
      if (token !== undefined) provider.configuration.token = token
      if (linkUp() && !authenticated) {
        // The server refused (or has not yet answered) the last token: the document is not
        // open there, so the new token simply follows. Closing the document first would put
        // the close in the server's queue for it, replayed after the new token is accepted.
        void provider.sendToken().then(() => provider.startSync())
        return
      }
      if (linkUp()) {
        // Closes this document on the socket and opens it again: the token is sent anew,
        // without dropping the socket other documents may share.
        authenticated = synced = false
        provider.detach()
      }
      attach()
      connectSocket()
    },
    disconnect() {
      // A socket of its own closes; a shared one stays for the other documents.
      if (provider.manageSocket) provider.disconnect()
      else provider.detach()
    },
  }
}
