/**
 * `presets.resilient` and `reconnectJitter`, on the fake clock and network: it never gives up,
 * a dead link reconnects, a server back after a long outage is reached within one capped wait,
 * and jitter spreads the waits without ever making one longer than the schedule.
 */
import { describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/core/client.js'
import { presets, resolveOptions } from '../../src/core/options.js'
import { nextRetryDelay } from '../../src/core/schedule.js'
import { createFakeClock } from '../helpers/fakeClock.js'
import { createFakeNetwork } from '../helpers/fakeNetwork.js'
import { setup } from '../helpers/setup.js'

describe('nextRetryDelay with reconnectJitter', () => {
  const schedule = {
    reconnectIntervalIncrement: 250,
    maxReconnectInterval: 2500,
    reconnectJitter: 0.5,
  }
  it.each([
    [0, 0, 0],
    [1, 0, 250],
    [1, 0.999, 250 * (1 - 0.5 * 0.999)],
    [2, 0.5, 375],
    [20, 0, 2500],
    [20, 0.999, 2500 * (1 - 0.5 * 0.999)],
  ])('after %i failed attempts, draw %f: %f ms', (failed, random, expected) => {
    expect(nextRetryDelay(failed, schedule, random)).toBeCloseTo(expected, 6)
  })
  it('jitter 0 (the deepstream preset) is the exact schedule whatever the draw', () => {
    expect(nextRetryDelay(3, presets.deepstream, 0.9)).toBe(12_000)
  })
})

describe('reconnectJitter as an option', () => {
  it.each([-0.1, 1.5, '0.5', NaN])('%s is refused with a TypeError naming it', (value) => {
    expect(() =>
      resolveOptions({ reconnectJitter: value as number, WebSocket: class {} as never }),
    ).toThrow(/createClient: reconnectJitter must be a number from 0 to 1/)
  })
  it('every preset has one: 0 for deepstream and agora, 0.5 for resilient', () => {
    expect(
      [presets.deepstream, presets.agora, presets.resilient].map((p) => p.reconnectJitter),
    ).toEqual([0, 0, 0.5])
  })
})

describe('presets.resilient', () => {
  /** Kills the fake server for `downMs`; returns how long after the kill the client was OPEN. */
  function restart(downMs: number) {
    const { fake, net, client, open } = setup({ ...presets.resilient })
    void open()
    expect(client.getSnapshot().state).toBe('OPEN')
    net.up = false
    net.killAll()
    const down = fake.now()
    fake.advance(downMs)
    net.up = true
    while (client.getSnapshot().state !== 'OPEN' && fake.now() - down < 10_000) fake.advance(5)
    return fake.now() - down
  }

  it.each([
    // no jitter drawn: attempts at 0, 250 and 750 ms
    [0, 750],
    // waits of 3/4: attempts at 0, 187.5, 562.5
    [0.5, 565],
    // waits halved: attempts at 0, 125, 375 (still down), 750
    [0.999, 755],
  ])('a 500 ms restart with every draw %f: OPEN %i ms after the kill', (draw, expected) => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(draw)
    try {
      expect(restart(500)).toBeCloseTo(expected, -1)
    } finally {
      random.mockRestore()
    }
  })

  it('a 500 ms restart with real draws: OPEN within 1.25 s of the kill, whatever they are', () => {
    // Before 500 ms at most attempts 1–3 fail (the third is 375 ms in at the earliest), and the
    // wait after three failures is at most 750 ms.
    for (let i = 0; i < 20; i++) expect(restart(500)).toBeLessThanOrEqual(1250)
  })

  it('a 45 s outage: never ERROR, and OPEN within one capped wait (2.5 s) of the server coming back', () => {
    const { fake, net, client, open, log } = setup({ ...presets.resilient })
    void open()
    net.up = false
    net.killAll()
    fake.advance(45_000)
    expect(client.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      retrying: true,
      lost: true,
    })
    net.up = true
    const back = fake.now()
    while (client.getSnapshot().state !== 'OPEN' && fake.now() - back < 10_000) fake.advance(10)
    expect(fake.now() - back).toBeLessThanOrEqual(2510)
    expect(log.map(([, state]) => state)).not.toContain('ERROR')
    expect(log.at(-1)?.slice(1)).toEqual(['OPEN', 'REJOIN_SUCCESS'])
  })

  it('two missed heartbeats reconnect instead of failing', () => {
    const { fake, net, client, open, log } = setup({ ...presets.resilient })
    void open()
    net.answerPings = false
    net.silent = true
    fake.advance(25_000)
    expect(
      log.some(([, state, reason]) => state === 'RECONNECTING' && reason === 'KEEP_ALIVE_TIMEOUT'),
    ).toBe(true)
    expect(client.getSnapshot().state).not.toBe('ERROR')
  })

  it('jitter spreads the attempts of 50 clients of one restarted server; none waits past the schedule', () => {
    const fake = createFakeClock()
    const net = createFakeNetwork(fake)
    const clients = Array.from({ length: 50 }, () =>
      createClient('ws://127.0.0.1:1/', {
        ...presets.resilient,
        WebSocket: net.WebSocket,
        clock: fake.clock,
      }),
    )
    for (const client of clients) void client.login({ id: 'x' })
    fake.advance(0)
    net.up = false
    net.killAll()
    fake.advance(0) // attempt 1 fails at once; attempt 2 is due within 250 ms
    const due = clients.map((client) => client.getSnapshot().nextRetryAt! - fake.now())
    expect(Math.max(...due)).toBeLessThanOrEqual(250)
    expect(Math.min(...due)).toBeGreaterThanOrEqual(125)
    expect(new Set(due).size).toBeGreaterThan(40) // spread, not one instant
    for (const client of clients) client.close()
  })
})
