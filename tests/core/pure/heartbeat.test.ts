import { describe, expect, it } from 'vitest'
import {
  checkLink,
  startWatch,
  type Watch,
  type WatchSettings,
  type WatchStep,
} from '../../../src/core/heartbeat.js'

const I = 1000
const plain: WatchSettings = { heartbeatInterval: I, interruptedAfter: Infinity }

/**
 * Follows the watchdog the way the client does: wakes on time at each `wakeAt`, hands it the
 * last data time, and stops at the first failure or at `until`.
 */
function run(
  s: WatchSettings,
  opts: { until: number; dataAt?: readonly number[] },
): { wakes: { at: number; step: WatchStep }[] } {
  const dataAt = opts.dataAt ?? []
  let watch = startWatch(0, s)
  let due = Math.min(watch.nextPingAt, 2 * s.heartbeatInterval, s.interruptedAfter)
  const wakes: { at: number; step: WatchStep }[] = []
  while (due <= opts.until) {
    const lastDataAt = Math.max(0, ...dataAt.filter((t) => t <= due))
    const step = checkLink({ ...watch, lastDataAt }, due, due, s)
    wakes.push({ at: due, step })
    if (step.failure) break
    // A watchdog that does not move forward would spin the client's timer forever.
    if (step.wakeAt <= due || wakes.length > 10_000) throw new Error(`stuck at ${due}`)
    watch = step.watch
    due = step.wakeAt
  }
  return { wakes }
}

describe('startWatch', () => {
  it('deepstream: a new link counts as heard now, with the first ping one interval later', () => {
    expect(startWatch(5000, plain)).toEqual({
      lastDataAt: 5000,
      nextPingAt: 6000,
      graceUntil: -Infinity,
    })
  })
})

describe('checkLink', () => {
  it('deepstream: while data keeps arriving a ping is due every interval, and never fails', () => {
    const dataAt = Array.from({ length: 100 }, (_, i) => i * 100)
    const { wakes } = run(plain, { until: 5000, dataAt })
    expect(wakes.filter((w) => w.step.ping).map((w) => w.at)).toEqual([
      1000, 2000, 3000, 4000, 5000,
    ])
    expect(wakes.every((w) => w.step.failure === null)).toBe(true)
  })

  it('deepstream: no ping before the interval is over', () => {
    const step = checkLink(startWatch(0, plain), 999, 999, plain)
    expect(step.ping).toBe(false)
    expect(step.failure).toBeNull()
    expect(step.wakeAt).toBe(1000)
  })

  it('deepstream: two intervals of silence fail with KEEP_ALIVE_TIMEOUT at exactly 2 × interval', () => {
    const { wakes } = run(plain, { until: 10_000 })
    expect(wakes.map((w) => [w.at, w.step.ping, w.step.failure])).toEqual([
      [1000, true, null],
      [2000, false, 'KEEP_ALIVE_TIMEOUT'],
    ])
  })

  it('deepstream: one millisecond short of two intervals of silence is not a failure', () => {
    const afterFirstPing = checkLink(startWatch(0, plain), 1000, 1000, plain).watch
    expect(checkLink(afterFirstPing, 1999, 1999, plain).failure).toBeNull()
    expect(checkLink(afterFirstPing, 2000, 2000, plain).failure).toBe('KEEP_ALIVE_TIMEOUT')
  })

  it('deepstream: data from the server pushes the deadline to 2 × interval after it', () => {
    const { wakes } = run(plain, { until: 10_000, dataAt: [1500] })
    expect(wakes.map((w) => [w.at, w.step.ping, w.step.failure])).toEqual([
      [1000, true, null],
      [2000, true, null],
      [3000, true, null],
      [3500, false, 'KEEP_ALIVE_TIMEOUT'],
    ])
  })

  it('agora: interruptedAfter shorter than 2 × interval fails with INTERRUPTED at exactly interruptedAfter', () => {
    const s = { heartbeatInterval: I, interruptedAfter: 1500 }
    const { wakes } = run(s, { until: 10_000 })
    expect(wakes.map((w) => [w.at, w.step.ping, w.step.failure])).toEqual([
      [1000, true, null],
      [1500, false, 'INTERRUPTED'],
    ])
    const afterFirstPing = wakes[0]!.step.watch
    expect(checkLink(afterFirstPing, 1499, 1499, s).failure).toBeNull()
  })

  it('agora: with the agora cadence (2.5 s pings, 4 s interruptedAfter) silence reads INTERRUPTED at 4 s', () => {
    const s = { heartbeatInterval: 2500, interruptedAfter: 4000 }
    const { wakes } = run(s, { until: 60_000 })
    expect(wakes.at(-1)).toMatchObject({ at: 4000, step: { failure: 'INTERRUPTED' } })
  })

  it('deepstream: an interruptedAfter longer than 2 × interval leaves the verdict to the heartbeat', () => {
    const { wakes } = run({ heartbeatInterval: I, interruptedAfter: 5000 }, { until: 10_000 })
    expect(wakes.at(-1)).toMatchObject({ at: 2000, step: { failure: 'KEEP_ALIVE_TIMEOUT' } })
  })

  describe('a late wake-up (hidden tab, sleeping laptop)', () => {
    const slept = checkLink(startWatch(0, plain), 60_000, 1000, plain)

    it('deepstream: never fails by itself, even after a long silence', () => {
      expect(slept.failure).toBeNull()
    })

    it('deepstream: sends a probe ping and gives the server one interval', () => {
      expect(slept.ping).toBe(true)
      expect(slept.watch.graceUntil).toBe(61_000)
      expect(slept.watch.nextPingAt).toBe(61_000)
      expect(slept.wakeAt).toBe(61_000)
    })

    it('deepstream: counts as late only when more than half an interval late', () => {
      const afterFirstPing = checkLink(startWatch(0, plain), 1000, 1000, plain).watch
      // Due at 2000 with no data since 0: 500 ms late is on time (fails), 501 ms is late (probes).
      expect(checkLink(afterFirstPing, 2500, 2000, plain).failure).toBe('KEEP_ALIVE_TIMEOUT')
      const late = checkLink(afterFirstPing, 2501, 2000, plain)
      expect(late.failure).toBeNull()
      expect(late.ping).toBe(true)
    })

    it('deepstream: a late wake-up before a deadline that already passed still probes first', () => {
      const s = { heartbeatInterval: I, interruptedAfter: 1500 }
      const step = checkLink(startWatch(0, s), 9000, 1000, s)
      expect(step.failure).toBeNull()
      expect(step.ping).toBe(true)
    })

    it('deepstream: with no answer during the grace it fails once the grace is over', () => {
      const step = checkLink(slept.watch, 61_000, slept.wakeAt, plain)
      expect(step.failure).toBe('KEEP_ALIVE_TIMEOUT')
      expect(step.ping).toBe(false)
    })

    it('deepstream: no verdict before the grace is over', () => {
      expect(checkLink(slept.watch, 60_999, 60_999, plain).failure).toBeNull()
    })

    it('deepstream: an answer during the grace keeps the link', () => {
      const answered: Watch = { ...slept.watch, lastDataAt: 60_500 }
      const step = checkLink(answered, 61_000, slept.wakeAt, plain)
      expect(step.failure).toBeNull()
      expect(step.ping).toBe(true)
      expect(step.wakeAt).toBe(62_000)
    })

    it('agora: an answer during the grace also keeps a link watched by interruptedAfter', () => {
      const s = { heartbeatInterval: I, interruptedAfter: 1500 }
      const probe = checkLink(startWatch(0, s), 60_000, 1000, s)
      const answered = checkLink({ ...probe.watch, lastDataAt: 60_200 }, 61_000, probe.wakeAt, s)
      expect(answered.failure).toBeNull()
      expect(answered.wakeAt).toBe(61_700)
      const silent = checkLink(probe.watch, 61_000, probe.wakeAt, s)
      expect(silent.failure).toBe('INTERRUPTED')
    })
  })

  it('deepstream: whenever there is no failure the next wake-up is in the future', () => {
    const settings: WatchSettings[] = [
      plain,
      { heartbeatInterval: I, interruptedAfter: 1500 },
      { heartbeatInterval: 2500, interruptedAfter: 4000 },
    ]
    const times = [0, 1, 499, 500, 501, 999, 1000, 1001, 1499, 1500, 1999, 2000, 2500, 3000, 5000]
    let checked = 0
    for (const s of settings)
      for (const lastDataAt of [0, 500, 1000])
        for (const nextPingAt of [500, 1000, 2000])
          for (const graceUntil of [-Infinity, 1200, 3000])
            for (const now of times)
              for (const lateBy of [0, 100, 400, 600, 5000]) {
                const watch = { lastDataAt, nextPingAt, graceUntil }
                const step = checkLink(watch, now, now - lateBy, s)
                if (step.failure !== null) continue
                checked++
                expect(step.wakeAt, JSON.stringify({ s, watch, now, lateBy })).toBeGreaterThan(now)
              }
    // The grid must actually exercise the property, not skip everything as failures.
    expect(checked).toBeGreaterThan(500)
  })
})
