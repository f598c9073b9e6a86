/**
 * The meaning of a snapshot, written once (src/core/rules.ts), and the kit that holds every
 * source to it (src/core/sourceKit.ts) whatever the source passes.
 */
import { describe, expect, it } from 'vitest'
import {
  attemptAfter,
  isRetrying,
  lostAfter,
  openReason,
  rejoinAfter,
} from '../../../src/core/rules.js'
import { createSourceKit } from '../../../src/core/sourceKit.js'
import type { ConnectionState } from '../../../src/core/states.js'

describe('rules', () => {
  it.each<[string, number, ConnectionState, ConnectionState, number | undefined, number]>([
    ['OPEN is always 0', 3, 'RECONNECTING', 'OPEN', 5, 0],
    ['CLOSED is always 0', 3, 'RECONNECTING', 'CLOSED', undefined, 0],
    ['RECONNECTING is at least 1, even when told 0', 0, 'OPEN', 'RECONNECTING', 0, 1],
    ['RECONNECTING carries the count on', 3, 'AWAITING_CONNECTION', 'RECONNECTING', undefined, 3],
    ['a given count wins', 3, 'RECONNECTING', 'RECONNECTING', 4, 4],
    ['a handshake after OPEN is a reconnection under way', 0, 'OPEN', 'CHALLENGING', undefined, 1],
    ['a handshake after ERROR is a fresh start', 5, 'ERROR', 'AWAITING_CONNECTION', undefined, 0],
    ['a handshake during a round keeps its count', 2, 'RECONNECTING', 'CHALLENGING', undefined, 2],
    ['ERROR keeps the count it gave up after', 5, 'RECONNECTING', 'ERROR', undefined, 5],
  ])('attemptAfter: %s', (_, attempt, from, to, given, expected) => {
    expect(attemptAfter(attempt, from, to, given)).toBe(expected)
  })

  it.each<[string, boolean, ConnectionState, ConnectionState, boolean]>([
    ['OPEN makes the next OPEN a rejoin', false, 'AUTHENTICATING', 'OPEN', true],
    ['a drop keeps it', true, 'OPEN', 'RECONNECTING', true],
    ['CLOSED ends it', true, 'RECONNECTING', 'CLOSED', false],
    ['reconnect() from ERROR keeps it', true, 'ERROR', 'RECONNECTING', true],
    ['connect()/login() from ERROR start afresh', true, 'ERROR', 'AWAITING_CONNECTION', false],
    ['giving up keeps it (reconnect() may follow)', true, 'RECONNECTING', 'ERROR', true],
  ])('rejoinAfter: %s', (_, rejoin, from, to, expected) => {
    expect(rejoinAfter(rejoin, from, to)).toBe(expected)
    expect(openReason(expected)).toBe(expected ? 'REJOIN_SUCCESS' : 'JOIN_SUCCESS')
  })

  it('lostAfter: the reason LOST makes it, the outage keeps it, OPEN, CLOSED and ERROR end it', () => {
    expect(lostAfter(false, 'RECONNECTING', 'LOST')).toBe(true)
    expect(lostAfter(false, 'RECONNECTING', 'INTERRUPTED')).toBe(false)
    expect(lostAfter(true, 'AWAITING_CONNECTION', 'CONNECTING')).toBe(true)
    for (const settled of ['OPEN', 'CLOSED', 'ERROR'] as const)
      expect(lostAfter(true, settled, 'LOST')).toBe(false)
  })

  it('isRetrying: attempts made, and not settled', () => {
    expect(isRetrying('RECONNECTING', 1)).toBe(true)
    expect(isRetrying('CHALLENGING', 2)).toBe(true)
    expect(isRetrying('CHALLENGING', 0)).toBe(false)
    expect(isRetrying('ERROR', 5)).toBe(false)
  })
})

describe('the kit holds a source to the rules, whatever it passes', () => {
  it('attempt 0 in RECONNECTING becomes 1 and retrying; attempt in OPEN becomes 0', () => {
    const kit = createSourceKit({ state: 'OPEN' })
    kit.moveTo('RECONNECTING', 'INTERRUPTED', { attempt: 0 })
    expect(kit.methods.getSnapshot()).toMatchObject({ attempt: 1, retrying: true })
    kit.patch({ attempt: 0 })
    expect(kit.methods.getSnapshot()).toMatchObject({ attempt: 1, retrying: true })
    kit.moveTo('OPEN', 'JOIN_SUCCESS', { attempt: 3, nextRetryAt: 5 })
    expect(kit.methods.getSnapshot()).toMatchObject({
      attempt: 0,
      nextRetryAt: null,
      retrying: false,
      reason: 'REJOIN_SUCCESS',
    })
  })

  it('lost agrees with the reason and the event, once per outage', () => {
    const kit = createSourceKit({ state: 'OPEN' })
    const lost: number[] = []
    kit.methods.on('lost', () => lost.push(kit.methods.getSnapshot().since))
    kit.moveTo('RECONNECTING', 'INTERRUPTED')
    const { since } = kit.methods.getSnapshot()
    kit.lose()
    kit.lose()
    expect(kit.methods.getSnapshot()).toMatchObject({ reason: 'LOST', lost: true, since })
    kit.moveTo('RECONNECTING', 'LOST')
    expect(lost).toEqual([since])
    kit.moveTo('ERROR', 'MAX_RECONNECT_ATTEMPTS')
    expect(kit.methods.getSnapshot()).toMatchObject({ lost: false, retrying: false })
  })
})
