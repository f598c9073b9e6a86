/**
 * Recovery after a restart: every proxy is killed (connections cut, new ones refused), listens
 * again `outageMs` later; the time from listening again to the library reporting connected.
 */
import type { Contender, Profile } from '../contenders.js'
import { whenConnected } from '../drivers/driver.js'
import { sleep, type Sample } from '../stats.js'
import { startAll, stopAll } from './round.js'

/** A cut link is noticed at once by all of them; this only bounds a surprise. */
const NOTICE_CAP_MS = 5000

export async function recoveryRound(
  contenders: readonly Contender[],
  profile: Profile,
  outageMs: number,
  capMs: number,
  rep: number,
): Promise<Map<string, Sample>> {
  const started = await startAll(contenders, profile, rep)
  await sleep(500)
  const killedAt = performance.now()
  await Promise.all(started.map((s) => s.instance.proxy.kill()))
  await Promise.all(
    started.map((s) => whenConnected(s.instance.driver, false, NOTICE_CAP_MS, killedAt)),
  )
  await sleep(Math.max(0, killedAt + outageMs - performance.now()))
  await Promise.all(started.map((s) => s.instance.proxy.listen()))
  const since = performance.now()
  const results = await Promise.all(
    started.map(async (s) =>
      s.ready ? whenConnected(s.instance.driver, true, capMs, since) : NaN,
    ),
  )
  await stopAll(started)
  return new Map(started.map((s, i) => [s.contender.name, results[i]!]))
}
