/**
 * The contract suite's own assertions: it runs under Vitest and Jest alike, so it cannot use
 * either's `expect`. A failed check throws an `Error` whose message says what the contract wants
 * and what the source did.
 */
import type { ConnectionSnapshot } from '../../core/types.js'

/** A value as a failure message shows it: JSON where possible, `undefined` spelled out. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value == 'function') return 'a function'
  if (value instanceof Map) return `Map(${show([...value.keys()])})`
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** The fields of a snapshot a failure message needs, on one line. */
export function describeSnapshot(s: ConnectionSnapshot): string {
  const error = s.error ? ` error=${s.error.code}` : ''
  return `${s.state}/${s.reason ?? 'null'} (previousState=${s.previousState ?? 'null'} phase=${s.phase} tone=${s.tone} attempt=${s.attempt} retrying=${s.retrying} lost=${s.lost} nextRetryAt=${s.nextRetryAt ?? 'null'}${error})`
}

/** Throws `Error(message)` unless `condition` holds. */
export function check(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new Error(typeof message == 'function' ? message() : message)
}

/** Throws unless `actual` and `expected` are the same value (`Object.is`). */
export function checkSame<T>(actual: T, expected: T, what: string): void {
  check(
    Object.is(actual, expected),
    () => `${what}: expected ${show(expected)}, got ${show(actual)}`,
  )
}

/** Throws unless both serialise to the same JSON (plain data: peer data, error objects…). */
export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  check(
    show(actual) === show(expected),
    () => `${what}: expected ${show(expected)}, got ${show(actual)}`,
  )
}

/** Throws unless `value` is a finite number. */
export function checkTime(value: unknown, what: string): void {
  check(
    typeof value == 'number' && Number.isFinite(value),
    () => `${what}: expected a finite number (a clock time), got ${show(value)}`,
  )
}
