/**
 * linklight/deepstream with a fake client: every one of deepstream's sixteen states, the events
 * around them, options, and what is left after close(). The real client against a real server:
 * tests/integration/deepstream.test.ts.
 */
import { afterEach, describe, expect, test, vi } from 'vitest'
import {
  deepstreamStates,
  fromDeepstream,
  type DeepstreamState,
  type FromDeepstreamOptions,
} from '../../src/adapters/deepstream.js'
import { createFakeDeepstreamClient } from '../fakes/deepstreamClient.js'

afterEach(() => {
  vi.useRealTimers()
})

function adapt(initial?: DeepstreamState, options: FromDeepstreamOptions = {}) {
  const client = createFakeDeepstreamClient(initial)
  const source = fromDeepstream(client, { topic: 'chat', ...options })
  const changes: string[] = []
  const events: string[] = []
  source.on('connectionStateChanged', (state, reason) => changes.push(`${state}/${reason}`))
  for (const event of ['lost', 'restored'] as const) source.on(event, () => events.push(event))
  source.on('error', (error) => events.push(`error:${error.code}`))
  return { client, source, changes, events, snapshot: () => source.getSnapshot() }
}

const ALL_STATES: ReadonlyArray<[DeepstreamState, string]> = [
  ['CLOSING', 'CLOSED/LEAVE_CHANNEL'],
  ['CLOSED', 'CLOSED/LEAVE_CHANNEL'],
  ['INITIALISING', 'AWAITING_CONNECTION/CONNECTING'],
  ['AWAITING_CONNECTION', 'AWAITING_CONNECTION/CONNECTING'],
  ['CHALLENGING', 'CHALLENGING/CHALLENGE'],
  ['AWAITING_AUTHENTICATION', 'AWAITING_AUTHENTICATION/AWAITING_LOGIN'],
  ['AUTHENTICATING', 'AUTHENTICATING/AUTHENTICATING'],
  ['OPEN', 'OPEN/JOIN_SUCCESS'],
  ['ERROR', 'ERROR/PROTOCOL_ERROR'],
  ['RECONNECTING', 'RECONNECTING/INTERRUPTED'],
  ['REDIRECTING', 'CHALLENGING/REDIRECT'],
  ['CHALLENGE_DENIED', 'ERROR/REJECTED_BY_SERVER'],
  ['TOO_MANY_AUTH_ATTEMPTS', 'ERROR/INVALID_TOKEN'],
  ['AUTHENTICATION_TIMEOUT', 'ERROR/JOIN_FAILED'],
  ['PAUSING', 'CLOSED/LEAVE_CHANNEL'],
  ['OFFLINE', 'CLOSED/LEAVE_CHANNEL'],
]

describe('deepstream: the sixteen states', () => {
  test('the table covers all sixteen, each once', () => {
    expect(Object.keys(deepstreamStates).sort()).toEqual(ALL_STATES.map(([s]) => s).sort())
  })

  test.each(ALL_STATES)('deepstream %s → %s', (state, expected) => {
    // From a state that differs from the expected one, so the change is reported.
    const { client, changes } = adapt(
      expected.startsWith('AWAITING_AUTH') ? 'OPEN' : 'AWAITING_AUTHENTICATION',
    )
    client.setState(state)
    expect(changes).toEqual([expected])
  })

  test('a state deepstream may add later reads as ERROR/PROTOCOL_ERROR, not as a crash', () => {
    const { client, changes } = adapt()
    client.setState('SOMETHING_NEW')
    expect(changes).toEqual(['ERROR/PROTOCOL_ERROR'])
  })

  test('the state the client is in when wrapped is the first state, with no reason yet', () => {
    expect(adapt('OPEN').snapshot()).toMatchObject({ state: 'OPEN', reason: null, tone: 'good' })
    expect(adapt('REDIRECTING').snapshot()).toMatchObject({
      state: 'CHALLENGING',
      phase: 'CONNECTING',
    })
  })

  test('ERROR states carry an error saying which', () => {
    const { client, snapshot } = adapt()
    client.setState('CHALLENGE_DENIED')
    expect(snapshot()).toMatchObject({
      tone: 'bad',
      phase: 'FAILED',
      retrying: false,
      error: { code: 'REJECTED_BY_SERVER' },
    })
  })
})

describe('deepstream: drops, rejoins, heartbeats and giving up', () => {
  test('drop from OPEN → RECONNECTING/INTERRUPTED, not yet lost; handshake reads as reconnecting; OPEN/REJOIN_SUCCESS + restored', () => {
    const { client, changes, events, snapshot } = adapt('OPEN')
    client.drop(2)
    expect(snapshot()).toMatchObject({
      state: 'RECONNECTING',
      lost: false,
      retrying: true,
      attempt: 2,
    })
    client.setState('AWAITING_CONNECTION')
    expect(snapshot()).toMatchObject({ phase: 'RECONNECTING', retrying: true, lost: false })
    client.recover()
    expect(changes).toEqual([
      'RECONNECTING/INTERRUPTED',
      'AWAITING_CONNECTION/CONNECTING',
      'CHALLENGING/CHALLENGE',
      'AWAITING_AUTHENTICATION/AWAITING_LOGIN',
      'AUTHENTICATING/AUTHENTICATING',
      'OPEN/REJOIN_SUCCESS',
    ])
    expect(events.filter((e) => !e.startsWith('error'))).toEqual(['restored'])
    expect(snapshot()).toMatchObject({ lost: false, attempt: 0, retrying: false })
  })

  test('lostAfter: an outage that long is lost (reason LOST, one lost event); giveUpAfter: ERROR/JOIN_FAILED and the client closed', () => {
    vi.useFakeTimers()
    const { client, changes, events, snapshot } = adapt('OPEN', {
      lostAfter: 1000,
      giveUpAfter: 5000,
    })
    client.drop()
    vi.advanceTimersByTime(999)
    expect(snapshot()).toMatchObject({ state: 'RECONNECTING', reason: 'INTERRUPTED', lost: false })
    const since = snapshot().since
    vi.advanceTimersByTime(1)
    expect(snapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'LOST',
      lost: true,
      retrying: true,
      since,
    })
    expect(events).toEqual(['lost'])
    vi.advanceTimersByTime(4000)
    expect(changes.at(-1)).toBe('ERROR/JOIN_FAILED')
    expect(snapshot()).toMatchObject({ lost: false, retrying: false })
    expect(snapshot().error?.message).toMatch(/giveUpAfter \(5000 ms\); closed the client/)
    expect(client.getConnectionState()).toBe('CLOSED')
    expect(vi.getTimerCount()).toBe(0)
  })

  test('HEARTBEAT_TIMEOUT shows at once as RECONNECTING/KEEP_ALIVE_TIMEOUT, and the later RECONNECTING keeps that reason', () => {
    const { client, changes, events } = adapt('OPEN')
    client.heartbeatTimeout()
    expect(changes).toEqual(['RECONNECTING/KEEP_ALIVE_TIMEOUT'])
    client.setState('RECONNECTING') // once the socket has closed
    expect(changes).toEqual(['RECONNECTING/KEEP_ALIVE_TIMEOUT'])
    expect(events).toEqual(['error:HEARTBEAT_TIMEOUT'])
    client.recover()
    client.drop()
    expect(changes.at(-1)).toBe('RECONNECTING/INTERRUPTED')
  })

  test('MAX_RECONNECTION_ATTEMPTS_REACHED → ERROR/MAX_RECONNECT_ATTEMPTS; the CLOSING/CLOSED after it does not hide it', () => {
    const { client, changes, snapshot } = adapt('OPEN')
    client.drop(1)
    client.giveUp(5)
    expect(changes).toEqual(['RECONNECTING/INTERRUPTED', 'ERROR/MAX_RECONNECT_ATTEMPTS'])
    expect(snapshot()).toMatchObject({
      state: 'ERROR',
      attempt: 5,
      retrying: false,
      error: { code: 'MAX_RECONNECT_ATTEMPTS' },
    })
    expect(client.getConnectionState()).toBe('CLOSED')
  })

  test('reconnect() after giving up resumes the client: RECONNECTING/RETRY_REQUESTED, then a rejoin', () => {
    const { client, source, changes } = adapt('OPEN')
    client.drop()
    client.giveUp(3)
    changes.length = 0
    source.reconnect()
    client.recover()
    expect(changes).toEqual([
      'RECONNECTING/RETRY_REQUESTED',
      'AWAITING_CONNECTION/CONNECTING',
      'CHALLENGING/CHALLENGE',
      'AWAITING_AUTHENTICATION/AWAITING_LOGIN',
      'AUTHENTICATING/AUTHENTICATING',
      // reconnect() picks up the link that had been open: a rejoin, as for every source.
      'OPEN/REJOIN_SUCCESS',
    ])
  })

  test('reconnect() while the client is still trying leaves it to its own schedule', () => {
    const { client, source, changes } = adapt('OPEN')
    client.drop()
    const resume = vi.spyOn(client, 'resume')
    source.reconnect()
    expect(resume).not.toHaveBeenCalled()
    expect(changes).toEqual(['RECONNECTING/INTERRUPTED'])
  })
})

describe('deepstream: peers, messages, options, cleanup', () => {
  test('peers: the full list at OPEN (asked again after presenceRecheck), then presence joins and leaves', async () => {
    vi.useFakeTimers()
    const client = createFakeDeepstreamClient()
    client.online.add('bob')
    const source = fromDeepstream(client, { presenceRecheck: 200 })
    await source.login({ username: 'ada' })
    await vi.advanceTimersByTimeAsync(0)
    expect([...source.getPeers().keys()]).toEqual(['bob'])
    client.online.add('cy') // joined before this client's subscription was registered
    await vi.advanceTimersByTimeAsync(200)
    expect([...source.getPeers().keys()]).toEqual(['bob', 'cy'])
    const left: unknown[] = []
    source.on('peerLeft', (peer) => left.push([peer.id, peer.online, peer.leftReason]))
    client.userOffline('bob')
    client.userOnline('dee')
    expect([...source.getPeers().keys()]).toEqual(['cy', 'dee'])
    expect(left).toEqual([['bob', false, 'QUIT']])
  })

  test('after a rejoin the server’s list replaces the held one: no ghosts', async () => {
    const { client, source } = adapt('OPEN')
    client.userOnline('bob')
    client.userOnline('cy')
    client.drop()
    client.online.delete('bob') // left while this client was away
    client.recover()
    await Promise.resolve()
    expect([...source.getPeers().keys()]).toEqual(['cy'])
  })

  test('a presence query that fails after close() tells nobody: no error event', async () => {
    const client = createFakeDeepstreamClient()
    let fail: (error: Error) => void = () => {}
    client.presence!.getAll = () => new Promise((_, reject) => (fail = reject))
    const source = fromDeepstream(client)
    const errors: string[] = []
    source.on('error', (error) => errors.push(error.message))
    await source.login({ username: 'ada' })
    source.close()
    fail(new Error('connection closed'))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(errors).toEqual([])
  })

  test('a presence query that fails while attached is an error event', async () => {
    const client = createFakeDeepstreamClient()
    client.presence!.getAll = () => Promise.reject(new Error('no permission'))
    const source = fromDeepstream(client)
    const errors: string[] = []
    source.on('error', (error) => errors.push(`${error.code}: ${error.message}`))
    await source.login({ username: 'ada' })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(errors).toEqual(['PRESENCE: presence.getAll failed: Error: no permission'])
    source.close()
  })

  test('messages on the topic arrive as `message`; our own are not echoed back', async () => {
    const { client, source } = adapt('OPEN')
    const got: unknown[] = []
    source.on('message', (data, from) => got.push([data, from]))
    await source.send({ text: 'mine' })
    client.receive('chat', { text: 'theirs' })
    client.receive('elsewhere', { text: 'not ours' })
    expect(got).toEqual([[{ text: 'theirs' }, null]])
    expect(client.emitted).toEqual([{ name: 'chat', data: { text: 'mine' } }])
  })

  test('invalid options and clients throw a TypeError naming them', () => {
    const client = createFakeDeepstreamClient()
    expect(() => fromDeepstream(client, { topic: '' })).toThrow(
      new TypeError('fromDeepstream: topic must be a non-empty string (got "")'),
    )
    expect(() => fromDeepstream(client, { queueLimit: 0 })).toThrow(
      /queueLimit must be a positive integer/,
    )
    expect(() => fromDeepstream(client, { presenceRecheck: -1 })).toThrow(/presenceRecheck must be/)
    expect(() => fromDeepstream({} as never)).toThrow(
      /fromDeepstream: client must be a DeepstreamClient from @deepstream\/client/,
    )
  })

  test('a stand-in with only getConnectionState, on, login and close still lights the indicator', async () => {
    const handlers = new Map<string, (...args: unknown[]) => void>()
    const source = fromDeepstream({
      getConnectionState: () => 'OPEN',
      on: (event: string, callback: (...args: unknown[]) => void) => handlers.set(event, callback),
      login: async () => ({}),
      close() {},
    } as never)
    handlers.get('error')!('HEARTBEAT_TIMEOUT') // a bare error(event)
    expect(source.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'KEEP_ALIVE_TIMEOUT',
    })
    handlers.get('MAX_RECONNECTION_ATTEMPTS_REACHED')!(5)
    expect(source.getSnapshot()).toMatchObject({ state: 'ERROR', reason: 'MAX_RECONNECT_ATTEMPTS' })
    expect(source.getPeers().size).toBe(0)
    // a source that cannot send rejects, saying what it needs (docs/sources.md §5)
    let sent: Promise<void> | undefined
    expect(() => (sent = source.send('hi'))).not.toThrow()
    await expect(sent).rejects.toThrow(/send\(\) needs the client’s event handler/)
    source.reconnect() // no resume(): stays where it is
    expect(source.getSnapshot().state).toBe('ERROR')
    source.close()
    expect(source.getSnapshot().state).toBe('CLOSED')
  })

  test('close(): CLOSED/LEAVE_CHANNEL, held messages rejected, no listener and no timer left', async () => {
    vi.useFakeTimers()
    const { client, source, changes } = adapt('AWAITING_AUTHENTICATION')
    const held = source.send('queued')
    await source.login({ username: 'ada' }) // OPEN: the presence recheck is scheduled
    const late = source.send('x')
    client.drop()
    const waiting = source.send('waiting')
    expect(vi.getTimerCount()).toBe(0) // leaving OPEN cancelled the recheck
    client.recover()
    expect(vi.getTimerCount()).toBe(1)
    client.drop()
    const lastOne = source.send('last')
    source.close()
    expect(changes.at(-1)).toBe('CLOSED/LEAVE_CHANNEL')
    expect(client.listenerCount()).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    await expect(held).resolves.toBeUndefined()
    await expect(late).resolves.toBeUndefined()
    await expect(waiting).resolves.toBeUndefined()
    await expect(lastOne).rejects.toThrow(/closed before the message was sent/)
    // login() after close() attaches again
    client.setState('AWAITING_AUTHENTICATION')
    expect(changes.at(-1)).toBe('CLOSED/LEAVE_CHANNEL')
    void source.login({ username: 'ada' })
    expect(client.listenerCount()).toBeGreaterThan(0)
  })
})
