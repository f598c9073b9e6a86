import { describe, expect, test, vi } from 'vitest'
import { createConnectionStore, type ConnectionStoreOptions } from '../../src/index.js'
import { createProviderStore } from '../../src/store/createConnectionStore.js'
import { createMockSource, type MockSource } from '../../src/testing/index.js'
import { createFakeClock } from '../helpers/fakeClock.js'

/** Lets the store's end-of-tick peer flush run. */
const endOfTick = () => Promise.resolve()

function setup(init: Parameters<typeof createMockSource>[0] = 'OPEN') {
  const fake = createFakeClock(0)
  const source = createMockSource(init)
  const options: ConnectionStoreOptions = { clock: fake.clock }
  return { fake, source, options, attached: () => source.listenerCount() > 0 }
}

/** How many times `source.subscribe` has been called since this was set up. */
const countSubscribes = (source: MockSource) => vi.spyOn(source, 'subscribe')

describe('mount() / unmount() on a store from createConnectionStore', () => {
  test('it starts mounted once, for its creator: it follows the source at once', () => {
    const { source, options, attached } = setup()
    const store = createConnectionStore(source, options)
    expect(attached()).toBe(true)
    source.drop()
    expect(store.getState().connection.state).toBe('RECONNECTING')
  })

  test('the last unmount detaches at the end of the task, not before; the source stays open', () => {
    const { fake, source, options, attached } = setup()
    const store = createConnectionStore(source, options)
    store.unmount()
    expect(attached()).toBe(true)
    fake.advance(0)
    expect(attached()).toBe(false)
    expect(source.getSnapshot().state).toBe('OPEN')
    source.drop()
    expect(store.getState().connection.state).toBe('OPEN') // no longer following
  })

  test('an unmount and a mount within the task (StrictMode, a new key) tear nothing down', () => {
    const { fake, source, options, attached } = setup()
    const store = createConnectionStore(source, options)
    const subscribes = countSubscribes(source)
    store.unmount()
    store.mount()
    fake.advance(60_000)
    expect(attached()).toBe(true)
    expect(subscribes).not.toHaveBeenCalled()
  })

  test('mounts are counted: it detaches only when every mount has ended', () => {
    const { fake, source, options, attached } = setup()
    const store = createConnectionStore(source, options)
    store.mount()
    store.unmount()
    fake.advance(0)
    expect(attached()).toBe(true)
    store.unmount()
    fake.advance(0)
    expect(attached()).toBe(false)
  })

  test('an unmount() with no mount left changes nothing: the next mount() attaches', () => {
    const { fake, source, options, attached } = setup()
    const store = createConnectionStore(source, options)
    store.unmount()
    store.unmount()
    fake.advance(0)
    store.mount()
    expect(attached()).toBe(true)
    store.unmount()
    fake.advance(0)
    expect(attached()).toBe(false)
  })

  test('mounting again reads the source again: where it moved meanwhile shows at once', async () => {
    const { fake, source, options } = setup({ state: 'OPEN', peers: ['ada', 'bob'] })
    const store = createConnectionStore(source, options)
    source.peerLeave('bob', 'QUIT')
    await endOfTick()
    store.unmount()
    fake.advance(0)
    fake.advance(5000)
    source.drop()
    source.peerJoin('cy')
    source.peerJoin('bob')
    store.mount()
    const state = store.getState()
    expect(state.connection).toBe(source.getSnapshot())
    expect(state.display).toEqual({ state: 'RECONNECTING', tone: 'neutral', since: -Infinity })
    expect(state.peerList.map((p) => p.id)).toEqual(['ada', 'cy', 'bob'])
    expect(state.departedPeers.size).toBe(0) // bob came back
    expect(state.peersStale).toBe(true)
  })

  test('mounting again with the source where it was changes nothing, and re-arms a held-back change', () => {
    const { fake, source, options } = setup()
    const store = createConnectionStore(source, options)
    source.drop() // held back for enterDelay
    expect(fake.pending()).toBe(1)
    store.unmount()
    fake.advance(0)
    expect(fake.pending()).toBe(0) // detached: no timer left
    const before = store.getState()
    const updates: unknown[] = []
    store.subscribe((state) => updates.push(state))
    store.mount()
    expect(updates).toEqual([])
    expect(store.getState()).toBe(before)
    expect(fake.pending()).toBe(1)
    fake.advance(1000)
    expect(store.getState().display).toEqual({
      state: 'RECONNECTING',
      tone: 'neutral',
      since: 1000,
    })
  })

  test('destroy() ends it for good: mount() no longer attaches, unmount() is harmless', () => {
    const { fake, source, options, attached } = setup()
    const store = createConnectionStore(source, options)
    store.getState().destroy()
    expect(source.getSnapshot().state).toBe('CLOSED')
    store.mount()
    expect(attached()).toBe(false)
    store.unmount()
    store.unmount()
    fake.advance(0)
    expect(fake.pending()).toBe(0)
  })
})

describe('the store ConnectionProvider makes from a source', () => {
  test('it is unmounted until mounted: a store thrown away costs nothing', () => {
    const { source, options, attached } = setup()
    const store = createProviderStore(source, options)
    expect(attached()).toBe(false)
    expect(store.getState().connection).toBe(source.getSnapshot())
    store.mount()
    expect(attached()).toBe(true)
  })

  test('its last unmount destroys it on the store’s clock: detached, source closed', () => {
    const { fake, source, options, attached } = setup()
    const store = createProviderStore(source, options)
    store.mount()
    store.unmount()
    expect(source.getSnapshot().state).toBe('OPEN') // a mount may follow within the task
    fake.advance(0)
    expect(source.getSnapshot().state).toBe('CLOSED')
    expect(attached()).toBe(false)
    expect(store.getState().display).toMatchObject({ state: 'CLOSED', tone: 'neutral' })
    store.mount()
    expect(attached()).toBe(false)
  })

  test('an unmount and a mount within the task keep it alive, and the connection open', () => {
    const { fake, source, options, attached } = setup()
    const store = createProviderStore(source, options)
    store.mount()
    store.unmount()
    store.mount()
    fake.advance(60_000)
    expect(source.getSnapshot().state).toBe('OPEN')
    expect(attached()).toBe(true)
  })
})
