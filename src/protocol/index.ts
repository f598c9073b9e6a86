/**
 * `linklight/protocol`: the frames linklight's client and reference server exchange, for
 * anyone who writes a server (or a client) that speaks the protocol. docs/protocol.md in the
 * package describes every frame, the handshake and the limits.
 *
 * @example
 * ```ts
 * import { PROTOCOL_VERSION, type ServerFrame } from 'linklight/protocol'
 * const challenge: ServerFrame = { t: 'challenge' }
 * socket.send(JSON.stringify(challenge))
 * ```
 */
export {
  PROTOCOL_VERSION,
  MAX_FRAME_DEPTH,
  MAX_FRAME_LENGTH,
  MAX_ID_LENGTH,
  ProtocolError,
  type AuthRejection,
  type ClientFrame,
  type PeerInfo,
  type PresenceFrame,
  type ServerFrame,
} from '../core/protocol.js'
