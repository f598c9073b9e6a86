import type { Decorator } from '@storybook/react-vite'
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import { ConnectionState, type ConnectionStoreOptions } from '../../src/index.js'
import { ConnectionProvider } from '../../src/react/index.js'
import { createMockSource, type MockSource, type MockSourceInit } from '../../src/testing/index.js'

/**
 * `parameters.mock` of a story: what its mock source starts with and its store's options.
 * `false` for a story that brings its own connection (the live one).
 */
export interface MockParameters {
  init?: MockSourceInit
  options?: ConnectionStoreOptions
}

const MockSourceContext = createContext<MockSource | null>(null)

/** The mock source behind the nearest {@link MockConnection}, for controls that drive it. */
export function useMockSource(): MockSource {
  const source = useContext(MockSourceContext)
  if (!source)
    throw new Error(
      'useMockSource: no mock here. The preview decorator adds one unless the story sets parameters.mock to false.',
    )
  return source
}

const isState = (value: unknown): value is ConnectionState =>
  typeof value === 'string' && value in ConnectionState

/**
 * A mock source of its own and a store over it (made and destroyed by `ConnectionProvider`).
 * `state`, when given, is where the mock starts and is kept in sync with it: a story's `state`
 * control moves the mock, and the indicator follows through its store, smoothing included.
 */
export function MockConnection({
  init,
  options,
  state,
  children,
}: MockParameters & { state?: ConnectionState | undefined; children?: ReactNode }) {
  const [source] = useState(() => {
    const start = typeof init === 'string' ? { state: init } : { ...init }
    return createMockSource(state ? { ...start, state } : start)
  })
  useEffect(() => {
    if (state && source.getSnapshot().state !== state) source.set(state)
  }, [source, state])
  return (
    <MockSourceContext.Provider value={source}>
      {options ? (
        <ConnectionProvider source={source} options={options}>
          {children}
        </ConnectionProvider>
      ) : (
        <ConnectionProvider source={source}>{children}</ConnectionProvider>
      )}
    </MockSourceContext.Provider>
  )
}

/**
 * Gives every story its own mock source and store, so each one on the Docs page shows its own
 * state: one store shared by all would show the same state everywhere. A story's `state` arg,
 * when it has one, is the mock's state; `parameters.mock` sets the rest, or turns this off.
 */
export const withMockConnection: Decorator = (Story, context) => {
  const mock = context.parameters.mock as MockParameters | false | undefined
  if (mock === false) return <Story />
  const state = isState(context.args.state) ? context.args.state : undefined
  return (
    // keyed by story: moving to another story starts from a fresh mock
    <MockConnection key={context.id} {...mock} state={state}>
      <Story />
    </MockConnection>
  )
}
