/**
 * Server frames as machine events: a pure function, so what each frame does to the state is a
 * line here and a row in the machine's table, never a branch hidden in socket handling.
 */
import type { MachineEvent } from '../machine.js'
import type { ServerFrame } from '../protocol.js'
import type { ConnectionReason } from '../states.js'

/** A machine event before the client stamps it with the time. */
export type Input = MachineEvent extends infer E
  ? E extends MachineEvent
    ? Omit<E, 'now'>
    : never
  : never

// The server's words for a refused login, where linklight's reason is spelled differently.
const rejections: Record<string, ConnectionReason> = {
  INVALID_TOKEN: 'INVALID_TOKEN',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  BANNED: 'BANNED_BY_SERVER',
}

/**
 * The machine event a frame from socket `socket` stands for, or `null` for frames that do not
 * move the machine (acks, relays, presence…).
 *
 * @example
 * ```ts
 * machineEventOf({ t: 'rejected', reason: 'BANNED' }, 3)
 * // { type: 'rejected', socket: 3, reason: 'BANNED_BY_SERVER', message: 'The server refused the login (BANNED)' }
 * ```
 */
export function machineEventOf(frame: ServerFrame, socket: number): Input | null {
  switch (frame.t) {
    case 'challenge':
    case 'accept':
    case 'welcome':
      return { type: frame.t, socket }
    case 'redirect':
      return { type: 'redirect', socket, url: frame.url }
    case 'rejected':
      return {
        type: 'rejected',
        socket,
        reason: Object.hasOwn(rejections, frame.reason)
          ? rejections[frame.reason]!
          : 'REJECTED_BY_SERVER',
        message: frame.message ?? `The server refused the login (${frame.reason})`,
      }
    case 'error':
      return frame.fatal
        ? { type: 'fatal', socket, reason: 'PROTOCOL_ERROR', message: frame.message }
        : null
    default:
      return null
  }
}
