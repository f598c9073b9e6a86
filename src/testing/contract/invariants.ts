/**
 * The rules every snapshot, and every change from one snapshot to the next, must follow,
 * checked over a recorded sequence. They restate rules.ts and states.ts from the outside: what
 * a source shows, whatever it is built from.
 */
import { isSettled, rejoinAfter } from '../../core/rules.js'
import { phaseOf, toneOf } from '../../core/states.js'
import type { ConnectionSnapshot } from '../../core/types.js'
import { check, checkTime, describeSnapshot, show } from './assert.js'

const label = (s: ConnectionSnapshot, index: number) =>
  `snapshot #${index} ${s.state}/${s.reason ?? 'null'}`

/** `tone` is `toneOf(state)`; `phase` reads a handshake as RECONNECTING once the link had been OPEN. */
export function checkToneAndPhase(snapshots: readonly ConnectionSnapshot[]): void {
  let rejoin = false
  snapshots.forEach((s, index) => {
    const before = snapshots[index - 1]
    // A source may start OPEN or reconnecting (an adapter over a client already in use).
    if (!before) rejoin = s.state == 'OPEN' || s.state == 'RECONNECTING'
    else if (before.state != s.state) rejoin = rejoinAfter(rejoin, before.state, s.state)
    check(
      s.tone === toneOf(s.state),
      () => `${label(s, index)}: tone should be ${toneOf(s.state)} (toneOf), got ${show(s.tone)}`,
    )
    const phase = phaseOf(s.state, { reconnecting: rejoin })
    check(
      s.phase === phase,
      () =>
        `${label(s, index)}: phase should be ${phase}${rejoin ? ' (the link had been OPEN, so a handshake re-establishes it)' : ' (a first connection)'}, got ${show(s.phase)}`,
    )
  })
}

/** The fields of each snapshot have their types, and agree with its state. */
export function checkRetryFields(snapshots: readonly ConnectionSnapshot[]): void {
  snapshots.forEach((s, index) => {
    const at = label(s, index)
    checkTime(s.since, `${at}: since`)
    check(
      Number.isInteger(s.attempt) && s.attempt >= 0,
      () => `${at}: attempt should be a non-negative integer, got ${show(s.attempt)}`,
    )
    check(
      Number.isInteger(s.queued) && s.queued >= 0,
      () => `${at}: queued should be a non-negative integer, got ${show(s.queued)}`,
    )
    check(
      s.nextRetryAt === null ||
        (typeof s.nextRetryAt == 'number' && Number.isFinite(s.nextRetryAt)),
      () => `${at}: nextRetryAt should be null or a clock time, got ${show(s.nextRetryAt)}`,
    )
    check(typeof s.lost == 'boolean', () => `${at}: lost should be a boolean, got ${show(s.lost)}`)
    const retrying = s.attempt > 0 && !isSettled(s.state)
    check(
      s.retrying === retrying,
      () =>
        `${at}: retrying should be ${retrying}, got ${show(s.retrying)} (retrying is true exactly when attempt > 0 — here ${s.attempt} — and the state is not OPEN, CLOSED or ERROR)`,
    )
    if (s.state == 'RECONNECTING')
      check(
        s.attempt >= 1,
        () => `${at}: attempt should be at least 1 while RECONNECTING, got ${s.attempt}`,
      )
    if (s.state == 'OPEN' || s.state == 'CLOSED')
      check(
        s.attempt === 0 && s.nextRetryAt === null && s.error === null && s.lost === false,
        () =>
          `${at}: ${s.state} should have attempt 0, nextRetryAt null, error null and lost false; got ${describeSnapshot(s)}${s.error ? ` with error ${show(s.error)}` : ''}`,
      )
    if (s.state == 'ERROR') {
      check(
        s.retrying === false && s.nextRetryAt === null,
        () =>
          `${at}: ERROR should have retrying false and nextRetryAt null; got ${describeSnapshot(s)}`,
      )
      checkError(s, at)
    }
  })
}

/** An ERROR snapshot's `error` is `{ code: string, message: string }`, the message not empty. */
export function checkError(s: ConnectionSnapshot, at: string): void {
  const error: unknown = s.error
  check(
    typeof error == 'object' &&
      error !== null &&
      typeof (error as { code?: unknown }).code == 'string' &&
      typeof (error as { message?: unknown }).message == 'string' &&
      (error as { message: string }).message.length > 0,
    () => `${at}: error should be { code: string, message: non-empty string }, got ${show(error)}`,
  )
}

/** `lost` turns true only in a snapshot whose reason is `LOST`. */
export function checkLostReason(snapshots: readonly ConnectionSnapshot[]): void {
  snapshots.forEach((s, index) => {
    const before = snapshots[index - 1]
    if (!before || before.lost || !s.lost) return
    check(
      s.reason === 'LOST',
      () =>
        `${label(s, index)}: lost turned true with reason ${show(s.reason)}; it may only turn true together with reason LOST (the lostAfter deadline), not at the drop itself`,
    )
  })
}

/** `since` and `previousState` change with the state, and only with it. */
export function checkSinceAndPrevious(snapshots: readonly ConnectionSnapshot[]): void {
  snapshots.forEach((s, index) => {
    const before = snapshots[index - 1]
    if (!before) return
    const at = `${label(s, index)} after ${before.state}/${before.reason ?? 'null'}`
    if (s.state == before.state) {
      check(
        s.since === before.since,
        () =>
          `${at}: the state did not change, so since should stay ${before.since}, got ${s.since}`,
      )
      check(
        s.previousState === before.previousState,
        () =>
          `${at}: the state did not change, so previousState should stay ${show(before.previousState)}, got ${show(s.previousState)}`,
      )
    } else {
      check(
        s.previousState === before.state,
        () => `${at}: previousState should be ${before.state}, got ${show(s.previousState)}`,
      )
      check(
        s.since >= before.since,
        () =>
          `${at}: since should be the time of this change, not before the last (${before.since}), got ${s.since}`,
      )
    }
  })
}
