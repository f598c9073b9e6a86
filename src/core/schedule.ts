/** The part of the options the retry schedule depends on. */
export interface RetrySchedule {
  readonly reconnectIntervalIncrement: number
  readonly maxReconnectInterval: number
  /** Up to this fraction of each wait is taken off at random (0: the exact schedule). */
  readonly reconnectJitter?: number | undefined
}

/**
 * Wait before the next attempt once `failedAttempt` attempts have failed (deepstream's rule):
 * attempt 1 starts at once, then the wait grows by `reconnectIntervalIncrement` each time,
 * capped at `maxReconnectInterval`. With an increment of 2000: 0, 2 s, 4 s, 6 s, …
 *
 * With `reconnectJitter` j, a random part of up to j of each wait is taken off, so clients of a
 * server that restarted spread their attempts over the window instead of arriving together;
 * `random` is the draw in [0, 1) (the wait is `delay × (1 − j × random)`: never longer than
 * the schedule, so the cap still holds).
 *
 * @example
 * ```ts
 * nextRetryDelay(3, { reconnectIntervalIncrement: 2000, maxReconnectInterval: 5000 }) // 5000
 * nextRetryDelay(2, { reconnectIntervalIncrement: 250, maxReconnectInterval: 2500, reconnectJitter: 0.5 }, 0.5) // 375
 * ```
 */
export function nextRetryDelay(failedAttempt: number, schedule: RetrySchedule, random = 0): number {
  const delay = Math.min(
    schedule.maxReconnectInterval,
    schedule.reconnectIntervalIncrement * failedAttempt,
  )
  return delay * (1 - (schedule.reconnectJitter ?? 0) * random)
}
