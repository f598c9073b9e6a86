/**
 * Dead-link detection: every proxy starts holding (nothing passes either way, nothing is
 * closed); the time until the library reports not-connected, capped.
 */
import type { Contender, Profile } from '../contenders.js'
import { whenConnected } from '../drivers/driver.js'
import { sleep, type Sample } from '../stats.js'
import { startAll, stopAll } from './round.js'

/**
 * Connected this long before the hold, so heartbeats are running: 2 s, plus a share of 3 s that
 * moves through [0, 1) with each repetition (golden-ratio steps), so the hold does not always
 * land at the same point of a heartbeat period.
 */
const warmUpMs = (rep: number) => 2000 + ((rep * 0.618034) % 1) * 3000

export async function deadLinkRound(
  contenders: readonly Contender[],
  profile: Profile,
  capMs: number,
  rep: number,
): Promise<Map<string, Sample>> {
  const started = await startAll(contenders, profile, rep)
  await sleep(warmUpMs(rep))
  const since = performance.now()
  for (const s of started) s.instance.proxy.hold(true)
  const results = await Promise.all(
    started.map(async (s) =>
      s.ready ? whenConnected(s.instance.driver, false, capMs, since) : NaN,
    ),
  )
  await stopAll(started)
  return new Map(started.map((s, i) => [s.contender.name, results[i]!]))
}
