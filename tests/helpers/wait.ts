/**
 * Waiting in tests and benchmarks, in one place. Every wait is bounded and ends as soon as what
 * it waits for holds. `sleep` only paces work (a burst, a fault held for a while): a test never
 * sleeps and then checks that nothing happened. It shows instead that the thing would have
 * happened by then — a count of the events that did come (`waitUntilQuiet`), a probe sent
 * afterwards that arrives first, or a fake clock run past the deadline.
 */

/** Resolves after `ms` of real time. For pacing only, never as a check. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves after one turn of the event loop: microtasks, timers due and I/O have run. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** What is awaited, for the error; a function is asked when the wait fails, to tell the state then. */
export type Description = string | (() => string)

export interface WaitOptions {
  /** Give up after this many milliseconds. */
  readonly timeout: number
  /** What is awaited, for the error message. */
  readonly what?: Description
  /** How often to look, in milliseconds (default 5). */
  readonly interval?: number
}

const describeWait = (what: Description | undefined) =>
  typeof what === 'function' ? what() : (what ?? 'the condition')

// The positional form `(predicate, timeoutMs, what)` is the older spelling; both stay valid.
const optionsOf = (options: WaitOptions | number, what?: Description): WaitOptions =>
  typeof options === 'number' ? { timeout: options, ...(what !== undefined && { what }) } : options

/**
 * Looks at `predicate` every `interval` ms until it holds; resolves with whether it did within
 * `timeout`. For harnesses that report a timeout instead of failing on it.
 */
export async function holdsWithin(
  predicate: () => boolean | Promise<boolean>,
  timeout: number,
  interval = 5,
): Promise<boolean> {
  const start = performance.now()
  for (;;) {
    if (await predicate()) return true
    if (performance.now() - start > timeout) return false
    await sleep(interval)
  }
}

/**
 * Resolves as soon as `predicate` holds, with the milliseconds waited; rejects after `timeout`
 * with a message naming what was awaited.
 */
export function waitFor(
  predicate: () => boolean | Promise<boolean>,
  options: WaitOptions,
): Promise<number>
export function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: Description,
): Promise<number>
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  optionsOrTimeout: WaitOptions | number,
  what?: Description,
): Promise<number> {
  const { timeout, what: awaited, interval } = optionsOf(optionsOrTimeout, what)
  const start = performance.now()
  if (await holdsWithin(predicate, timeout, interval)) return performance.now() - start
  throw new Error(`waitFor: timed out after ${timeout} ms waiting for ${describeWait(awaited)}`)
}

/**
 * Waits until `read()` has returned the same (serialised) value for `quietMs` in a row, and
 * returns it; rejects if it is still changing after `timeout`.
 */
export function waitForStable<T>(read: () => T, quietMs: number, options: WaitOptions): Promise<T>
export function waitForStable<T>(
  read: () => T,
  quietMs: number,
  timeoutMs: number,
  what: Description,
): Promise<T>
export async function waitForStable<T>(
  read: () => T,
  quietMs: number,
  optionsOrTimeout: WaitOptions | number,
  what?: Description,
): Promise<T> {
  const { timeout, what: awaited, interval = 10 } = optionsOf(optionsOrTimeout, what)
  const start = performance.now()
  let last = JSON.stringify(read())
  let since = start
  for (;;) {
    await sleep(interval)
    const current = JSON.stringify(read())
    if (current !== last) [last, since] = [current, performance.now()]
    else if (performance.now() - since >= quietMs) return read()
    if (performance.now() - start > timeout)
      throw new Error(
        `waitForStable: ${describeWait(awaited)} did not stay the same for ${quietMs} ms within ${timeout} ms (last: ${last})`,
      )
  }
}

/** `promise`, or a rejection naming `what` once it has taken more than `timeoutMs`. */
export async function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Subscribes with `subscribe(onEvent)` (which returns its unsubscribe) and resolves once
 * `quietMs` have passed without an event, with the number of events seen while waiting: assert
 * on that number. Rejects if events still come after `timeout`.
 */
export function waitUntilQuiet(
  subscribe: (onEvent: () => void) => () => void,
  quietMs: number,
  options: WaitOptions,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = 0
    let quiet: ReturnType<typeof setTimeout>
    const done = (settle: () => void) => {
      clearTimeout(quiet)
      clearTimeout(limit)
      unsubscribe()
      settle()
    }
    const restart = () => {
      clearTimeout(quiet)
      quiet = setTimeout(() => done(() => resolve(seen)), quietMs)
    }
    const limit = setTimeout(
      () =>
        done(() =>
          reject(
            new Error(
              `waitUntilQuiet: ${describeWait(options.what)} did not go quiet for ${quietMs} ms within ${options.timeout} ms (${seen} events)`,
            ),
          ),
        ),
      options.timeout,
    )
    const unsubscribe = subscribe(() => {
      seen++
      restart()
    })
    restart()
  })
}
