import { describe, expect, it } from 'vitest'
import {
  PROTOCOL_VERSION,
  linklightProtocol,
  MAX_FRAME_LENGTH,
  plainProtocol,
  ProtocolError,
  type ClientFrame,
  type ServerFrame,
} from '../../../src/core/protocol.js'

const peer = { id: 'ada', joinedAt: 1, lastSeenAt: 2 }

/** The error `fn` throws (the test fails if it throws nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw, but nothing was thrown')
}

describe('linklightProtocol.decode', () => {
  const valid: ServerFrame[] = [
    { t: 'challenge' },
    { t: 'accept' },
    { t: 'accept', maxPayload: 65536 },
    { t: 'redirect', url: 'ws://other.example' },
    { t: 'welcome', id: 'me', lastSeq: 0, peers: [] },
    { t: 'welcome', id: 'me', lastSeq: 3, peers: [peer, { ...peer, id: 'bob', data: { x: 1 } }] },
    { t: 'rejected', reason: 'INVALID_TOKEN' },
    { t: 'rejected', reason: 'BANNED', message: 'go away' },
    { t: 'pong' },
    { t: 'ack', seq: 7 },
    { t: 'msg', from: 'ada', data: { text: 'hi' } },
    { t: 'msg', from: null, data: null },
    { t: 'joined', peer },
    { t: 'left', id: 'ada', reason: 'QUIT', at: 5 },
    { t: 'left', id: 'ada', reason: 'DROPPED', at: 5 },
    { t: 'updated', peer: { ...peer, data: 'busy' } },
    { t: 'error', code: 'TOO_LARGE', message: 'frame too large' },
    { t: 'error', code: 'SHUTDOWN', message: 'bye', fatal: true },
  ]

  it('protocol: the valid frames cover every server frame kind', () => {
    const kinds = new Set(valid.map((f) => f.t))
    expect([...kinds].sort()).toEqual(
      [
        'accept',
        'ack',
        'challenge',
        'error',
        'joined',
        'left',
        'msg',
        'pong',
        'redirect',
        'rejected',
        'updated',
        'welcome',
      ].sort(),
    )
  })

  it.each(valid.map((frame) => [JSON.stringify(frame), frame] as const))(
    'protocol: accepts %s',
    (raw, frame) => {
      expect(linklightProtocol.decode(raw)).toEqual(frame)
    },
  )

  const malformed: [string, string, RegExp][] = [
    ['invalid JSON', 'hello', /not valid JSON: hello/],
    ['truncated JSON', '{"t":"ack","se', /not valid JSON: \{"t":"ack","se/],
    ['empty text', '', /not valid JSON/],
    ['a number', '42', /JSON object with a string "t"/],
    ['a string', '"ack"', /JSON object with a string "t"/],
    ['null', 'null', /JSON object with a string "t"/],
    ['an array', '[{"t":"ack","seq":1}]', /JSON object with a string "t"/],
    ['an object without t', '{"seq":1}', /JSON object with a string "t"/],
    ['a t that is not a string', '{"t":1}', /JSON object with a string "t"/],
    ['an unknown t', '{"t":"nope"}', /unknown frame type "nope"/],
    ['a t naming an Object.prototype member', '{"t":"toString"}', /unknown frame type "toString"/],
    ['a t of __proto__', '{"t":"__proto__"}', /unknown frame type "__proto__"/],
    ['ack without seq', '{"t":"ack"}', /malformed "ack" frame/],
    ['ack with a string seq', '{"t":"ack","seq":"1"}', /malformed "ack" frame/],
    ['accept with a string maxPayload', '{"t":"accept","maxPayload":"1"}', /malformed "accept"/],
    ['redirect without url', '{"t":"redirect"}', /malformed "redirect" frame/],
    [
      'welcome with a malformed peer',
      '{"t":"welcome","id":"me","lastSeq":0,"peers":[{"id":"ada","joinedAt":1}]}',
      /malformed "welcome" frame/,
    ],
    [
      'welcome with a peer whose id is a number',
      '{"t":"welcome","id":"me","lastSeq":0,"peers":[{"id":1,"joinedAt":1,"lastSeenAt":2}]}',
      /malformed "welcome" frame/,
    ],
    ['welcome without peers', '{"t":"welcome","id":"me","lastSeq":0}', /malformed "welcome"/],
    ['welcome without lastSeq', '{"t":"welcome","id":"me","peers":[]}', /malformed "welcome"/],
    ['rejected without reason', '{"t":"rejected"}', /malformed "rejected" frame/],
    ['msg without data', '{"t":"msg","from":null}', /malformed "msg" frame/],
    ['msg without from', '{"t":"msg","data":1}', /malformed "msg" frame/],
    ['joined without peer', '{"t":"joined"}', /malformed "joined" frame/],
    ['updated with a malformed peer', '{"t":"updated","peer":{"id":"a"}}', /malformed "updated"/],
    ['left with an unknown reason', '{"t":"left","id":"a","reason":"BORED","at":1}', /"left"/],
    ['error without message', '{"t":"error","code":"X"}', /malformed "error" frame/],
  ]

  it.each(malformed)('protocol: refuses %s with a ProtocolError that says why', (_, raw, why) => {
    const error = thrown(() => linklightProtocol.decode(raw))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).name).toBe('ProtocolError')
    expect((error as Error).message).toMatch(why)
  })

  it('protocol: the invalid-JSON message quotes at most 60 characters of the frame', () => {
    const raw = `{${'x'.repeat(500)}`
    const { message } = thrown(() => linklightProtocol.decode(raw)) as Error
    expect(message).toContain('x'.repeat(59))
    expect(message).not.toContain('x'.repeat(60))
  })

  // Bug: the `left` check tests id and reason but not `at`, which the client passes to
  // peerLeft as the leave time (Math.max(lastSeenAt, undefined) is NaN).
  it.each([
    ['without at', '{"t":"left","id":"ada","reason":"QUIT"}'],
    ['with a string at', '{"t":"left","id":"ada","reason":"QUIT","at":"now"}'],
  ])('protocol: refuses a left frame %s (at is required)', (_, raw) => {
    expect(() => linklightProtocol.decode(raw)).toThrow(ProtocolError)
  })

  // Bug: optional fields are checked for accept.maxPayload but not here, so a decoded frame
  // can break its declared type (a "false" string fatal is truthy and ends the connection).
  it.each([
    ['rejected with a non-string message', '{"t":"rejected","reason":"BANNED","message":42}'],
    ['error with a non-boolean fatal', '{"t":"error","code":"X","message":"m","fatal":"false"}'],
  ])('protocol: refuses %s (optional fields keep their declared type)', (_, raw) => {
    expect(() => linklightProtocol.decode(raw)).toThrow(ProtocolError)
  })

  it('protocol: decodes a frame of exactly MAX_FRAME_LENGTH characters', () => {
    const shell = '{"t":"msg","from":null,"data":""}'
    const raw = shell.replace('""', `"${'x'.repeat(MAX_FRAME_LENGTH - shell.length)}"`)
    expect(raw).toHaveLength(MAX_FRAME_LENGTH)
    expect(linklightProtocol.decode(raw)).toMatchObject({ t: 'msg', from: null })
  })

  it('protocol: refuses a frame longer than MAX_FRAME_LENGTH without parsing it', () => {
    const shell = '{"t":"msg","from":null,"data":""}'
    const raw = shell.replace('""', `"${'x'.repeat(MAX_FRAME_LENGTH + 1 - shell.length)}"`)
    const error = thrown(() => linklightProtocol.decode(raw))
    expect(error).toBeInstanceOf(ProtocolError)
    expect((error as Error).message).toContain(`${MAX_FRAME_LENGTH + 1} characters`)
    expect((error as Error).message).toContain(`limit of ${MAX_FRAME_LENGTH}`)
    expect(MAX_FRAME_LENGTH).toBe(1 << 20)
  })
})

describe('linklightProtocol', () => {
  it('protocol: runs the linklight handshake', () => {
    expect(linklightProtocol.handshake).toBe(true)
  })

  it("protocol: isPong recognises exactly the server's pong", () => {
    expect(linklightProtocol.isPong('{"t":"pong"}')).toBe(true)
    expect(linklightProtocol.isPong('{"t":"ping"}')).toBe(false)
    expect(linklightProtocol.isPong('pong')).toBe(false)
    expect(linklightProtocol.isPong('{"t":"ack","seq":1}')).toBe(false)
  })

  it('protocol: the ping text is the encoded ping frame', () => {
    expect(JSON.parse(linklightProtocol.ping())).toEqual({ t: 'ping' })
    expect(linklightProtocol.ping()).toBe(linklightProtocol.encode({ t: 'ping' }))
  })

  const frames: ClientFrame[] = [
    { t: 'hello', v: PROTOCOL_VERSION, url: 'ws://127.0.0.1:8787', session: 'abc' },
    { t: 'auth', credentials: { token: 't' } },
    { t: 'auth', credentials: 'x', presence: { mood: 'ok' } },
    { t: 'ping' },
    { t: 'msg', seq: 1, data: { text: 'hi', n: [1, 2] } },
    { t: 'msg', seq: 2, data: 'plain' },
    { t: 'msg', seq: 3, data: null },
    { t: 'presence', data: { typing: true } },
    { t: 'bye' },
  ]

  it.each(frames.map((f) => [f.t, f] as const))('protocol: encode of %s round-trips', (_, f) => {
    expect(JSON.parse(linklightProtocol.encode(f))).toEqual(f)
  })

  // Bug: JSON.stringify drops `data: undefined`, and the reference server refuses a msg frame
  // without data (src/server/clientFrames.ts), so send(undefined) would never be acknowledged.
  it('protocol: a msg whose data is undefined still carries data, or is refused', () => {
    let text: string
    try {
      text = linklightProtocol.encode({ t: 'msg', seq: 1, data: undefined })
    } catch {
      return
    }
    expect(Object.hasOwn(JSON.parse(text) as object, 'data')).toBe(true)
  })
})

describe('plainProtocol', () => {
  it('protocol: has no handshake', () => {
    expect(plainProtocol().handshake).toBe(false)
  })

  it("protocol: by default pings with 'ping' and takes 'pong' as the answer", () => {
    const p = plainProtocol()
    expect(p.ping()).toBe('ping')
    expect(p.encode({ t: 'ping' })).toBe('ping')
    expect(p.isPong('pong')).toBe(true)
    expect(p.isPong('ping')).toBe(false)
    expect(p.isPong('{"t":"pong"}')).toBe(false)
  })

  it('protocol: uses custom ping and pong texts', () => {
    const p = plainProtocol({ ping: '--heartbeat--', pong: '--alive--' })
    expect(p.ping()).toBe('--heartbeat--')
    expect(p.encode({ t: 'ping' })).toBe('--heartbeat--')
    expect(p.isPong('--alive--')).toBe(true)
    expect(p.isPong('pong')).toBe(false)
  })

  it('protocol: sends a string message as it is and anything else as JSON', () => {
    const p = plainProtocol()
    expect(p.encode({ t: 'msg', seq: 1, data: 'hello' })).toBe('hello')
    expect(p.encode({ t: 'msg', seq: 2, data: '{"a":1}' })).toBe('{"a":1}')
    expect(p.encode({ t: 'msg', seq: 3, data: { a: [1, 'b'] } })).toBe('{"a":[1,"b"]}')
    expect(p.encode({ t: 'msg', seq: 4, data: 42 })).toBe('42')
    expect(p.encode({ t: 'msg', seq: 5, data: null })).toBe('null')
  })

  // Bug: JSON.stringify(undefined) is undefined, so encode returns a non-string; the client's
  // size check then throws inside flush and the rest of that batch is dropped unresolved.
  it('protocol: a message whose data is undefined encodes to a string, or is refused', () => {
    let text: unknown
    try {
      text = plainProtocol().encode({ t: 'msg', seq: 1, data: undefined })
    } catch (error) {
      expect(error).toBeInstanceOf(Error)
      return
    }
    expect(typeof text).toBe('string')
  })

  it.each<ClientFrame>([
    { t: 'hello', v: PROTOCOL_VERSION, url: 'ws://x', session: 's' },
    { t: 'auth', credentials: null },
    { t: 'presence', data: 1 },
    { t: 'bye' },
  ])('protocol: refuses to send a $t frame with a ProtocolError naming it', (frame) => {
    const error = thrown(() => plainProtocol().encode(frame))
    expect(error).toBeInstanceOf(ProtocolError)
    expect((error as Error).message).toContain(`"${frame.t}"`)
  })

  it('protocol: decodes JSON text into a message from the server', () => {
    expect(plainProtocol().decode('{"a":1}')).toEqual({ t: 'msg', from: null, data: { a: 1 } })
    expect(plainProtocol().decode('42')).toEqual({ t: 'msg', from: null, data: 42 })
  })

  it('protocol: delivers text that is not JSON as it is', () => {
    expect(plainProtocol().decode('hello there')).toEqual({
      t: 'msg',
      from: null,
      data: 'hello there',
    })
    expect(plainProtocol().decode('{"t":"ack","se')).toEqual({
      t: 'msg',
      from: null,
      data: '{"t":"ack","se',
    })
  })
})
