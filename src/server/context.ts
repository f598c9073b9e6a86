import type { WebSocket } from 'ws'
import type { ServerFrame } from '../protocol/index.js'
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
  /** When the socket was accepted: the handshake must be done `handshakeTimeout` after it. */
  readonly openedAt: number
  state: HandshakeState
  /** From `hello`. */
  session: string | null
  /** From `hello`: the number of the last relay this session received before this socket. */
  received: number
  /** Set once authenticated. */
  peer: PeerEntry | null
  record: SessionRecord | null
  /** Last time anything (a frame, a ws pong) arrived; drives the peer timeout. */
  lastSeen: number
  /** The `lastSeq` a `resend` was last asked at on this socket: one request per gap. */
  resendAskedAt: number
  /** Frames this socket may still send now, refilled at `maxFramesPerSecond`. */
  tokens: number
  tokensAt: number
}

/** What the frame handlers share. */
export interface HubContext {
  readonly options: ResolvedServerOptions
  readonly conditions: Readonly<ServerConditions>
  readonly sessions: SessionTable
  readonly presence: Presence
  send(conn: Connection, frame: ServerFrame): void
  /** Sends frame text as it is (made by the caller, already JSON). */
  sendText(conn: Connection, text: string): void
  /** Marks the socket done and closes it once what was sent before has gone out. */
  close(conn: Connection, code: number, reason: string): void
  /** Cuts the socket at once, with no announcement (its close event will change nothing). */
  terminate(conn: Connection): void
  /** The session is no longer a peer: nothing more is numbered for it, and its record may expire. */
  retire(record: SessionRecord): void
  /**
   * Sends `conn` every relay of its session numbered after `after` that is still kept, in
   * order, preceded by a `missed` frame when some are not.
   */
  replay(conn: Connection, record: SessionRecord, after: number): void
  /** Presence changes queued so far; a newcomer's `welcome` already covers them. */
  presenceMark(): number
  /** Remembers from which queued change `conn` must be told, once it is admitted. */
  presenceFrom(conn: Connection, mark: number): void
}
