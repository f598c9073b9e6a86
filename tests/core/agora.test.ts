import { describe, expect, it } from 'vitest'
import { presets } from '../../src/core/options.js'
import { PhaseCode, reasonCode } from '../../src/core/states.js'
import { setup } from '../helpers/setup.js'

/** A client on presets.agora, OPEN and healthy until `silentAt`, when the server goes silent. */
function agoraOutage() {
  const ctx = setup({ ...presets.agora, lazyConnect: true })
  const { fake, net, client } = ctx
  client.login({ id: 'uid-1' }) // T0
  expect(client.getSnapshot()).toMatchObject({
    state: 'AWAITING_CONNECTION',
    reason: 'CONNECTING',
    phase: 'CONNECTING',
  })
  expect(reasonCode(client.getSnapshot().reason!)).toBe(0)
  fake.advance(0) // T1
  expect(client.getSnapshot()).toMatchObject({
    state: 'OPEN',
    reason: 'JOIN_SUCCESS',
    phase: 'CONNECTED',
  })
  expect(PhaseCode[client.getSnapshot().phase]).toBe(3)
  fake.advance(30_000) // a healthy idle link: pings every 2.5 s keep data flowing, no INTERRUPTED
  expect(client.getConnectionState()).toBe('OPEN')
  net.silent = true // T3: the last pong arrived at 30 000
  return { ...ctx, silentAt: 30_000 }
}

describe('agora: the Channel Connection timeline with presets.agora', () => {
  it('T4: no data for 4 s → RECONNECTING/INTERRUPTED, still retrying', () => {
    const { fake, client, log, silentAt } = agoraOutage()
    fake.advance(3999)
    expect(client.getConnectionState()).toBe('OPEN')
    fake.advance(1)
    expect(log).toContainEqual([silentAt + 4000, 'RECONNECTING', 'INTERRUPTED'])
    expect(client.getSnapshot()).toMatchObject({ phase: 'RECONNECTING', retrying: true })
    expect(reasonCode('INTERRUPTED')).toBe(2)
  })

  it('T5: 15 s without data → one lost event, snapshot lost, reason LOST, retrying continues', () => {
    const { fake, client, events, silentAt, attemptTimes } = agoraOutage()
    const reasons: string[] = []
    client.subscribe((snapshot) => reasons.push(`${snapshot.reason}:${snapshot.lost}`))
    fake.advance(14_999)
    expect(events).toEqual([])
    fake.advance(1)
    expect(events).toEqual([[silentAt + 15_000, 'lost']])
    expect(reasons).toContain('LOST:true')
    expect(client.getSnapshot()).toMatchObject({
      phase: 'RECONNECTING',
      lost: true,
      retrying: true,
    })
    const attempts = attemptTimes().length
    fake.advance(60_000)
    expect(attemptTimes().length).toBeGreaterThan(attempts)
    expect(events).toHaveLength(1)
  })

  it('T7: not back within 20 min → ERROR/JOIN_FAILED, no more attempts; close() then login() starts over', () => {
    const { fake, net, client, log, silentAt, attemptTimes } = agoraOutage()
    fake.advance(1_200_000 - 1)
    expect(client.getConnectionState()).not.toBe('ERROR')
    fake.advance(1)
    expect(log.slice(-1)).toEqual([[silentAt + 1_200_000, 'ERROR', 'JOIN_FAILED']])
    expect(client.getSnapshot()).toMatchObject({ phase: 'FAILED', retrying: false, tone: 'bad' })
    expect(reasonCode('JOIN_FAILED')).toBe(4)
    const attempts = attemptTimes().length
    fake.advance(3_600_000)
    expect(attemptTimes()).toHaveLength(attempts)
    expect(fake.pending()).toBe(0)

    net.silent = false
    client.close()
    expect(client.getSnapshot()).toMatchObject({
      state: 'CLOSED',
      reason: 'LEAVE_CHANNEL',
      phase: 'DISCONNECTED',
    })
    client.login({ id: 'uid-1' })
    fake.advance(0)
    expect(client.getSnapshot()).toMatchObject({ state: 'OPEN', reason: 'JOIN_SUCCESS' })
  })

  it('back before T7 → REJOIN_SUCCESS and one restored event', () => {
    const { fake, net, client, events, log, silentAt } = agoraOutage()
    fake.advance(20_000)
    net.silent = false
    fake.advance(5000) // the next attempt, at most maxReconnectInterval away, gets through
    expect(client.getSnapshot()).toMatchObject({
      state: 'OPEN',
      reason: 'REJOIN_SUCCESS',
      lost: false,
    })
    expect(reasonCode('REJOIN_SUCCESS')).toBe(15)
    const rejoinedAt = log.slice(-1)[0]![0]
    expect(rejoinedAt).toBeGreaterThan(silentAt + 20_000)
    expect(events).toEqual([
      [silentAt + 15_000, 'lost'],
      [rejoinedAt, 'restored'],
    ])
  })
})
