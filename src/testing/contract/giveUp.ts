/**
 * Giving up: ERROR says so (not retrying, an error to show), and `reconnect()` takes the source
 * out of it, retrying again, back to OPEN as a rejoin.
 */
import { check, checkSame, describeSnapshot } from './assert.js'
import type { DefineTest } from './define.js'
import type { Session } from './harness.js'
import { checkError } from './invariants.js'
import { checkRejoin } from './outage.js'

/** Online, dropped, given up, the link back, then `reconnect()`; returns where it was called. */
async function reconnectAfterGivingUp(s: Session): Promise<number> {
  await s.online()
  await s.drop()
  await s.giveUp()
  await s.lever('restore')
  const from = s.rec.mark()
  s.source.reconnect()
  await s.rec.waitFor(
    'the source to leave ERROR after reconnect()',
    () => s.source.getSnapshot().state != 'ERROR',
    s.timeout,
  )
  const first = s.rec.snapshots(from).find((snapshot) => snapshot.state != 'ERROR')
  check(first, 'the source left ERROR without publishing a snapshot to its subscribers')
  check(
    first.retrying,
    () =>
      `after reconnect() from ERROR the source should be retrying again (attempt >= 1); its first snapshot was ${describeSnapshot(first)}`,
  )
  await s.waitForState('OPEN', 'after reconnect() from ERROR, with the link back')
  return from
}

export function giveUpTests(test: DefineTest): void {
  test(
    'giving up is ERROR: not retrying, no retry time, and an error { code, message }',
    async (s) => {
      await s.online()
      await s.drop()
      const from = s.rec.mark()
      await s.giveUp()
      const error = s.source.getSnapshot()
      const at = `the ERROR snapshot ${describeSnapshot(error)}`
      checkSame(error.retrying, false, `${at}: retrying`)
      checkSame(error.nextRetryAt, null, `${at}: nextRetryAt`)
      checkSame(error.tone, 'bad', `${at}: tone`)
      checkSame(error.phase, 'FAILED', `${at}: phase`)
      checkError(error, at)
      const changes = s.rec.events('connectionStateChanged', from)
      check(
        changes.some(({ entry }) => entry.args[0] == 'ERROR' && entry.args[1] == error.reason),
        () => `no connectionStateChanged(ERROR, ${error.reason}) was emitted on giving up`,
      )
    },
    { steps: 4, needs: ['giveUp'] },
  )

  test(
    'reconnect() after giving up leaves ERROR, retrying again, and reaches OPEN once the link is back',
    async (s) => {
      await reconnectAfterGivingUp(s)
    },
    { steps: 7, needs: ['giveUp'] },
  )

  test(
    'reconnect() after giving up is a rejoin: OPEN/REJOIN_SUCCESS, then one restored',
    async (s) => {
      const from = await reconnectAfterGivingUp(s)
      await checkRejoin(s, from, 'after reconnect() from ERROR')
    },
    { steps: 8, needs: ['giveUp'] },
  )
}
