/**
 * Edges of the store found in review: what it does after destroy(), a clock set back, events
 * told in the order things happened when a listener moves the source again, and secrets in the
 * URL an error message quotes.
 */
import { describe, expect, test, vi } from 'vitest'
import { createClient, createConnectionStore, type WebSocketConstructor } from '../../src/index.js'
import { createProviderStore } from '../../src/store/createConnectionStore.js'
import { connectionDiagnostics, formatDiagnostics } from '../../src/store/diagnostics.js'
import { nextDisplay } from '../../src/store/nextDisplay.js'
import { createMockSource } from '../../src/testing/index.js'
import { createFakeClock } from '../helpers/fakeClock.js'

describe('after destroy()', () => {
  test('connect() and reconnect() leave the source alone; login() and send() reject and say why', async () => {
    const source = createMockSource('OPEN')
    const store = createConnectionStore(source)
    store.getState().destroy()
    const connect = vi.spyOn(source, 'connect')
    const reconnect = vi.spyOn(source, 'reconnect')
    const actions = store.getState()
    actions.connect()
    actions.reconnect()
    expect(connect).not.toHaveBeenCalled()
    expect(reconnect).not.toHaveBeenCalled()
    expect(source.getSnapshot().state).toBe('CLOSED')
    await expect(actions.login({ id: 'ada' })).rejects.toThrow(
      'login: this connection store was destroyed; create a new one',
    )
    await expect(actions.send('x')).rejects.toThrow('send: this connection store was destroyed')
  })
})

describe('a clock set back', () => {
  const shown = { state: 'OPEN', tone: 'good', since: 0 } as const
  test('a hold from the future lasts its own length at most, not the size of the jump', () => {
    // The drop was stamped an hour ahead of the clock's new time.
    const raw = { state: 'RECONNECTING', tone: 'neutral', since: 3_600_000 } as const
    expect(nextDisplay(shown, raw, 10, { enterDelay: 1000 })).toEqual({
      display: shown,
      recheckAt: 1010,
    })
    const amber = { state: 'RECONNECTING', tone: 'neutral', since: 3_600_000 } as const
    const back = { state: 'OPEN', tone: 'good', since: 20 } as const
    expect(nextDisplay(amber, back, 20, { minVisible: 1500 }).recheckAt).toBe(1520)
  })
})

describe('events in the order things happened', () => {
  test('a subscriber that reconnects on ERROR: stateChange ERROR and failed come before RECONNECTING', () => {
    const source = createMockSource('OPEN')
    const store = createConnectionStore(source)
    const heard: string[] = []
    store.on('stateChange', (state, reason) => heard.push(`${state}/${reason}`))
    store.on('failed', (reason) => heard.push(`failed ${reason}`))
    store.subscribe((s) => {
      if (s.connection.state === 'ERROR') s.reconnect()
    })
    source.fail('MAX_RECONNECT_ATTEMPTS')
    expect(heard).toEqual([
      'ERROR/MAX_RECONNECT_ATTEMPTS',
      'failed MAX_RECONNECT_ATTEMPTS',
      'RECONNECTING/RETRY_REQUESTED',
    ])
    store.getState().destroy()
  })
})

describe('diagnostics', () => {
  test('a URL quoted in the error keeps its scheme, host and path, never its query or user', () => {
    const fake = createFakeClock(0)
    const Refused = class {
      constructor() {
        throw new Error('refused')
      }
    } as unknown as WebSocketConstructor
    const client = createClient('wss://ann:pw@example.com/rt?token=SECRET123', {
      WebSocket: Refused,
      clock: fake.clock,
      maxReconnectAttempts: 1,
    })
    const store = createConnectionStore(client, { clock: fake.clock })
    fake.advance(10_000)
    expect(client.getSnapshot().error?.message).toContain('SECRET123')
    const text = formatDiagnostics(connectionDiagnostics(store))
    expect(text).toContain('wss://example.com/rt?…')
    expect(text).not.toMatch(/SECRET123|ann:pw/)
    store.getState().destroy()
  })
})

describe('a provider store remounted with the same source', () => {
  test('the old store lets go without closing the connection the new one follows', () => {
    const fake = createFakeClock(0)
    const source = createMockSource('OPEN')
    const old = createProviderStore(source, { clock: fake.clock })
    old.mount()
    // A new key: React ends the old provider's mount and starts the new one in one commit.
    const fresh = createProviderStore(source, { clock: fake.clock })
    old.unmount()
    fresh.mount()
    fake.advance(0)
    expect(source.getSnapshot().state).toBe('OPEN')
    source.drop()
    expect(fresh.getState().connection.state).toBe('RECONNECTING')
    // The last provider store for the source ends: now the source is closed.
    fresh.unmount()
    fake.advance(0)
    expect(source.getSnapshot().state).toBe('CLOSED')
    expect(source.listenerCount()).toBe(0)
  })
})
