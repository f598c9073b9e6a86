/**
 * `fromSocketIO`'s peers over a fake socket the test feeds presence notices by hand: a full list
 * that names a peer twice, and `joined` notices past MAX_PEERS.
 */
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { fromSocketIO, type SocketIOSocketLike } from '../../src/adapters/socketio.js'
import { MAX_PEERS } from '../../src/adapters/socketioWire.js'
import { replacePeers } from '../../src/core/peers.js'

class FakeManager extends EventEmitter {
  reconnection() {
    return true
  }
  reconnectionDelay() {
    return 1000
  }
  reconnectionDelayMax() {
    return 5000
  }
}

/** A connected socket: `fire` plays what the server sends, `emit` (to the server) is dropped. */
class FakeSocket extends EventEmitter {
  connected = true
  active = true
  recovered = false
  id = 's1'
  io = new FakeManager()
  timeout() {
    return { emit: () => {} }
  }
  connect() {}
  disconnect() {
    this.connected = false
    this.active = false
  }
  fire(event: string, ...args: unknown[]) {
    return super.emit(event, ...args)
  }
  override emit() {
    return true
  }
}

const info = (id: string, data?: unknown) => ({ id, joinedAt: 1, lastSeenAt: 1, data })

function setup() {
  const socket = new FakeSocket()
  const source = fromSocketIO(socket as unknown as SocketIOSocketLike)
  const events: string[] = []
  const errors: string[] = []
  source.on('peerJoined', (peer) => events.push(`joined:${peer.id}`))
  source.on('peerUpdated', (peer) => events.push(`updated:${peer.id}`))
  source.on('error', (error) => errors.push(`${error.code}: ${error.message}`))
  socket.fire('connect')
  const presence = (notice: unknown) => socket.fire('linklight:presence', notice)
  return { socket, source, events, errors, presence }
}

describe('fromSocketIO: peers', () => {
  it('a full list that names a peer twice: one peerJoined, the last entry wins', () => {
    const { source, events, presence } = setup()
    presence({ t: 'peers', self: 'me', peers: [info('ann', { v: 1 }), info('ann', { v: 2 })] })
    expect(events).toEqual(['joined:ann'])
    expect(source.getPeers().get('ann')?.data).toEqual({ v: 2 })
    source.close()
  })

  it('replacePeers: an id listed twice counts once, as its last entry', () => {
    const diff = replacePeers(new Map(), [info('a', 1), info('b'), info('a', 2)], 5)
    expect(diff.joined.map((p) => [p.id, p.data])).toEqual([
      ['a', 2],
      ['b', undefined],
    ])
    expect([...diff.peers.keys()]).toEqual(['a', 'b'])
  })

  it(`'joined' notices past MAX_PEERS are ignored, and said once; known peers still update`, () => {
    const { source, events, errors, presence } = setup()
    const listed = Array.from({ length: MAX_PEERS }, (_, i) => info(`p${i}`))
    presence({ t: 'peers', self: 'me', peers: listed })
    presence({ t: 'joined', peer: info('extra-1') })
    presence({ t: 'joined', peer: info('extra-2') })
    expect(source.getPeers().size).toBe(MAX_PEERS)
    expect(source.getPeers().has('extra-1')).toBe(false)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^PROTOCOL_ERROR: fromSocketIO: .*extra-1.*10000 peers/)
    // a peer already listed may change, and once one leaves another may join
    presence({ t: 'updated', peer: info('p0', { v: 1 }) })
    expect(source.getPeers().get('p0')?.data).toEqual({ v: 1 })
    presence({ t: 'left', id: 'p1', reason: 'QUIT', at: 2 })
    presence({ t: 'joined', peer: info('extra-3') })
    expect(source.getPeers().has('extra-3')).toBe(true)
    expect(source.getPeers().size).toBe(MAX_PEERS)
    expect(events.at(-1)).toBe('joined:extra-3')
    source.close()
  })
})
