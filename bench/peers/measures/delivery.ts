/**
 * Lost / duplicated / reordered: every library sends `count` numbered messages at a steady rate
 * while its link is dropped 20 times — 10 hard drops (cut) and 10 silent ones (held 400 ms, a
 * stretch shorter than any heartbeat, then cut) — and its server records what arrived.
 */
import type { Contender } from '../contenders.js'
import { sleep, until } from '../stats.js'
import { startAll, stopAll } from './round.js'

export interface Delivery {
  readonly sent: number
  readonly lost: number
  readonly duplicated: number
  readonly reordered: number
}

export const DELIVERY = {
  count: 1000,
  /** One message every 20 ms: 50 a second, 20 s of sending. */
  intervalMs: 20,
  drops: 20,
  firstDropMs: 500,
  dropEveryMs: 900,
  holdMs: 400,
  /** After the last send: how long a library may take to deliver what it kept. */
  drainCapMs: 20_000,
  /** …ending early when nothing arrived anywhere for this long. */
  quietMs: 5000,
}

/** What the server's arrival order says about messages 0…count-1. */
export function tally(received: readonly number[], count: number): Delivery {
  const seen = new Set<number>()
  let reordered = 0
  let highest = -1
  for (const n of received) {
    if (seen.has(n)) continue
    seen.add(n)
    if (n < highest) reordered++
    highest = Math.max(highest, n)
  }
  let arrived = 0
  for (let n = 0; n < count; n++) if (seen.has(n)) arrived++
  return {
    sent: count,
    lost: count - arrived,
    duplicated: received.length - seen.size,
    reordered,
  }
}

export async function deliveryRound(
  contenders: readonly Contender[],
  rep: number,
  count = DELIVERY.count,
): Promise<Map<string, Delivery | null>> {
  const started = await startAll(contenders, 'fast', rep)
  const proxies = started.map((s) => s.instance.proxy)
  const t0 = performance.now()
  const drops = (async () => {
    for (let k = 0; k < DELIVERY.drops; k++) {
      await sleep(t0 + DELIVERY.firstDropMs + k * DELIVERY.dropEveryMs - performance.now())
      if (k % 2 === 0) {
        for (const proxy of proxies) proxy.cut()
        continue
      }
      for (const proxy of proxies) proxy.hold(true)
      await sleep(DELIVERY.holdMs)
      for (const proxy of proxies) {
        proxy.cut()
        proxy.hold(false)
      }
    }
  })()
  for (let n = 0; n < count; n++) {
    await sleep(t0 + n * DELIVERY.intervalMs - performance.now())
    for (const s of started) if (s.ready) s.instance.driver.send(n)
  }
  await drops
  let total = -1
  let changedAt = performance.now()
  const arrivedCount = () => started.reduce((sum, s) => sum + s.instance.server.received.length, 0)
  await until(() => {
    const now = arrivedCount()
    if (now !== total) [total, changedAt] = [now, performance.now()]
    const complete = started.every(
      (s) => !s.ready || tally(s.instance.server.received, count).lost === 0,
    )
    return complete || performance.now() - changedAt > DELIVERY.quietMs
  }, DELIVERY.drainCapMs)
  const results = new Map(
    started.map((s) => [
      s.contender.name,
      s.ready ? tally(s.instance.server.received, count) : null,
    ]),
  )
  await stopAll(started)
  return results
}
