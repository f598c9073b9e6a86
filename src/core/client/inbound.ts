/**
 * What the client does with each frame from the server. Frames that move the state become
 * machine events (frames.ts); a feature's data in them (a welcome's peers and last sequence
 * number) is applied only once the machine accepted the frame. The rest go to the features
 * (acks, relays, presence), and what no feature takes is ignored.
 */
import type { Protocol, ServerFrame } from '../protocol.js'
import type { FeatureHooks } from './feature.js'
import { machineEventOf, type Input } from './frames.js'
import type { Session } from './session.js'

/** The parts of the client a frame reaches. */
export interface InboundContext {
  readonly protocol: Protocol
  readonly features: readonly FeatureHooks[]
  session(): Session
  /** Hands the machine an event; `accepted` runs if it changed the machine, before any effect. */
  dispatch(input: Input, accepted?: () => void): void
  /** Reports a problem as an `error` event. */
  problem(code: string, message: string): void
}

/** An `error` frame, told as an `error` event: a fatal one once the machine took it. */
const serverError = (c: InboundContext, frame: Extract<ServerFrame, { t: 'error' }>) =>
  c.problem(frame.code, `The server reported an error: ${frame.message}`)

/** Handles one frame that arrived on socket `socket`. May throw: the caller guards it. */
export function handleFrame(c: InboundContext, socket: number, raw: unknown): void {
  let frame: ServerFrame
  if (typeof raw != 'string') {
    if (c.protocol.handshake)
      return c.problem('PROTOCOL_ERROR', 'Ignored a binary frame: the protocol is text only')
    // A server of its own speaks in binary too: deliver the bytes as they came.
    frame = { t: 'msg', from: null, data: raw }
  } else if (c.protocol.isPong(raw)) return
  else {
    try {
      frame = c.protocol.decode(raw)
    } catch (error) {
      return c.problem(
        'PROTOCOL_ERROR',
        `Ignored a malformed frame from the server: ${(error as Error).message}`,
      )
    }
  }
  const input = machineEventOf(frame, socket)
  if (input) return c.dispatch(input, () => accepted(c, frame))
  if (frame.t == 'error') return serverError(c, frame)
  for (const feature of c.features) if (feature.frame?.(frame)) return
}

/** The data a frame carries, applied once the machine accepted the frame. */
function accepted(c: InboundContext, frame: ServerFrame) {
  if (frame.t == 'error') serverError(c, frame)
  if (frame.t == 'welcome') c.session().welcomed(frame.id)
  for (const feature of c.features) feature.took?.(frame)
}
