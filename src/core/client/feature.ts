/**
 * What a client feature is: a part of linklight's client an app opts into (messages, presence,
 * link quality), so that an app which only shows the connection's state carries none of them.
 * The client calls each feature's hooks at fixed points; a feature never changes the state.
 */
import type { KitCore } from '../kitCore.js'
import type { ResolvedOptions } from '../options.js'
import type { ClientFrame, ServerFrame } from '../protocol.js'
import type { ConnectionState } from '../states.js'
import type { LinklightClient } from '../types.js'
import type { Session } from './session.js'

/** What the client lends a feature. */
export interface FeatureHost {
  readonly kit: KitCore
  readonly options: ResolvedOptions
  /** The state now. */
  state(): ConnectionState
  /** This login's session with the server. */
  session(): Session
  /** Writes a frame to the current socket (dropped when there is none). */
  write(frame: ClientFrame | string): void
  /** Publishes the snapshot again, after `queued` changed. */
  publish(): void
  /** Reports a problem as an `error` event (the state does not change). */
  problem(code: string, message: string): void
}

/**
 * The hooks a feature answers; all optional. A hook that throws is reported as an `error` event
 * with code `FEATURE_ERROR` (the client and its other features go on), except `took` and
 * `frame`: a frame that cannot be handled drops its link (`PROTOCOL_ERROR`), which reconnects.
 */
export interface FeatureHooks {
  /** Methods the feature adds to the client. */
  readonly methods?: Partial<Pick<LinklightClient, 'send' | 'setPresence' | 'getLinkQuality'>>
  /** Messages waiting to be written, for the snapshot's `queued`. */
  queued?(): number
  /** Fields the feature adds to the `auth` frame. */
  auth?(): Record<string, unknown>
  /** The machine took `frame` (an `accept` or a `welcome`): its data applies now. */
  took?(frame: ServerFrame): void
  /** A frame that does not move the machine; `true` when the feature handled it. */
  frame?(frame: ServerFrame): boolean | void
  /** The client entered `state` from `from`; the state's own effects have run. */
  entered?(state: ConnectionState, from: ConnectionState): void
  /** The handshake's first frame went out at `now`. */
  greeted?(now: number): void
  /** A heartbeat ping went out at `now`. */
  pinged?(now: number): void
  /** A frame came in at `now`; `pong` when it answers a ping. */
  heard?(now: number, pong: boolean): void
}

/**
 * A part of the client to opt into, for `createBaseClient(url, { features: [...] })`:
 * `withMessages`, `withPresence`, `withLinkQuality`.
 *
 * @example
 * ```ts
 * import { createBaseClient, withMessages, withPresence, type ClientFeature } from 'linklight'
 * const features: ClientFeature[] = [withMessages, withPresence]
 * const client = createBaseClient(url, { features })
 * ```
 */
export type ClientFeature = (host: FeatureHost) => FeatureHooks
