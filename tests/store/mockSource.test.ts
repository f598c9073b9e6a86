import { act, renderHook } from '../react/rtl.js'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { createConnectionStore, type ConnectionStore } from '../../src/index.js'
import { useIndicator } from '../../src/react/index.js'
import { createMockSource } from '../../src/testing/index.js'

// The mock source's retry schedule (`retryIn`, `attempt`, `scheduleRetry`), which lets a
// story or a test show the countdown `useIndicator().retryIn` reads from `nextRetryAt`.

const stores: ConnectionStore[] = []
beforeEach(() => {
  vi.useFakeTimers({ now: 10_000 })
})
afterEach(() => {
  for (const store of stores.splice(0)) store.getState().destroy()
  vi.useRealTimers()
})

describe('mock source: retry schedule', () => {
  test('drop() and set() without options: no retry scheduled, and RECONNECTING counts attempt 1', () => {
    const source = createMockSource('OPEN')
    source.drop()
    expect(source.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'INTERRUPTED',
      attempt: 1,
      nextRetryAt: null,
    })
    // RECONNECTING is a round of attempts: attempt is at least 1, whatever the source.
    source.set('RECONNECTING', 'KEEP_ALIVE_TIMEOUT')
    expect(source.getSnapshot()).toMatchObject({ attempt: 1, nextRetryAt: null, retrying: true })
  })

  test('drop({ retryIn }) schedules the retry retryIn ms from now, attempt 1 unless given', () => {
    const source = createMockSource('OPEN')
    source.drop({ retryIn: 4000 })
    expect(source.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'INTERRUPTED',
      attempt: 1,
      nextRetryAt: 14_000,
    })
    source.drop({ attempt: 3, retryIn: 0 })
    expect(source.getSnapshot()).toMatchObject({ attempt: 3, nextRetryAt: 10_000 })
  })

  test('set(state, reason, { attempt, retryIn }) puts both in the snapshot', () => {
    const source = createMockSource('OPEN')
    const changes: unknown[] = []
    source.on('connectionStateChanged', (state, reason) => changes.push([state, reason]))
    source.set('RECONNECTING', 'KEEP_ALIVE_TIMEOUT', { attempt: 2, retryIn: 8000 })
    expect(source.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'KEEP_ALIVE_TIMEOUT',
      phase: 'RECONNECTING',
      attempt: 2,
      nextRetryAt: 18_000,
      retrying: true,
    })
    // a default reason with options
    source.set('ERROR', undefined, { attempt: 5 })
    expect(source.getSnapshot()).toMatchObject({
      state: 'ERROR',
      reason: 'MAX_RECONNECT_ATTEMPTS',
      attempt: 5,
      nextRetryAt: null,
    })
    expect(changes).toEqual([
      ['RECONNECTING', 'KEEP_ALIVE_TIMEOUT'],
      ['ERROR', 'MAX_RECONNECT_ATTEMPTS'],
    ])
  })

  test('the next change clears the retry, as the client does; lose() keeps it (same attempt)', () => {
    const source = createMockSource('OPEN')
    source.drop({ retryIn: 4000 })
    source.lose()
    expect(source.getSnapshot()).toMatchObject({ lost: true, attempt: 1, nextRetryAt: 14_000 })
    source.restore()
    expect(source.getSnapshot()).toMatchObject({ state: 'OPEN', attempt: 0, nextRetryAt: null })
  })

  test('scheduleRetry(ms) publishes a snapshot with only nextRetryAt changed; null clears it', () => {
    const source = createMockSource('OPEN')
    source.drop()
    const before = source.getSnapshot()
    const snapshots: unknown[] = []
    const changes: unknown[] = []
    source.subscribe((snapshot) => snapshots.push(snapshot))
    source.on('connectionStateChanged', (state) => changes.push(state))

    vi.advanceTimersByTime(500)
    source.scheduleRetry(3000)
    const after = source.getSnapshot()
    expect(after).not.toBe(before)
    expect(after).toEqual({ ...before, nextRetryAt: 13_500 })
    expect(Object.isFrozen(after)).toBe(true)
    source.scheduleRetry(null)
    expect(source.getSnapshot()).toEqual({ ...before, nextRetryAt: null })

    expect(snapshots).toHaveLength(2)
    expect(changes).toEqual([])
  })

  test('bad retry times and attempts throw an error that names the call and the value', () => {
    const source = createMockSource('OPEN')
    expect(() => source.drop({ retryIn: -1 })).toThrow(
      'createMockSource: drop(): retryIn must be a non-negative, finite number of milliseconds (got -1)',
    )
    expect(() => source.set('RECONNECTING', 'INTERRUPTED', { retryIn: Infinity })).toThrow(
      'createMockSource: set(): retryIn must be a non-negative, finite number of milliseconds (got Infinity)',
    )
    expect(() => source.drop({ attempt: 1.5 })).toThrow(
      'createMockSource: drop(): attempt must be a non-negative integer (got 1.5)',
    )
    expect(() => source.scheduleRetry(Number.NaN)).toThrow(
      'createMockSource: scheduleRetry(): retryIn must be a non-negative, finite number of milliseconds or null (got NaN)',
    )
    // nothing was published by the refused calls
    expect(source.getSnapshot().state).toBe('OPEN')
  })

  test('through a store, useIndicator().retryIn counts the scheduled retry down to 0', () => {
    const source = createMockSource('OPEN')
    const store = createConnectionStore(source)
    stores.push(store)
    const { result, unmount } = renderHook(() => useIndicator({}, store))
    expect(result.current.retryIn).toBeNull()

    act(() => source.drop({ retryIn: 3000 }))
    expect(store.getState().connection.nextRetryAt).toBe(13_000)
    expect(result.current.retryIn).toBe(3)
    act(() => void vi.advanceTimersByTime(1000))
    expect(result.current.retryIn).toBe(2)
    act(() => source.scheduleRetry(10_000))
    expect(result.current.retryIn).toBe(10)
    act(() => void vi.advanceTimersByTime(12_000))
    expect(result.current.retryIn).toBe(0)
    act(() => source.restore())
    expect(result.current.retryIn).toBeNull()
    unmount()
  })
})
