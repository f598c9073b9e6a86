/** What every library looks like to the measures: connected or not, a way to send, a way out. */
export interface Driver {
  /** Whether the library itself says it is connected now (its state, readyState or flag). */
  connected(): boolean
  /** Calls `listener` whenever the library may have changed its mind; returns the unsubscribe. */
  onChange(listener: () => void): () => void
  /** Sends message number `n` the way the library's docs suggest. */
  send(n: number): void
  close(): Promise<void>
}

/** A tiny listener set for drivers. */
export function changes() {
  const listeners = new Set<() => void>()
  return {
    on(listener: () => void) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    emit() {
      for (const listener of [...listeners]) listener()
    },
  }
}

/**
 * Resolves with the time (ms after `since`) at which `driver.connected()` became `want`, or
 * `null` after `capMs` (counted from the call).
 */
export function whenConnected(
  driver: Driver,
  want: boolean,
  capMs: number,
  since = performance.now(),
): Promise<number | null> {
  return new Promise((resolve) => {
    if (driver.connected() === want) return resolve(performance.now() - since)
    const off = driver.onChange(() => {
      if (driver.connected() !== want) return
      clearTimeout(timer)
      off()
      resolve(performance.now() - since)
    })
    const timer = setTimeout(() => {
      off()
      resolve(null)
    }, capMs)
  })
}
