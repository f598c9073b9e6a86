import { describe, expect, it } from 'vitest'
import { createMessageLog } from '../../src/adapters/socketioDirectory.js'
import { createMessageRelay } from '../../src/adapters/socketioMessages.js'
import type { PresenceSocketLike } from '../../src/adapters/socketioServerTypes.js'
import type { SendReply } from '../../src/adapters/socketioWire.js'

/** Only its id is read by the relay. */
const socketNamed = (id: string) => ({ id }) as unknown as PresenceSocketLike

/** A relay on one node, recording what onMessage saw and what went to the room. */
function setup() {
  const seen: unknown[] = []
  const relayed: unknown[] = []
  const relay = createMessageRelay<PresenceSocketLike>({
    where: 'attachPresence',
    node: 'node-a',
    log: createMessageLog(1_000),
    relay: true,
    closed: () => false,
    onMessage: (data) => void seen.push(data),
    deliver: (message) => void relayed.push(message.data),
    toNodes: () => {},
  })
  /** What `receive` replied to `peerId` on socket `socketId`. */
  const send = async (peerId: string | null, socketId: string, id: string, data: unknown) => {
    let answer: SendReply | undefined
    await relay.receive(
      { peerId, socket: socketNamed(socketId) },
      { id, data },
      (r) => (answer = r),
    )
    return answer
  }
  return { relay, seen, relayed, send }
}

describe('socket.io messages: de-duplication keys', () => {
  it("an observer cannot claim another observer's next id: both messages are delivered", async () => {
    const { seen, relayed, send } = setup()
    expect(await send(null, 'attacker', 'k3x9-5', 'junk')).toEqual({ ok: true })
    expect(await send(null, 'victim', 'k3x9-5', 'real message')).toEqual({ ok: true })
    expect(seen).toEqual(['junk', 'real message'])
    expect(relayed).toEqual(['junk', 'real message'])
  })

  it("an observer's resend on the same socket is still a duplicate", async () => {
    const { seen, send } = setup()
    await send(null, 'watcher', 'm1', 'hi')
    expect(await send(null, 'watcher', 'm1', 'hi')).toEqual({ ok: true, duplicate: true })
    expect(seen).toEqual(['hi'])
  })

  it("an identified peer's resend from another socket, or heard of from another node, is a duplicate", async () => {
    const { relay, seen, send } = setup()
    await send('ada', 'socket-1', 'm1', 'hi')
    expect(await send('ada', 'socket-2', 'm1', 'hi')).toEqual({ ok: true, duplicate: true })
    relay.fromNode({ t: 'msg', node: 'node-b', from: 'bob', id: 'm2', relay: false })
    expect(await send('bob', 'socket-3', 'm2', 'again')).toEqual({ ok: true, duplicate: true })
    expect(seen).toEqual(['hi'])
  })

  it("an observer's message relayed by another node does not block one sent here", async () => {
    const { relay, seen, relayed, send } = setup()
    relay.fromNode({ t: 'msg', node: 'node-b', from: null, id: 'm1', relay: true, data: 'there' })
    expect(await send(null, 'watcher', 'm1', 'here')).toEqual({ ok: true })
    expect(seen).toEqual(['here'])
    expect(relayed).toEqual(['there', 'here'])
  })
})
