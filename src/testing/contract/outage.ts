/**
 * Outage and rejoin: a first OPEN is a join; a drop leaves OPEN for a retrying state; the OPEN
 * that ends the outage is a rejoin followed by one `restored`; `lost` comes with reason LOST.
 */
import { isSettled } from '../../core/rules.js'
import { check, checkSame, describeSnapshot } from './assert.js'
import type { DefineTest } from './define.js'
import type { Session } from './harness.js'
import { checkLostReason } from './invariants.js'

/** The `connectionStateChanged` events to OPEN from `from` on. */
const opens = (s: Session, from: number) =>
  s.rec.events('connectionStateChanged', from).filter(({ entry }) => entry.args[0] == 'OPEN')

/**
 * After an outage that began at `from` ended in OPEN: it was `REJOIN_SUCCESS`, and one
 * `restored` followed it, seen in OPEN.
 */
export async function checkRejoin(s: Session, from: number, what: string): Promise<void> {
  const open = opens(s, from)
  checkSame(open.length, 1, `OPENs ${what}`)
  checkSame(open[0]!.entry.args[1], 'REJOIN_SUCCESS', `the reason of the OPEN ${what}`)
  await s.rec.waitFor(
    `a restored event after the OPEN ${what}`,
    () => s.rec.events('restored', from).length > 0,
    s.timeout,
  )
  const restored = s.rec.events('restored', from)
  checkSame(restored.length, 1, `restored events ${what}`)
  check(
    restored[0]!.at > open[0]!.at,
    () => `restored fired before connectionStateChanged(OPEN, REJOIN_SUCCESS) ${what}`,
  )
  checkSame(
    restored[0]!.entry.current.state,
    'OPEN',
    `the state inside the restored handler ${what}`,
  )
}

export function outageTests(test: DefineTest): void {
  test(
    'a first OPEN is JOIN_SUCCESS, with no restored event',
    async (s) => {
      await s.online()
      const open = opens(s, 0)
      checkSame(open.length, 1, 'OPENs while going online')
      checkSame(open[0]!.entry.args[1], 'JOIN_SUCCESS', 'the reason of a first OPEN')
      checkSame(
        s.source.getSnapshot().reason,
        'JOIN_SUCCESS',
        'the snapshot reason of a first OPEN',
      )
      checkSame(s.rec.events('restored').length, 0, 'restored events after a first OPEN')
    },
    { steps: 2 },
  )

  test(
    'a drop leaves OPEN for a state that keeps retrying, in phase RECONNECTING, not yet lost',
    async (s) => {
      await s.online()
      const from = s.rec.mark()
      await s.drop()
      const first = s.rec.snapshots(from).find((snapshot) => snapshot.state != 'OPEN')
      check(first, 'the source left OPEN without publishing a snapshot to its subscribers')
      const at = `the first snapshot after the drop, ${describeSnapshot(first)}`
      check(
        !isSettled(first.state),
        () => `${at}: a drop should leave OPEN for RECONNECTING (or a handshake), not settle`,
      )
      check(first.retrying, () => `${at}: should be retrying (attempt >= 1)`)
      checkSame(first.phase, 'RECONNECTING', `${at}: phase`)
      checkSame(first.tone, 'neutral', `${at}: tone`)
      check(
        !first.lost,
        () =>
          `${at}: lost should stay false at the drop; it turns true only after lostAfter (reason LOST)`,
      )
      checkLostReason(s.rec.snapshots())
    },
    { steps: 3 },
  )

  test(
    'back to OPEN after a drop: REJOIN_SUCCESS, then one restored event',
    async (s) => {
      await s.online()
      const from = s.rec.mark()
      await s.drop()
      await s.restore()
      await checkRejoin(s, from, 'after a drop')
      checkLostReason(s.rec.snapshots())
    },
    { steps: 5 },
  )

  test(
    'every outage ends in a rejoin: two drops, two REJOIN_SUCCESS, two restored',
    async (s) => {
      await s.online()
      for (const which of ['first', 'second']) {
        const from = s.rec.mark()
        await s.drop()
        await s.restore()
        await checkRejoin(s, from, `after the ${which} drop`)
      }
    },
    { steps: 8 },
  )

  test(
    'lost: turns true with reason LOST, one lost event right after, false again at OPEN',
    async (s) => {
      await s.online()
      const from = s.rec.mark()
      await s.drop()
      await s.lose()
      checkLostReason(s.rec.snapshots())
      const turn = s.rec.published(from).find(({ entry }) => entry.snapshot.lost)
      check(turn, 'lost turned true without a snapshot published to subscribers')
      const lostSnapshot = turn.entry.snapshot
      check(
        lostSnapshot.retrying,
        () =>
          `a lost link is still being retried (ERROR is for giving up); the snapshot that turned lost is ${describeSnapshot(lostSnapshot)}`,
      )
      await s.rec.waitFor(
        'a lost event after the snapshot that turned lost',
        () => s.rec.events('lost', from).length > 0,
        s.timeout,
      )
      const [lost] = s.rec.events('lost', from)
      check(
        lost!.at > turn.at,
        'the lost event fired before the snapshot with lost: true was published',
      )
      check(
        lost!.entry.current === lostSnapshot,
        () =>
          `the lost event should fire right after the snapshot that turned lost (${describeSnapshot(lostSnapshot)}); inside its handler getSnapshot() was ${describeSnapshot(lost!.entry.current)}`,
      )
      await s.restore()
      checkSame(s.source.getSnapshot().lost, false, 'lost at the OPEN that ended the outage')
      await checkRejoin(s, from, 'after the link was lost')
      checkSame(s.rec.events('lost', from).length, 1, 'lost events in one outage')
    },
    { steps: 7, needs: ['lose'] },
  )
}
