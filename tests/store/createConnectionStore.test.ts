import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import type { ConnectionStoreState } from '../../src/index.js'
import { createConnectionStore, type ConnectionStoreOptions } from '../../src/index.js'
import { createMockSource, type MockSource } from '../../src/testing/index.js'

/** Lets the store's end-of-tick peer flush run. */
const endOfTick = () => Promise.resolve()

/** Every state the store publishes, in order. */
function recordUpdates(store: ReturnType<typeof createConnectionStore>) {
  const updates: ConnectionStoreState[] = []
  store.subscribe((state) => updates.push(state))
  return updates
}

const ids = (list: readonly { id: string }[]) => list.map((p) => p.id)

const shown = (store: ReturnType<typeof createConnectionStore>) => {
  const { state, tone, since } = store.getState().display
  return { state, tone, since }
}

function storeOver(source: MockSource, options?: ConnectionStoreOptions) {
  const store = createConnectionStore(source, options)
  stores.push(store)
  return store
}
const stores: ReturnType<typeof createConnectionStore>[] = []

beforeEach(() => {
  vi.useFakeTimers({ now: 0 })
})
afterEach(() => {
  for (const store of stores.splice(0)) store.getState().destroy()
  vi.useRealTimers()
})

describe('state and actions', () => {
  test('state shape: connection, peers, peerList, departedPeers, peersStale, display and the actions', () => {
    const source = createMockSource({ state: 'OPEN', peers: ['ada', { id: 'bob', data: 1 }] })
    const state = storeOver(source).getState()
    expect(state.connection).toBe(source.getSnapshot())
    expect([...state.peers.keys()]).toEqual(['ada', 'bob'])
    expect(state.peerList.map((p) => p.id)).toEqual(['ada', 'bob'])
    expect(state.departedPeers.size).toBe(0)
    expect(state.peersStale).toBe(false)
    expect(state.display).toEqual({ state: 'OPEN', tone: 'good', since: -Infinity })
    for (const action of ['connect', 'login', 'send', 'reconnect', 'close', 'destroy'] as const)
      expect(typeof state[action]).toBe('function')
  })

  test('actions connect/login/send/reconnect/close pass through to the source', async () => {
    const source = createMockSource('CLOSED')
    const calls = (['connect', 'login', 'send', 'reconnect', 'close'] as const).map((name) =>
      vi.spyOn(source, name),
    )
    const store = storeOver(source)
    const { connect, login, send, reconnect, close } = store.getState()
    connect()
    expect(source.getSnapshot().state).toBe('AWAITING_CONNECTION')
    await login({ token: 't' })
    expect(store.getState().connection.state).toBe('OPEN')
    await send({ text: 'hi' })
    expect(source.sent).toEqual([{ text: 'hi' }])
    reconnect()
    expect(store.getState().connection.reason).toBe('RETRY_REQUESTED')
    close()
    expect(store.getState().connection.state).toBe('CLOSED')
    // each once, with the arguments given
    expect(calls.map((spy) => spy.mock.calls)).toEqual([
      [[]],
      [[{ token: 't' }]],
      [[{ text: 'hi' }]],
      [[]],
      [[]],
    ])
  })

  test('peersStale is true while the connection is not OPEN, peers kept', async () => {
    const source = createMockSource({ state: 'OPEN', peers: ['ada'] })
    const store = storeOver(source)
    expect(store.getState().peersStale).toBe(false)
    source.drop()
    expect(store.getState().peersStale).toBe(true)
    expect(store.getState().peerList.map((p) => p.id)).toEqual(['ada'])
    source.set('AUTHENTICATING')
    expect(store.getState().peersStale).toBe(true)
    source.restore()
    expect(store.getState().peersStale).toBe(false)
    source.fail()
    expect(store.getState().peersStale).toBe(true)
  })

  test('a store over a CLOSED source starts with peersStale', () => {
    expect(storeOver(createMockSource('CLOSED')).getState().peersStale).toBe(true)
  })
})

describe('peers', () => {
  test('a burst of 1,000 peerJoin in one tick lands as ONE store update after a microtask', async () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    const updates = recordUpdates(store)
    for (let i = 0; i < 1000; i++) source.peerJoin(`peer-${i}`)
    expect(updates).toHaveLength(0) // nothing until the end of the tick
    expect(store.getState().peers.size).toBe(0)
    await endOfTick()
    expect(updates).toHaveLength(1)
    expect(store.getState().peers.size).toBe(1000)
    expect(store.getState().peerList).toHaveLength(1000)
    await endOfTick()
    expect(updates).toHaveLength(1)
  })

  test('peerList is the same array when nothing about peers changed, a new one when a peer changed', async () => {
    const source = createMockSource({ state: 'OPEN', peers: ['ada', 'bob'] })
    const store = storeOver(source)
    const { peerList, departedPeers, peers } = store.getState()
    source.drop() // a connection change
    source.restore()
    expect(store.getState().peerList).toBe(peerList)
    expect(store.getState().departedPeers).toBe(departedPeers)
    expect(store.getState().peers).toBe(peers)

    source.peerUpdate('bob', { typing: true })
    await endOfTick()
    const after = store.getState()
    expect(after.peerList).not.toBe(peerList)
    expect(after.departedPeers).toBe(departedPeers) // no one left
    // the untouched peer is the same object; only bob is new
    expect(after.peers.get('ada')).toBe(peers.get('ada'))
    expect(after.peers.get('bob')).not.toBe(peers.get('bob'))
    expect(after.peers.get('bob')?.data).toEqual({ typing: true })
  })

  test('peers and peerList hold the online peers, as source.getPeers() does; departedPeers the ones that left', async () => {
    const source = createMockSource({ state: 'OPEN', peers: ['ada', 'bob', 'cy'] })
    const store = storeOver(source)
    source.peerLeave('bob', 'DROPPED')
    source.peerLeave('ada', 'QUIT')
    await endOfTick()
    const { peers, peerList, departedPeers } = store.getState()
    expect([...peers.keys()]).toEqual([...source.getPeers().keys()])
    expect([...peers.keys()]).toEqual(['cy'])
    expect(peerList).toEqual([...source.getPeers().values()])
    expect([...departedPeers.values()]).toMatchObject([
      { id: 'bob', online: false, leftReason: 'DROPPED' },
      { id: 'ada', online: false, leftReason: 'QUIT' },
    ])
    expect([...departedPeers.keys()]).toEqual(['bob', 'ada'])
  })

  test('a peer that comes back moves from departedPeers to the end of peers', async () => {
    const source = createMockSource({ state: 'OPEN', peers: ['ada', 'bob'] })
    const store = storeOver(source)
    source.peerLeave('ada')
    await endOfTick()
    source.peerJoin('ada')
    await endOfTick()
    const { peerList, departedPeers } = store.getState()
    expect(peerList.map((p) => [p.id, p.online])).toEqual([
      ['bob', true],
      ['ada', true],
    ])
    expect(departedPeers.size).toBe(0)
  })

  test('offline peers are capped at `offlinePeers`: the oldest departures go first', async () => {
    const source = createMockSource({ state: 'OPEN', peers: ['a', 'b', 'c', 'd', 'e'] })
    const store = storeOver(source, { offlinePeers: 2 })
    source.peerLeave('c')
    source.peerLeave('a')
    await endOfTick()
    source.peerLeave('e') // a separate tick: c is now the oldest departure
    await endOfTick()
    const departed = () => [...store.getState().departedPeers.keys()]
    expect(ids(store.getState().peerList)).toEqual(['b', 'd'])
    expect(departed()).toEqual(['a', 'e'])
    source.peerJoin('a') // back online: no longer a departure
    source.peerLeave('b')
    source.peerLeave('d')
    await endOfTick()
    expect(ids(store.getState().peerList)).toEqual(['a'])
    expect(departed()).toEqual(['b', 'd'])
  })

  test('offlinePeers: 0 forgets a peer as soon as it leaves', async () => {
    const source = createMockSource({ state: 'OPEN', peers: ['a', 'b'] })
    const store = storeOver(source, { offlinePeers: 0 })
    source.peerLeave('a')
    await endOfTick()
    expect([...store.getState().peers.keys()]).toEqual(['b'])
    expect(store.getState().departedPeers.size).toBe(0)
  })
})

describe('smoothed display', () => {
  /** The display tone at every millisecond from now for `ms` ms. */
  function tonesOver(store: ReturnType<typeof createConnectionStore>, ms: number) {
    const seen = new Set<string>()
    for (let i = 0; i < ms; i++) {
      seen.add(store.getState().display.tone)
      vi.advanceTimersByTime(1)
    }
    return [...seen]
  }

  test('a 500 ms dip from OPEN stays green the whole time', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    const displays = new Set<unknown>()
    store.subscribe((s) => displays.add(s.display))
    source.drop()
    expect(tonesOver(store, 500)).toEqual(['good'])
    source.restore()
    expect(vi.getTimerCount()).toBe(0) // the pending check was cancelled
    expect(tonesOver(store, 3000)).toEqual(['good'])
    expect([...displays].map((d) => (d as { tone: string }).tone)).toEqual(['good'])
    expect(shown(store)).toEqual({ state: 'OPEN', tone: 'good', since: -Infinity })
  })

  test('a 3 s outage shows amber at exactly 1000 ms, green again at the restore (minVisible served)', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    source.drop()
    vi.advanceTimersByTime(999)
    expect(shown(store)).toMatchObject({ state: 'OPEN', tone: 'good' })
    vi.advanceTimersByTime(1)
    expect(shown(store)).toEqual({ state: 'RECONNECTING', tone: 'neutral', since: 1000 })
    expect(tonesOver(store, 2000)).toEqual(['neutral']) // 1000 … 2999
    source.restore() // at 3000 ≥ 1000 + 1500
    expect(shown(store)).toEqual({ state: 'OPEN', tone: 'good', since: 3000 })
  })

  test('amber, once shown, stays minVisible: a 1.2 s outage shows amber from 1000 to 2500', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    source.drop()
    vi.advanceTimersByTime(1000)
    expect(shown(store).tone).toBe('neutral')
    vi.advanceTimersByTime(200)
    source.restore() // at 1200
    expect(shown(store)).toEqual({ state: 'RECONNECTING', tone: 'neutral', since: 1000 })
    expect(tonesOver(store, 1300)).toEqual(['neutral']) // 1200 … 2499
    expect(shown(store)).toEqual({ state: 'OPEN', tone: 'good', since: 2500 })
    expect(vi.getTimerCount()).toBe(0)
  })

  test('ERROR shows at once, even within enterDelay', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    source.drop()
    vi.advanceTimersByTime(100)
    source.fail('MAX_RECONNECT_ATTEMPTS')
    expect(shown(store)).toEqual({ state: 'ERROR', tone: 'bad', since: 100 })
    expect(vi.getTimerCount()).toBe(0)
    source.set('OPEN') // red stays minVisible too
    vi.advanceTimersByTime(1499)
    expect(shown(store).tone).toBe('bad')
    vi.advanceTimersByTime(1)
    expect(shown(store)).toEqual({ state: 'OPEN', tone: 'good', since: 1600 })
  })

  test('the first status shows as it is: no delay at startup, none on the way to OPEN', () => {
    const source = createMockSource('RECONNECTING')
    const store = storeOver(source)
    expect(shown(store)).toEqual({ state: 'RECONNECTING', tone: 'neutral', since: -Infinity })
    vi.advanceTimersByTime(10)
    source.set('OPEN')
    expect(shown(store)).toEqual({ state: 'OPEN', tone: 'good', since: 10 })
    expect(storeOver(createMockSource('ERROR')).getState().display.tone).toBe('bad')
  })

  test('the shown state follows the raw state within the same tone', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    source.drop()
    vi.advanceTimersByTime(1000)
    source.set('CHALLENGING')
    expect(shown(store)).toEqual({ state: 'CHALLENGING', tone: 'neutral', since: 1000 })
  })

  test('enterDelay and minVisible are options', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source, { enterDelay: 200, minVisible: 50 })
    source.drop()
    vi.advanceTimersByTime(200)
    expect(shown(store)).toMatchObject({ tone: 'neutral', since: 200 })
    source.restore()
    vi.advanceTimersByTime(49)
    expect(shown(store).tone).toBe('neutral')
    vi.advanceTimersByTime(1)
    expect(shown(store).tone).toBe('good')
  })

  test('`tones` remaps the display', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source, {
      tones: { RECONNECTING: 'bad', AWAITING_AUTHENTICATION: 'good' },
    })
    source.drop()
    expect(shown(store)).toEqual({ state: 'RECONNECTING', tone: 'bad', since: 0 }) // bad: at once
    source.set('AWAITING_AUTHENTICATION')
    vi.advanceTimersByTime(1500)
    expect(shown(store)).toEqual({ state: 'AWAITING_AUTHENTICATION', tone: 'good', since: 1500 })
    expect(store.getState().connection.tone).toBe('neutral') // the raw snapshot is untouched
  })
})

describe('destroy', () => {
  test('destroy() unsubscribes from the source, clears the smoothing timer and closes the source', async () => {
    const source = createMockSource({ state: 'OPEN', peers: ['ada'] })
    expect(source.listenerCount()).toBe(0)
    const store = createConnectionStore(source)
    expect(source.listenerCount()).toBeGreaterThan(0)
    source.drop()
    expect(vi.getTimerCount()).toBe(1) // the enterDelay check
    source.peerJoin('bob') // queued for the end of the tick

    store.getState().destroy()
    expect(source.listenerCount()).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    expect(source.getSnapshot().state).toBe('CLOSED')
    // the store shows where the source ended, as it is
    const after = store.getState()
    expect(after.connection.state).toBe('CLOSED')
    expect(after.display).toMatchObject({ state: 'CLOSED', tone: 'neutral' })

    const updates = recordUpdates(store)
    await endOfTick() // the queued join is dropped
    source.set('OPEN')
    source.peerJoin('cy')
    await endOfTick()
    vi.advanceTimersByTime(5000)
    expect(updates).toHaveLength(0)
    expect(store.getState()).toBe(after)
    expect(after.peers.has('bob')).toBe(false)
    store.getState().destroy() // twice is harmless
  })
})

describe('options', () => {
  const source = () => createMockSource('OPEN')
  test.each([
    ['enterDelay', { enterDelay: -1 }],
    ['enterDelay', { enterDelay: Infinity }],
    ['minVisible', { minVisible: Number.NaN }],
    ['minVisible', { minVisible: '10' }],
    ['offlinePeers', { offlinePeers: 1.5 }],
    ['offlinePeers', { offlinePeers: -1 }],
    ['tones', { tones: { OPEN: 'green' } }],
    ['tones', { tones: { CONNECTED: 'good' } }],
    ['tones', { tones: 'good' }],
    ['clock', { clock: { now: () => 0 } }],
    ['options', null],
  ])('invalid options throw a TypeError naming %s', (name, options) => {
    const create = () => createConnectionStore(source(), options as ConnectionStoreOptions)
    expect(create).toThrow(TypeError)
    expect(create).toThrow(new RegExp(`^createConnectionStore: ${name} must be`))
  })

  test('a missing source throws a TypeError naming source', () => {
    expect(() => createConnectionStore(undefined as unknown as MockSource)).toThrow(
      /^createConnectionStore: source must be a connection source/,
    )
  })

  test('an injected clock drives the smoothing', () => {
    let now = 0
    const timers: { at: number; fn: () => void }[] = []
    const clock = {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => timers.push({ at: now + ms, fn }),
      clearTimeout: () => {},
    }
    const mock = createMockSource('OPEN')
    const store = storeOver(mock, { clock })
    mock.drop()
    expect(timers.map((t) => t.at)).toEqual([1000])
    now = 1000
    timers[0]!.fn()
    expect(shown(store)).toEqual({ state: 'RECONNECTING', tone: 'neutral', since: 1000 })
  })
})

describe('store events', () => {
  test("store.on('stateChange' | 'lost' | 'restored' | 'failed') fire with the source", () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    const seen: unknown[][] = []
    store.on('stateChange', (state, reason) => seen.push(['stateChange', state, reason]))
    store.on('lost', () => seen.push(['lost']))
    store.on('restored', () => seen.push(['restored']))
    const offFailed = store.on('failed', (reason, error) => seen.push(['failed', reason, error]))

    source.drop()
    source.lose()
    source.restore()
    source.peerJoin('ada') // not a state change
    source.set('OPEN') // a new snapshot, the same state: no stateChange
    source.fail('JOIN_FAILED')
    offFailed()
    source.set('RECONNECTING', 'RETRY_REQUESTED')
    source.fail('KEEP_ALIVE_TIMEOUT')
    expect(seen).toEqual([
      ['stateChange', 'RECONNECTING', 'INTERRUPTED'],
      ['lost'],
      ['stateChange', 'OPEN', 'REJOIN_SUCCESS'],
      ['restored'],
      ['stateChange', 'ERROR', 'JOIN_FAILED'],
      ['failed', 'JOIN_FAILED', { code: 'JOIN_FAILED', message: 'Mock failure: JOIN_FAILED' }],
      ['stateChange', 'RECONNECTING', 'RETRY_REQUESTED'],
      ['stateChange', 'ERROR', 'KEEP_ALIVE_TIMEOUT'],
    ])
  })

  test('stateChange handlers see the store already updated', () => {
    const source = createMockSource('OPEN')
    const store = storeOver(source)
    const states: string[] = []
    store.on('stateChange', () => states.push(store.getState().connection.state))
    source.drop()
    expect(states).toEqual(['RECONNECTING'])
  })
})
