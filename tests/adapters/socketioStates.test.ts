/**
 * What Socket.IO's events mean in linklight's states: every `disconnect` reason, the refinements
 * `disconnectMapping` makes, a refused handshake's reason, and the expected wait before a retry.
 */
import { describe, expect, it } from 'vitest'
import {
  disconnectMapping,
  expectedRetryDelay,
  refusalReasonOf,
  socketIODisconnects,
  type SocketIODisconnectReason,
} from '../../src/adapters/socketioStates.js'

/** The `disconnect` description socket.io-client gives for a WebSocket closed with `code`. */
const closedWith = (code: number) => ({
  description: 'websocket connection closed',
  context: { code, reason: '', wasClean: code !== 1006 },
})

describe('socketIODisconnects', () => {
  it.each<[SocketIODisconnectReason, string, string]>([
    ['io client disconnect', 'CLOSED', 'LEAVE_CHANNEL'],
    ['io server disconnect', 'ERROR', 'REJECTED_BY_SERVER'],
    ['ping timeout', 'RECONNECTING', 'KEEP_ALIVE_TIMEOUT'],
    ['transport close', 'RECONNECTING', 'INTERRUPTED'],
    ['transport error', 'RECONNECTING', 'SERVER_CLOSED'],
    ['parse error', 'RECONNECTING', 'PROTOCOL_ERROR'],
  ])('%s → %s/%s', (reason, state, why) => {
    expect(socketIODisconnects[reason]).toEqual([state, why])
  })

  it('lists exactly the six reasons of socket.io-client 4, and is frozen', () => {
    expect(Object.keys(socketIODisconnects).sort()).toEqual([
      'io client disconnect',
      'io server disconnect',
      'parse error',
      'ping timeout',
      'transport close',
      'transport error',
    ])
    expect(Object.isFrozen(socketIODisconnects)).toBe(true)
  })
})

describe('disconnectMapping', () => {
  it.each<[SocketIODisconnectReason, string, string, string, string]>([
    // reason, while reconnecting: state/reason, without reconnection: state/reason
    ['io client disconnect', 'CLOSED', 'LEAVE_CHANNEL', 'CLOSED', 'LEAVE_CHANNEL'],
    ['io server disconnect', 'ERROR', 'REJECTED_BY_SERVER', 'ERROR', 'REJECTED_BY_SERVER'],
    ['ping timeout', 'RECONNECTING', 'KEEP_ALIVE_TIMEOUT', 'ERROR', 'KEEP_ALIVE_TIMEOUT'],
    ['transport close', 'RECONNECTING', 'INTERRUPTED', 'ERROR', 'INTERRUPTED'],
    ['transport error', 'RECONNECTING', 'SERVER_CLOSED', 'ERROR', 'SERVER_CLOSED'],
    ['parse error', 'RECONNECTING', 'PROTOCOL_ERROR', 'ERROR', 'PROTOCOL_ERROR'],
  ])('%s → %s/%s, or %s/%s with reconnects: false', (reason, state, why, finalState, finalWhy) => {
    expect(disconnectMapping(reason, undefined, { reconnects: true })).toEqual([state, why])
    expect(disconnectMapping(reason, undefined, { reconnects: false })).toEqual([
      finalState,
      finalWhy,
    ])
  })

  it.each([
    [1000, true, ['RECONNECTING', 'SERVER_CLOSED']],
    [1001, true, ['RECONNECTING', 'SERVER_CLOSED']],
    [1006, true, ['RECONNECTING', 'INTERRUPTED']],
    [1011, true, ['RECONNECTING', 'INTERRUPTED']],
    [1000, false, ['ERROR', 'SERVER_CLOSED']],
    [1001, false, ['ERROR', 'SERVER_CLOSED']],
    [1006, false, ['ERROR', 'INTERRUPTED']],
  ])('transport close with close code %i (reconnects: %s) → %j', (code, reconnects, expected) => {
    expect(disconnectMapping('transport close', closedWith(code), { reconnects })).toEqual(expected)
  })

  it('reads a close code only for transport close', () => {
    expect(disconnectMapping('transport error', closedWith(1000), { reconnects: true })).toEqual([
      'RECONNECTING',
      'SERVER_CLOSED',
    ])
    expect(disconnectMapping('ping timeout', closedWith(1000), { reconnects: true })).toEqual([
      'RECONNECTING',
      'KEEP_ALIVE_TIMEOUT',
    ])
    expect(disconnectMapping('parse error', closedWith(1001), { reconnects: true })).toEqual([
      'RECONNECTING',
      'PROTOCOL_ERROR',
    ])
  })

  it.each<[string, unknown]>([
    ['no description', undefined],
    ['null', null],
    ['a string', 'websocket connection closed'],
    ['no context', { description: 'x' }],
    ['a null context', { context: null }],
    ['a context without a code', { context: { reason: 'bye' } }],
    ['a string code', { context: { code: '1000' } }],
    ['the code on the description itself', { code: 1000 }],
  ])('transport close with %s stays INTERRUPTED', (_, description) => {
    expect(disconnectMapping('transport close', description, { reconnects: true })).toEqual([
      'RECONNECTING',
      'INTERRUPTED',
    ])
  })

  it.each([
    [true, true, ['RECONNECTING', 'INTERRUPTED']],
    [false, true, ['ERROR', 'INTERRUPTED']],
    [true, false, ['CLOSED', 'LEAVE_CHANNEL']],
    [false, false, ['CLOSED', 'LEAVE_CHANNEL']],
  ])('an unknown reason (reconnects: %s, active: %s) → %j', (reconnects, active, expected) => {
    expect(disconnectMapping('forced server close', undefined, { reconnects, active })).toEqual(
      expected,
    )
  })

  it('takes an unknown reason as active when `active` is left out', () => {
    expect(disconnectMapping('something new', undefined, { reconnects: true })).toEqual([
      'RECONNECTING',
      'INTERRUPTED',
    ])
  })

  it('ignores `active` for a known reason', () => {
    expect(
      disconnectMapping('ping timeout', undefined, { reconnects: true, active: false }),
    ).toEqual(['RECONNECTING', 'KEEP_ALIVE_TIMEOUT'])
  })

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'an unknown reason named like an Object.prototype member (%s) is still unknown',
    (reason) => {
      expect(disconnectMapping(reason, undefined, { reconnects: true })).toEqual([
        'RECONNECTING',
        'INTERRUPTED',
      ])
    },
  )
})

describe('refusalReasonOf', () => {
  it.each<[string, Parameters<typeof refusalReasonOf>[0], string]>([
    [
      'data.reason INVALID_TOKEN',
      { message: 'nope', data: { reason: 'INVALID_TOKEN' } },
      'INVALID_TOKEN',
    ],
    [
      'data.reason TOKEN_EXPIRED',
      { message: 'nope', data: { reason: 'TOKEN_EXPIRED' } },
      'TOKEN_EXPIRED',
    ],
    [
      'data.reason REJECTED_BY_SERVER over a token message',
      { message: 'bad token', data: { reason: 'REJECTED_BY_SERVER' } },
      'REJECTED_BY_SERVER',
    ],
    ['data.code', { message: 'nope', data: { code: 'TOKEN_EXPIRED' } }, 'TOKEN_EXPIRED'],
    [
      'data.reason before data.code',
      { message: 'nope', data: { reason: 'INVALID_TOKEN', code: 'TOKEN_EXPIRED' } },
      'INVALID_TOKEN',
    ],
    [
      'data.code when data.reason is not one of the three',
      { message: 'nope', data: { reason: 'BANNED', code: 'INVALID_TOKEN' } },
      'INVALID_TOKEN',
    ],
    [
      'the message when data.reason is not one of the three',
      { message: 'token expired', data: { reason: 'BANNED' } },
      'TOKEN_EXPIRED',
    ],
    [
      'the message when data.reason is lower case',
      { message: 'jwt malformed', data: { reason: 'invalid_token' } },
      'INVALID_TOKEN',
    ],
    [
      'the message when data.code is a number',
      { message: 'forbidden', data: { code: 401 } },
      'REJECTED_BY_SERVER',
    ],
    [
      'the message when data is a string',
      { message: 'Unauthorized', data: 'INVALID_TOKEN' },
      'INVALID_TOKEN',
    ],
    ['the message when data is null', { message: 'session expired', data: null }, 'TOKEN_EXPIRED'],
    ['message "token expired"', { message: 'token expired' }, 'TOKEN_EXPIRED'],
    ['message "Session has EXPIRED"', { message: 'Session has EXPIRED' }, 'TOKEN_EXPIRED'],
    ['message "invalid token"', { message: 'invalid token' }, 'INVALID_TOKEN'],
    ['message "unauthorized"', { message: 'unauthorized' }, 'INVALID_TOKEN'],
    ['message "Unauthorised"', { message: 'Unauthorised' }, 'INVALID_TOKEN'],
    ['message "jwt malformed"', { message: 'jwt malformed' }, 'INVALID_TOKEN'],
    ['message "bad credentials"', { message: 'bad credentials' }, 'INVALID_TOKEN'],
    ['message "room is full"', { message: 'room is full' }, 'REJECTED_BY_SERVER'],
    ['an empty message', { message: '' }, 'REJECTED_BY_SERVER'],
    ['a message that is not a string', { message: 42 }, 'REJECTED_BY_SERVER'],
    ['no message', {}, 'REJECTED_BY_SERVER'],
    ['null', null, 'REJECTED_BY_SERVER'],
    ['undefined', undefined, 'REJECTED_BY_SERVER'],
  ])('%s → %s', (_, error, expected) => {
    expect(refusalReasonOf(error)).toBe(expected)
  })

  it('reads a real Error with data, as a middleware passes it to next()', () => {
    const error = Object.assign(new Error('not allowed'), { data: { reason: 'TOKEN_EXPIRED' } })
    expect(refusalReasonOf(error)).toBe('TOKEN_EXPIRED')
    expect(refusalReasonOf(new Error('xhr poll error'))).toBe('REJECTED_BY_SERVER')
  })
})

describe('expectedRetryDelay', () => {
  const backoff = { delay: 1_000, max: 5_000 }

  it.each([
    [0, 1_000],
    [1, 2_000],
    [2, 4_000],
    [3, 5_000],
    [4, 5_000],
    [10, 5_000],
  ])('wait %i is %i ms (1 s doubling, at most 5 s)', (failed, expected) => {
    expect(expectedRetryDelay(failed, backoff)).toBe(expected)
  })

  it('doubles without a cap in reach', () => {
    const uncapped = { delay: 500, max: Number.MAX_SAFE_INTEGER }
    expect([0, 1, 2, 3, 4, 5].map((n) => expectedRetryDelay(n, uncapped))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 16_000,
    ])
  })

  it('reaches the cap exactly when a doubling lands on it', () => {
    expect(expectedRetryDelay(2, { delay: 1_000, max: 4_000 })).toBe(4_000)
    expect(expectedRetryDelay(2, { delay: 1_000, max: 3_999 })).toBe(3_999)
  })

  it.each([53, 1_024, 1e9, Number.MAX_SAFE_INTEGER, Infinity])(
    'a huge count (%d) stays at the cap, never Infinity or NaN',
    (failed) => {
      expect(expectedRetryDelay(failed, backoff)).toBe(5_000)
    },
  )

  it('stays finite with a huge count even when nothing caps it', () => {
    const delay = expectedRetryDelay(1e9, { delay: 1_000, max: Infinity })
    expect(delay).toBe(1_000 * 2 ** 52)
    expect(Number.isFinite(delay)).toBe(true)
  })

  it('gives the cap when delay × 2ⁿ overflows to Infinity', () => {
    expect(expectedRetryDelay(1e9, { delay: Number.MAX_VALUE, max: 5_000 })).toBe(5_000)
  })

  it('is 0 with no delay', () => {
    expect(expectedRetryDelay(7, { delay: 0, max: 5_000 })).toBe(0)
  })
})
