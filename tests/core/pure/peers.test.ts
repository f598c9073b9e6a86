import { describe, expect, it } from 'vitest'
import { peerFrom, peerLeft, replacePeers, type Peer } from '../../../src/core/peers.js'
import type { PeerInfo } from '../../../src/core/protocol.js'

const info = (id: string, extra: Partial<PeerInfo> = {}): PeerInfo => ({
  id,
  joinedAt: 100,
  lastSeenAt: 200,
  ...extra,
})

const held = (...infos: PeerInfo[]): ReadonlyMap<string, Peer> =>
  new Map(infos.map((i) => [i.id, peerFrom(i)]))

const ids = (peers: readonly Peer[]) => peers.map((p) => p.id).sort()

describe('peerFrom', () => {
  it("a server's description becomes an online peer with the same times", () => {
    expect(peerFrom(info('ada'))).toEqual({
      id: 'ada',
      online: true,
      joinedAt: 100,
      lastSeenAt: 200,
    })
  })

  it('a peer without presence data has no data key at all', () => {
    expect(Object.hasOwn(peerFrom(info('ada')), 'data')).toBe(false)
    expect(Object.hasOwn(peerFrom(info('ada', { data: undefined })), 'data')).toBe(false)
  })

  it('presence data is kept, including falsy values', () => {
    expect(peerFrom(info('ada', { data: { mood: 'ok' } })).data).toEqual({ mood: 'ok' })
    expect(Object.hasOwn(peerFrom(info('ada', { data: null })), 'data')).toBe(true)
    expect(peerFrom(info('ada', { data: 0 })).data).toBe(0)
  })

  it('takes nothing from the description but the peer fields', () => {
    const extra = { ...info('ada'), secret: 'x' } as PeerInfo
    expect(Object.keys(peerFrom(extra)).sort()).toEqual(['id', 'joinedAt', 'lastSeenAt', 'online'])
  })
})

describe('peerLeft', () => {
  const ada = peerFrom(info('ada', { data: { mood: 'ok' } }))

  it('a peer that quit is offline with leftReason QUIT, and the original is untouched', () => {
    const gone = peerLeft(ada, 'QUIT', 500)
    expect(gone).toEqual({ ...ada, online: false, leftReason: 'QUIT', lastSeenAt: 500 })
    expect(gone).not.toBe(ada)
    expect(ada.online).toBe(true)
    expect(Object.hasOwn(ada, 'leftReason')).toBe(false)
  })

  it('a peer dropped after peerTimeout has leftReason DROPPED', () => {
    expect(peerLeft(ada, 'DROPPED', 500).leftReason).toBe('DROPPED')
  })

  it('without a reason the peer has no leftReason key', () => {
    const gone = peerLeft(ada, undefined, 500)
    expect(gone.online).toBe(false)
    expect(Object.hasOwn(gone, 'leftReason')).toBe(false)
  })

  it('lastSeenAt never moves back: it is the later of the last sighting and the leave', () => {
    expect(peerLeft(ada, 'QUIT', 150).lastSeenAt).toBe(200)
    expect(peerLeft(ada, 'QUIT', 900).lastSeenAt).toBe(900)
  })
})

describe('replacePeers', () => {
  it('after a reconnect, peers only the server has join, peers only we had leave, changed ones update', () => {
    const before = held(info('stay'), info('gone'), info('moved', { data: 1 }))
    const diff = replacePeers(before, [info('stay'), info('moved', { data: 2 }), info('new')], 1000)
    expect(ids(diff.joined)).toEqual(['new'])
    expect(ids(diff.left)).toEqual(['gone'])
    expect(ids(diff.updated)).toEqual(['moved'])
    expect(diff.updated[0]!.data).toBe(2)
    expect(diff.peers.get('moved')).toBe(diff.updated[0])
    expect(diff.peers.get('new')).toBe(diff.joined[0])
  })

  it('an unchanged peer keeps the very same object', () => {
    const before = held(info('ada', { data: { mood: 'ok' } }), info('bob'))
    const diff = replacePeers(before, [info('ada', { data: { mood: 'ok' } }), info('bob')], 1000)
    expect(diff.peers.get('ada')).toBe(before.get('ada'))
    expect(diff.peers.get('bob')).toBe(before.get('bob'))
    expect([diff.joined, diff.left, diff.updated]).toEqual([[], [], []])
  })

  it('a change in lastSeenAt, joinedAt or data is an update with a new object', () => {
    const before = held(info('a'), info('b'), info('c'))
    const diff = replacePeers(
      before,
      [info('a', { lastSeenAt: 300 }), info('b', { joinedAt: 150 }), info('c', { data: 'x' })],
      1000,
    )
    expect(ids(diff.updated)).toEqual(['a', 'b', 'c'])
    for (const id of ['a', 'b', 'c']) expect(diff.peers.get(id)).not.toBe(before.get(id))
  })

  it('peers the server no longer lists leave offline, without a leftReason, last seen at the latest', () => {
    const diff = replacePeers(held(info('gone')), [], 1000)
    expect(diff.left).toEqual([{ id: 'gone', online: false, joinedAt: 100, lastSeenAt: 1000 }])
  })

  it("the result holds exactly the server's peers: no ghosts", () => {
    const diff = replacePeers(held(info('a'), info('b'), info('c')), [info('b'), info('d')], 1000)
    expect([...diff.peers.keys()].sort()).toEqual(['b', 'd'])
    expect([...diff.peers.values()].every((p) => p.online)).toBe(true)
  })

  it('applying the same list twice adds no duplicates and reports nothing the second time', () => {
    const list = [info('a'), info('b', { data: { x: 1 } })]
    const first = replacePeers(held(info('z')), list, 1000)
    const second = replacePeers(first.peers, list, 2000)
    expect([...second.peers.keys()].sort()).toEqual(['a', 'b'])
    expect([second.joined, second.left, second.updated]).toEqual([[], [], []])
    expect(second.peers.get('a')).toBe(first.peers.get('a'))
    expect(second.peers.get('b')).toBe(first.peers.get('b'))
  })

  it('the held map is not modified', () => {
    const before = held(info('a'))
    replacePeers(before, [info('b')], 1000)
    expect([...before.keys()]).toEqual(['a'])
    expect(before.get('a')!.online).toBe(true)
  })
})
