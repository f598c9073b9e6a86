/**
 * The Socket.IO wire checks: event names, the bounded walk over untrusted values, and the readers
 * each end runs on what it receives — every valid variant, every malformed one, and a seeded fuzz
 * loop proving the readers only ever return a valid value or throw a `TypeError`.
 */
import { describe, expect, it } from 'vitest'
import {
  boundedValueProblem,
  DEFAULT_EVENT_PREFIX,
  eventNames,
  isWireId,
  MAX_PEERS,
  MESSAGE_LIMITS,
  PRESENCE_LIMITS,
  readOutgoingMessage,
  readPresenceNotice,
  readRelayedMessage,
  readSendReply,
  type PresenceNotice,
} from '../../src/adapters/socketioWire.js'

const ID_128 = 'x'.repeat(128)
const ID_129 = 'x'.repeat(129)
const peer = (id = 'ada', extra: Record<string, unknown> = {}) => ({
  id,
  joinedAt: 1_000,
  lastSeenAt: 2_000,
  ...extra,
})

/** `depth` arrays, one inside the other, around `leaf`: `nested(2, 1)` is `[[1]]`. */
function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

/** An object with an own `__proto__` key, as `JSON.parse` builds it (a literal would set the prototype). */
const withOwnProto = (base: Record<string, unknown>, proto: unknown) =>
  Object.defineProperty({ ...base }, '__proto__', {
    value: proto,
    enumerable: true,
    writable: true,
    configurable: true,
  }) as Record<string, unknown>

describe('eventNames', () => {
  it('names the four events under the default prefix', () => {
    expect(DEFAULT_EVENT_PREFIX).toBe('linklight:')
    expect(eventNames(DEFAULT_EVENT_PREFIX)).toEqual({
      presence: 'linklight:presence',
      send: 'linklight:send',
      message: 'linklight:message',
      setPresence: 'linklight:set-presence',
    })
  })

  it('renames all four with another prefix, and with none', () => {
    expect(eventNames('chat/')).toEqual({
      presence: 'chat/presence',
      send: 'chat/send',
      message: 'chat/message',
      setPresence: 'chat/set-presence',
    })
    expect(eventNames('')).toEqual({
      presence: 'presence',
      send: 'send',
      message: 'message',
      setPresence: 'set-presence',
    })
  })
})

describe('isWireId', () => {
  it.each([
    ['a', true],
    [ID_128, true],
    ['', false],
    [ID_129, false],
    [1, false],
    [null, false],
    [undefined, false],
    [['a'], false],
  ])('%j → %s', (value, expected) => {
    expect(isWireId(value)).toBe(expected)
  })
})

describe('boundedValueProblem', () => {
  const roomy = { depth: 100, nodes: 100 }

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'hi'],
    ['an empty string', ''],
    ['true', true],
    ['false', false],
    ['zero', 0],
    ['a negative float', -1.5],
    ['Number.MAX_VALUE', Number.MAX_VALUE],
    ['an empty array', []],
    ['an empty object', {}],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { a: 1 })],
    ['nested plain data', { a: [1, 'two', null, { b: false }], c: {} }],
  ])('accepts %s', (_, value) => {
    expect(boundedValueProblem(value, roomy)).toBeNull()
  })

  it.each<[string, unknown, string]>([
    ['NaN', NaN, 'holds a number that is not finite'],
    ['Infinity', Infinity, 'holds a number that is not finite'],
    ['-Infinity', -Infinity, 'holds a number that is not finite'],
    ['NaN inside an object', { a: [1, NaN] }, 'holds a number that is not finite'],
    ['a bigint', 10n, 'holds a bigint, which JSON cannot carry'],
    ['a symbol', Symbol('s'), 'holds a symbol, which JSON cannot carry'],
    ['a function', () => 1, 'holds a function, which JSON cannot carry'],
    ['undefined', undefined, 'holds undefined, which JSON cannot carry'],
    ['undefined in an object', { a: undefined }, 'holds undefined, which JSON cannot carry'],
    ['a function in an array', [1, () => 1], 'holds a function, which JSON cannot carry'],
    ['a Date', new Date(0), 'holds an object that is not plain data'],
    ['a Map', new Map([['a', 1]]), 'holds an object that is not plain data'],
    ['a Set', new Set([1]), 'holds an object that is not plain data'],
    ['a class instance', new (class Point {})(), 'holds an object that is not plain data'],
    ['a RegExp', /x/, 'holds an object that is not plain data'],
    ['a boxed string', Object('s'), 'holds an object that is not plain data'],
    ['a typed array', new Uint8Array(2), 'holds an object that is not plain data'],
    [
      'a Date deep inside',
      { a: [{ when: new Date(0) }] },
      'holds an object that is not plain data',
    ],
  ])('refuses %s', (_, value, problem) => {
    expect(boundedValueProblem(value, roomy)).toBe(problem)
  })

  it('allows exactly `depth` levels of nesting, and refuses one more', () => {
    expect(boundedValueProblem(nested(2), { depth: 2, nodes: 10 })).toBeNull()
    expect(boundedValueProblem(nested(3), { depth: 2, nodes: 10 })).toBe(
      'nests deeper than 2 levels',
    )
    expect(boundedValueProblem({ a: { b: 1 } }, { depth: 2, nodes: 10 })).toBeNull()
    expect(boundedValueProblem({ a: { b: {} } }, { depth: 2, nodes: 10 })).toBe(
      'nests deeper than 2 levels',
    )
    // Depth 0 allows scalars only.
    expect(boundedValueProblem('s', { depth: 0, nodes: 10 })).toBeNull()
    expect(boundedValueProblem([], { depth: 0, nodes: 10 })).toBe('nests deeper than 0 levels')
  })

  it('uses the real limits: 32 levels for messages, 16 for presence', () => {
    expect(boundedValueProblem(nested(32), MESSAGE_LIMITS)).toBeNull()
    expect(boundedValueProblem(nested(33), MESSAGE_LIMITS)).toBe('nests deeper than 32 levels')
    expect(boundedValueProblem(nested(16), PRESENCE_LIMITS)).toBeNull()
    expect(boundedValueProblem(nested(17), PRESENCE_LIMITS)).toBe('nests deeper than 16 levels')
  })

  it('counts every value, the outer one included, against `nodes`', () => {
    // [1, 2] is three values: the array and two numbers.
    expect(boundedValueProblem([1, 2], { depth: 5, nodes: 3 })).toBeNull()
    expect(boundedValueProblem([1, 2], { depth: 5, nodes: 2 })).toBe('holds more than 2 values')
    expect(boundedValueProblem({ a: { b: 'c' } }, { depth: 5, nodes: 3 })).toBeNull()
    expect(boundedValueProblem({ a: { b: 'c' } }, { depth: 5, nodes: 2 })).toBe(
      'holds more than 2 values',
    )
    expect(boundedValueProblem(null, { depth: 5, nodes: 0 })).toBe('holds more than 0 values')
  })

  it('takes 20,000 values in a message and 1,000 in presence, one more is refused', () => {
    // An array of n − 1 numbers is n values.
    expect(boundedValueProblem(new Array(19_999).fill(0), MESSAGE_LIMITS)).toBeNull()
    expect(boundedValueProblem(new Array(20_000).fill(0), MESSAGE_LIMITS)).toBe(
      'holds more than 20000 values',
    )
    expect(boundedValueProblem(new Array(999).fill(0), PRESENCE_LIMITS)).toBeNull()
    expect(boundedValueProblem(new Array(1_000).fill(0), PRESENCE_LIMITS)).toBe(
      'holds more than 1000 values',
    )
  })

  it('refuses a 1e6-element array on the node bound', () => {
    const started = performance.now()
    expect(boundedValueProblem(new Array(1e6).fill(0), MESSAGE_LIMITS)).toBe(
      'holds more than 20000 values',
    )
    // Generous: the point is "not minutes"; it takes ~0.2 s here (see the test below).
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('reads at most `nodes` elements of a 1e6-element array', () => {
    let reads = 0
    const wide = new Proxy(new Array(1e6).fill(0), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++
        return Reflect.get(target, key, receiver) as unknown
      },
    })
    expect(boundedValueProblem(wide, MESSAGE_LIMITS)).toBe('holds more than 20000 values')
    expect(reads).toBeLessThanOrEqual(MESSAGE_LIMITS.nodes)
  })

  it('stops on a cycle: the node bound, or the depth bound first', () => {
    const loop: unknown[] = []
    loop.push(loop)
    expect(boundedValueProblem(loop, { depth: Infinity, nodes: 50 })).toBe(
      'holds more than 50 values',
    )
    expect(boundedValueProblem(loop, MESSAGE_LIMITS)).toBe('nests deeper than 32 levels')

    const self: Record<string, unknown> = { a: 1 }
    self.self = self
    expect(boundedValueProblem(self, { depth: Infinity, nodes: 50 })).toBe(
      'holds more than 50 values',
    )
    expect(boundedValueProblem(self, PRESENCE_LIMITS)).toBe('nests deeper than 16 levels')
  })

  it('stops on a wide cycle on the node bound', () => {
    const loop: unknown[] = []
    for (let i = 0; i < 10; i++) loop.push(loop)
    expect(boundedValueProblem(loop, { depth: Infinity, nodes: 1_000 })).toBe(
      'holds more than 1000 values',
    )
  })

  it('reads an own "__proto__" key as plain data, without touching any prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": 1}, "a": [1]}') as object
    expect(boundedValueProblem(value, roomy)).toBeNull()
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    // Its value is walked like any other.
    expect(boundedValueProblem(withOwnProto({}, NaN), roomy)).toBe(
      'holds a number that is not finite',
    )
  })
})

describe('readPresenceNotice', () => {
  describe('accepts every variant, rebuilt', () => {
    it.each<[string, unknown, PresenceNotice]>([
      [
        'peers, with self',
        { t: 'peers', self: 'ada', peers: [peer('ada'), peer('bob', { data: { c: 1 } })] },
        {
          t: 'peers',
          self: 'ada',
          peers: [peer('ada'), { id: 'bob', joinedAt: 1_000, lastSeenAt: 2_000, data: { c: 1 } }],
        },
      ],
      [
        'peers, self null, none',
        { t: 'peers', self: null, peers: [] },
        { t: 'peers', self: null, peers: [] },
      ],
      ['joined', { t: 'joined', peer: peer() }, { t: 'joined', peer: peer() }],
      [
        'updated, with data null',
        { t: 'updated', peer: peer('ada', { data: null }) },
        { t: 'updated', peer: { id: 'ada', joinedAt: 1_000, lastSeenAt: 2_000, data: null } },
      ],
      [
        'left QUIT',
        { t: 'left', id: 'ada', reason: 'QUIT', at: 5 },
        { t: 'left', id: 'ada', reason: 'QUIT', at: 5 },
      ],
      [
        'left DROPPED at 0',
        { t: 'left', id: 'ada', reason: 'DROPPED', at: 0 },
        { t: 'left', id: 'ada', reason: 'DROPPED', at: 0 },
      ],
      [
        'a 128-character id',
        { t: 'joined', peer: peer(ID_128) },
        { t: 'joined', peer: peer(ID_128) },
      ],
    ])('%s', (_, value, expected) => {
      const read = readPresenceNotice(value)
      expect(read).toStrictEqual(expected)
      expect(read).not.toBe(value)
    })
  })

  it('accepts exactly MAX_PEERS peers', () => {
    const peers = Array.from({ length: MAX_PEERS }, (_, i) => peer(`p${i}`))
    const read = readPresenceNotice({ t: 'peers', self: null, peers })
    expect(read.t === 'peers' && read.peers.length).toBe(10_000)
  })

  it('drops every field it does not know, at every level', () => {
    expect(
      readPresenceNotice({
        t: 'peers',
        self: 'ada',
        extra: 1,
        peers: [{ ...peer('ada'), role: 'admin', data: { kept: true } }],
      }),
    ).toStrictEqual({
      t: 'peers',
      self: 'ada',
      peers: [{ id: 'ada', joinedAt: 1_000, lastSeenAt: 2_000, data: { kept: true } }],
    })
    expect(
      readPresenceNotice({ t: 'joined', peer: peer('ada', { admin: true }), x: 1 }),
    ).toStrictEqual({ t: 'joined', peer: peer('ada') })
    expect(
      readPresenceNotice({ t: 'left', id: 'ada', reason: 'QUIT', at: 1, peer: peer() }),
    ).toStrictEqual({ t: 'left', id: 'ada', reason: 'QUIT', at: 1 })
  })

  it('leaves out data that is undefined', () => {
    const read = readPresenceNotice({ t: 'joined', peer: peer('ada', { data: undefined }) })
    expect(read.t === 'joined' && Object.keys(read.peer)).toEqual(['id', 'joinedAt', 'lastSeenAt'])
  })

  it('ignores a hostile "__proto__" key and pollutes nothing', () => {
    const notice = JSON.parse(
      '{"t":"joined","peer":{"id":"ada","joinedAt":1,"lastSeenAt":2,"__proto__":{"isAdmin":true}},"__proto__":{"t":"left"}}',
    ) as unknown
    const read = readPresenceNotice(notice)
    expect(read).toStrictEqual({ t: 'joined', peer: { id: 'ada', joinedAt: 1, lastSeenAt: 2 } })
    expect(read.t === 'joined' && Object.getPrototypeOf(read.peer)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    // A `t` only under "__proto__" is no `t` at all.
    expect(() => readPresenceNotice(withOwnProto({}, { t: 'left' }))).toThrow(
      new TypeError('unknown presence notice "undefined"'),
    )
  })

  it('keeps a "__proto__" key inside peer data as data, and checks it', () => {
    const data = JSON.parse('{"__proto__":{"x":1}}') as unknown
    const read = readPresenceNotice({ t: 'updated', peer: peer('ada', { data }) })
    expect(read.t === 'updated' && read.peer.data).toBe(data)
    expect(() =>
      readPresenceNotice({
        t: 'updated',
        peer: peer('ada', { data: withOwnProto({}, nested(20)) }),
      }),
    ).toThrow(new TypeError('peer ada: its data nests deeper than 16 levels'))
  })

  it.each<[string, unknown, string]>([
    ['null', null, 'a presence notice must be an object'],
    ['a string', 'peers', 'a presence notice must be an object'],
    ['an array', [], 'a presence notice must be an object'],
    ['no t', {}, 'unknown presence notice "undefined"'],
    ['an unknown t', { t: 'kicked' }, 'unknown presence notice "kicked"'],
    ['a numeric t', { t: 1 }, 'unknown presence notice "1"'],
    [
      'a long t, cut to 40 characters',
      { t: 'y'.repeat(100) },
      `unknown presence notice "${'y'.repeat(39)}`,
    ],
    // peers
    [
      'peers without self',
      { t: 'peers', peers: [] },
      "a 'peers' notice needs self: an id, or null",
    ],
    [
      'peers, self empty',
      { t: 'peers', self: '', peers: [] },
      "a 'peers' notice needs self: an id, or null",
    ],
    [
      'peers, self too long',
      { t: 'peers', self: ID_129, peers: [] },
      "a 'peers' notice needs self: an id, or null",
    ],
    [
      'peers, self a number',
      { t: 'peers', self: 7, peers: [] },
      "a 'peers' notice needs self: an id, or null",
    ],
    [
      'peers missing',
      { t: 'peers', self: null },
      "a 'peers' notice needs peers: an array of at most 10000",
    ],
    [
      'peers an object',
      { t: 'peers', self: null, peers: {} },
      "a 'peers' notice needs peers: an array of at most 10000",
    ],
    [
      'a peer with no id',
      { t: 'peers', self: null, peers: [{ joinedAt: 1, lastSeenAt: 1 }] },
      'a peer needs an id: a string of 1 to 128 characters',
    ],
    [
      'a peer that is null',
      { t: 'peers', self: null, peers: [peer('ada'), null] },
      'a peer needs an id: a string of 1 to 128 characters',
    ],
    // joined / updated
    [
      'joined without a peer',
      { t: 'joined' },
      'a peer needs an id: a string of 1 to 128 characters',
    ],
    [
      'joined, an array peer',
      { t: 'joined', peer: [] },
      'a peer needs an id: a string of 1 to 128 characters',
    ],
    [
      'joined, an empty id',
      { t: 'joined', peer: peer('') },
      'a peer needs an id: a string of 1 to 128 characters',
    ],
    [
      'joined, a 129-character id',
      { t: 'joined', peer: peer(ID_129) },
      'a peer needs an id: a string of 1 to 128 characters',
    ],
    [
      'updated, a numeric id',
      { t: 'updated', peer: peer(1 as unknown as string) },
      'a peer needs an id: a string of 1 to 128 characters',
    ],
    ...(
      [
        ['no joinedAt', { joinedAt: undefined }],
        ['a string joinedAt', { joinedAt: '1000' }],
        ['a negative joinedAt', { joinedAt: -1 }],
        ['a NaN joinedAt', { joinedAt: NaN }],
        ['an infinite lastSeenAt', { lastSeenAt: Infinity }],
        ['a null lastSeenAt', { lastSeenAt: null }],
      ] as const
    ).map(([what, change]): [string, unknown, string] => [
      `updated, ${what}`,
      { t: 'updated', peer: { ...peer(), ...change } },
      'peer ada: joinedAt and lastSeenAt must be epoch milliseconds',
    ]),
    [
      'updated, data too deep',
      { t: 'updated', peer: peer('ada', { data: nested(17) }) },
      'peer ada: its data nests deeper than 16 levels',
    ],
    [
      'joined, data too large',
      { t: 'joined', peer: peer('ada', { data: new Array(1_000).fill(0) }) },
      'peer ada: its data holds more than 1000 values',
    ],
    [
      'joined, data not plain',
      { t: 'joined', peer: peer('ada', { data: { at: new Date(0) } }) },
      'peer ada: its data holds an object that is not plain data',
    ],
    [
      'joined, data NaN',
      { t: 'joined', peer: peer('ada', { data: NaN }) },
      'peer ada: its data holds a number that is not finite',
    ],
    // left
    ['left without an id', { t: 'left', reason: 'QUIT', at: 1 }, "a 'left' notice needs an id"],
    [
      'left, a long id',
      { t: 'left', id: ID_129, reason: 'QUIT', at: 1 },
      "a 'left' notice needs an id",
    ],
    [
      'left without a reason',
      { t: 'left', id: 'ada', at: 1 },
      "a 'left' notice needs reason 'QUIT' or 'DROPPED'",
    ],
    [
      'left, reason quit',
      { t: 'left', id: 'ada', reason: 'quit', at: 1 },
      "a 'left' notice needs reason 'QUIT' or 'DROPPED'",
    ],
    [
      'left without at',
      { t: 'left', id: 'ada', reason: 'QUIT' },
      "a 'left' notice needs at: epoch milliseconds",
    ],
    [
      'left, at negative',
      { t: 'left', id: 'ada', reason: 'QUIT', at: -5 },
      "a 'left' notice needs at: epoch milliseconds",
    ],
    [
      'left, at NaN',
      { t: 'left', id: 'ada', reason: 'QUIT', at: NaN },
      "a 'left' notice needs at: epoch milliseconds",
    ],
    [
      'left, at a string',
      { t: 'left', id: 'ada', reason: 'QUIT', at: '1' },
      "a 'left' notice needs at: epoch milliseconds",
    ],
  ])('refuses %s', (_, value, message) => {
    expect(() => readPresenceNotice(value)).toThrow(new TypeError(message))
  })

  it('refuses MAX_PEERS + 1 peers before reading any of them', () => {
    const peers = new Array(MAX_PEERS + 1).fill(null)
    expect(() => readPresenceNotice({ t: 'peers', self: null, peers })).toThrow(
      new TypeError("a 'peers' notice needs peers: an array of at most 10000"),
    )
  })

  it('throws a TypeError, not another error', () => {
    expect(() => readPresenceNotice({ t: 'left' })).toThrow(TypeError)
  })
})

describe('readOutgoingMessage', () => {
  it.each<[unknown, unknown]>([
    [
      { id: 'm1', data: { text: 'hi' } },
      { id: 'm1', data: { text: 'hi' } },
    ],
    [
      { id: 'm1', data: null },
      { id: 'm1', data: null },
    ],
    [
      { id: ID_128, data: 0 },
      { id: ID_128, data: 0 },
    ],
    [
      { id: 'm1', data: 'x', from: 'ada', extra: 1 },
      { id: 'm1', data: 'x' },
    ],
  ])('accepts %j', (value, expected) => {
    expect(readOutgoingMessage(value)).toStrictEqual(expected)
  })

  it('passes the data through as the same value', () => {
    const data = { list: [1, 2] }
    expect(readOutgoingMessage({ id: 'm1', data }).data).toBe(data)
  })

  it.each<[string, unknown, string]>([
    ['null', null, 'a message needs an id: a string of 1 to 128 characters'],
    ['an array', ['m1'], 'a message needs an id: a string of 1 to 128 characters'],
    ['no id', { data: 1 }, 'a message needs an id: a string of 1 to 128 characters'],
    ['an empty id', { id: '', data: 1 }, 'a message needs an id: a string of 1 to 128 characters'],
    [
      'a long id',
      { id: ID_129, data: 1 },
      'a message needs an id: a string of 1 to 128 characters',
    ],
    ['a numeric id', { id: 1, data: 1 }, 'a message needs an id: a string of 1 to 128 characters'],
    ['no data', { id: 'm1' }, 'message m1: its data holds undefined, which JSON cannot carry'],
    [
      'too deep',
      { id: 'm1', data: nested(33) },
      'message m1: its data nests deeper than 32 levels',
    ],
    [
      'too large',
      { id: 'm1', data: new Array(20_000).fill('') },
      'message m1: its data holds more than 20000 values',
    ],
    [
      'a bigint',
      { id: 'm1', data: [1n] },
      'message m1: its data holds a bigint, which JSON cannot carry',
    ],
    [
      'a Map',
      { id: 'm1', data: new Map() },
      'message m1: its data holds an object that is not plain data',
    ],
  ])('refuses %s', (_, value, message) => {
    expect(() => readOutgoingMessage(value)).toThrow(new TypeError(message))
  })
})

describe('readRelayedMessage', () => {
  it.each<[unknown, unknown]>([
    [
      { from: 'ada', id: 'm1', data: 'hi' },
      { from: 'ada', id: 'm1', data: 'hi' },
    ],
    [
      { from: null, id: 'm1', data: [1] },
      { from: null, id: 'm1', data: [1] },
    ],
    [
      { from: ID_128, id: 'm1', data: 1, extra: true },
      { from: ID_128, id: 'm1', data: 1 },
    ],
  ])('accepts %j', (value, expected) => {
    expect(readRelayedMessage(value)).toStrictEqual(expected)
  })

  it.each<[string, unknown, string]>([
    ['null', null, 'a relayed message must be an object'],
    ['an array', [], 'a relayed message must be an object'],
    ['no from', { id: 'm1', data: 1 }, 'a relayed message needs from: a peer id, or null'],
    [
      'an empty from',
      { from: '', id: 'm1', data: 1 },
      'a relayed message needs from: a peer id, or null',
    ],
    [
      'a long from',
      { from: ID_129, id: 'm1', data: 1 },
      'a relayed message needs from: a peer id, or null',
    ],
    [
      'a numeric from',
      { from: 3, id: 'm1', data: 1 },
      'a relayed message needs from: a peer id, or null',
    ],
    ['no id', { from: 'ada', data: 1 }, 'a message needs an id: a string of 1 to 128 characters'],
    [
      'bad data',
      { from: 'ada', id: 'm1', data: Infinity },
      'message m1: its data holds a number that is not finite',
    ],
  ])('refuses %s', (_, value, message) => {
    expect(() => readRelayedMessage(value)).toThrow(new TypeError(message))
  })
})

describe('readSendReply', () => {
  it.each<[unknown, unknown]>([
    [{ ok: true }, { ok: true }],
    [
      { ok: true, duplicate: true },
      { ok: true, duplicate: true },
    ],
    [{ ok: true, duplicate: false }, { ok: true }],
    [{ ok: true, duplicate: 'yes' }, { ok: true }],
    [{ ok: true, error: 'ignored' }, { ok: true }],
    [
      { ok: false, error: 'no room' },
      { ok: false, error: 'no room' },
    ],
    [
      { ok: false, error: '' },
      { ok: false, error: '' },
    ],
    [
      { ok: false, error: 'x', duplicate: true },
      { ok: false, error: 'x' },
    ],
  ])('reads %j', (value, expected) => {
    expect(readSendReply(value)).toStrictEqual(expected)
  })

  it('cuts an error to 500 characters', () => {
    const reply = readSendReply({ ok: false, error: 'e'.repeat(501) })
    expect(reply).toStrictEqual({ ok: false, error: 'e'.repeat(500) })
    expect(readSendReply({ ok: false, error: 'f'.repeat(500) })).toStrictEqual({
      ok: false,
      error: 'f'.repeat(500),
    })
  })

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['true', true],
    ['an array', [true]],
    ['no ok', {}],
    ['ok "true"', { ok: 'true' }],
    ['ok 1', { ok: 1 }],
    ['ok false without an error', { ok: false }],
    ['ok false with a numeric error', { ok: false, error: 500 }],
    ['ok false with an object error', { ok: false, error: { message: 'x' } }],
  ])('refuses %s', (_, value) => {
    expect(() => readSendReply(value)).toThrow(
      new TypeError("the server's answer is neither { ok: true } nor { ok: false, error }"),
    )
  })
})

describe('seeded fuzz: the readers return a valid value or throw a TypeError', () => {
  /** mulberry32: a tiny PRNG, so a failure reproduces from its seed. */
  function prng(seed: number) {
    let a = seed >>> 0
    return () => {
      a = (a + 0x6d2b79f5) >>> 0
      let t = a
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }

  const KEYS = [
    't',
    'id',
    'self',
    'peers',
    'peer',
    'reason',
    'at',
    'joinedAt',
    'lastSeenAt',
    'data',
    'from',
    'ok',
    'error',
    'duplicate',
    '__proto__',
    'constructor',
    'x',
  ]
  const STRINGS = [
    '',
    'ada',
    'peers',
    'joined',
    'updated',
    'left',
    'QUIT',
    'DROPPED',
    'm1',
    ID_128,
    ID_129,
    '__proto__',
    'e'.repeat(600),
  ]
  const NUMBERS = [0, 1, -1, 1.5, 1e300, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER]

  function generator(random: () => number) {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
    function value(depth: number): unknown {
      const roll = random()
      if (depth > 4 || roll < 0.35) {
        return pick<unknown>([
          null,
          undefined,
          true,
          false,
          pick(STRINGS),
          pick(NUMBERS),
          7n,
          Symbol('s'),
          () => 0,
          new Date(0),
        ])
      }
      if (roll < 0.5)
        return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1))
      if (roll < 0.7) return record(depth)
      return shaped(depth)
    }
    function record(depth: number) {
      const out: Record<string, unknown> = {}
      const count = Math.floor(random() * 5)
      for (let i = 0; i < count; i++)
        Object.defineProperty(out, pick(KEYS), {
          value: value(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        })
      return out
    }
    /** Close to a valid value, with a field or two swapped for random ones. */
    function shaped(depth: number): Record<string, unknown> {
      const peerLike = () => ({
        id: pick(STRINGS),
        joinedAt: pick(NUMBERS),
        lastSeenAt: 5,
        data: value(depth + 2),
      })
      const base = pick<Record<string, unknown>>([
        { t: 'peers', self: pick(['ada', null, '']), peers: [peerLike(), peerLike()] },
        { t: pick(['joined', 'updated']), peer: peerLike() },
        { t: 'left', id: pick(STRINGS), reason: pick(['QUIT', 'DROPPED', 'x']), at: pick(NUMBERS) },
        { id: pick(STRINGS), data: value(depth + 1), from: pick(['ada', null, 5]) },
        {
          ok: pick([true, false, 'true']),
          error: pick([...STRINGS, 3]),
          duplicate: pick([true, 1]),
        },
      ])
      if (random() < 0.5) base[pick(KEYS)] = value(depth + 1)
      return base
    }
    return () => value(0)
  }

  const plain = (v: unknown) => boundedValueProblem(v, { depth: 64, nodes: 1e6 }) === null
  const isTime = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0
  const keysAre = (v: object, keys: string[]) =>
    expect(Object.keys(v).sort()).toEqual([...keys].sort())

  function checkPeer(p: unknown) {
    const q = p as Record<string, unknown>
    keysAre(
      q,
      'data' in q ? ['id', 'joinedAt', 'lastSeenAt', 'data'] : ['id', 'joinedAt', 'lastSeenAt'],
    )
    expect(isWireId(q.id)).toBe(true)
    expect(isTime(q.joinedAt) && isTime(q.lastSeenAt)).toBe(true)
    if ('data' in q) expect(boundedValueProblem(q.data, PRESENCE_LIMITS)).toBeNull()
  }

  const readers: [string, (v: unknown) => unknown, (out: unknown) => void][] = [
    [
      'readPresenceNotice',
      readPresenceNotice,
      (out) => {
        const n = out as Record<string, unknown>
        if (n.t === 'peers') {
          keysAre(n, ['t', 'self', 'peers'])
          expect(n.self === null || isWireId(n.self)).toBe(true)
          ;(n.peers as unknown[]).forEach(checkPeer)
        } else if (n.t === 'joined' || n.t === 'updated') {
          keysAre(n, ['t', 'peer'])
          checkPeer(n.peer)
        } else {
          keysAre(n, ['t', 'id', 'reason', 'at'])
          expect(n.t).toBe('left')
          expect(isWireId(n.id) && ['QUIT', 'DROPPED'].includes(n.reason as string)).toBe(true)
          expect(isTime(n.at)).toBe(true)
        }
      },
    ],
    [
      'readOutgoingMessage',
      readOutgoingMessage,
      (out) => {
        keysAre(out as object, ['id', 'data'])
        const m = out as Record<string, unknown>
        expect(isWireId(m.id) && plain(m.data)).toBe(true)
      },
    ],
    [
      'readRelayedMessage',
      readRelayedMessage,
      (out) => {
        keysAre(out as object, ['from', 'id', 'data'])
        const m = out as Record<string, unknown>
        expect((m.from === null || isWireId(m.from)) && isWireId(m.id) && plain(m.data)).toBe(true)
      },
    ],
    [
      'readSendReply',
      readSendReply,
      (out) => {
        const r = out as Record<string, unknown>
        if (r.ok === true) keysAre(r, r.duplicate === true ? ['ok', 'duplicate'] : ['ok'])
        else {
          keysAre(r, ['ok', 'error'])
          expect(r.ok === false && typeof r.error === 'string' && r.error.length <= 500).toBe(true)
        }
      },
    ],
  ]

  it.each(readers)('%s, 2,000 values from seed 20261203', (_, read, check) => {
    const next = generator(prng(20261203))
    const outcomes = { valid: 0, refused: 0 }
    for (let i = 0; i < 2_000; i++) {
      const input = next()
      let out: unknown
      try {
        out = read(input)
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError)
        outcomes.refused++
        continue
      }
      check(out)
      // What a reader returns, it accepts again unchanged.
      expect(read(out)).toStrictEqual(out)
      outcomes.valid++
    }
    expect(outcomes.valid + outcomes.refused).toBe(2_000)
    // The generator reaches both outcomes, so the loop proves something either way.
    expect(outcomes.valid).toBeGreaterThan(20)
    expect(outcomes.refused).toBeGreaterThan(20)
  })
})
