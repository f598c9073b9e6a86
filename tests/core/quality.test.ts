/**
 * Link quality: the pure smoothing and levels, and the client timing its handshake and every
 * heartbeat on a fake network with a known latency.
 */
import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/core/client.js'
import type { LinkQuality } from '../../src/core/quality.js'
import {
  qualityAfterPing,
  qualityInState,
  qualityLevel,
  unknownQuality,
} from '../../src/core/quality.js'
import { createFakeClock } from '../helpers/fakeClock.js'
import { createFakeNetwork } from '../helpers/fakeNetwork.js'

describe('quality, pure', () => {
  it.each([
    [0, 'excellent'],
    [150, 'excellent'],
    [151, 'good'],
    [400, 'good'],
    [401, 'poor'],
  ] as const)('a smoothed round trip of %i ms is %s', (rtt, level) => {
    expect(qualityLevel(rtt)).toBe(level)
  })

  it('smooths: the first sample as it is, then a quarter of each change', () => {
    let quality = qualityAfterPing(unknownQuality, 40)
    expect(quality).toEqual({ level: 'excellent', rtt: 40, lastRtt: 40, samples: 1 })
    quality = qualityAfterPing(quality, 840)
    expect(quality).toEqual({ level: 'good', rtt: 240, lastRtt: 840, samples: 2 })
  })

  it('a link that is down is lost, CLOSED unknown, and an OPEN after lost starts unmeasured', () => {
    const measured = qualityAfterPing(unknownQuality, 40)
    expect(qualityInState(measured, 'OPEN')).toBe(measured)
    const lost = qualityInState(measured, 'RECONNECTING')
    expect(lost).toEqual({ level: 'lost', rtt: null, lastRtt: null, samples: 0 })
    expect(qualityInState(lost, 'AWAITING_CONNECTION')).toBe(lost)
    expect(qualityInState(lost, 'OPEN')).toBe(unknownQuality)
    expect(qualityInState(measured, 'CLOSED').level).toBe('unknown')
  })
})

describe('the client measures its link', () => {
  function client(latency: number) {
    const fake = createFakeClock()
    const net = createFakeNetwork(fake, latency)
    const source = createClient('ws://127.0.0.1:1/', {
      heartbeatInterval: 1000,
      lazyConnect: true,
      WebSocket: net.WebSocket,
      clock: fake.clock,
    })
    const seen: LinkQuality[] = []
    source.on('quality', (quality) => seen.push(quality))
    return { fake, net, source, seen }
  }

  it('OPEN with the handshake round trip, then every pong (this fake delays only the server’s frames: a round trip is its latency)', () => {
    const { fake, source, seen } = client(30)
    expect(source.getLinkQuality()).toEqual(unknownQuality)
    void source.login({ id: 'me' })
    for (let i = 0; i < 20 && source.getSnapshot().state !== 'OPEN'; i++) fake.advance(30)
    expect(source.getSnapshot().state).toBe('OPEN')
    expect(source.getLinkQuality()).toMatchObject({ level: 'excellent', lastRtt: 30, samples: 1 })
    fake.advance(1000 + 30)
    expect(source.getLinkQuality()).toMatchObject({ rtt: 30, lastRtt: 30, samples: 2 })
    expect(seen.at(-1)).toBe(source.getLinkQuality())
    source.close()
  })

  it('a slow link reads poor; the link going down reads lost, and close() unknown', () => {
    const { fake, net, source } = client(450)
    void source.login({ id: 'me' })
    for (let i = 0; i < 40 && source.getSnapshot().state !== 'OPEN'; i++) fake.advance(100)
    expect(source.getLinkQuality().level).toBe('poor')
    net.up = false
    net.killAll()
    fake.advance(0)
    expect(source.getSnapshot().state).toBe('RECONNECTING')
    expect(source.getLinkQuality()).toMatchObject({ level: 'lost', rtt: null })
    source.close()
    expect(source.getLinkQuality().level).toBe('unknown')
  })
})
