/**
 * What the client does with each frame from the server. Frames that move the state become
 * machine events (frames.ts); the rest settle messages, deliver relays and update peers. A
 * welcome's data is applied only once the machine accepted the welcome.
 */
import type { Outbox } from '../outbox.js'
import { peerFrom } from '../peers.js'
import type { ClientFrame, PresenceFrame, Protocol, ServerFrame } from '../protocol.js'
import type { SourceKit } from '../sourceKit.js'
import type { ConnectionState } from '../states.js'
import { machineEventOf, type Input } from './frames.js'
import type { Session } from './session.js'

/** The parts of the client a frame reaches. */
export interface InboundContext {
  readonly protocol: Protocol
  readonly kit: SourceKit
  readonly outbox: Outbox
  session(): Session
  state(): ConnectionState
  /** Hands the machine an event; `accepted` runs if it changed the machine, before any effect. */
  dispatch(input: Input, accepted?: () => void): void
  write(frame: ClientFrame): void
  flush(): void
  /** The server's limit on a frame, from `accept`. */
  acceptFrames(maxPayload: number): void
}

const problem = (c: InboundContext, code: string, message: string) =>
  c.kit.emit('error', { code, message })

/** Handles one frame that arrived on socket `socket`. May throw: the caller guards it. */
export function handleFrame(c: InboundContext, socket: number, raw: unknown): void {
  if (typeof raw != 'string')
    return c.protocol.handshake
      ? problem(c, 'PROTOCOL_ERROR', 'Ignored a binary frame: the protocol is text only')
      : c.kit.emit('message', raw, null)
  if (c.protocol.isPong(raw)) return
  let frame: ServerFrame
  try {
    frame = c.protocol.decode(raw)
  } catch (error) {
    return problem(
      c,
      'PROTOCOL_ERROR',
      `Ignored a malformed frame from the server: ${(error as Error).message}`,
    )
  }
  const input = machineEventOf(frame, socket)
  if (input) return c.dispatch(input, () => accepted(c, frame))
  switch (frame.t) {
    case 'ack':
      if (!c.outbox.ack(frame.seq))
        problem(
          c,
          'PROTOCOL_ERROR',
          `Ignored an ack for message ${frame.seq}, which was never sent`,
        )
      return
    case 'resend':
      // The server lost messages on the way: it has everything up to `after`, send the rest.
      if (!c.outbox.ack(frame.after))
        return problem(c, 'PROTOCOL_ERROR', `Ignored a resend after ${frame.after}, never sent`)
      c.outbox.requeue()
      if (c.state() == 'OPEN') c.flush()
      return
    case 'msg':
      return relayed(c, frame)
    case 'missed':
      c.session().missed(frame.upTo)
      return c.kit.emit('missed', { count: frame.count })
    case 'joined':
    case 'updated':
    case 'left':
      return presenceChanged(c, frame)
    case 'batch':
      return frame.frames.forEach((change) => presenceChanged(c, change))
    case 'error':
      return problem(c, frame.code, `The server reported an error: ${frame.message}`)
  }
}

/** The data a frame carries, applied once the machine accepted the frame. */
function accepted(c: InboundContext, frame: ServerFrame) {
  if (frame.t == 'accept') c.acceptFrames(frame.maxPayload ?? Infinity)
  if (frame.t == 'error') problem(c, frame.code, `The server reported an error: ${frame.message}`)
  if (frame.t != 'welcome') return
  c.session().welcomed(frame.id)
  c.outbox.resume(frame.lastSeq)
  c.kit.replacePeers(frame.peers)
}

function relayed(c: InboundContext, frame: Extract<ServerFrame, { t: 'msg' }>) {
  const verdict = frame.n === undefined ? 'deliver' : c.session().relay(frame.n)
  if (verdict == 'deliver') c.kit.emit('message', frame.data, frame.from)
  else if (verdict != 'skip') c.write({ t: 'replay', after: verdict.replayAfter })
}

function presenceChanged(c: InboundContext, frame: PresenceFrame) {
  if (frame.t == 'left') return c.kit.peerOffline(frame.id, frame.reason, frame.at)
  if (frame.peer.id != c.session().selfId) c.kit.putPeer(peerFrom(frame.peer))
}
