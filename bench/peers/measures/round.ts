/**
 * One repetition for every library at once: each starts its own server and proxy, the fault
 * hits every proxy in the same tick (in an order that rotates between repetitions), and each
 * library's answer is timed on its own. Running them side by side puts them in one event loop;
 * the times measured are tens of milliseconds or more, the loop's share is a few.
 */
import type { Contender, Instance, Profile } from '../contenders.js'
import { whenConnected } from '../drivers/driver.js'

/** Time a library gets to connect before a repetition starts. */
export const CONNECT_CAP_MS = 10_000

export type Started = { contender: Contender; instance: Instance; ready: boolean }

/** Starts every contender with `profile`, waits for each to connect (bounded). */
export async function startAll(
  contenders: readonly Contender[],
  profile: Profile,
  rep: number,
): Promise<Started[]> {
  const started = await Promise.all(
    contenders.map(async (contender) => ({
      contender,
      instance: await contender.start(profile),
      ready: false,
    })),
  )
  await Promise.all(
    started.map(async (s) => {
      s.ready = (await whenConnected(s.instance.driver, true, CONNECT_CAP_MS)) !== null
    }),
  )
  // Rotate, so no library is always first to be hit.
  const shift = rep % started.length
  return [...started.slice(shift), ...started.slice(0, shift)]
}

export async function stopAll(started: readonly Started[]): Promise<void> {
  await Promise.all(started.map((s) => s.instance.stop()))
}
