import { act, render, renderHook, screen } from './rtl.js'
import { Profiler, useState } from 'react'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { createConnectionStore, type ConnectionStore } from '../../src/index.js'
import {
  ConnectionProvider,
  useConnection,
  useConnectionEvent,
  useConnectionState,
  useConnectionStore,
  usePeer,
  usePeerIds,
  usePeers,
} from '../../src/react/index.js'
import { createMockSource, type MockSource } from '../../src/testing/index.js'
import { createRenderCounter, storeVariants } from './support.js'

let source: MockSource
const variants = storeVariants(() => source)
const ids = (list: readonly { id: string }[]) => list.map((p) => p.id)

beforeEach(() => {
  source = createMockSource({ state: 'OPEN', peers: ['ada', 'bob'] })
})

describe.each(variants)('hooks with $name', (variant) => {
  test('useConnectionState() follows the raw state', () => {
    const { result } = variant.renderHook((store) => useConnectionState(store))
    expect(result.current).toBe('OPEN')
    act(() => source.drop())
    expect(result.current).toBe('RECONNECTING')
    act(() => source.fail())
    expect(result.current).toBe('ERROR')
  })

  test('useConnection(selector, equalityFn) returns the slice, stable while equal', () => {
    const { result } = variant.renderHook((store) =>
      useConnection(
        (s) => ({ attempt: s.attempt, retrying: s.retrying }),
        (a, b) => a.attempt === b.attempt && a.retrying === b.retrying,
        store,
      ),
    )
    const first = result.current
    expect(first).toEqual({ attempt: 0, retrying: false })
    act(() => source.set('OPEN', 'JOIN_SUCCESS')) // a new snapshot, an equal slice
    expect(result.current).toBe(first)
    act(() => source.drop())
    expect(result.current).toEqual({ attempt: 1, retrying: true })
  })

  test('usePeers() gives the online peers, usePeers({ includeOffline: true }) all', async () => {
    const { result } = variant.renderHook((store) => ({
      online: usePeers({}, store),
      all: usePeers({ includeOffline: true }, store),
    }))
    expect(ids(result.current.online)).toEqual(['ada', 'bob'])
    await act(async () => {
      source.peerJoin('cy')
      source.peerLeave('ada', 'QUIT')
    })
    expect(ids(result.current.online)).toEqual(['bob', 'cy'])
    expect(result.current.all.map((p) => [p.id, p.online])).toEqual([
      ['bob', true],
      ['cy', true],
      ['ada', false],
    ])
  })

  test('usePeers({ includeOffline: true }) is the same array until a peer changes', async () => {
    const { result } = variant.renderHook((store) => usePeers({ includeOffline: true }, store))
    await act(async () => source.peerLeave('ada', 'QUIT'))
    const first = result.current
    expect(first.map((p) => [p.id, p.online])).toEqual([
      ['bob', true],
      ['ada', false],
    ])
    act(() => source.drop()) // a connection change, no peer change
    expect(result.current).toBe(first)
    await act(async () => source.peerJoin('ada'))
    expect(result.current.map((p) => [p.id, p.online])).toEqual([
      ['bob', true],
      ['ada', true],
    ])
  })

  test('usePeer(id) gives that peer, online or gone, or undefined', async () => {
    const { result } = variant.renderHook((store) => ({
      ada: usePeer('ada', store),
      zed: usePeer('zed', store),
    }))
    expect(result.current.ada).toMatchObject({ id: 'ada', online: true })
    expect(result.current.zed).toBeUndefined()
    await act(async () => {
      source.peerUpdate('ada', { typing: true })
      source.peerJoin('zed')
    })
    expect(result.current.ada).toMatchObject({ online: true, data: { typing: true } })
    expect(result.current.zed).toMatchObject({ id: 'zed', online: true })
    await act(async () => source.peerLeave('ada', 'DROPPED'))
    expect(result.current.ada).toMatchObject({ online: false, leftReason: 'DROPPED' })
  })

  test('usePeerIds() gives the online ids, the same array while they stay the same', async () => {
    const { result } = variant.renderHook((store) => usePeerIds(store))
    const first = result.current
    expect(first).toEqual(['ada', 'bob'])
    await act(async () => source.peerUpdate('bob', { away: true }))
    expect(result.current).toBe(first)
    await act(async () => source.peerJoin('cy'))
    expect(result.current).toEqual(['ada', 'bob', 'cy'])
  })

  test.each(['lost', 'restored', 'failed', 'stateChange'] as const)(
    "useConnectionEvent('%s') calls the latest inline handler, subscribed once",
    (event) => {
      const calls: [string, number, unknown[]][] = []
      const { rerender } = variant.renderHook((store) => {
        // a new inline handler on every render, closing over that render's count
        const [renders, setRenders] = useState(0)
        useConnectionEvent(event, (...args: unknown[]) => calls.push([event, renders, args]), store)
        return setRenders
      })
      // later renders, with new handlers
      rerender()
      rerender()
      act(() => {
        source.lose()
        source.restore()
        source.fail('JOIN_FAILED')
      })
      const expected = {
        lost: [[]],
        restored: [[]],
        failed: [['JOIN_FAILED', { code: 'JOIN_FAILED', message: 'Mock failure: JOIN_FAILED' }]],
        stateChange: [
          ['RECONNECTING', 'INTERRUPTED'],
          ['OPEN', 'REJOIN_SUCCESS'],
          ['ERROR', 'JOIN_FAILED'],
        ],
      }[event]
      expect(calls).toEqual(expected.map((args) => [event, 0, args]))
    },
  )
})

describe('hooks: the latest handler and one subscription', () => {
  test('useConnectionEvent re-subscribes only when the event or the store changes', () => {
    const store = createConnectionStore(source)
    const on = vi.spyOn(store, 'on')
    const seen: string[] = []
    function Listener({ label }: { label: string }) {
      useConnectionEvent('stateChange', (state) => seen.push(`${label}:${state}`), store)
      return null
    }
    const { rerender } = render(<Listener label="first" />)
    for (const label of ['second', 'third', 'latest']) rerender(<Listener label={label} />)
    act(() => source.drop())
    expect(seen).toEqual(['latest:RECONNECTING'])
    expect(on).toHaveBeenCalledTimes(1)
  })
})

describe('hooks outside a provider', () => {
  // React reports the thrown render error on the console as well (and React 18 through a
  // window error event jsdom prints): keep the output clean.
  const swallow = (event: ErrorEvent) => event.preventDefault()
  beforeEach(() => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    window.addEventListener('error', swallow)
  })
  afterEach(() => {
    window.removeEventListener('error', swallow)
    vi.restoreAllMocks()
  })

  const hooks: [string, () => unknown][] = [
    ['useConnectionState', () => useConnectionState()],
    ['useConnection', () => useConnection((s) => s.state)],
    ['usePeers', () => usePeers()],
    ['usePeer', () => usePeer('ada')],
    ['usePeerIds', () => usePeerIds()],
    ['useConnectionEvent', () => useConnectionEvent('lost', () => {})],
    ['useConnectionStore(selector)', () => useConnectionStore((s) => s.peersStale)],
    ['useConnectionStore()', () => useConnectionStore()],
  ]
  test.each(hooks)('%s throws a clear error without a provider or a store', (_name, hook) => {
    expect(() => renderHook(hook)).toThrow(
      /^linklight: no connection store here\. Wrap the component in <ConnectionProvider store=\{…\}> or pass the store as the hook’s last argument\.$/,
    )
  })

  test('an explicit store wins over the provider’s', () => {
    const other = createMockSource('ERROR')
    const explicit = createConnectionStore(other)
    const { result } = renderHook(() => [useConnectionState(), useConnectionState(explicit)], {
      wrapper: ({ children }) => (
        <ConnectionProvider source={source}>{children}</ConnectionProvider>
      ),
    })
    expect(result.current).toEqual(['OPEN', 'ERROR'])
  })

  test('ConnectionProvider without store or source says what to pass', () => {
    const props = {} as { store: ConnectionStore }
    expect(() => render(<ConnectionProvider {...props} />)).toThrow(
      'ConnectionProvider: pass a store={…} or a source={…}',
    )
  })
})

describe('ConnectionProvider source=', () => {
  test('events reach useConnectionEvent even when no hook reads the store', () => {
    const seen: string[] = []
    function OnlyEvents() {
      useConnectionEvent('lost', () => seen.push('lost'))
      useConnectionEvent('stateChange', (state) => seen.push(state))
      return null
    }
    render(
      <ConnectionProvider source={source}>
        <OnlyEvents />
      </ConnectionProvider>,
    )
    act(() => source.lose())
    expect(seen).toEqual(['RECONNECTING', 'lost'])
  })

  test('the store it created is destroyed after unmount: source closed, nothing listening', () => {
    vi.useFakeTimers()
    try {
      const counter = createRenderCounter()
      function State() {
        return <p>{useConnectionState()}</p>
      }
      const { unmount } = render(
        <ConnectionProvider source={source}>
          <Profiler id="state" onRender={counter.onRender}>
            <State />
          </Profiler>
        </ConnectionProvider>,
      )
      expect(screen.getByText('OPEN')).toBeTruthy()
      expect(source.listenerCount()).toBeGreaterThan(0)
      unmount()
      expect(source.getSnapshot().state).toBe('OPEN') // not yet: a StrictMode remount may follow
      act(() => void vi.advanceTimersByTime(0))
      expect(source.getSnapshot().state).toBe('CLOSED')
      expect(source.listenerCount()).toBe(0)
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })

  test('a store passed with store= is the caller’s: unmounting leaves it running', () => {
    const store = createConnectionStore(source)
    const { unmount } = render(<ConnectionProvider store={store} />)
    unmount()
    expect(source.getSnapshot().state).toBe('OPEN')
    expect(source.listenerCount()).toBeGreaterThan(0)
    store.getState().destroy()
  })
})
