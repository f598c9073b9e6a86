import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setup } from '../helpers/setup.js'

/** A window stand-in whose `online` / `offline` listeners can be counted and fired. */
function stubWindow() {
  const listeners = new Map<string, Set<() => void>>()
  vi.stubGlobal('addEventListener', (type: string, fn: () => void) => {
    if (!listeners.has(type)) listeners.set(type, new Set())
    listeners.get(type)!.add(fn)
  })
  vi.stubGlobal('removeEventListener', (type: string, fn: () => void) =>
    listeners.get(type)?.delete(fn),
  )
  return {
    count: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
    fire: (type: 'online' | 'offline') => [...(listeners.get(type) ?? [])].forEach((fn) => fn()),
  }
}

describe('browser awareness', () => {
  let win: ReturnType<typeof stubWindow>
  beforeEach(() => {
    win = stubWindow()
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('listeners are added lazily and removed on close()', () => {
    const { client, open } = setup()
    expect(win.count()).toBe(0)
    open()
    expect(win.count()).toBe(2)
    client.close()
    expect(win.count()).toBe(0)
  })

  it('offline moves an open link to RECONNECTING/NETWORK_OFFLINE without waiting for heartbeats', () => {
    const { fake, net, client, open, log } = setup({ heartbeatInterval: 30_000 })
    open()
    fake.advance(1000)
    net.up = false
    win.fire('offline')
    expect(log).toContainEqual([1000, 'RECONNECTING', 'NETWORK_OFFLINE'])
    expect(net.sockets[0]!.closedByClient).not.toBeNull()
    fake.advance(0)
    expect(client.getSnapshot()).toMatchObject({ state: 'RECONNECTING', attempt: 1 })
  })

  it('online tries at once (NETWORK_ONLINE) but only the server answering makes it OPEN', () => {
    const { fake, net, client, open, attemptTimes } = setup({ reconnectIntervalIncrement: 60_000 })
    open()
    net.up = false
    win.fire('offline')
    fake.advance(5000) // attempt 1 failed; the next is a minute away
    win.fire('online') // the event lies: still no server
    expect(client.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'NETWORK_ONLINE',
      attempt: 2,
    })
    fake.advance(0)
    expect(client.getConnectionState()).toBe('RECONNECTING')
    net.up = true
    fake.advance(10_000)
    expect(client.getConnectionState()).toBe('RECONNECTING') // no attempt before the schedule says so
    win.fire('online')
    fake.advance(0)
    expect(client.getSnapshot()).toMatchObject({ state: 'OPEN', reason: 'REJOIN_SUCCESS' })
    expect(attemptTimes()).toEqual([0, 5000, 15_000])
  })

  it('online while OPEN sends a probe ping rather than trusting the event', () => {
    const { net, client, open } = setup()
    open()
    win.fire('online')
    expect(net.sockets[0]!.sent.slice(-1)).toEqual(['{"t":"ping"}'])
    expect(client.getConnectionState()).toBe('OPEN')
  })

  it('offline while waiting for a retry does not count as a failed attempt', () => {
    const { fake, net, client, open } = setup({ reconnectIntervalIncrement: 60_000 })
    open()
    net.up = false
    net.killAll()
    fake.advance(1000)
    const before = client.getSnapshot()
    win.fire('offline')
    expect(client.getSnapshot()).toBe(before)
  })
})

describe('the page becoming visible', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  /** A document stand-in whose visibility can be changed, with its listeners counted. */
  function stubDocument() {
    const listeners = new Set<() => void>()
    const doc = {
      visibilityState: 'visible',
      addEventListener: (type: string, fn: () => void) =>
        type === 'visibilitychange' && listeners.add(fn),
      removeEventListener: (type: string, fn: () => void) => listeners.delete(fn),
    }
    vi.stubGlobal('document', doc)
    return {
      count: () => listeners.size,
      show(state: 'visible' | 'hidden') {
        doc.visibilityState = state
        for (const fn of [...listeners]) fn()
      },
    }
  }

  it('while waiting to retry, becoming visible tries at once; hiding does nothing; close() removes the listener', () => {
    const page = stubDocument()
    const { fake, net, client, open } = setup({ reconnectIntervalIncrement: 60_000 })
    open()
    expect(page.count()).toBe(1)
    net.up = false
    net.killAll()
    fake.advance(100) // attempt 1 failed at once; the next is a minute away
    expect(client.getSnapshot().attempt).toBe(1)
    page.show('hidden')
    expect(client.getSnapshot().attempt).toBe(1)
    net.up = true
    page.show('visible')
    fake.advance(0)
    expect(client.getSnapshot()).toMatchObject({ state: 'OPEN', reason: 'REJOIN_SUCCESS' })
    client.close()
    expect(page.count()).toBe(0)
  })
})
