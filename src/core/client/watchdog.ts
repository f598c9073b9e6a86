/**
 * The heartbeat watchdog of an OPEN link, around the pure `checkLink` (heartbeat.ts): it
 * remembers when the server was last heard and when it wants to look again.
 */
import { checkLink, startWatch, type Watch, type WatchSettings } from '../heartbeat.js'

/** What the watchdog asks of the client. */
export interface WatchdogActions {
  ping(): void
  /** No data for `interruptedAfter`. */
  interrupted(silentSince: number): void
  /** No answer for two heartbeat intervals. */
  heartbeatFailed(silentSince: number): void
}

export interface Watchdog {
  /** When the server was last heard. */
  readonly lastDataAt: number
  /** When the watchdog wants to look again (`Infinity` when not watching). */
  readonly wakeAt: number
  heard(now: number): void
  /** Starts watching a link that has just opened; returns the function that stops. */
  start(now: number): () => void
  /** Looks at the link, if it is time to. */
  check(now: number): void
}

export function createWatchdog(settings: WatchSettings, act: WatchdogActions): Watchdog {
  let lastDataAt = 0
  let watch: Watch | null = null
  let wakeAt = Infinity
  return {
    get lastDataAt() {
      return lastDataAt
    },
    get wakeAt() {
      return wakeAt
    },
    heard(now) {
      lastDataAt = now
    },
    start(now) {
      lastDataAt = now
      watch = startWatch(now, settings)
      wakeAt = Math.min(watch.nextPingAt, now + settings.interruptedAfter)
      return () => {
        watch = null
        wakeAt = Infinity
      }
    },
    check(now) {
      if (!watch || now < wakeAt) return
      const step = checkLink({ ...watch, lastDataAt }, now, wakeAt, settings)
      watch = step.watch
      wakeAt = step.wakeAt
      if (step.ping) act.ping()
      if (step.failure == 'INTERRUPTED') act.interrupted(lastDataAt)
      else if (step.failure) act.heartbeatFailed(lastDataAt)
    },
  }
}
