import type { WebSocket } from 'ws'
import type { ServerFrame } from '../core/protocol.js'
import type { ServerConditions } from './conditions.js'
import type { ResolvedServerOptions } from './options.js'
import type { Outbox } from './outbox.js'
import type { PeerEntry, Presence } from './presence.js'
import type { SessionRecord, SessionTable } from './sessions.js'

/**
 * Where a socket is in the handshake. `closed` means the server is done with it (rejected,
 * redirected, said goodbye, replaced, dropped or killed): its frames are ignored and its
 * eventual close event changes nothing.
 */
export type HandshakeState =
  'awaiting-hello' | 'awaiting-auth' | 'authenticating' | 'authenticated' | 'closed'

/** One socket and what the server knows about it. */
export interface Connection {
  readonly ws: WebSocket
  readonly outbox: Outbox
  /** `Origin` of the upgrade request, for `authenticate`. */
  readonly origin: string | undefined
  state: HandshakeState
  /** From `hello`. */
  session: string | null
  /** Set once authenticated. */
  peer: PeerEntry | null
  record: SessionRecord | null
  /** Last time anything (a frame, a ws pong) arrived; drives the peer timeout. */
  lastSeen: number
}

/** What the frame handlers share. */
export interface HubContext {
  readonly options: ResolvedServerOptions
  readonly conditions: Readonly<ServerConditions>
  readonly sessions: SessionTable
  readonly presence: Presence
  send(conn: Connection, frame: ServerFrame): void
  /** Marks the socket done and closes it once what was sent before has gone out. */
  close(conn: Connection, code: number, reason: string): void
  /** Cuts the socket at once, with no announcement (its close event will change nothing). */
  terminate(conn: Connection): void
}
