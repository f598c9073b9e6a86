/**
 * What the public hooks and functions give TypeScript: checked by Vitest's typecheck (the
 * `types` project), never run. A wrong type here fails `npm test`.
 */
import { describe, expectTypeOf, test } from 'vitest'
import {
  createClient,
  createConnectionStore,
  type ConnectionError,
  type ConnectionReason,
  type ConnectionSnapshot,
  type ConnectionState,
  type LinklightClient,
  type Peer,
} from '../../src/index.js'
import {
  useConnection,
  useConnectionEvent,
  useConnectionState,
  usePeer,
  usePeers,
} from '../../src/react/index.js'
import { createMockSource } from '../../src/testing/index.js'

// Hooks are called inside components, as an app would; the components are only type-checked.
describe('React hooks', () => {
  test('useConnection(selector) returns what the selector returns', () => {
    function Component() {
      expectTypeOf(useConnection((s) => s.attempt)).toEqualTypeOf<number>()
      expectTypeOf(useConnection((s) => s.state)).toEqualTypeOf<ConnectionState>()
      expectTypeOf(useConnection((s) => s.error)).toEqualTypeOf<ConnectionError | null>()
      expectTypeOf(useConnection((s) => ({ state: s.state, retrying: s.retrying }))).toEqualTypeOf<{
        state: ConnectionState
        retrying: boolean
      }>()
      // The selector is handed the snapshot.
      useConnection((s) => expectTypeOf(s).toEqualTypeOf<ConnectionSnapshot>())
      // @ts-expect-error -- the snapshot has no such field
      useConnection((s) => s.nope)
      return null
    }
    expectTypeOf(Component).returns.toBeNull()
  })

  test('useConnectionState() is a ConnectionState', () => {
    expectTypeOf(useConnectionState).returns.toEqualTypeOf<ConnectionState>()
  })

  test('usePeers() is a readonly Peer[]; usePeer(id) is a Peer or undefined', () => {
    expectTypeOf(usePeers).returns.toEqualTypeOf<readonly Peer[]>()
    expectTypeOf(usePeer).returns.toEqualTypeOf<Peer | undefined>()
    expectTypeOf(usePeer).parameter(0).toEqualTypeOf<string>()
  })

  test('useConnectionEvent types the handler by the event and refuses an unknown event', () => {
    function Component() {
      useConnectionEvent('lost', (...args) => expectTypeOf(args).toEqualTypeOf<[]>())
      useConnectionEvent('restored', (...args) => expectTypeOf(args).toEqualTypeOf<[]>())
      useConnectionEvent('stateChange', (state, reason) => {
        expectTypeOf(state).toEqualTypeOf<ConnectionState>()
        expectTypeOf(reason).toEqualTypeOf<ConnectionReason>()
      })
      useConnectionEvent('failed', (reason, error) => {
        expectTypeOf(reason).toEqualTypeOf<ConnectionReason>()
        expectTypeOf(error).toEqualTypeOf<ConnectionError | null>()
      })
      useConnectionEvent('missed', (info) => {
        expectTypeOf(info).toEqualTypeOf<{ count: number | null }>()
      })
      // @ts-expect-error -- not an event of the store
      useConnectionEvent('disconnected', () => {})
      // @ts-expect-error -- the client's event name; the store calls it stateChange
      useConnectionEvent('connectionStateChanged', () => {})
      // @ts-expect-error -- `lost` hands the handler nothing
      useConnectionEvent('lost', (_count: number) => {})
      // @ts-expect-error -- `stateChange` hands a state, not a number
      useConnectionEvent('stateChange', (_state: number) => {})
      return null
    }
    expectTypeOf(Component).returns.toBeNull()
  })
})

describe('functions', () => {
  test('createClient returns a LinklightClient', () => {
    expectTypeOf(createClient).returns.toEqualTypeOf<LinklightClient>()
    expectTypeOf(createClient('ws://127.0.0.1:1')).toEqualTypeOf<LinklightClient>()
    // @ts-expect-error -- the url is required
    createClient()
  })

  test('createConnectionStore(source).getState().connection is a ConnectionSnapshot', () => {
    const store = createConnectionStore(createMockSource())
    expectTypeOf(store.getState().connection).toEqualTypeOf<ConnectionSnapshot>()
    // Any source will do, linklight's client among them.
    expectTypeOf<LinklightClient>().toExtend<Parameters<typeof createConnectionStore>[0]>()
  })
})
