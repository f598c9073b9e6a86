/**
 * Snapshots: one frozen object until something changes, published to every subscriber, with
 * tone, phase and the retry fields following from the state.
 */
import type { ConnectionSnapshot } from '../../core/types.js'
import { check, checkSame, describeSnapshot, show } from './assert.js'
import { TOUR_STEPS, tour, type DefineTest } from './define.js'
import { checkRetryFields, checkToneAndPhase } from './invariants.js'

const FIELDS: readonly (keyof ConnectionSnapshot)[] = [
  'part',
  'state',
  'previousState',
  'reason',
  'phase',
  'tone',
  'since',
  'attempt',
  'nextRetryAt',
  'retrying',
  'lost',
  'queued',
  'error',
]

/** The fields in which two snapshots differ (`error` compared by value). */
const changedFields = (a: ConnectionSnapshot, b: ConnectionSnapshot) =>
  FIELDS.filter((field) =>
    field == 'error' ? show(a.error) !== show(b.error) : !Object.is(a[field], b[field]),
  )

export function snapshotTests(test: DefineTest): void {
  test(
    'getSnapshot() returns one frozen object until something changes',
    async (s) => {
      const first = s.source.getSnapshot()
      check(
        first === s.source.getSnapshot(),
        'two getSnapshot() calls in a row returned two objects; it should return the same object until something changes',
      )
      check(
        Object.isFrozen(first),
        () => `the first snapshot is not frozen: ${describeSnapshot(first)}`,
      )
      await tour(s, { close: true })
      s.rec.published().forEach(({ entry }, index) => {
        check(
          Object.isFrozen(entry.snapshot),
          () =>
            `published snapshot #${index + 1} is not frozen: ${describeSnapshot(entry.snapshot)}`,
        )
        check(
          entry.current === entry.snapshot,
          () =>
            `inside a subscriber, getSnapshot() should return the snapshot the subscriber was given (#${index + 1}: given ${describeSnapshot(entry.snapshot)}, getSnapshot() ${describeSnapshot(entry.current)})`,
        )
      })
      const last = s.source.getSnapshot()
      check(
        last === s.source.getSnapshot(),
        'after close(), two getSnapshot() calls returned two objects',
      )
      check(
        last === s.rec.snapshots().at(-1),
        () =>
          `getSnapshot() returns ${describeSnapshot(last)}, which was never published to subscribers`,
      )
    },
    { steps: TOUR_STEPS },
  )

  test(
    'a new snapshot is published only when one of its fields changed',
    async (s) => {
      await tour(s, { lose: true, giveUp: true, close: true })
      const snapshots = s.rec.snapshots()
      snapshots.forEach((snapshot, index) => {
        const before = snapshots[index - 1]
        if (!before) return
        check(
          changedFields(before, snapshot).length > 0,
          () =>
            `snapshot #${index} was published with every field equal to the one before (${describeSnapshot(snapshot)}); publish a new snapshot only when something changed`,
        )
      })
    },
    { steps: TOUR_STEPS },
  )

  test(
    'every subscriber gets each new snapshot in order, before any event about it',
    async (s) => {
      const seen: ConnectionSnapshot[] = []
      const stop = s.source.subscribe((snapshot) => void seen.push(snapshot))
      await tour(s, { close: true })
      stop()
      const published = s.rec.snapshots().slice(1)
      checkSame(
        seen.length,
        published.length,
        'snapshots a second subscriber got, against the first',
      )
      seen.forEach((snapshot, index) =>
        check(
          snapshot === published[index],
          () =>
            `the two subscribers got different snapshots at #${index + 1}: ${describeSnapshot(snapshot)} and ${describeSnapshot(published[index]!)}`,
        ),
      )
      // Inside every event handler, getSnapshot() is the last snapshot subscribers were given.
      let last = s.rec.initial
      for (const entry of s.rec.entries) {
        if (entry.kind == 'snapshot') last = entry.snapshot
        else
          check(
            entry.current === last,
            () =>
              `inside a ${entry.name} handler getSnapshot() returned ${describeSnapshot(entry.current)}, which subscribers had not been given (the last published was ${describeSnapshot(last)}); publish the snapshot before emitting events about it`,
          )
      }
    },
    { steps: TOUR_STEPS },
  )

  test(
    'unsubscribe() stops its listener, and calling it twice stops no other',
    async (s) => {
      const calls = { before: 0, removed: 0, after: 0 }
      const stopBefore = s.source.subscribe(() => void calls.before++)
      const stopRemoved = s.source.subscribe(() => void calls.removed++)
      stopRemoved()
      stopRemoved()
      const stopAfter = s.source.subscribe(() => void calls.after++)
      await s.online()
      const published = s.rec.published().length
      check(published > 0, 'going online published no snapshot')
      checkSame(calls.removed, 0, 'snapshots given to a listener after its unsubscribe()')
      checkSame(
        calls.before,
        published,
        'snapshots given to the listener subscribed before the one unsubscribed twice',
      )
      checkSame(calls.after, published, 'snapshots given to a listener subscribed afterwards')
      stopBefore()
      stopAfter()
    },
    { steps: 2 },
  )

  test(
    'tone is toneOf(state), and phase reads a handshake as RECONNECTING once the link had been OPEN',
    async (s) => {
      await tour(s, { lose: true, giveUp: true, close: true })
      checkToneAndPhase(s.rec.snapshots())
    },
    { steps: TOUR_STEPS },
  )

  test(
    'retrying, attempt, nextRetryAt, error and lost agree with the state',
    async (s) => {
      await tour(s, { lose: true, giveUp: true, close: true })
      checkRetryFields(s.rec.snapshots())
    },
    { steps: TOUR_STEPS },
  )
}
