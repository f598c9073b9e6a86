/**
 * `linklight/server`: the reference realtime server (Node only, on `ws`), for development,
 * tests and demos. The protocol it speaks is described in docs/protocol.md.
 */
export { createServer, type ReferenceServer } from './createServer.js'
export type { ServerOptions, ServerMessage } from './options.js'
export {
  defaultAuthenticate,
  type Authenticate,
  type AuthInfo,
  type AuthResult,
  type AuthRejectionReason,
} from './auth.js'
export type { Faults } from './faults.js'
export type { ServerStats } from './stats.js'
export type { AuthRejection, PeerInfo } from '../protocol/index.js'
