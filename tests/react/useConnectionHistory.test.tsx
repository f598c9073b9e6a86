import { Profiler, StrictMode, type ReactNode } from 'react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createConnectionStore, type ConnectionStore } from '../../src/index.js'
import { ConnectionProvider, useConnectionState } from '../../src/react/index.js'
import { useConnectionHistory } from '../../src/react/useConnectionHistory.js'
import type { ConnectionHistoryEntry } from '../../src/store/history.js'
import { createMockSource, type MockSource } from '../../src/testing/index.js'
import { act, cleanup, render, renderHook, screen } from './rtl.js'
import { createRenderCounter, storeVariants } from './support.js'

/** Lets the store's end-of-tick peer flush run. */
const endOfTick = () => Promise.resolve()

const steps = (history: readonly ConnectionHistoryEntry[]) =>
  history.map((e) => `${e.state}/${e.reason}#${e.attempt}`)

/** Drop, a second attempt, LOST, back: four transitions. */
function flap(source: MockSource) {
  act(() => {
    source.drop()
    source.set('RECONNECTING', 'INTERRUPTED', { attempt: 2 })
    source.lose()
    source.restore()
  })
}
const FLAP = [
  'RECONNECTING/INTERRUPTED#1',
  'RECONNECTING/INTERRUPTED#2',
  'RECONNECTING/LOST#2',
  'OPEN/REJOIN_SUCCESS#0',
]

const stores: ConnectionStore[] = []
afterEach(() => {
  cleanup() // unmount first: destroying a store a component still shows would render outside act()
  for (const store of stores.splice(0)) store.getState().destroy()
})
function storeOver(source: MockSource) {
  const store = createConnectionStore(source)
  stores.push(store)
  return store
}

// The source each variant made last: the one its store follows.
let latest: MockSource
const variants = storeVariants(() => (latest = createMockSource('OPEN')))

test.each(variants)('useConnectionHistory ($name): every transition, newest last', (variant) => {
  const { result } = variant.renderHook((store) => useConnectionHistory(undefined, store))
  expect(result.current).toEqual([])
  flap(latest)
  expect(steps(result.current)).toEqual(FLAP)
})

describe('useConnectionHistory', () => {
  test('every transition since the store attached, newest last', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    const { result } = renderHook(() => useConnectionHistory(undefined, store))
    expect(result.current).toEqual([])
    flap(source)
    expect(steps(result.current)).toEqual(FLAP)
    expect(result.current).toBe(store.getState().history)
  })

  test('limit: the last `limit` entries; 0 gives none', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    const { result } = renderHook(() => ({
      two: useConnectionHistory(2, store),
      ten: useConnectionHistory(10, store),
      none: useConnectionHistory(0, store),
    }))
    flap(source)
    expect(steps(result.current.two)).toEqual(FLAP.slice(-2))
    expect(steps(result.current.ten)).toEqual(FLAP)
    expect(result.current.none).toEqual([])
  })

  test.each([-1, 2.5, NaN, '3'])('limit %s: a TypeError naming it', (limit) => {
    const store = storeOver(createMockSource('OPEN'))
    // React reports the render error on the console too (React 18 also through a window
    // error event jsdom prints): keep the output clean.
    const swallow = (event: ErrorEvent) => event.preventDefault()
    window.addEventListener('error', swallow)
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      expect(() => renderHook(() => useConnectionHistory(limit as number, store))).toThrow(
        /^useConnectionHistory: limit must be a non-negative integer or Infinity \(got /,
      )
    } finally {
      window.removeEventListener('error', swallow)
      consoleError.mockRestore()
    }
  })

  test('the same array while the history is unchanged: re-renders, peers, a new retry time', async () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    const { result, rerender } = renderHook(() => ({
      all: useConnectionHistory(undefined, store),
      last: useConnectionHistory(1, store),
    }))
    act(() => source.drop())
    const { all, last } = result.current
    rerender()
    act(() => source.peerJoin('ada'))
    await act(endOfTick)
    act(() => source.scheduleRetry(5000))
    expect(store.getState().peerList).toHaveLength(1)
    expect(result.current.all).toBe(all)
    expect(result.current.last).toBe(last)
    act(() => source.lose())
    expect(steps(result.current.last)).toEqual(['RECONNECTING/LOST#1'])
  })

  test('a history change alone does not re-render a component that reads only the state', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    function State() {
      return <p data-testid="state">{useConnectionState()}</p>
    }
    function Count() {
      return <p data-testid="history">{useConnectionHistory().length}</p>
    }
    const counter = createRenderCounter()
    render(
      <ConnectionProvider store={store}>
        <Profiler id="state" onRender={counter.onRender}>
          <State />
        </Profiler>
        <Profiler id="history" onRender={counter.onRender}>
          <Count />
        </Profiler>
      </ConnectionProvider>,
    )
    act(() => source.drop())
    const [stateRenders, historyRenders] = [counter.get('state'), counter.get('history')]
    // Still RECONNECTING: a new attempt and LOST are transitions of the history only.
    act(() => source.set('RECONNECTING', 'INTERRUPTED', { attempt: 2 }))
    act(() => source.lose())
    expect(screen.getByTestId('history').textContent).toBe('3')
    expect(counter.get('history')).toBe(historyRenders + 2)
    expect(counter.get('state')).toBe(stateRenders)
    expect(screen.getByTestId('state').textContent).toBe('RECONNECTING')
  })

  test('StrictMode with a provider source=: one entry per transition; unmounting leaves nothing', async () => {
    const source = createMockSource('OPEN')
    function Steps() {
      return <p data-testid="steps">{steps(useConnectionHistory()).join(' ')}</p>
    }
    const { unmount } = render(
      <StrictMode>
        <ConnectionProvider source={source}>
          <Steps />
        </ConnectionProvider>
      </StrictMode>,
    )
    flap(source)
    expect(screen.getByTestId('steps').textContent).toBe(FLAP.join(' '))
    expect(source.listenerCount()).toBeGreaterThan(0)
    unmount()
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)))
    expect(source.listenerCount()).toBe(0)
    expect(source.getSnapshot().state).toBe('CLOSED')
  })

  test('a store passed in: unmounting leaves no subscription of the hook on it', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    let active = 0
    const subscribe = store.subscribe
    store.subscribe = (listener) => {
      const off = subscribe(listener)
      active++
      return () => {
        active--
        off()
      }
    }
    const wrapper = ({ children }: { children: ReactNode }) => <StrictMode>{children}</StrictMode>
    const { unmount } = renderHook(() => useConnectionHistory(5, store), { wrapper })
    expect(active).toBeGreaterThan(0)
    unmount()
    expect(active).toBe(0)
  })

  test('on the server: an empty history, whatever the store holds', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    source.drop()
    expect(store.getState().history).toHaveLength(1)
    function Count() {
      return <p>{useConnectionHistory().length} transitions</p>
    }
    const html = renderToString(
      <ConnectionProvider store={store}>
        <Count />
      </ConnectionProvider>,
    )
    expect(html).toContain('<p>0<!-- --> transitions</p>')
  })
})
