/**
 * Closing: CLOSED/LEAVE_CHANNEL with no peers left, pending promises settled, and silence
 * after it — a second `close()` included.
 */
import { check, checkSame, describeSnapshot, show } from './assert.js'
import type { DefineTest } from './define.js'
import { checkRetryFields } from './invariants.js'
import { quiet, within, type Entry } from './recorder.js'

/** How long nothing may happen after `close()`: long enough for a retry timer of a few ms. */
export const QUIET_MS = 100

const PEERS = ['contract-ann', 'contract-bob']

const describeEntry = (entry: Entry) =>
  entry.kind == 'snapshot'
    ? `a snapshot ${describeSnapshot(entry.snapshot)}`
    : `${entry.name}(${entry.args.map(show).join(', ')})`

/** A promise that resolves with how `run()`'s promise settled (a throw counts as settled). */
function settled(run: () => unknown): Promise<string> {
  let promise: Promise<unknown>
  try {
    promise = Promise.resolve(run())
  } catch (error) {
    promise = Promise.reject(error)
  }
  return promise.then(
    () => 'resolved',
    () => 'rejected',
  )
}

export function closeTests(test: DefineTest): void {
  test(
    'close() from OPEN: CLOSED/LEAVE_CHANNEL, no peers left, a peerLeft for each',
    async (s) => {
      await s.online()
      if (s.can('peers')) {
        const ids: string[] = []
        for (const name of PEERS) ids.push(await s.joinPeer(name))
        await s.rec.waitFor(
          `${PEERS.map((name) => s.peerLabel(name)).join(' and ')} in getPeers()`,
          () => ids.every((id) => s.source.getPeers().has(id)),
          s.timeout,
        )
      }
      const online = [...s.source.getPeers().keys()]
      const from = s.rec.mark()
      await s.close()
      const closed = s.source.getSnapshot()
      checkSame(closed.reason, 'LEAVE_CHANNEL', 'the reason of CLOSED after close()')
      checkRetryFields([closed])
      const changes = s.rec
        .events('connectionStateChanged', from)
        .map(({ entry }) => entry.args.join('/'))
      checkSame(changes.join(' → '), 'CLOSED/LEAVE_CHANNEL', 'connectionStateChanged after close()')
      await s.rec.waitFor(
        'getPeers() to be empty after close()',
        () => s.source.getPeers().size == 0,
        s.timeout,
      )
      for (const id of online) {
        const left = s.rec.events('peerLeft', from).filter(({ entry }) => entry.args[0].id === id)
        checkSame(left.length, 1, `peerLeft events for ${show(id)}, online when close() was called`)
        checkSame(
          left[0]!.entry.args[0].online,
          false,
          `online of the peer given to peerLeft for ${show(id)}`,
        )
        check(
          !left[0]!.entry.peers?.has(id),
          () => `inside peerLeft for ${show(id)}, getPeers() still held it`,
        )
      }
    },
    { steps: 6 },
  )

  test(
    'close() during an outage settles a pending login() and send()',
    async (s) => {
      await s.online()
      await s.drop()
      const login = settled(() => s.source.login())
      const send =
        s.harness.canSend === false ? null : settled(() => s.source.send({ contract: 'queued' }))
      s.source.close()
      await within(login, s.timeout, 'the promise of a login() pending when close() was called')
      if (send)
        await within(send, s.timeout, 'the promise of a send() pending when close() was called')
      await s.waitForState('CLOSED', 'after close() during an outage')
    },
    { steps: 5 },
  )

  test(
    'after close() during an outage nothing more happens, and a second close() emits nothing',
    async (s) => {
      await s.online()
      await s.drop()
      if (s.can('lose')) await s.lose()
      await s.close()
      const closed = s.source.getSnapshot()
      checkRetryFields([closed])
      const from = s.rec.mark()
      s.source.close()
      const afterSecond = s.rec.entries.slice(from)
      check(
        afterSecond.length == 0,
        () => `a second close() emitted or published: ${afterSecond.map(describeEntry).join(', ')}`,
      )
      await quiet(QUIET_MS)
      const later = s.rec.entries.slice(from)
      check(
        later.length == 0,
        () =>
          `within ${QUIET_MS} ms after close() the source went on: ${later.map(describeEntry).join(', ')}`,
      )
      check(
        s.source.getSnapshot() === closed,
        () =>
          `after close() the snapshot changed without being published: ${describeSnapshot(s.source.getSnapshot())}`,
      )
    },
    { steps: 6 },
  )
}
