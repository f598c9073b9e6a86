import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  presets,
  realClock,
  resolveOptions,
  resolveUrl,
  type ClientOptions,
  type WebSocketConstructor,
} from '../../../src/core/options.js'
import { linklightProtocol, plainProtocol } from '../../../src/core/protocol.js'

const FakeSocket = class {} as unknown as WebSocketConstructor
const fakeClock = { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} }

/** The error `fn` throws (the test fails if it throws nothing). */
function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw, but nothing was thrown')
}

describe('presets', () => {
  it('presets.deepstream holds the defaults of the option table', () => {
    expect({ ...presets.deepstream }).toEqual({
      reconnectIntervalIncrement: 4000,
      maxReconnectInterval: 180_000,
      reconnectJitter: 0,
      maxReconnectAttempts: 5,
      heartbeatInterval: 30_000,
      heartbeatFailure: 'error',
      connectTimeout: 10_000,
      lazyConnect: false,
      autoLogin: false,
      queueLimit: 1000,
    })
  })

  it('agora: presets.agora reproduces the Agora timeline', () => {
    expect(presets.agora).toMatchObject({
      interruptedAfter: 4000,
      lostAfter: 15_000,
      giveUpAfter: 1_200_000,
      maxReconnectAttempts: Infinity,
      heartbeatFailure: 'reconnect',
    })
  })

  it('agora: a healthy idle link has data within interruptedAfter, and silence reads INTERRUPTED first', () => {
    const { heartbeatInterval, interruptedAfter } = presets.agora
    // A ping (and so its pong) comes more often than interruptedAfter...
    expect(heartbeatInterval).toBeLessThan(interruptedAfter)
    // ...and interruptedAfter ends before two missed heartbeats would.
    expect(2 * heartbeatInterval).toBeGreaterThan(interruptedAfter)
  })

  it('agora: presets.agora retries on a short cadence', () => {
    expect(presets.agora.maxReconnectInterval).toBeLessThanOrEqual(presets.agora.interruptedAfter)
    expect(presets.agora.reconnectIntervalIncrement).toBeLessThan(
      presets.deepstream.reconnectIntervalIncrement,
    )
  })

  it('presets are frozen', () => {
    expect(Object.isFrozen(presets)).toBe(true)
    expect(Object.isFrozen(presets.deepstream)).toBe(true)
    expect(Object.isFrozen(presets.agora)).toBe(true)
  })

  it('both presets pass validation as they are', () => {
    expect(() => resolveOptions({ ...presets.deepstream, WebSocket: FakeSocket })).not.toThrow()
    expect(() => resolveOptions({ ...presets.agora, WebSocket: FakeSocket })).not.toThrow()
  })

  it('a preset can be spread and overridden', () => {
    const o = resolveOptions({ ...presets.agora, heartbeatInterval: 2000, WebSocket: FakeSocket })
    expect(o.heartbeatInterval).toBe(2000)
    expect(o.lostAfter).toBe(15_000)
    expect(o.heartbeatFailure).toBe('reconnect')
    expect(presets.agora.heartbeatInterval).toBe(2500)
  })
})

describe('resolveOptions', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('the defaults are presets.deepstream, with interruptedAfter, lostAfter and giveUpAfter off', () => {
    const o = resolveOptions({ WebSocket: FakeSocket })
    expect(o).toMatchObject({ ...presets.deepstream })
    expect(o).toMatchObject({
      reconnectIntervalIncrement: 4000,
      maxReconnectInterval: 180_000,
      maxReconnectAttempts: 5,
      heartbeatInterval: 30_000,
      heartbeatFailure: 'error',
      connectTimeout: 10_000,
      lazyConnect: false,
      autoLogin: false,
      queueLimit: 1000,
      interruptedAfter: Infinity,
      lostAfter: Infinity,
      giveUpAfter: Infinity,
    })
    expect(o.protocol).toBe(linklightProtocol)
    expect(o.clock).toBe(realClock)
    expect(o.WebSocket).toBe(FakeSocket)
  })

  it('options given override the defaults', () => {
    const protocol = plainProtocol()
    const o = resolveOptions({
      WebSocket: FakeSocket,
      heartbeatInterval: 1000,
      lostAfter: 2000,
      protocol,
      clock: fakeClock,
      lazyConnect: true,
    })
    expect(o).toMatchObject({ heartbeatInterval: 1000, lostAfter: 2000, lazyConnect: true })
    expect(o.protocol).toBe(protocol)
    expect(o.clock).toBe(fakeClock)
  })

  it('an option given as undefined keeps its default', () => {
    const o = resolveOptions({
      WebSocket: FakeSocket,
      heartbeatInterval: undefined,
      interruptedAfter: undefined,
      lostAfter: undefined,
      giveUpAfter: undefined,
      queueLimit: undefined,
    } as ClientOptions)
    expect(o.heartbeatInterval).toBe(30_000)
    expect(o.interruptedAfter).toBe(Infinity)
    expect(o.lostAfter).toBe(Infinity)
    expect(o.giveUpAfter).toBe(Infinity)
    expect(o.queueLimit).toBe(1000)
  })

  it('a preset overridden with undefined falls back to the default, not to the preset', () => {
    const o = resolveOptions({ ...presets.agora, lostAfter: undefined, WebSocket: FakeSocket })
    expect(o.lostAfter).toBe(Infinity)
  })

  it('does not modify the options object it is given', () => {
    const options: ClientOptions = { WebSocket: FakeSocket, heartbeatInterval: 1000 }
    resolveOptions(options)
    expect(options).toEqual({ WebSocket: FakeSocket, heartbeatInterval: 1000 })
  })

  // [option, bad value, how the message shows it]
  const invalid: [keyof ClientOptions, unknown, string][] = [
    ['reconnectIntervalIncrement', -1, '-1'],
    ['reconnectIntervalIncrement', NaN, 'NaN'],
    ['reconnectIntervalIncrement', Infinity, 'Infinity'],
    ['reconnectIntervalIncrement', '4000', '"4000"'],
    ['reconnectJitter', -0.1, '-0.1'],
    ['reconnectJitter', 1.5, '1.5'],
    ['reconnectJitter', '0.5', '"0.5"'],
    ['maxReconnectInterval', -1, '-1'],
    ['maxReconnectInterval', NaN, 'NaN'],
    ['maxReconnectInterval', '1s', '"1s"'],
    ['maxReconnectAttempts', 0, '0'],
    ['maxReconnectAttempts', -1, '-1'],
    ['maxReconnectAttempts', 1.5, '1.5'],
    ['maxReconnectAttempts', NaN, 'NaN'],
    ['maxReconnectAttempts', '5', '"5"'],
    ['heartbeatInterval', 0, '0'],
    ['heartbeatInterval', -1000, '-1000'],
    ['heartbeatInterval', NaN, 'NaN'],
    ['heartbeatInterval', Infinity, 'Infinity'],
    ['heartbeatInterval', '30s', '"30s"'],
    ['heartbeatFailure', 'ERROR', '"ERROR"'],
    ['heartbeatFailure', 'close', '"close"'],
    ['heartbeatFailure', true, 'true'],
    ['interruptedAfter', 0, '0'],
    ['interruptedAfter', -1, '-1'],
    ['interruptedAfter', NaN, 'NaN'],
    ['interruptedAfter', '4000', '"4000"'],
    ['lostAfter', 0, '0'],
    ['lostAfter', -15_000, '-15000'],
    ['lostAfter', NaN, 'NaN'],
    ['lostAfter', false, 'false'],
    ['giveUpAfter', 0, '0'],
    ['giveUpAfter', -1, '-1'],
    ['giveUpAfter', NaN, 'NaN'],
    ['giveUpAfter', '20min', '"20min"'],
    ['connectTimeout', 0, '0'],
    ['connectTimeout', -1, '-1'],
    ['connectTimeout', NaN, 'NaN'],
    ['connectTimeout', Infinity, 'Infinity'],
    ['lazyConnect', 'true', '"true"'],
    ['lazyConnect', 1, '1'],
    ['autoLogin', 'yes', '"yes"'],
    ['autoLogin', 0, '0'],
    ['queueLimit', -1, '-1'],
    ['queueLimit', 1.5, '1.5'],
    ['queueLimit', NaN, 'NaN'],
    ['queueLimit', '10', '"10"'],
    [
      'protocol',
      { handshake: true, encode: () => '', decode: () => ({ t: 'pong' }), ping: () => '' },
      'object',
    ],
    ['protocol', 'json', '"json"'],
    ['clock', { setTimeout, clearTimeout }, 'object'],
    ['clock', Date.now, 'function'],
    ['WebSocket', {}, 'object'],
    ['WebSocket', 'ws', '"ws"'],
  ]

  it('the invalid-value table covers every option', () => {
    const covered = new Set(invalid.map(([name]) => name))
    const all = Object.keys({
      ...presets.agora,
      protocol: 0,
      clock: 0,
      WebSocket: 0,
    } satisfies Record<keyof ClientOptions, unknown>)
    expect([...covered].sort()).toEqual(all.sort())
  })

  it.each(invalid.map(([name, value, shown]) => [name, shown, value] as const))(
    '%s = %s throws a TypeError naming the option and the value',
    (name, shown, value) => {
      const error = thrown(() =>
        resolveOptions({ WebSocket: FakeSocket, [name]: value } as ClientOptions),
      )
      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toContain(`createClient: ${name} must be`)
      expect(error.message).toContain(`(got ${shown})`)
    },
  )

  it.each<[keyof ClientOptions, unknown, string]>([
    ['reconnectIntervalIncrement', -1, 'a non-negative number of milliseconds (got -1)'],
    ['maxReconnectInterval', Infinity, 'a non-negative number of milliseconds (got Infinity)'],
    ['heartbeatInterval', 0, 'a positive number of milliseconds (got 0)'],
    ['connectTimeout', '10s', 'a positive number of milliseconds (got "10s")'],
    ['interruptedAfter', 0, 'a positive number or Infinity (off) (got 0)'],
    ['maxReconnectAttempts', 0, 'a positive integer or Infinity (got 0)'],
    ['maxReconnectAttempts', 2 ** 53, 'a positive integer or Infinity (got 9007199254740992)'],
    ['queueLimit', -1, 'a non-negative integer or Infinity (got -1)'],
    ['heartbeatFailure', 'close', `'error' or 'reconnect' (got "close")`],
    ['lazyConnect', 1, 'true or false (got 1)'],
  ])('%s = %s: the whole message says what a valid value is', (name, value, rest) => {
    const { message } = thrown(() =>
      resolveOptions({ WebSocket: FakeSocket, [name]: value } as ClientOptions),
    )
    expect(message).toBe(`createClient: ${name} must be ${rest}`)
  })

  it('the protocol error says what a codec needs', () => {
    const { message } = thrown(() =>
      resolveOptions({ WebSocket: FakeSocket, protocol: {} as never }),
    )
    expect(message).toContain('isPong')
  })

  it('the clock error says what a clock needs', () => {
    const { message } = thrown(() => resolveOptions({ WebSocket: FakeSocket, clock: {} as never }))
    expect(message).toMatch(/now.*setTimeout.*clearTimeout/)
  })

  // Bug: `show` reports null as "object" (typeof null), so the message names the wrong value.
  it('an option given as null is reported as null', () => {
    const { message } = thrown(() =>
      resolveOptions({ WebSocket: FakeSocket, heartbeatInterval: null } as never),
    )
    expect(message).toContain('heartbeatInterval')
    expect(message).toContain('(got null)')
  })

  it.each<[string, ClientOptions]>([
    ['maxReconnectAttempts Infinity', { maxReconnectAttempts: Infinity }],
    ['maxReconnectAttempts 1', { maxReconnectAttempts: 1 }],
    ['maxReconnectAttempts MAX_SAFE_INTEGER', { maxReconnectAttempts: Number.MAX_SAFE_INTEGER }],
    ['queueLimit 0', { queueLimit: 0 }],
    ['queueLimit Infinity', { queueLimit: Infinity }],
    ['interruptedAfter Infinity', { interruptedAfter: Infinity }],
    ['lostAfter Infinity', { lostAfter: Infinity }],
    ['giveUpAfter Infinity', { giveUpAfter: Infinity }],
    ['reconnectIntervalIncrement 0', { reconnectIntervalIncrement: 0 }],
    ['maxReconnectInterval 0', { maxReconnectInterval: 0 }],
    ['heartbeatInterval 1', { heartbeatInterval: 1 }],
    ["heartbeatFailure 'reconnect'", { heartbeatFailure: 'reconnect' }],
    ['a plainProtocol()', { protocol: plainProtocol() }],
    ['a fake clock', { clock: fakeClock }],
  ])('the edge value %s is accepted and kept', (_, option) => {
    const o = resolveOptions({ WebSocket: FakeSocket, ...option })
    expect(o).toMatchObject(option)
  })

  it("with no WebSocket here (Node 20) and none passed, it throws a TypeError pointing to 'ws'", () => {
    vi.stubGlobal('WebSocket', undefined)
    const error = thrown(() => resolveOptions())
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toContain('WebSocket')
    expect(error.message).toContain("from 'ws'")
    expect(() => resolveOptions({})).toThrow(TypeError)
  })

  it('without a WebSocket option it uses globalThis.WebSocket', () => {
    vi.stubGlobal('WebSocket', FakeSocket)
    expect(resolveOptions().WebSocket).toBe(FakeSocket)
  })

  it('options that are not an object throw a TypeError', () => {
    expect(() => resolveOptions('fast' as never)).toThrow(TypeError)
    expect(() => resolveOptions(5 as never)).toThrow(/options must be an object \(got 5\)/)
  })
})

describe('resolveUrl', () => {
  it.each(['ws://127.0.0.1:8787', 'wss://realtime.example/path?x=1'])(
    'accepts the absolute WebSocket URL %s as it is',
    (url) => {
      expect(resolveUrl(url)).toBe(url)
    },
  )

  it.each([
    ['http://127.0.0.1:8787/rt', 'ws://127.0.0.1:8787/rt'],
    ['https://realtime.example', 'wss://realtime.example'],
  ])('turns %s into %s', (url, expected) => {
    expect(resolveUrl(url)).toBe(expected)
  })

  it.each<[string, unknown, string]>([
    ['a relative path', '/socket', '"/socket"'],
    ['a protocol-relative path', '//host/socket', '"//host/socket"'],
    ['an empty string', '', '""'],
    ['a scheme without a host', 'ws://', '"ws://"'],
    ['another scheme', 'ftp://host', '"ftp://host"'],
    ['a number', 8787, '8787'],
    ['undefined', undefined, 'undefined'],
  ])('rejects %s with a TypeError naming url', (_, url, shown) => {
    const error = thrown(() => resolveUrl(url))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toContain('createClient: url must be')
    expect(error.message).toContain(`(got ${shown})`)
  })
})
