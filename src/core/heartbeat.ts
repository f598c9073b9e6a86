/**
 * Deadline-based heartbeats, as a pure function the client calls from one timer.
 *
 * Like deepstream's own client, the link has failed when the server has answered nothing for
 * two heartbeat intervals; `interruptedAfter` is a shorter silence deadline of the same kind.
 * Deadlines are measured from the last data, not counted in timer ticks, so a timer that fires
 * late (hidden tab, sleeping laptop) cannot by itself turn into missed answers: a late timer
 * sends a probe and gives the server one more interval before anything is decided.
 */

/** What the watchdog remembers between two wake-ups. */
export interface Watch {
  /** Last time anything arrived from the server. */
  readonly lastDataAt: number
  /** When the next ping is due. */
  readonly nextPingAt: number
  /** No verdict before this time (set by a probe after a late wake-up). */
  readonly graceUntil: number
}

export interface WatchSettings {
  readonly heartbeatInterval: number
  /** Silence that counts as an interruption; `Infinity` when off. */
  readonly interruptedAfter: number
}

export interface WatchStep {
  readonly watch: Watch
  /** Send a ping now. */
  readonly ping: boolean
  /** Which deadline passed, if one did. */
  readonly failure: 'INTERRUPTED' | 'KEEP_ALIVE_TIMEOUT' | null
  /** When to wake up next (meaningless after a failure). */
  readonly wakeAt: number
}

/** The watch of a link that has just opened, with data at `now`. */
export const startWatch = (now: number, s: WatchSettings): Watch => ({
  lastDataAt: now,
  nextPingAt: now + s.heartbeatInterval,
  graceUntil: -Infinity,
})

/**
 * One wake-up of the watchdog: `due` is when it asked to be woken, `now` is when it was.
 *
 * @example
 * ```ts
 * const step = checkLink(watch, clock.now(), due, { heartbeatInterval: 30_000, interruptedAfter: Infinity })
 * if (step.ping) socket.send(protocol.ping())
 * ```
 */
export function checkLink(w: Watch, now: number, due: number, s: WatchSettings): WatchStep {
  const interval = s.heartbeatInterval
  // Woken more than half an interval late: this process was asleep, and silence measured
  // across the sleep proves nothing about the server. Probe, and wait one interval for it —
  // once per silence: a tab throttled so hard that every wake-up is late must still fail.
  const late = now - due > interval / 2 && w.graceUntil <= w.lastDataAt
  const pingDue = late || now >= w.nextPingAt
  const watch: Watch = {
    lastDataAt: w.lastDataAt,
    nextPingAt: pingDue ? now + interval : w.nextPingAt,
    graceUntil: late ? now + interval : w.graceUntil,
  }
  const heartbeatDeadline = w.lastDataAt + 2 * interval
  const interruptDeadline = w.lastDataAt + s.interruptedAfter
  const deadline = Math.max(Math.min(heartbeatDeadline, interruptDeadline), watch.graceUntil)
  const failure =
    now < deadline
      ? null
      : interruptDeadline <= heartbeatDeadline
        ? 'INTERRUPTED'
        : 'KEEP_ALIVE_TIMEOUT'
  return { watch, ping: pingDue && !failure, failure, wakeAt: Math.min(watch.nextPingAt, deadline) }
}
