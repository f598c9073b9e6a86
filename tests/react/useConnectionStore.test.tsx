import { Profiler } from 'react'
import { beforeEach, describe, expect, test } from 'vitest'
import { createConnectionStore } from '../../src/index.js'
import { ConnectionProvider, useConnectionStore } from '../../src/react/index.js'
import { createMockSource, type MockSource } from '../../src/testing/index.js'
import { act, render, renderHook } from './rtl.js'
import { createRenderCounter, storeVariants } from './support.js'

let source: MockSource
const variants = storeVariants(() => source)

beforeEach(() => {
  source = createMockSource({ state: 'OPEN', peers: ['ada', 'bob'] })
})

describe.each(variants)('useConnectionStore with $name', (variant) => {
  test('useConnectionStore(selector) reads any field: peersStale follows the connection', () => {
    const { result } = variant.renderHook((store) =>
      useConnectionStore((s) => s.peersStale, undefined, store),
    )
    expect(result.current).toBe(false)
    act(() => source.drop())
    expect(result.current).toBe(true)
    act(() => source.restore())
    expect(result.current).toBe(false)
  })

  test('useConnectionStore(selector, equalityFn) keeps the last value while equal', async () => {
    const { result } = variant.renderHook((store) =>
      useConnectionStore(
        (s) => ({ online: s.peerList.length, stale: s.peersStale }),
        (a, b) => a.online === b.online && a.stale === b.stale,
        store,
      ),
    )
    const first = result.current
    expect(first).toEqual({ online: 2, stale: false })
    await act(async () => source.peerUpdate('ada', { typing: true })) // a new list, as long
    expect(result.current).toBe(first)
    await act(async () => source.peerLeave('bob'))
    expect(result.current).toEqual({ online: 1, stale: false })
  })

  test('useConnectionStore() with no selector gives the store itself', () => {
    const { result } = variant.renderHook((store) => useConnectionStore(store))
    const store = result.current
    expect(store.getState().connection).toBe(source.getSnapshot())
    act(() => store.getState().reconnect())
    expect(source.getSnapshot().reason).toBe('RETRY_REQUESTED')
  })
})

describe('useConnectionStore render isolation', () => {
  test('a component reading peersStale renders only when peersStale changes', async () => {
    const store = createConnectionStore(source)
    const counter = createRenderCounter()
    function Stale() {
      return <p>{String(useConnectionStore((s) => s.peersStale))}</p>
    }
    const view = render(
      <ConnectionProvider store={store}>
        <Profiler id="stale" onRender={counter.onRender}>
          <Stale />
        </Profiler>
      </ConnectionProvider>,
    )
    counter.reset()
    for (let i = 0; i < 100; i++) await act(async () => source.peerJoin(`peer-${i}`))
    act(() => source.set('OPEN')) // a new snapshot, still OPEN
    expect(counter.get('stale')).toBe(0)

    act(() => source.drop())
    expect(counter.get('stale')).toBe(1)
    act(() => source.set('CHALLENGING')) // another state, still stale
    act(() => source.set('AUTHENTICATING'))
    await act(async () => source.peerLeave('peer-0'))
    expect(counter.get('stale')).toBe(1)
    act(() => source.restore())
    expect(counter.get('stale')).toBe(2)
    expect(view.container.textContent).toBe('false')
    act(() => store.getState().destroy())
  })

  test('the store-only form never renders for the store', async () => {
    const store = createConnectionStore(source)
    const counter = createRenderCounter()
    function Actions() {
      const store = useConnectionStore()
      return <button onClick={() => store.getState().reconnect()}>Retry</button>
    }
    render(
      <ConnectionProvider store={store}>
        <Profiler id="actions" onRender={counter.onRender}>
          <Actions />
        </Profiler>
      </ConnectionProvider>,
    )
    counter.reset()
    act(() => source.drop())
    await act(async () => source.peerJoin('cy'))
    act(() => source.restore())
    expect(counter.get('actions')).toBe(0)
    store.getState().destroy()
  })
})

describe('useConnectionStore outside a provider', () => {
  test('with an explicit store as its last argument it needs no provider', () => {
    const store = createConnectionStore(source)
    const { result } = renderHook(() => ({
      stale: useConnectionStore((s) => s.peersStale, undefined, store),
      store: useConnectionStore(store),
    }))
    expect(result.current).toEqual({ stale: false, store })
    act(() => store.getState().destroy())
    expect(result.current.stale).toBe(true) // CLOSED
  })
})
