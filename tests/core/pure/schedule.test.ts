import { describe, expect, it } from 'vitest'
import { nextRetryDelay } from '../../../src/core/schedule.js'

describe('nextRetryDelay', () => {
  it('deepstream: with an increment of 2000 the waits after failed attempts 1, 2, 3 are 2 s, 4 s, 6 s', () => {
    const schedule = { reconnectIntervalIncrement: 2000, maxReconnectInterval: 180_000 }
    expect([1, 2, 3].map((k) => nextRetryDelay(k, schedule))).toEqual([2000, 4000, 6000])
  })

  it('deepstream: the wait grows by one increment per failed attempt (defaults: 4 s steps)', () => {
    const schedule = { reconnectIntervalIncrement: 4000, maxReconnectInterval: 180_000 }
    expect([1, 2, 3, 4, 5].map((k) => nextRetryDelay(k, schedule))).toEqual([
      4000, 8000, 12_000, 16_000, 20_000,
    ])
  })

  it('deepstream: the wait never exceeds maxReconnectInterval', () => {
    const schedule = { reconnectIntervalIncrement: 2000, maxReconnectInterval: 5000 }
    expect([1, 2, 3, 4, 100].map((k) => nextRetryDelay(k, schedule))).toEqual([
      2000, 4000, 5000, 5000, 5000,
    ])
  })

  it('deepstream: a wait equal to the cap is kept as it is', () => {
    expect(
      nextRetryDelay(3, { reconnectIntervalIncrement: 2000, maxReconnectInterval: 6000 }),
    ).toBe(6000)
  })

  it('deepstream: an increment of 0 retries without waiting', () => {
    const schedule = { reconnectIntervalIncrement: 0, maxReconnectInterval: 180_000 }
    expect([1, 2, 10].map((k) => nextRetryDelay(k, schedule))).toEqual([0, 0, 0])
  })

  it('deepstream: a cap of 0 retries without waiting', () => {
    expect(nextRetryDelay(4, { reconnectIntervalIncrement: 4000, maxReconnectInterval: 0 })).toBe(0)
  })
})
