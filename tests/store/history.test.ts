import { describe, expect, test } from 'vitest'
import type { ConnectionSnapshot } from '../../src/core/types.js'
import { createConnectionStore, type ConnectionStoreOptions } from '../../src/index.js'
import {
  appendHistory,
  historyEntry,
  isTransition,
  nextHistory,
  type ConnectionHistoryEntry,
} from '../../src/store/history.js'
import { createMockSource } from '../../src/testing/index.js'
import { createFakeClock } from '../helpers/fakeClock.js'

/** Lets the store's end-of-tick peer flush run. */
const endOfTick = () => Promise.resolve()

const OPEN = Object.freeze({
  state: 'OPEN',
  previousState: 'CHALLENGING',
  reason: 'JOIN_SUCCESS',
  phase: 'CONNECTED',
  tone: 'good',
  since: 0,
  attempt: 0,
  nextRetryAt: null,
  retrying: false,
  lost: false,
  queued: 0,
  error: null,
}) satisfies ConnectionSnapshot

const snapshot = (patch: Partial<ConnectionSnapshot>): ConnectionSnapshot => ({ ...OPEN, ...patch })
const DROPPED = snapshot({
  state: 'RECONNECTING',
  previousState: 'OPEN',
  reason: 'INTERRUPTED',
  attempt: 1,
})

/** Entries with `at` 1, 2, 3…: which ones a list holds, by `at`. */
const entries = (count: number) =>
  Array.from({ length: count }, (_, i) => historyEntry(OPEN, i + 1))
const ats = (history: readonly ConnectionHistoryEntry[]) => history.map((e) => e.at)

/** A store over a mock source on a fake clock (at 0), with `options`. */
function setup(options: ConnectionStoreOptions = {}) {
  const fake = createFakeClock(0)
  const source = createMockSource({ state: 'OPEN', reason: 'JOIN_SUCCESS' })
  const store = createConnectionStore(source, { clock: fake.clock, ...options })
  /** The history as `at state/reason #attempt` lines. */
  const lines = () =>
    store
      .getState()
      .history.map((e) => `${e.at} ${e.state}/${e.reason} #${e.attempt} from ${e.previousState}`)
  return { fake, source, store, lines }
}

describe('history.ts: pure', () => {
  test('isTransition: a new state, reason or attempt is one', () => {
    expect(isTransition(OPEN, DROPPED)).toBe(true)
    expect(isTransition(DROPPED, { ...DROPPED, reason: 'LOST', lost: true })).toBe(true)
    expect(isTransition(DROPPED, { ...DROPPED, attempt: 2 })).toBe(true)
  })

  test('isTransition: a new queue, retry time or error text alone is not', () => {
    expect(isTransition(DROPPED, { ...DROPPED, queued: 3 })).toBe(false)
    expect(isTransition(DROPPED, { ...DROPPED, nextRetryAt: 4000 })).toBe(false)
    const error = { code: 'INTERRUPTED', message: 'other text' }
    expect(isTransition(DROPPED, { ...DROPPED, error })).toBe(false)
  })

  test('historyEntry: the snapshot’s state, reason, attempt and previous state, frozen', () => {
    const entry = historyEntry(snapshot({ ...DROPPED, queued: 5, nextRetryAt: 9 }), 1234)
    expect(entry).toStrictEqual({
      at: 1234,
      state: 'RECONNECTING',
      reason: 'INTERRUPTED',
      attempt: 1,
      previousState: 'OPEN',
    })
    expect(Object.isFrozen(entry)).toBe(true)
  })

  test('historyEntry: the error code in ERROR only', () => {
    const error = { code: 'TOKEN_EXPIRED', message: 'token expired for user secret-user' }
    const failed = historyEntry(snapshot({ state: 'ERROR', reason: 'TOKEN_EXPIRED', error }), 1)
    expect(failed.errorCode).toBe('TOKEN_EXPIRED')
    expect(JSON.stringify(failed)).not.toContain('secret-user')
    // a RECONNECTING snapshot carries the error that caused it: not an entry's business
    const retrying = historyEntry({ ...DROPPED, error: { code: 'INTERRUPTED', message: '' } }, 1)
    expect('errorCode' in retrying).toBe(false)
  })

  test('appendHistory: newest last, a new frozen array, the given one untouched', () => {
    const before = entries(2)
    const [added] = entries(3).slice(2)
    const after = appendHistory(before, added!, 50)
    expect(ats(after)).toEqual([1, 2, 3])
    expect(ats(before)).toEqual([1, 2])
    expect(Object.isFrozen(after)).toBe(true)
  })

  test('appendHistory: a ring of `limit` entries, the oldest dropped first', () => {
    let history: readonly ConnectionHistoryEntry[] = []
    for (const entry of entries(7)) history = appendHistory(history, entry, 3)
    expect(ats(history)).toEqual([5, 6, 7])
    // a limit lowered below what is kept (a list from elsewhere) still ends at `limit`
    expect(ats(appendHistory(entries(5), historyEntry(OPEN, 6), 2))).toEqual([5, 6])
  })

  test('appendHistory: limit 0 keeps nothing', () => {
    const none: readonly ConnectionHistoryEntry[] = []
    expect(appendHistory(none, historyEntry(OPEN, 1), 0)).toBe(none)
  })

  test('nextHistory: one more entry for a transition, the same array for anything else', () => {
    const history = entries(1)
    expect(nextHistory(history, DROPPED, { ...DROPPED, queued: 1 }, 5, 50)).toBe(history)
    const next = nextHistory(history, OPEN, DROPPED, 5, 50)
    expect(next.at(-1)).toStrictEqual(historyEntry(DROPPED, 5))
    expect(next).toHaveLength(2)
  })
})

describe('the store’s history', () => {
  test('starts empty: what the source did before the store attached is not known', () => {
    const { store } = setup()
    expect(store.getState().history).toEqual([])
  })

  test('drop, a second attempt, LOST, restore: one entry each, at the store’s clock time', () => {
    const { fake, source, lines } = setup()
    fake.advance(1000)
    source.drop({ retryIn: 2000 })
    fake.advance(2000)
    source.scheduleRetry(4000) // only the retry time: no entry
    source.set('RECONNECTING', 'INTERRUPTED', { attempt: 2 })
    fake.advance(500)
    source.lose()
    fake.advance(1500)
    source.restore()
    expect(lines()).toEqual([
      '1000 RECONNECTING/INTERRUPTED #1 from OPEN',
      '3000 RECONNECTING/INTERRUPTED #2 from OPEN',
      '3500 RECONNECTING/LOST #2 from OPEN',
      '5000 OPEN/REJOIN_SUCCESS #0 from RECONNECTING',
    ])
  })

  test('ERROR entries carry the error code', () => {
    const { source, store } = setup()
    source.fail('MAX_RECONNECT_ATTEMPTS')
    expect(store.getState().history.at(-1)).toMatchObject({
      state: 'ERROR',
      reason: 'MAX_RECONNECT_ATTEMPTS',
      errorCode: 'MAX_RECONNECT_ATTEMPTS',
    })
  })

  test('historyLimit: keeps the newest entries only (default 50)', () => {
    const { source, store } = setup({ historyLimit: 3 })
    for (let attempt = 1; attempt <= 6; attempt++)
      source.set('RECONNECTING', 'INTERRUPTED', { attempt })
    expect(store.getState().history.map((e) => e.attempt)).toEqual([4, 5, 6])

    const byDefault = setup()
    for (let attempt = 1; attempt <= 60; attempt++)
      byDefault.source.set('RECONNECTING', 'INTERRUPTED', { attempt })
    const kept = byDefault.store.getState().history
    expect(kept).toHaveLength(50)
    expect([kept[0]?.attempt, kept.at(-1)?.attempt]).toEqual([11, 60])
  })

  test('historyLimit: 0 keeps none, and the store still follows its source', () => {
    const { source, store } = setup({ historyLimit: 0 })
    source.drop()
    expect(store.getState().connection.state).toBe('RECONNECTING')
    expect(store.getState().history).toEqual([])
  })

  test.each([-1, 1.5, Infinity, NaN, '5', null])(
    'historyLimit %s: a TypeError naming it',
    (historyLimit) => {
      const source = createMockSource('OPEN')
      const create = () =>
        createConnectionStore(source, { historyLimit } as unknown as ConnectionStoreOptions)
      expect(create).toThrow(TypeError)
      expect(create).toThrow(
        /^createConnectionStore: historyLimit must be a non-negative integer \(got /,
      )
      expect(source.listenerCount()).toBe(0)
    },
  )

  test('the history changes only in an update that changes `connection` too', async () => {
    const { source, store } = setup()
    const updates: { connection: boolean; history: boolean }[] = []
    store.subscribe((next, before) =>
      updates.push({
        connection: next.connection !== before.connection,
        history: next.history !== before.history,
      }),
    )
    source.drop()
    source.scheduleRetry(1000) // a new snapshot, not a transition
    source.peerJoin('ada')
    await endOfTick()
    source.lose()
    expect(updates).toEqual([
      { connection: true, history: true },
      { connection: true, history: false },
      { connection: false, history: false },
      { connection: true, history: true },
    ])
  })

  test('detached, it misses transitions: the state found on attaching again is one entry', () => {
    const { fake, source, store, lines } = setup()
    store.unmount()
    fake.advance(0)
    source.drop()
    source.lose()
    fake.advance(100)
    store.mount()
    expect(lines()).toEqual(['100 RECONNECTING/LOST #1 from OPEN'])
  })

  test('destroy() records where the source ended: CLOSED', () => {
    const { fake, source, store } = setup()
    fake.advance(10)
    store.getState().destroy()
    expect(store.getState().history.map((e) => [e.at, e.state, e.reason])).toEqual([
      [10, 'CLOSED', 'LEAVE_CHANNEL'],
    ])
    source.drop() // no longer followed
    expect(store.getState().history).toHaveLength(1)
  })
})
