/**
 * State changes: `since` and `previousState` move with the state, `connectionStateChanged`
 * fires once for each change after its snapshot, and handlers come and go safely.
 */
import { check, checkSame, describeSnapshot, show } from './assert.js'
import { TOUR_STEPS, tour, type DefineTest } from './define.js'
import { checkSinceAndPrevious } from './invariants.js'

// Real time between the two OPENs of a tour above which their `since` must differ.
const DISTINCT_MS = 5

export function stateChangeTests(test: DefineTest): void {
  test(
    'since and previousState change when the state changes, and only then',
    async (s) => {
      await s.online()
      const firstOpen = s.source.getSnapshot()
      const openedAt = performance.now()
      await s.drop()
      if (s.can('lose')) await s.lose()
      await s.restore()
      const elapsed = performance.now() - openedAt
      const secondOpen = s.source.getSnapshot()
      await s.close()
      checkSinceAndPrevious(s.rec.snapshots())
      if (elapsed >= DISTINCT_MS)
        check(
          secondOpen.since > firstOpen.since,
          () =>
            `since of the OPEN after a drop (${secondOpen.since}) should be later than since of the first OPEN (${firstOpen.since}): ${Math.round(elapsed)} ms passed between them`,
        )
    },
    { steps: TOUR_STEPS },
  )

  test(
    'connectionStateChanged fires once per state change, after the snapshot in that state',
    async (s) => {
      await tour(s, { lose: true, giveUp: true, close: true })
      let before = s.rec.initial
      const changes = s.rec.published().filter(({ entry }) => {
        const changed = entry.snapshot.state != before.state
        before = entry.snapshot
        return changed
      })
      const events = s.rec.events('connectionStateChanged')
      const list = (items: string[]) => items.join(' → ') || 'none'
      checkSame(
        events.length,
        changes.length,
        `connectionStateChanged events (${list(events.map(({ entry }) => entry.args.join('/')))}) against state changes in the snapshots (${list(changes.map(({ entry }) => `${entry.snapshot.state}/${entry.snapshot.reason}`))})`,
      )
      events.forEach(({ at, entry }, index) => {
        const change = changes[index]!
        const [state, reason] = entry.args
        const { snapshot } = change.entry
        check(
          state === snapshot.state && reason === snapshot.reason,
          () =>
            `connectionStateChanged #${index + 1} was (${state}, ${reason}), the snapshot of that change is ${describeSnapshot(snapshot)}`,
        )
        check(
          at > change.at,
          () =>
            `connectionStateChanged(${state}, ${reason}) fired before subscribers got the snapshot in ${state}`,
        )
        check(
          entry.current.state === state && entry.current.reason === reason,
          () =>
            `inside connectionStateChanged(${state}, ${reason}), getSnapshot() should be in ${state}/${reason}; it was ${describeSnapshot(entry.current)}`,
        )
      })
    },
    { steps: TOUR_STEPS },
  )

  test(
    'on() returns an off function: it stops its handler, and calling it twice stops no other',
    async (s) => {
      const calls = { before: 0, removed: 0, after: 0 }
      const offBefore = s.source.on('connectionStateChanged', () => void calls.before++)
      const offRemoved = s.source.on('connectionStateChanged', () => void calls.removed++)
      check(
        typeof offRemoved == 'function',
        () => `on() returned ${show(offRemoved)}, not an off function`,
      )
      offRemoved()
      offRemoved()
      const offAfter = s.source.on('connectionStateChanged', () => void calls.after++)
      await s.online()
      const changes = s.rec.events('connectionStateChanged').length
      check(changes > 0, 'going online emitted no connectionStateChanged')
      checkSame(calls.removed, 0, 'calls of a handler after its off()')
      checkSame(
        calls.before,
        changes,
        'calls of the handler registered before the one removed twice',
      )
      checkSame(calls.after, changes, 'calls of a handler registered afterwards')
      offBefore()
      offAfter()
    },
    { steps: 2 },
  )

  test(
    'a handler that throws stops neither the other handlers nor the source',
    async (s) => {
      // The source reports what a handler threw (console.error, usually): keep the run's output clean.
      const { error } = console
      console.error = () => {}
      const thrower = () => {
        throw new Error('thrown on purpose by a contract test handler')
      }
      const offs = [
        s.source.on('connectionStateChanged', thrower),
        s.source.on('restored', thrower),
      ]
      try {
        const changes: string[] = []
        let restored = 0
        s.source.on(
          'connectionStateChanged',
          (state, reason) => void changes.push(`${state}/${reason}`),
        )
        s.source.on('restored', () => void restored++)
        await s.online()
        await s.drop()
        await s.restore()
        await s.rec.waitFor(
          'a restored event after the rejoin',
          () => s.rec.events('restored').length > 0,
          s.timeout,
        )
        const expected = s.rec
          .events('connectionStateChanged')
          .map(({ entry }) => entry.args.join('/'))
        checkSame(
          changes.join(' → '),
          expected.join(' → '),
          'state changes seen by a handler registered after one that throws',
        )
        checkSame(
          restored,
          s.rec.events('restored').length,
          'restored events seen after a throwing handler',
        )
      } finally {
        for (const off of offs) off()
        console.error = error
      }
    },
    { steps: 5 },
  )
}
