/**
 * The one core of every `ConnectionSource` — linklight's client, the adapters and the mock: one
 * immutable snapshot and its subscribers, the events, the online peers, and optionally the
 * outage timeline (`lost`, then give up). A source says where it is with `moveTo`; the kit
 * derives the rest of the snapshot from rules.ts and emits what the change means, so `since`,
 * `attempt`, `retrying`, `lost`, `restored` and the rejoin mean the same for every source.
 */
import { realClock } from './clock.js'
import { createKitCore, type KitCore, type SnapshotExtra, type SourceKitInit } from './kitCore.js'
import { peerLevers, type PeerLevers } from './peerLevers.js'
import type { Peer } from './peers.js'

export type { SnapshotExtra, SourceKitInit }

/** What the kit gives a source: the shared methods, and the levers that move them. */
export interface SourceKit extends Omit<KitCore, 'peers'>, PeerLevers {
  /** The online peers by id, as they stand (read-only: change them through the levers). */
  readonly peers: ReadonlyMap<string, Peer>
}

/**
 * Creates the core every linklight source is built on, for writing a `ConnectionSource` over a
 * client linklight has no adapter for: say where the client is with `moveTo`, and the kit keeps
 * the snapshot, emits the events and holds the peers the way every source does (docs/sources.md).
 *
 * @example
 * ```ts
 * import { createSourceKit, type ConnectionSource } from 'linklight'
 *
 * const kit = createSourceKit({ failurePrefix: 'Beacon' })
 * beacon.on('up', () => kit.moveTo('OPEN', 'JOIN_SUCCESS')) // REJOIN_SUCCESS after a drop
 * beacon.on('down', () => kit.moveTo('RECONNECTING', 'INTERRUPTED'))
 * beacon.on('user', (id, online) => (online ? kit.peerOnline(id) : kit.peerOffline(id, 'QUIT')))
 * const source: ConnectionSource = { ...kit.methods, connect, login, send, reconnect, close }
 * ```
 */
export function createSourceKit(init: SourceKitInit = {}): SourceKit {
  const core = createKitCore(init)
  return Object.assign(core, peerLevers(core, init.clock ?? realClock))
}
