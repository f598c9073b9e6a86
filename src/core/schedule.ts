/** The part of the options the retry schedule depends on. */
export interface RetrySchedule {
  readonly reconnectIntervalIncrement: number
  readonly maxReconnectInterval: number
}

/**
 * Wait before the next attempt once `failedAttempt` attempts have failed (deepstream's rule):
 * attempt 1 starts at once, then the wait grows by `reconnectIntervalIncrement` each time,
 * capped at `maxReconnectInterval`. With an increment of 2000: 0, 2 s, 4 s, 6 s, …
 *
 * @example
 * ```ts
 * nextRetryDelay(3, { reconnectIntervalIncrement: 2000, maxReconnectInterval: 5000 }) // 5000
 * ```
 */
export function nextRetryDelay(failedAttempt: number, schedule: RetrySchedule): number {
  return Math.min(
    schedule.maxReconnectInterval,
    schedule.reconnectIntervalIncrement * failedAttempt,
  )
}
