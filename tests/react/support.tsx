/**
 * Shared pieces of the React tests: the three ways a hook can find its store, and render
 * counters.
 */
import { renderHook } from './rtl.js'
import type { ReactNode } from 'react'
import { createConnectionStore, type ConnectionStore } from '../../src/index.js'
import { ConnectionProvider } from '../../src/react/index.js'
import type { MockSource } from '../../src/testing/index.js'

/** How a hook gets its store in a test. */
export interface StoreVariant {
  readonly name: string
  /** Renders `hook`, handing it the explicit store when the variant has one. */
  renderHook<T>(
    hook: (store: ConnectionStore | undefined) => T,
  ): ReturnType<typeof renderHook<T, unknown>>
}

/** A provider with `store=`, a provider with `source=`, and no provider with the store passed. */
export function storeVariants(source: () => MockSource): StoreVariant[] {
  return [
    {
      name: 'provider store=',
      renderHook(hook) {
        const store = createConnectionStore(source())
        const wrapper = ({ children }: { children: ReactNode }) => (
          <ConnectionProvider store={store}>{children}</ConnectionProvider>
        )
        return renderHook(() => hook(undefined), { wrapper })
      },
    },
    {
      name: 'provider source=',
      renderHook(hook) {
        const given = source()
        const wrapper = ({ children }: { children: ReactNode }) => (
          <ConnectionProvider source={given}>{children}</ConnectionProvider>
        )
        return renderHook(() => hook(undefined), { wrapper })
      },
    },
    {
      name: 'explicit store',
      renderHook(hook) {
        const store = createConnectionStore(source())
        return renderHook(() => hook(store))
      },
    },
  ]
}

/**
 * Counts commits in which a `<Profiler id={key} onRender={counter.onRender}>` subtree rendered:
 * wrap one component in it to count that component's renders.
 */
export function createRenderCounter() {
  const counts = new Map<string, number>()
  return {
    onRender: (id: string) => void counts.set(id, (counts.get(id) ?? 0) + 1),
    get: (id: string) => counts.get(id) ?? 0,
    /** Ids rendered since the last `reset()`, with their counts. */
    all: () => new Map(counts),
    reset: () => counts.clear(),
  }
}
