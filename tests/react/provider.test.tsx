import * as React from 'react'
import { StrictMode, type ComponentType, type ReactNode } from 'react'
import { describe, expect, test, vi } from 'vitest'
import { createConnectionStore, type ConnectionStore } from '../../src/index.js'
import {
  ConnectionProvider,
  useConnectionState,
  useConnectionStore,
} from '../../src/react/index.js'
import { createMockSource, type MockSource } from '../../src/testing/index.js'
import { createFakeClock } from '../helpers/fakeClock.js'
import { act, render, screen } from './rtl.js'

// React 19.2 exports <Activity>; React 18 (the react18 project) has none.
const Activity = (
  React as { Activity?: ComponentType<{ mode: 'visible' | 'hidden'; children?: ReactNode }> }
).Activity

/** Spies on what would end or restart the source's connection. */
const connectionCalls = (source: MockSource) =>
  (['close', 'connect', 'reconnect', 'login'] as const).map((name) => vi.spyOn(source, name))

/** Renders the provided store's state, and records every store a render saw. */
function storeProbe() {
  const seen = new Set<ConnectionStore>()
  function State() {
    seen.add(useConnectionStore())
    return <p data-testid="state">{useConnectionState()}</p>
  }
  return { State, seen, shown: () => screen.getByTestId('state').textContent }
}

const strictness = [
  ['', ({ children }: { children: ReactNode }) => <>{children}</>],
  [' under StrictMode', StrictMode],
] as const

describe.each(strictness)('ConnectionProvider source=%s', (_name, Wrap) => {
  test('one store, one subscription: nothing is torn down and built again', () => {
    const fake = createFakeClock(0)
    const source = createMockSource('OPEN')
    const subscribe = vi.spyOn(source, 'subscribe')
    const calls = connectionCalls(source)
    const { State, seen } = storeProbe()
    const view = render(
      <Wrap>
        <ConnectionProvider source={source} options={{ clock: fake.clock }}>
          <State />
        </ConnectionProvider>
      </Wrap>,
    )
    act(() => fake.advance(60_000))
    expect(seen.size).toBe(1)
    // one for the store; the rest is the hooks' own subscriptions to the store, not the source
    expect(subscribe).toHaveBeenCalledTimes(1)
    expect(calls.flatMap((spy) => spy.mock.calls)).toEqual([])
    view.unmount()
  })

  test('remounted under a new key with the same source: the connection stays open and followed', () => {
    const fake = createFakeClock(0)
    const source = createMockSource('OPEN')
    const close = vi.spyOn(source, 'close')
    const { State, shown } = storeProbe()
    const at = (key: string) => (
      <Wrap>
        <ConnectionProvider key={key} source={source} options={{ clock: fake.clock }}>
          <State />
        </ConnectionProvider>
      </Wrap>
    )
    const view = render(at('a'))
    view.rerender(at('b'))
    act(() => fake.advance(0))
    expect(close).not.toHaveBeenCalled()
    expect(source.getSnapshot().state).toBe('OPEN')
    act(() => source.drop())
    expect(shown()).toBe('RECONNECTING')
    view.unmount()
    act(() => fake.advance(0))
    expect(source.getSnapshot().state).toBe('CLOSED')
    expect(source.listenerCount()).toBe(0)
  })

  test('it ends its store on the store’s clock: the source is closed once the grace is over', () => {
    const fake = createFakeClock(0)
    const source = createMockSource('OPEN')
    const { State } = storeProbe()
    const view = render(
      <Wrap>
        <ConnectionProvider source={source} options={{ clock: fake.clock }}>
          <State />
        </ConnectionProvider>
      </Wrap>,
    )
    view.unmount()
    expect(source.getSnapshot().state).toBe('OPEN')
    expect(source.listenerCount()).toBeGreaterThan(0)
    fake.advance(0)
    expect(source.getSnapshot().state).toBe('CLOSED')
    expect(source.listenerCount()).toBe(0)
    expect(fake.pending()).toBe(0)
  })

  test.runIf(Activity !== undefined)(
    'React 19.2+ (runs only where React.Activity exists): inside <Activity mode="hidden"> it keeps its store and its connection',
    () => {
      const Hideable = Activity!
      const fake = createFakeClock(0)
      const source = createMockSource({ state: 'OPEN', peers: ['ada'] })
      const calls = connectionCalls(source)
      const { State, seen, shown } = storeProbe()
      const app = (mode: 'visible' | 'hidden') => (
        <Wrap>
          <Hideable mode={mode}>
            <ConnectionProvider source={source} options={{ clock: fake.clock }}>
              <State />
            </ConnectionProvider>
          </Hideable>
        </Wrap>
      )
      const view = render(app('visible'))
      expect(shown()).toBe('OPEN')

      act(() => view.rerender(app('hidden')))
      act(() => fake.advance(60_000)) // far past any grace
      expect(source.listenerCount()).toBeGreaterThan(0) // the store still follows its source
      act(() => source.drop()) // the connection moves on while hidden
      act(() => fake.advance(60_000))

      act(() => view.rerender(app('visible')))
      expect(shown()).toBe('RECONNECTING')
      expect(seen.size).toBe(1) // the same store object throughout
      expect(calls.flatMap((spy) => spy.mock.calls)).toEqual([]) // not closed, not reopened
      const [store] = seen
      expect(store!.getState().connection).toBe(source.getSnapshot())

      // Unmounted while hidden, it still ends its store.
      act(() => view.rerender(app('hidden')))
      view.unmount()
      fake.advance(0)
      expect(source.getSnapshot().state).toBe('CLOSED')
      expect(source.listenerCount()).toBe(0)
    },
  )
})

describe('ConnectionProvider store=', () => {
  test('mounts the store it is given while it is mounted, and leaves it to its creator', () => {
    const fake = createFakeClock(0)
    const source = createMockSource('OPEN')
    const store = createConnectionStore(source, { clock: fake.clock })
    store.unmount() // the creator lets go: the store listens only while something mounts it
    fake.advance(0)
    expect(source.listenerCount()).toBe(0)

    const { State } = storeProbe()
    const view = render(
      <ConnectionProvider store={store}>
        <State />
      </ConnectionProvider>,
    )
    expect(source.listenerCount()).toBeGreaterThan(0)
    act(() => source.drop())
    expect(screen.getByTestId('state').textContent).toBe('RECONNECTING')

    view.unmount()
    fake.advance(0)
    expect(source.listenerCount()).toBe(0) // detached…
    expect(source.getSnapshot().state).toBe('RECONNECTING') // …but not closed: not its store
  })
})
