/**
 * The messages feature: `send()` through the acknowledged offline queue (outbox.ts) and the
 * relays the server delivers, in order, with a replay asked for when some went missing.
 */
import { createOutbox } from '../outbox.js'
import type { ServerFrame } from '../protocol.js'
import type { ClientFeature } from './feature.js'
import { CLOSED_EARLY } from './logins.js'
import { createOutbound } from './outbound.js'

/**
 * Sending and receiving messages, for `createBaseClient`: `send(data)` queues while not OPEN
 * (up to `queueLimit`), is acknowledged by the server and sent again after a drop, so nothing
 * is lost, duplicated or reordered; relays from other clients arrive as `message` events.
 * `createClient` always has it.
 *
 * @example
 * ```ts
 * import { createBaseClient, withMessages } from 'linklight'
 * const client = createBaseClient('ws://127.0.0.1:8787', { features: [withMessages] })
 * client.on('message', (data, from) => console.log(from, data))
 * await client.send({ text: 'hello' })
 * ```
 */
export const withMessages: ClientFeature = (host) => {
  const { kit, options } = host
  const outbox = createOutbox(options.queueLimit)
  const outbound = createOutbound(outbox, options.protocol, host.write, kit)

  function relayed(frame: Extract<ServerFrame, { t: 'msg' }>) {
    const verdict = frame.n === undefined ? 'deliver' : host.session().relay(frame.n)
    if (verdict == 'deliver') kit.emit('message', frame.data, frame.from)
    else if (verdict != 'skip') host.write({ t: 'replay', after: verdict.replayAfter })
  }

  return {
    methods: {
      send(data) {
        const sent = outbound.send(data, host.state() == 'OPEN')
        host.publish()
        return sent
      },
    },
    queued: () => outbox.pending,
    took(frame) {
      if (frame.t == 'accept') outbound.limit(frame.maxPayload ?? Infinity)
      if (frame.t == 'welcome') outbox.resume(frame.lastSeq)
    },
    frame(frame) {
      switch (frame.t) {
        case 'ack':
          if (!outbox.ack(frame.seq))
            host.problem(
              'PROTOCOL_ERROR',
              `Ignored an ack for message ${frame.seq}, which was never sent`,
            )
          return true
        case 'resend':
          // The server lost messages on the way: it has everything up to `after`, send the rest.
          if (!outbox.ack(frame.after))
            host.problem('PROTOCOL_ERROR', `Ignored a resend after ${frame.after}, never sent`)
          else {
            outbox.requeue()
            if (host.state() == 'OPEN') outbound.flush()
          }
          return true
        case 'msg':
          relayed(frame)
          return true
        case 'missed':
          host.session().missed(frame.upTo)
          kit.emit('missed', { count: frame.count })
          return true
      }
    },
    entered(state, from) {
      if (from == 'OPEN') outbox.requeue()
      if (state == 'AWAITING_CONNECTION') outbound.limit(Infinity)
      if (state == 'OPEN') outbound.flush()
      if (state == 'CLOSED') outbox.rejectAll(new Error(CLOSED_EARLY))
    },
  }
}
