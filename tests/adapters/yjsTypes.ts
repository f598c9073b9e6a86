/**
 * Type-level checks of linklight/yjs against y-websocket's, @hocuspocus/provider's and
 * y-protocols' own declarations, compiled by `tsc -p .` (nothing here runs). A later provider
 * that renames a status, changes an event's payload or drops a member the adapter uses breaks
 * the type check here, not a user's app.
 */
import type {
  HocuspocusProvider,
  HocuspocusProviderWebsocket,
  onAuthenticatedParameters,
  onAuthenticationFailedParameters,
  onDisconnectParameters,
  onStatusParameters,
  onSyncedParameters,
  onUnsyncedChangesParameters,
  WebSocketStatus,
} from '@hocuspocus/provider'
import type { WebsocketProvider } from 'y-websocket'
import type { Awareness } from 'y-protocols/awareness'
import type {
  HocuspocusProviderLike,
  HocuspocusSocketLike,
  HocuspocusToken,
  YjsAwarenessLike,
  YjsCloseEventLike,
  YjsProviderLike,
  YjsStatus,
  YWebsocketEvent,
  YWebsocketProviderLike,
} from '../../src/adapters/yjs.js'

/** `true` only when `A` and `B` are the same type (not merely assignable one way). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

// ── the providers are what fromYjs takes, as they are ───────────────────────────
export const yWebsocket: YWebsocketProviderLike = null as unknown as WebsocketProvider
export const hocuspocus: HocuspocusProviderLike = null as unknown as HocuspocusProvider
export const either: YjsProviderLike[] = [
  null as unknown as WebsocketProvider,
  null as unknown as HocuspocusProvider,
]
export const socket: HocuspocusSocketLike = null as unknown as HocuspocusProviderWebsocket
export const awareness: YjsAwarenessLike = null as unknown as Awareness

// ── and the other way: what the adapter assumes is exactly what they declare ────
// y-websocket's events are typed (ObservableV2): the payload of each one the adapter listens to.
// Its `on` is generic over the event name: instantiate it for each name the adapter uses.
declare const _yProvider: WebsocketProvider
type YListener<N extends Parameters<typeof _yProvider.on>[0]> = Parameters<
  Parameters<typeof _yProvider.on<N>>[1]
>
export const yStatus: Equal<YListener<'status'>, [event: { status: YjsStatus }]> = true
export const ySync: Equal<YListener<'sync'>, [state: boolean]> = true
export const yConnectionClose: Equal<YListener<'connection-close'>[0], CloseEvent | null> = true
export const yClosed: Equal<YListener<'closed'>[0], { code: number; reason: string }> = true
export const closeEventFits: YjsCloseEventLike = null as unknown as CloseEvent
// the four events the adapter listens to are the provider's, and it has no others but one
export const yEventNames: Equal<
  Parameters<typeof _yProvider.on>[0],
  YWebsocketEvent | 'connection-error'
> = true
// the members the adapter reads, with the provider's types
export const yMembers: Equal<
  Pick<
    WebsocketProvider,
    'wsconnected' | 'wsconnecting' | 'synced' | 'shouldConnect' | 'wsLastMessageReceived' | 'params'
  >,
  {
    wsconnected: boolean
    wsconnecting: boolean
    synced: boolean
    shouldConnect: boolean
    wsLastMessageReceived: number
    params: { [x: string]: string }
  }
> = true

// Hocuspocus's EventEmitter takes any `Function`, so assignability proves nothing about the
// payloads: compare them with its exported parameter types instead.
export const hStatus: Equal<onStatusParameters, { status: WebSocketStatus }> = true
export const hStatusValues: Equal<`${WebSocketStatus}`, YjsStatus> = true
export const hSynced: Equal<onSyncedParameters, { state: boolean }> = true
export const hUnsynced: Equal<onUnsyncedChangesParameters, { number: number }> = true
export const hAuthenticated: Equal<
  onAuthenticatedParameters,
  { scope: HocuspocusProvider['authorizedScope'] & string }
> = true
export const hFailed: Equal<onAuthenticationFailedParameters, { reason: string }> = true
export const hDisconnectFits: YjsCloseEventLike = null as unknown as onDisconnectParameters['event']
export const hToken: Equal<HocuspocusProvider['configuration']['token'], HocuspocusToken> = true
export const hMembers: Equal<
  Pick<HocuspocusProvider, 'isSynced' | 'isAuthenticated' | 'manageSocket' | 'isAttached'>,
  {
    isSynced: boolean
    isAuthenticated: boolean
    manageSocket: boolean
    readonly isAttached: boolean
  }
> = true
export const hSocketMembers: Equal<
  Pick<HocuspocusProviderWebsocket, 'shouldConnect' | 'lastMessageReceived'>,
  { shouldConnect: boolean; lastMessageReceived: number }
> = true
export const hSocketTimeout: Equal<
  HocuspocusProviderWebsocket['configuration']['messageReconnectTimeout'],
  number
> = true
// ── and the checks above can fail ───────────────────────────────────────────────
// @ts-expect-error a provider without connect() is not a YWebsocketProviderLike
export const noConnect: YWebsocketProviderLike = null as unknown as Omit<
  WebsocketProvider,
  'connect'
>
// @ts-expect-error nor is a Hocuspocus provider without attach()
export const noAttach: HocuspocusProviderLike = null as unknown as Omit<
  HocuspocusProvider,
  'attach'
>
// @ts-expect-error a status union with one Hocuspocus does not have is not the same type
export const extraStatus: Equal<`${WebSocketStatus}`, YjsStatus | 'failed'> = true
// @ts-expect-error nor is a listener payload that differs from y-websocket's
export const wrongSync: Equal<YListener<'sync'>, [state: string]> = true
