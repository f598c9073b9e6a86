/**
 * linklight: whether a realtime connection is healthy, for apps and the people using them.
 * This entry is framework-free: states, reasons, their mappings, the client and its presets.
 */
export {
  ConnectionState,
  ConnectionReason,
  PhaseCode,
  toneOf,
  phaseOf,
  reasonCode,
  type Tone,
  type Phase,
  type PhaseContext,
} from './core/states.js'
export { createClient, type LinklightClient } from './core/client.js'
// The same client with only the features an app opts into (the state alone ships smallest).
export { createBaseClient, type BaseClient, type BaseClientOptions } from './core/baseClient.js'
export type { ClientFeature } from './core/client/feature.js'
export { withMessages } from './core/client/withMessages.js'
export { withPresence } from './core/client/withPresence.js'
export { withLinkQuality } from './core/client/withLinkQuality.js'
export {
  presets,
  type ClientOptions,
  type Clock,
  type WebSocketLike,
  type WebSocketConstructor,
} from './core/options.js'
export { nextRetryDelay } from './core/schedule.js'
export { qualityLevel, type LinkQuality, type QualityLevel } from './core/quality.js'
// The codecs a client can speak; the frames themselves are in `linklight/protocol`.
export {
  linklightProtocol,
  plainProtocol,
  ProtocolError,
  type Protocol,
  type PlainProtocolOptions,
} from './core/protocol.js'
export type { Peer, LeftReason } from './core/peers.js'
export {
  createSourceKit,
  type SourceKit,
  type SourceKitInit,
  type SnapshotExtra,
} from './core/sourceKit.js'
export { outageTimeline, type Timeline, type TimelineOptions } from './core/outage.js'
export { combineSources, type CombinedSource, type SourceParts } from './core/combineSources.js'
export type {
  ConnectionSnapshot,
  ConnectionEvents,
  ConnectionSource,
  ConnectionError,
} from './core/types.js'
export {
  createConnectionStore,
  type ConnectionStore,
  type ConnectionStoreState,
  type ConnectionStoreOptions,
  type ConnectionStoreEvents,
  type ConnectionStoreData,
} from './store/createConnectionStore.js'
export type { DisplayStatus } from './store/display.js'
export type { ConnectionHistoryEntry } from './store/history.js'
export {
  connectionDiagnostics,
  formatDiagnostics,
  type ConnectionDiagnostics,
} from './store/diagnostics.js'
export { nextDisplay, type SmoothingOptions, type NextDisplay } from './store/nextDisplay.js'
export { toneFor, type ToneOverrides } from './store/tones.js'
