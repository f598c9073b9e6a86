/**
 * The contract suite checked against itself: on a hand-written source that obeys the contract
 * every test passes, and breaking one rule of that source fails the test about it, for the
 * reason it is about. A test that could not fail would show up here.
 */
import { describe, expect, it } from 'vitest'
import { describeConnectionSource } from '../../src/testing/index.js'
import { collect, find, run } from './collect.js'
import { makeReferenceHarness, type Defect } from './referenceSource.js'

const FROZEN = 'getSnapshot() returns one frozen object until something changes'
const NO_REPUBLISH = 'a new snapshot is published only when one of its fields changed'
const SUBSCRIBERS = 'every subscriber gets each new snapshot in order, before any event about it'
const UNSUBSCRIBE = 'unsubscribe() stops its listener, and calling it twice stops no other'
const TONE_PHASE =
  'tone is toneOf(state), and phase reads a handshake as RECONNECTING once the link had been OPEN'
const RETRY_FIELDS = 'retrying, attempt, nextRetryAt, error and lost agree with the state'
const SINCE = 'since and previousState change when the state changes, and only then'
const STATE_EVENT =
  'connectionStateChanged fires once per state change, after the snapshot in that state'
const OFF =
  'on() returns an off function: it stops its handler, and calling it twice stops no other'
const THROWING = 'a handler that throws stops neither the other handlers nor the source'
const FIRST_OPEN = 'a first OPEN is JOIN_SUCCESS, with no restored event'
const DROP =
  'a drop leaves OPEN for a state that keeps retrying, in phase RECONNECTING, not yet lost'
const REJOIN = 'back to OPEN after a drop: REJOIN_SUCCESS, then one restored event'
const TWO_OUTAGES = 'every outage ends in a rejoin: two drops, two REJOIN_SUCCESS, two restored'
const LOST = 'lost: turns true with reason LOST, one lost event right after, false again at OPEN'
const ERROR = 'giving up is ERROR: not retrying, no retry time, and an error { code, message }'
const RECONNECT =
  'reconnect() after giving up leaves ERROR, retrying again, and reaches OPEN once the link is back'
const RECONNECT_REJOIN =
  'reconnect() after giving up is a rejoin: OPEN/REJOIN_SUCCESS, then one restored'
const JOIN =
  'a peer that joins is in getPeers() when peerJoined fires; the source’s own user never is'
const COPY = 'getPeers() returns a new Map each time: changing one changes nothing'
const UPDATE = 'peerUpdated gives a new peer object with the new data'
const LEAVE = 'a peer that leaves is gone from getPeers() when peerLeft fires, with online: false'
const NO_DUPLICATES = 'no peer joins twice: across an outage the events match getPeers()'
const SEND =
  'send() returns a promise: it resolves while OPEN, or rejects with an Error when the source cannot send'
const CLOSE = 'close() from OPEN: CLOSED/LEAVE_CHANNEL, no peers left, a peerLeft for each'
const CLOSE_SETTLES = 'close() during an outage settles a pending login() and send()'
const CLOSE_QUIET =
  'after close() during an outage nothing more happens, and a second close() emits nothing'

// Every test, with a defect that must fail it and words its failure must contain.
const cases: [test: string, defect: Defect, failure: string][] = [
  [FROZEN, 'copySnapshot', 'two getSnapshot() calls in a row returned two objects'],
  [NO_REPUBLISH, 'republish', 'was published with every field equal to the one before'],
  [SUBSCRIBERS, 'firstSubscriberOnly', 'snapshots a second subscriber got, against the first'],
  [SUBSCRIBERS, 'notifyLate', 'publish the snapshot before emitting events about it'],
  [UNSUBSCRIBE, 'unsubscribeSplice', 'the listener subscribed before the one unsubscribed twice'],
  [TONE_PHASE, 'toneWrong', 'tone should be neutral'],
  [TONE_PHASE, 'phaseIgnoresRejoin', 'phase should be RECONNECTING (the link had been OPEN'],
  [RETRY_FIELDS, 'attemptZero', 'attempt should be at least 1 while RECONNECTING'],
  [SINCE, 'sinceOnEverySnapshot', 'the state did not change, so since should stay'],
  [STATE_EVENT, 'doubleStateEvent', 'against state changes in the snapshots'],
  [STATE_EVENT, 'eventBeforeSnapshot', 'fired before subscribers got the snapshot'],
  [OFF, 'offSplice', 'the handler registered before the one removed twice'],
  [THROWING, 'handlerThrowsThrough', 'thrown on purpose by a contract test handler'],
  [FIRST_OPEN, 'restoredOnJoin', 'restored events after a first OPEN'],
  [DROP, 'lostAtDrop', 'lost should stay false at the drop'],
  [DROP, 'attemptZero', 'should be retrying'],
  [REJOIN, 'noRestored', 'for a restored event after the OPEN after a drop'],
  [TWO_OUTAGES, 'rejoinOnce', 'the reason of the OPEN after the second drop'],
  [LOST, 'lostWrongReason', 'it may only turn true together with reason LOST'],
  [ERROR, 'errorWithoutMessage', 'error should be { code: string, message: non-empty string }'],
  [RECONNECT, 'reconnectFresh', 'should be retrying again'],
  [RECONNECT_REJOIN, 'reconnectJoins', 'the reason of the OPEN after reconnect() from ERROR'],
  [JOIN, 'listsSelf', "getPeers() lists the source's own user"],
  [JOIN, 'joinedBeforeAdded', 'inside peerJoined, getPeers() should already hold'],
  [COPY, 'peersShared', 'two getPeers() calls returned the same Map'],
  [UPDATE, 'updateInPlace', 'peerUpdated gave the same object as before the update'],
  [LEAVE, 'leftBeforeRemoved', 'inside peerLeft, getPeers() should no longer hold'],
  [NO_DUPLICATES, 'rejoinAnnouncesAgain', 'which was already online'],
  [SEND, 'sendRejects', 'the promise of send() while OPEN failed'],
  [CLOSE, 'closeKeepsPeers', 'getPeers() to be empty after close()'],
  [CLOSE_SETTLES, 'loginHangs', 'a login() pending when close() was called did not finish'],
  [CLOSE_QUIET, 'closeTwiceEmits', 'a second close() emitted or published'],
  [CLOSE_QUIET, 'timerAfterClose', 'after close() the source went on'],
]

describe('the contract suite, run on a hand-written source', () => {
  it('registers every test, each one failed by some defect below', () => {
    const titles = collect(() => makeReferenceHarness()).tests.map((test) => test.title)
    expect(titles).toHaveLength(27)
    const covered = new Set(cases.map(([test]) => test))
    expect(titles.filter((title) => ![...covered].some((test) => title.endsWith(test)))).toEqual([])
  })

  it('passes every test for a source that obeys the contract', async () => {
    const collected = collect(() => makeReferenceHarness())
    const failures: string[] = []
    for (const test of collected.tests) {
      const error = await run(collected, test)
      if (error) failures.push(`${test.title}: ${error.message}`)
    }
    expect(failures).toEqual([])
  }, 30_000)

  it('passes every test for a source that gives peers ids of its own, which join returns', async () => {
    const collected = collect(() => makeReferenceHarness([], 'assigned'))
    const failures: string[] = []
    for (const test of collected.tests) {
      const error = await run(collected, test)
      if (error) failures.push(`${test.title}: ${error.message}`)
    }
    expect(failures).toEqual([])
  }, 30_000)

  it.each([JOIN, COPY, UPDATE, LEAVE, NO_DUPLICATES])(
    '"%s" fails when join returns an id the source does not give the peer',
    async (test) => {
      const collected = collect(() => makeReferenceHarness([], 'misreported'))
      const error = await run(collected, find(collected, test))
      expect(error?.message).toContain(
        'Waited 1000 ms for peerJoined for "user-101" (joined as "contract-ann"), in vain',
      )
      expect(error?.message).toContain(
        'Meanwhile peerJoined came for "user-1": if the source gives peers ids of its own, harness.peers.join("contract-ann") must return the id it gives this one (it returned "user-101")',
      )
    },
  )

  it('fails the close test when join returns an id the source does not give the peer', async () => {
    const collected = collect(() => makeReferenceHarness([], 'misreported'))
    const error = await run(collected, find(collected, CLOSE))
    expect(error?.message).toContain(
      'for "user-101" (joined as "contract-ann") and "user-102" (joined as "contract-bob") in getPeers(), in vain',
    )
  })

  it('fails a peer test when join returns an id that is not a non-empty string', async () => {
    for (const returned of [42, '']) {
      const collected = collect(() => {
        const harness = makeReferenceHarness()
        const peers = harness.peers!
        return { ...harness, peers: { ...peers, join: () => returned as unknown as string } }
      })
      const error = await run(collected, find(collected, JOIN))
      expect(error).toBeInstanceOf(TypeError)
      expect(error?.message).toContain(
        `harness.peers.join("contract-ann") returned ${JSON.stringify(returned)}. Return nothing when the peer's id in the source is the name given to join, or the id the service gave the peer as a non-empty string (String(id) for a number).`,
      )
    }
  })

  it('fails a peer test when join returns the same id for two peers', async () => {
    const collected = collect(() => {
      const harness = makeReferenceHarness()
      const peers = harness.peers!
      const join = (name: string, data?: unknown) => {
        void peers.join(name, data)
        return 'contract-ann'
      }
      return { ...harness, peers: { ...peers, join } }
    })
    const error = await run(collected, find(collected, NO_DUPLICATES))
    expect(error?.message).toContain(
      'harness.peers.join("contract-bob") returned "contract-ann", which harness.peers.join("contract-ann") returned too',
    )
  })

  it.each(cases)('"%s" fails for a source with the defect %s', async (test, defect, failure) => {
    const collected = collect(() => makeReferenceHarness([defect]))
    const error = await run(collected, find(collected, test))
    expect(error?.message).toContain(failure)
  })

  it('fails the send test when a source that declares canSend: false resolves send()', async () => {
    const collected = collect(() => ({ ...makeReferenceHarness(), canSend: false }))
    const error = await run(collected, find(collected, SEND))
    expect(error?.message).toContain('send() resolved, but the harness says the source cannot send')
  })

  it('skips the tests a harness opts out of, and fails those that need what it lacks', async () => {
    const lacking = () => {
      const { giveUp: _giveUp, ...harness } = makeReferenceHarness()
      return harness
    }
    const optedOut = collect(lacking, { without: ['giveUp'] })
    expect(optedOut.skipped).toEqual([
      `source > give up > ${ERROR} (skipped: without giveUp)`,
      `source > give up > ${RECONNECT} (skipped: without giveUp)`,
      `source > give up > ${RECONNECT_REJOIN} (skipped: without giveUp)`,
    ])
    const silent = collect(lacking)
    const error = await run(silent, find(silent, ERROR))
    expect(error?.message).toContain("pass { without: ['giveUp'] } to describeConnectionSource")
  })

  it('without test functions or globals, throws a TypeError that says what to pass', () => {
    expect('describe' in globalThis).toBe(false)
    expect(() => describeConnectionSource('source', () => makeReferenceHarness())).toThrow(
      new TypeError(
        "describeConnectionSource: no test function describe, it, afterEach. Pass your runner's as the third argument — import { describe, it, afterEach } from 'vitest', then describeConnectionSource(name, makeHarness, { describe, it, afterEach }) — or run with test globals (Jest has them; Vitest with test.globals: true).",
      ),
    )
  })
})
