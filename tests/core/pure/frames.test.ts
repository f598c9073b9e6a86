/**
 * Server frames as machine events (src/core/client/frames.ts): each frame that moves the state
 * is one row; frames that do not move it give null.
 */
import { describe, expect, it } from 'vitest'
import { machineEventOf } from '../../../src/core/client/frames.js'
import type { ServerFrame } from '../../../src/core/protocol.js'

describe('machineEventOf: the frames that move the machine', () => {
  it.each<[string, ServerFrame, unknown]>([
    ['challenge', { t: 'challenge' }, { type: 'challenge', socket: 7 }],
    ['accept', { t: 'accept', maxPayload: 1024 }, { type: 'accept', socket: 7 }],
    ['welcome', { t: 'welcome', id: 'me', lastSeq: 3, peers: [] }, { type: 'welcome', socket: 7 }],
    ['redirect', { t: 'redirect', url: 'ws://b' }, { type: 'redirect', socket: 7, url: 'ws://b' }],
    [
      'rejected INVALID_TOKEN',
      { t: 'rejected', reason: 'INVALID_TOKEN', message: 'bad token' },
      { type: 'rejected', socket: 7, reason: 'INVALID_TOKEN', message: 'bad token' },
    ],
    [
      'rejected BANNED (the server’s word) → BANNED_BY_SERVER',
      { t: 'rejected', reason: 'BANNED' },
      {
        type: 'rejected',
        socket: 7,
        reason: 'BANNED_BY_SERVER',
        message: 'The server refused the login (BANNED)',
      },
    ],
    [
      'rejected with a reason linklight does not know → REJECTED_BY_SERVER',
      { t: 'rejected', reason: 'REJECTED' },
      {
        type: 'rejected',
        socket: 7,
        reason: 'REJECTED_BY_SERVER',
        message: 'The server refused the login (REJECTED)',
      },
    ],
    [
      'a fatal error',
      { t: 'error', code: 'BAD_FRAME', message: 'no', fatal: true },
      { type: 'fatal', socket: 7, reason: 'PROTOCOL_ERROR', message: 'no' },
    ],
  ])('%s', (_, frame, event) => {
    expect(machineEventOf(frame, 7)).toEqual(event)
  })

  it.each<ServerFrame>([
    { t: 'ack', seq: 1 },
    { t: 'resend', after: 0 },
    { t: 'msg', n: 1, from: 'ada', data: 1 },
    { t: 'missed', upTo: 4, count: 2 },
    { t: 'error', code: 'RATE', message: 'slow down' },
    { t: 'pong' } as unknown as ServerFrame,
  ])('%o does not move the machine', (frame) => {
    expect(machineEventOf(frame, 7)).toBeNull()
  })

  it('a rejection named like an Object.prototype key is not mistaken for a known one', () => {
    expect(
      machineEventOf({ t: 'rejected', reason: 'constructor' } as unknown as ServerFrame, 1),
    ).toMatchObject({
      reason: 'REJECTED_BY_SERVER',
    })
  })
})
