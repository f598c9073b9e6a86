/**
 * The cluster directory behind `attachPresence`, on fake time: which node holds which peer, and
 * the exact presence frames this node's clients are told.
 */
import { describe, expect, test } from 'vitest'
import {
  createMessageLog,
  createPresenceDirectory,
  MAX_NODE_PEERS,
  MAX_NODES,
  readNodeMessage,
} from '../../src/adapters/socketioDirectory.js'

const T0 = 1_000_000

/** Node A's directory, on a time the test moves by hand. */
function directoryOnA(peerTimeout = 1_000) {
  let now = T0
  const directory = createPresenceDirectory({ node: 'A', peerTimeout, now: () => now })
  return {
    directory,
    advance: (ms: number) => void (now += ms),
    /** The frames in short form: `joined ada`, `updated ada {"c":2}`, `left ada DROPPED`. */
    apply: (message: Parameters<typeof directory.apply>[0]) =>
      short(directory.apply(message).changes),
    sweep: () => short(directory.sweep()),
  }
}

type Frames = ReturnType<ReturnType<typeof createPresenceDirectory>['sweep']>
const short = (frames: Frames) =>
  frames.map((frame) =>
    frame.t === 'left'
      ? `left ${frame.id} ${frame.reason}`
      : `${frame.t} ${frame.peer.id}${frame.peer.data === undefined ? '' : ` ${JSON.stringify(frame.peer.data)}`}`,
  )

const peer = (id: string, data?: unknown) =>
  data === undefined ? { id, joinedAt: T0 } : { id, joinedAt: T0, data }

describe('socket.io presence directory', () => {
  test('a peer held on another node joins, updates and leaves with the reason given', () => {
    const { apply } = directoryOnA()
    expect(apply({ t: 'hold', node: 'B', peer: peer('ada', { c: 1 }) })).toEqual([
      'joined ada {"c":1}',
    ])
    expect(apply({ t: 'hold', node: 'B', peer: peer('ada', { c: 1 }) })).toEqual([])
    expect(apply({ t: 'hold', node: 'B', peer: peer('ada', { c: 2 }) })).toEqual([
      'updated ada {"c":2}',
    ])
    expect(apply({ t: 'release', node: 'B', id: 'ada', reason: 'QUIT' })).toEqual(['left ada QUIT'])
    expect(apply({ t: 'release', node: 'B', id: 'ada', reason: 'QUIT' })).toEqual([])
  })

  test('multi-tab: a peer on two nodes joins with the first holder and leaves with the last', () => {
    const { apply, directory } = directoryOnA()
    expect(apply({ t: 'hold', node: 'A', peer: peer('ada') })).toEqual(['joined ada'])
    expect(apply({ t: 'hold', node: 'B', peer: peer('ada') })).toEqual([])
    expect(apply({ t: 'release', node: 'A', id: 'ada', reason: 'QUIT' })).toEqual([])
    expect(directory.peers().map((p) => p.id)).toEqual(['ada'])
    expect(apply({ t: 'release', node: 'B', id: 'ada', reason: 'DROPPED' })).toEqual([
      'left ada DROPPED',
    ])
    expect(directory.peers()).toEqual([])
  })

  test('multi-tab: the data last changed wins, and joinedAt is the earliest holder', () => {
    const { apply, directory, advance } = directoryOnA()
    apply({ t: 'hold', node: 'B', peer: { id: 'ada', joinedAt: T0 + 5, data: 'b' } })
    advance(10)
    expect(
      apply({ t: 'hold', node: 'A', peer: { id: 'ada', joinedAt: T0 + 1, data: 'a' } }),
    ).toEqual(['updated ada "a"'])
    expect(directory.peers()).toEqual([
      { id: 'ada', joinedAt: T0 + 1, lastSeenAt: T0 + 10, data: 'a' },
    ])
    // B's tab goes: A's data stays; nothing to tell
    expect(apply({ t: 'release', node: 'B', id: 'ada', reason: 'QUIT' })).toEqual([])
  })

  test('beat reconcile: the beat replaces what the node was thought to hold', () => {
    const { apply, directory } = directoryOnA()
    apply({ t: 'hold', node: 'B', peer: peer('ada') })
    apply({ t: 'hold', node: 'B', peer: peer('bob') })
    // bob's release was lost; cy's hold too; ada's data changed
    expect(apply({ t: 'beat', node: 'B', peers: [peer('ada', 'x'), peer('cy')] })).toEqual([
      'left bob DROPPED',
      'updated ada "x"',
      'joined cy',
    ])
    expect(directory.held('B').map((p) => p.id)).toEqual(['ada', 'cy'])
    expect(apply({ t: 'beat', node: 'B', peers: [peer('ada', 'x'), peer('cy')] })).toEqual([])
  })

  test('sweep: a node silent for peerTimeout is forgotten, its peers leave DROPPED', () => {
    const { apply, sweep, advance, directory } = directoryOnA(1_000)
    apply({ t: 'hold', node: 'A', peer: peer('me') })
    apply({ t: 'hold', node: 'B', peer: peer('ada') })
    apply({ t: 'hold', node: 'C', peer: peer('bob') })
    advance(600)
    apply({ t: 'beat', node: 'C', peers: [peer('bob')] })
    advance(400)
    expect(sweep()).toEqual([]) // B heard 1000 ms ago: not yet past peerTimeout
    advance(1)
    expect(sweep()).toEqual(['left ada DROPPED'])
    expect(directory.nodes()).toEqual(['C'])
    advance(10_000)
    // this node's own peers are never swept
    expect(sweep()).toEqual(['left bob DROPPED'])
    expect(directory.peers().map((p) => p.id)).toEqual(['me'])
  })

  test('sweep spares a peer another live node still holds', () => {
    const { apply, sweep, advance } = directoryOnA(1_000)
    apply({ t: 'hold', node: 'B', peer: peer('ada') })
    advance(900)
    apply({ t: 'hold', node: 'C', peer: peer('ada') })
    advance(200)
    expect(sweep()).toEqual([])
  })

  test('hello is answered with a beat; bye forgets the node, its peers leave DROPPED', () => {
    const { directory, apply } = directoryOnA()
    expect(directory.apply({ t: 'hello', node: 'B' })).toEqual({ changes: [], answer: true })
    expect(directory.apply({ t: 'hello', node: 'A' }).answer).toBe(false)
    apply({ t: 'hold', node: 'B', peer: peer('ada') })
    expect(apply({ t: 'bye', node: 'B' })).toEqual(['left ada DROPPED'])
    expect(directory.nodes()).toEqual([])
  })

  test('a restarted node (a new id) re-announces peers without a second join', () => {
    const { apply, sweep, advance } = directoryOnA(1_000)
    apply({ t: 'hold', node: 'B1', peer: peer('ada') })
    advance(500)
    apply({ t: 'hold', node: 'B2', peer: peer('ada') }) // reconnected to B's new process
    advance(600)
    expect(sweep()).toEqual([]) // B1 forgotten, ada still held by B2
    expect(apply({ t: 'release', node: 'B2', id: 'ada', reason: 'QUIT' })).toEqual([
      'left ada QUIT',
    ])
  })

  test("a node's single holds stop at MAX_NODE_PEERS, as a beat would; held peers still change", () => {
    const { directory, apply } = directoryOnA()
    for (let i = 0; i < MAX_NODE_PEERS; i++)
      directory.apply({ t: 'hold', node: 'B', peer: peer(`p${i}`) })
    expect(apply({ t: 'hold', node: 'B', peer: peer('one-too-many') })).toEqual([])
    expect(directory.held('B')).toHaveLength(MAX_NODE_PEERS)
    expect(directory.peers()).toHaveLength(MAX_NODE_PEERS)
    expect(apply({ t: 'hold', node: 'B', peer: peer('p0', { c: 1 }) })).toEqual([
      'updated p0 {"c":1}',
    ])
    // another node is not held back by B's peers, and B may hold a new one once one is released
    expect(apply({ t: 'hold', node: 'C', peer: peer('ada') })).toEqual(['joined ada'])
    apply({ t: 'release', node: 'B', id: 'p1', reason: 'QUIT' })
    expect(apply({ t: 'hold', node: 'B', peer: peer('bob') })).toEqual(['joined bob'])
  })

  test('at most MAX_NODES other nodes are tracked', () => {
    const { directory } = directoryOnA()
    for (let i = 0; i < MAX_NODES + 5; i++)
      directory.apply({ t: 'hold', node: `n${i}`, peer: peer(`p${i}`) })
    expect(directory.nodes()).toHaveLength(MAX_NODES)
    expect(directory.peers()).toHaveLength(MAX_NODES)
  })
})

describe('socket.io node messages are checked', () => {
  test.each([
    [null, 'node'],
    [{ t: 'hold', node: '' }, 'node'],
    [{ t: 'hold', node: 'B', peer: { id: 'x'.repeat(129), joinedAt: 1 } }, 'held peer'],
    [{ t: 'hold', node: 'B', peer: { id: 'ada', joinedAt: -1 } }, 'joinedAt'],
    [
      {
        t: 'hold',
        node: 'B',
        peer: { id: 'ada', joinedAt: 1, data: [[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]] },
      },
      'nests deeper',
    ],
    [{ t: 'release', node: 'B', id: 'ada', reason: 'GONE' }, 'QUIT'],
    [{ t: 'beat', node: 'B', peers: 'all' }, 'peers'],
    [{ t: 'msg', node: 'B', from: 1, id: 'm', relay: true, data: 1 }, 'from'],
    [{ t: 'msg', node: 'B', from: null, id: 'm', relay: true, data: () => 1 }, 'function'],
    [{ t: 'nope', node: 'B' }, 'unknown'],
  ])('%j is refused', (value, problem) => {
    expect(() => readNodeMessage(value)).toThrow(TypeError)
    expect(() => readNodeMessage(value)).toThrow(problem)
  })

  test('a valid message is rebuilt from its checked fields only', () => {
    expect(
      readNodeMessage({
        t: 'hold',
        node: 'B',
        extra: 1,
        peer: { id: 'ada', joinedAt: 1, more: 2 },
      }),
    ).toEqual({ t: 'hold', node: 'B', peer: { id: 'ada', joinedAt: 1 } })
    expect(
      readNodeMessage({ t: 'msg', node: 'B', from: null, id: 'm', relay: false, data: 1 }),
    ).toEqual({ t: 'msg', node: 'B', from: null, id: 'm', relay: false })
  })
})

describe('socket.io message log', () => {
  test('remembers at most `limit` ids, forgetting the oldest first', () => {
    const log = createMessageLog(2)
    log.add('a', true)
    log.add('b', true)
    log.add('c', true)
    expect([log.get('a'), log.get('b'), log.get('c'), log.size]).toEqual([undefined, true, true, 2])
  })
})
