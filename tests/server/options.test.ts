/**
 * The reference server's options, checked with the client's rule tables (core/check.ts): every
 * option, given a bad value, throws a TypeError that names it and shows the value.
 */
import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/server/createServer.js'
import { resolveServerOptions, type ServerOptions } from '../../src/server/options.js'

const resolve = (options: unknown) => resolveServerOptions(options as ServerOptions)

/** The error `fn` throws (the test fails if it throws nothing). */
function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw, but nothing was thrown')
}

const positiveMs = 'a positive number of milliseconds'

// [option, bad value, what the option must be, how the message shows the value]
const invalid: [keyof ServerOptions, unknown, string, string][] = [
  ['port', 70_000, 'an integer from 0 to 65535 (0 picks a free port)', '70000'],
  ['port', -1, 'an integer from 0 to 65535 (0 picks a free port)', '-1'],
  ['port', 80.5, 'an integer from 0 to 65535 (0 picks a free port)', '80.5'],
  ['port', '8787', 'an integer from 0 to 65535 (0 picks a free port)', '"8787"'],
  ['host', '', 'a non-empty string', '""'],
  ['host', 127, 'a non-empty string', '127'],
  ['authenticate', true, 'a function', 'true'],
  ['authenticate', { id: 'ada' }, 'a function', '{"id":"ada"}'],
  ['peerTimeout', 0, positiveMs, '0'],
  ['peerTimeout', -1, positiveMs, '-1'],
  ['peerTimeout', Number.NaN, positiveMs, 'NaN'],
  ['peerTimeout', Infinity, positiveMs, 'Infinity'],
  ['peerTimeout', '20s', positiveMs, '"20s"'],
  ['maxPayload', 0, 'a positive integer number of bytes', '0'],
  ['maxPayload', 1.5, 'a positive integer number of bytes', '1.5'],
  ['maxPayload', Infinity, 'a positive integer number of bytes', 'Infinity'],
  ['allowedOrigins', 'https://a', 'an array of origin strings', '"https://a"'],
  ['allowedOrigins', ['https://a', 5], 'an array of origin strings', '["https://a",5]'],
  ['allowedOrigins', new Set(['https://a']), 'an array of origin strings', 'object'],
  ['onMessage', {}, 'a function', '{}'],
  ['onMessage', 'log', 'a function', '"log"'],
  ['handshakeTimeout', 0, positiveMs, '0'],
  ['handshakeTimeout', Infinity, positiveMs, 'Infinity'],
  ['maxConnections', 0, 'a positive integer', '0'],
  ['maxConnections', Infinity, 'a positive integer', 'Infinity'],
  ['maxBufferedBytes', 1023, 'an integer number of bytes >= 1024', '1023'],
  ['maxBufferedBytes', 4096.5, 'an integer number of bytes >= 1024', '4096.5'],
  ['maxFramesPerSecond', 0.5, 'a number >= 1 or Infinity (no limit)', '0.5'],
  ['maxFramesPerSecond', Number.NaN, 'a number >= 1 or Infinity (no limit)', 'NaN'],
  ['maxFramesPerSecond', '100', 'a number >= 1 or Infinity (no limit)', '"100"'],
  ['maxDepth', 7, 'an integer from 8 to 64', '7'],
  ['maxDepth', 65, 'an integer from 8 to 64', '65'],
  ['maxIdLength', 0, 'an integer from 1 to 128', '0'],
  ['maxIdLength', 129, 'an integer from 1 to 128', '129'],
  ['maxPresenceBytes', 1, 'an integer number of bytes >= 2', '1'],
  ['maxPresenceBytes', Infinity, 'an integer number of bytes >= 2', 'Infinity'],
  ['sessionTimeout', 0, positiveMs, '0'],
  ['sessionTimeout', -300_000, positiveMs, '-300000'],
  ['resumeBacklog', -1, 'a non-negative integer', '-1'],
  ['resumeBacklog', 2.5, 'a non-negative integer', '2.5'],
  ['resumeBacklog', Infinity, 'a non-negative integer', 'Infinity'],
]

describe('createServer options', () => {
  it('the invalid-value table covers every option', () => {
    const all = Object.keys({
      port: 0,
      host: 0,
      authenticate: 0,
      peerTimeout: 0,
      maxPayload: 0,
      allowedOrigins: 0,
      onMessage: 0,
      handshakeTimeout: 0,
      maxConnections: 0,
      maxBufferedBytes: 0,
      maxFramesPerSecond: 0,
      maxDepth: 0,
      maxIdLength: 0,
      maxPresenceBytes: 0,
      sessionTimeout: 0,
      resumeBacklog: 0,
    } satisfies Record<keyof ServerOptions, unknown>)
    expect([...new Set(invalid.map(([name]) => name))].sort()).toEqual(all.sort())
  })

  it.each(invalid.map(([name, value, expected, shown]) => [name, shown, value, expected] as const))(
    '%s = %s throws a TypeError naming the option, what it must be and the value',
    (name, shown, value, expected) => {
      const error = thrown(() => resolve({ [name]: value }))
      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toBe(`createServer: ${name} must be ${expected} (got ${shown})`)
    },
  )

  it.each(invalid.map(([name, value, expected, shown]) => [name, shown, value, expected] as const))(
    'createServer({ %s: %s }) rejects with that TypeError before listening',
    async (name, _shown, value) => {
      const message = thrown(() => resolve({ [name]: value })).message
      await expect(createServer({ [name]: value } as ServerOptions)).rejects.toThrow(
        new TypeError(message),
      )
    },
  )

  it('an option given as null is reported as null', () => {
    expect(() => resolve({ peerTimeout: null })).toThrow(
      new TypeError(`createServer: peerTimeout must be ${positiveMs} (got null)`),
    )
    expect(() => resolve({ allowedOrigins: null })).toThrow(
      new TypeError('createServer: allowedOrigins must be an array of origin strings (got null)'),
    )
  })

  it('options that are not an object throw a TypeError', () => {
    expect(() => resolve(5)).toThrow(
      new TypeError('createServer: options must be an object (got 5)'),
    )
    expect(() => resolve(null)).toThrow(
      new TypeError('createServer: options must be an object (got null)'),
    )
  })

  it('the defaults, with none given', () => {
    for (const options of [undefined, {}]) {
      const resolved = resolve(options)
      expect(resolved).toMatchObject({
        port: 0,
        host: '127.0.0.1',
        peerTimeout: 20_000,
        maxPayload: 1_048_576,
        allowedOrigins: null,
        onMessage: null,
        handshakeTimeout: 10_000,
        maxConnections: 10_000,
        maxBufferedBytes: 4_194_304,
        maxFramesPerSecond: Infinity,
        maxDepth: 64,
        maxIdLength: 128,
        maxPresenceBytes: 4096,
        sessionTimeout: 300_000,
        resumeBacklog: 1000,
      })
      expect(typeof resolved.authenticate).toBe('function')
    }
  })

  it('an option given as undefined keeps its default', () => {
    const resolved = resolve({ port: undefined, peerTimeout: undefined, allowedOrigins: undefined })
    expect(resolved).toMatchObject({ port: 0, peerTimeout: 20_000, allowedOrigins: null })
  })

  it.each<[string, ServerOptions]>([
    ['port 0', { port: 0 }],
    ['port 65535', { port: 65_535 }],
    ['maxPayload 1', { maxPayload: 1 }],
    ['maxConnections 1', { maxConnections: 1 }],
    ['maxBufferedBytes 1024', { maxBufferedBytes: 1024 }],
    ['maxFramesPerSecond 1', { maxFramesPerSecond: 1 }],
    ['maxFramesPerSecond 2.5', { maxFramesPerSecond: 2.5 }],
    ['maxFramesPerSecond Infinity', { maxFramesPerSecond: Infinity }],
    ['maxDepth 8', { maxDepth: 8 }],
    ['maxDepth 64', { maxDepth: 64 }],
    ['maxIdLength 1', { maxIdLength: 1 }],
    ['maxIdLength 128', { maxIdLength: 128 }],
    ['maxPresenceBytes 2', { maxPresenceBytes: 2 }],
    ['resumeBacklog 0', { resumeBacklog: 0 }],
    ['peerTimeout 0.5', { peerTimeout: 0.5 }],
  ])('the edge value %s is accepted and kept', (_, option) => {
    expect(resolve(option)).toMatchObject(option)
  })

  it('allowedOrigins becomes a set; the options object is not modified', () => {
    const options: ServerOptions = { allowedOrigins: ['https://a.example', 'https://b.example'] }
    const resolved = resolve(options)
    expect(resolved.allowedOrigins).toEqual(new Set(['https://a.example', 'https://b.example']))
    expect(options).toEqual({ allowedOrigins: ['https://a.example', 'https://b.example'] })
    expect(resolve({ allowedOrigins: [] }).allowedOrigins).toEqual(new Set())
  })

  it('the functions given are the ones used', () => {
    const authenticate = () => ({ id: 'ada' })
    const onMessage = () => {}
    expect(resolve({ authenticate, onMessage })).toMatchObject({ authenticate, onMessage })
  })
})
