import { describe, expect, it } from 'vitest'
import type { Peer } from '../../src/core/peers.js'
import type { PeerInfo } from '../../src/core/protocol.js'
import { setup } from '../helpers/setup.js'

const info = (id: string, data?: unknown): PeerInfo => ({
  id,
  joinedAt: 1,
  lastSeenAt: 1,
  ...(data !== undefined && { data }),
})

function withPeerLog() {
  const ctx = setup()
  const seen: string[] = []
  const on = (kind: string) => (p: Peer) =>
    seen.push(`${kind}:${p.id}:${p.online ? 'on' : 'off'}${p.leftReason ? `:${p.leftReason}` : ''}`)
  ctx.client.on('peerJoined', on('joined'))
  ctx.client.on('peerLeft', on('left'))
  ctx.client.on('peerUpdated', on('updated'))
  return { ...ctx, seen }
}

describe('peers', () => {
  it('the full list after login, then joined / updated / left with QUIT and DROPPED', () => {
    const { net, client, open, seen } = withPeerLog()
    net.peers = [info('a'), info('b', { mood: 'ok' })]
    open()
    expect([...client.getPeers().keys()]).toEqual(['a', 'b'])
    expect(client.getPeers().get('b')).toEqual({
      id: 'b',
      online: true,
      joinedAt: 1,
      lastSeenAt: 1,
      data: { mood: 'ok' },
    })
    const socket = net.sockets[0]!
    socket.push({ t: 'joined', peer: info('c') })
    socket.push({ t: 'updated', peer: info('b', { mood: 'great' }) })
    socket.push({ t: 'left', id: 'a', reason: 'QUIT', at: 5 })
    socket.push({ t: 'left', id: 'c', reason: 'DROPPED', at: 6 })
    expect(seen).toEqual([
      'joined:a:on',
      'joined:b:on',
      'joined:c:on',
      'updated:b:on',
      'left:a:off:QUIT',
      'left:c:off:DROPPED',
    ])
    expect([...client.getPeers().keys()]).toEqual(['b'])
  })

  it('an update makes a new object for that peer only', () => {
    const { net, client, open } = setup()
    net.peers = [info('a'), info('b')]
    open()
    const before = client.getPeers()
    net.sockets[0]!.push({ t: 'updated', peer: info('b', 1) })
    const after = client.getPeers()
    expect(after.get('a')).toBe(before.get('a'))
    expect(after.get('b')).not.toBe(before.get('b'))
  })

  it("after a reconnect the server's full list replaces the local one: no ghosts, no duplicates", () => {
    const { fake, net, client, open, seen } = withPeerLog()
    net.peers = [info('a'), info('b'), info('c')]
    open()
    net.peers = [info('b'), info('c', 'changed'), info('d')] // while we were away: a left, d came
    net.killAll()
    fake.advance(0)
    expect(client.getConnectionState()).toBe('OPEN')
    expect([...client.getPeers().keys()].sort()).toEqual(['b', 'c', 'd'])
    expect(seen.slice(3)).toEqual(['left:a:off', 'joined:d:on', 'updated:c:on'])
    net.killAll() // the same list again changes nothing
    fake.advance(0)
    expect(seen).toHaveLength(6)
  })

  it('close() lets every peer go', () => {
    const { net, client, open, seen } = withPeerLog()
    net.peers = [info('a')]
    open()
    client.close()
    expect(client.getPeers().size).toBe(0)
    expect(seen).toEqual(['joined:a:on', 'left:a:off'])
  })

  it('setPresence while OPEN goes to the server at once', () => {
    const { net, client, open } = setup()
    open()
    client.setPresence({ typing: true })
    expect(net.framesOf('presence')).toEqual([{ t: 'presence', data: { typing: true } }])
  })
})
