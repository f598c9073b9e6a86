/**
 * Type-level checks of linklight/socket.io against socket.io-client's own declarations, compiled
 * by `tsc -p .` (nothing here runs). A later socket.io-client that renames a disconnect reason,
 * changes an event's payload or drops a member the adapter uses breaks the type check here, not
 * a user's app.
 */
import type { Manager, Socket } from 'socket.io-client'
import type {
  SocketIOConnectError,
  SocketIODisconnectReason,
  SocketIOManagerLike,
  SocketIOSocketLike,
} from '../../src/adapters/socketio.js'

/** `true` only when `A` and `B` are the same type (not merely assignable one way). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

// ── the socket is what fromSocketIO takes, as it is ─────────────────────────────
export const socket: SocketIOSocketLike = null as unknown as Socket
export const typedSocket: SocketIOSocketLike = null as unknown as Socket<
  { chat: (text: string) => void },
  { hello: (name: string) => void }
>
export const manager: SocketIOManagerLike = null as unknown as Manager

// ── and the other way: what the adapter assumes is exactly what the client declares ──
export const reasons: Equal<SocketIODisconnectReason, Socket.DisconnectReason> = true
type SocketEvents = Parameters<Socket['on']>
declare const _socket: Socket
type Reserved<N extends 'connect' | 'disconnect' | 'connect_error'> = Parameters<
  Parameters<typeof _socket.on<N>>[1]
>
export const connectArgs: Equal<Reserved<'connect'>, []> = true
export const disconnectReason: Equal<Reserved<'disconnect'>[0], Socket.DisconnectReason> = true
export const connectError: SocketIOConnectError = null as unknown as Reserved<'connect_error'>[0]
declare const _manager: Manager
type ManagerEvent<N extends 'reconnect_attempt' | 'reconnect_failed'> = Parameters<
  Parameters<typeof _manager.on<N>>[1]
>
export const attemptArgs: Equal<ManagerEvent<'reconnect_attempt'>, [attempt: number]> = true
export const failedArgs: Equal<ManagerEvent<'reconnect_failed'>, []> = true
export const recovered: Equal<Socket['recovered'], SocketIOSocketLike['recovered']> = true
export const active: Equal<Socket['active'], SocketIOSocketLike['active']> = true
export type { SocketEvents }
