/**
 * `combineSources`: the worst part shown and named, the snapshot fields it takes from it, the
 * peers and events of every part kept apart, the methods that reach the parts, and the input
 * it refuses. The contract itself is proven in tests/contract/combined.test.ts.
 */
import { describe, expect, it, vi } from 'vitest'
import { combineSources } from '../../src/core/combineSources.js'
import { createSourceKit, type SnapshotExtra } from '../../src/core/sourceKit.js'
import type { ConnectionState } from '../../src/core/states.js'
import type { ConnectionSource } from '../../src/core/types.js'
import { STATE_SEVERITY, worstPart } from '../../src/core/worstPart.js'
import { createMockSource, type MockSource } from '../../src/testing/index.js'

/** What a combined source published and emitted, one line each: `OPEN/JOIN_SUCCESS part=–`. */
function record(source: ConnectionSource) {
  const lines: string[] = []
  source.subscribe((s) => void lines.push(`${s.state}/${s.reason} part=${s.part ?? '–'}`))
  source.on(
    'connectionStateChanged',
    (state, reason) => void lines.push(`changed ${state}/${reason}`),
  )
  source.on('lost', () => void lines.push('lost'))
  source.on('restored', () => void lines.push('restored'))
  return lines
}

/** A source over a bare kit, for what the mock cannot do: queue, send messages, report errors. */
function kitSource(state: ConnectionState = 'OPEN') {
  const kit = createSourceKit({ state, reason: state == 'OPEN' ? 'JOIN_SUCCESS' : null })
  const source: ConnectionSource = {
    ...kit.methods,
    connect() {},
    login: async () => {},
    send: async () => {},
    reconnect() {},
    close: () => kit.moveTo('CLOSED', 'LEAVE_CHANNEL'),
  }
  return { kit, source }
}

const two = (chat: ConnectionState, doc: ConnectionState) => {
  const parts = { chat: createMockSource(chat), doc: createMockSource(doc) }
  return { ...parts, source: combineSources(parts) }
}

describe('the worst part', () => {
  const cases: [ConnectionState, ConnectionState, ConnectionState, string | null][] = [
    ['OPEN', 'OPEN', 'OPEN', null],
    ['OPEN', 'RECONNECTING', 'RECONNECTING', 'doc'],
    ['ERROR', 'RECONNECTING', 'ERROR', 'chat'],
    ['RECONNECTING', 'ERROR', 'ERROR', 'doc'],
    ['AUTHENTICATING', 'RECONNECTING', 'RECONNECTING', 'doc'],
    ['AWAITING_CONNECTION', 'AUTHENTICATING', 'AWAITING_CONNECTION', 'chat'],
    ['AWAITING_AUTHENTICATION', 'CHALLENGING', 'CHALLENGING', 'doc'],
    ['OPEN', 'AWAITING_AUTHENTICATION', 'AWAITING_AUTHENTICATION', 'doc'],
    // a part the app closed does not make a healthy connection unhealthy
    ['OPEN', 'CLOSED', 'OPEN', null],
    ['CLOSED', 'RECONNECTING', 'RECONNECTING', 'doc'],
    ['CLOSED', 'CLOSED', 'CLOSED', null],
    // the same state everywhere: no part stands out
    ['RECONNECTING', 'RECONNECTING', 'RECONNECTING', null],
    ['ERROR', 'ERROR', 'ERROR', null],
  ]
  it.each(cases)('chat %s, doc %s: %s, part %s', (chat, doc, state, part) => {
    const { source } = two(chat, doc)
    expect(source.getSnapshot().state).toBe(state)
    expect(source.getSnapshot().part).toBe(part)
  })

  it('severity order, worst first: ERROR, RECONNECTING, the handshake from its start, OPEN, CLOSED', () => {
    expect(STATE_SEVERITY).toEqual([
      'ERROR',
      'RECONNECTING',
      'AWAITING_CONNECTION',
      'CHALLENGING',
      'AWAITING_AUTHENTICATION',
      'AUTHENTICATING',
      'OPEN',
      'CLOSED',
    ])
  })

  it('ties go to the first part; in the same state a lost part goes first', () => {
    const chat = createMockSource('OPEN')
    const doc = createMockSource('OPEN')
    chat.set('RECONNECTING', 'KEEP_ALIVE_TIMEOUT')
    doc.set('RECONNECTING', 'SERVER_CLOSED')
    const snap = (parts: [string, MockSource][]) =>
      worstPart(parts.map(([name, p]) => [name, p.getSnapshot()] as const))
    expect(
      snap([
        ['chat', chat],
        ['doc', doc],
      ]).snapshot.reason,
    ).toBe('KEEP_ALIVE_TIMEOUT')
    expect(
      snap([
        ['doc', doc],
        ['chat', chat],
      ]).snapshot.reason,
    ).toBe('SERVER_CLOSED')
    doc.lose()
    expect(
      snap([
        ['chat', chat],
        ['doc', doc],
      ]).name,
    ).toBe('doc')
    expect(() => worstPart([])).toThrow(RangeError)
  })
})

describe('the snapshot', () => {
  it('doc drops and comes back, chat fails and is retried: the exact sequence', () => {
    const { chat, doc, source } = two('OPEN', 'OPEN')
    const lines = record(source)
    doc.drop()
    doc.restore()
    chat.fail('KEEP_ALIVE_TIMEOUT')
    source.reconnect()
    chat.restore()
    expect(lines).toEqual([
      'RECONNECTING/INTERRUPTED part=doc',
      'changed RECONNECTING/INTERRUPTED',
      'OPEN/REJOIN_SUCCESS part=–',
      'changed OPEN/REJOIN_SUCCESS',
      'restored',
      'ERROR/KEEP_ALIVE_TIMEOUT part=chat',
      'changed ERROR/KEEP_ALIVE_TIMEOUT',
      'RECONNECTING/RETRY_REQUESTED part=chat',
      'changed RECONNECTING/RETRY_REQUESTED',
      'OPEN/REJOIN_SUCCESS part=–',
      'changed OPEN/REJOIN_SUCCESS',
      'restored',
    ])
  })

  it('attempt, nextRetryAt and error are the worst part’s; queued is the sum', () => {
    const chat = kitSource('OPEN')
    const doc = kitSource('OPEN')
    const source = combineSources({ chat: chat.source, doc: doc.source })
    chat.kit.patch({ queued: 2 })
    doc.kit.patch({ queued: 3 })
    expect(source.getSnapshot().queued).toBe(5)
    const extra: SnapshotExtra = { attempt: 4, nextRetryAt: 123_456 }
    doc.kit.moveTo('RECONNECTING', 'SERVER_CLOSED', extra)
    chat.kit.moveTo('RECONNECTING', 'KEEP_ALIVE_TIMEOUT', { attempt: 1, nextRetryAt: 99 })
    // chat is first, but both are RECONNECTING: chat's fields, no part singled out
    expect(source.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'KEEP_ALIVE_TIMEOUT',
      attempt: 1,
      nextRetryAt: 99,
      retrying: true,
      part: null,
    })
    const error = { code: 'BANNED_BY_SERVER', message: 'You were banned' }
    doc.kit.moveTo('ERROR', 'BANNED_BY_SERVER', { error })
    expect(source.getSnapshot()).toMatchObject({
      state: 'ERROR',
      reason: 'BANNED_BY_SERVER',
      attempt: 4,
      nextRetryAt: null,
      retrying: false,
      error,
      part: 'doc',
      queued: 5,
    })
  })

  it('a change of part alone publishes a snapshot, without connectionStateChanged', () => {
    const { chat, doc, source } = two('OPEN', 'OPEN')
    chat.drop()
    doc.drop()
    const lines = record(source)
    const before = source.getSnapshot()
    doc.restore()
    expect(lines).toEqual(['RECONNECTING/INTERRUPTED part=chat'])
    expect(source.getSnapshot().since).toBe(before.since)
    expect(Object.isFrozen(source.getSnapshot())).toBe(true)
  })

  it('lost: the part shown is lost, once; a part lost behind a worse one turns it lost when shown', () => {
    const { chat, doc, source } = two('OPEN', 'OPEN')
    const lines = record(source)
    chat.fail()
    doc.lose() // behind chat's ERROR: not shown
    expect(source.getSnapshot()).toMatchObject({ state: 'ERROR', lost: false, part: 'chat' })
    chat.set('OPEN')
    expect(source.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'LOST',
      lost: true,
      part: 'doc',
    })
    doc.restore()
    expect(source.getSnapshot().lost).toBe(false)
    expect(lines.filter((line) => line == 'lost')).toHaveLength(1)
    expect(lines.slice(-3)).toEqual([
      'OPEN/REJOIN_SUCCESS part=–',
      'changed OPEN/REJOIN_SUCCESS',
      'restored',
    ])
  })

  it('a part that is only being opened after the rest is up shows as connecting, then rejoins', () => {
    const { doc, source } = two('OPEN', 'CLOSED')
    const lines = record(source)
    doc.connect()
    doc.restore()
    expect(lines).toEqual([
      'AWAITING_CONNECTION/CONNECTING part=doc',
      'changed AWAITING_CONNECTION/CONNECTING',
      'OPEN/REJOIN_SUCCESS part=–',
      'changed OPEN/REJOIN_SUCCESS',
      'restored',
    ])
  })

  it('only combined sources carry part', () => {
    expect('part' in createMockSource('OPEN').getSnapshot()).toBe(false)
    expect('part' in two('OPEN', 'OPEN').source.getSnapshot()).toBe(true)
  })
})

describe('peers and events', () => {
  it('peers are kept apart by "<part>:<id>", with their data; getPeers() holds them all', () => {
    const chat = createMockSource({ state: 'OPEN', peers: [{ id: 'ann', data: { x: 1 } }] })
    const doc = createMockSource('OPEN')
    const source = combineSources({ chat, doc })
    expect([...source.getPeers().keys()]).toEqual(['chat:ann'])
    const events: string[] = []
    for (const event of ['peerJoined', 'peerUpdated', 'peerLeft'] as const)
      source.on(event, (peer) =>
        events.push(`${event} ${peer.id} ${JSON.stringify(peer.data)} ${peer.online}`),
      )
    doc.peerJoin('ann', { y: 2 })
    doc.peerUpdate('ann', { y: 3 })
    expect(source.getPeers().get('doc:ann')).toMatchObject({ id: 'doc:ann', data: { y: 3 } })
    expect(source.getPeers().get('chat:ann')).toBe(source.getPeers().get('chat:ann'))
    chat.peerLeave('ann', 'DROPPED')
    expect(source.getPeers().get('chat:ann')).toBeUndefined()
    expect(events).toEqual([
      'peerJoined doc:ann {"y":2} true',
      'peerUpdated doc:ann {"y":3} true',
      'peerLeft chat:ann {"x":1} false',
    ])
    source.close()
    expect(events.at(-1)).toBe('peerLeft doc:ann {"y":3} false')
    expect(source.getPeers().size).toBe(0)
  })

  it('message from "<part>:<id>" (null stays null), error messages name the part, missed as is', () => {
    const chat = kitSource()
    const doc = kitSource()
    const source = combineSources({ chat: chat.source, doc: doc.source })
    const seen: unknown[] = []
    source.on('message', (data, from) => void seen.push(['message', data, from]))
    source.on('error', (error) => void seen.push(['error', error]))
    source.on('missed', (info) => void seen.push(['missed', info]))
    chat.kit.emit('message', { text: 'hi' }, 'ann')
    doc.kit.emit('message', 'anonymous', null)
    doc.kit.emit('error', { code: 'REFUSED', message: 'update refused' })
    chat.kit.emit('missed', { count: 3 })
    expect(seen).toEqual([
      ['message', { text: 'hi' }, 'chat:ann'],
      ['message', 'anonymous', null],
      ['error', { code: 'REFUSED', message: 'doc: update refused' }],
      ['missed', { count: 3 }],
    ])
  })
})

describe('the methods', () => {
  it('parts are the sources given; send() rejects with a TypeError naming a part to send through', async () => {
    const { chat, doc, source } = two('OPEN', 'OPEN')
    expect(source.parts.chat).toBe(chat)
    expect(source.parts.doc).toBe(doc)
    await expect(source.send({ text: 'hi' })).rejects.toThrow(
      new TypeError(
        'combineSources: a combined source has no channel of its own; send through one of its parts, e.g. source.parts.chat.send(data) (parts: chat, doc)',
      ),
    )
    expect(chat.sent).toEqual([])
  })

  it('connect() reaches every part, in one change', () => {
    const { chat, doc, source } = two('CLOSED', 'CLOSED')
    const lines = record(source)
    source.connect()
    expect([chat, doc].map((p) => p.getSnapshot().state)).toEqual([
      'AWAITING_CONNECTION',
      'AWAITING_CONNECTION',
    ])
    expect(lines).toEqual([
      'AWAITING_CONNECTION/CONNECTING part=–',
      'changed AWAITING_CONNECTION/CONNECTING',
    ])
  })

  it('login(credentials) gives every part the same credentials, or each its own when keyed by part', async () => {
    const { chat, doc, source } = two('CLOSED', 'CLOSED')
    const chatLogin = vi.spyOn(chat, 'login')
    const docLogin = vi.spyOn(doc, 'login')
    await source.login({ token: 't' })
    expect(chatLogin).toHaveBeenLastCalledWith({ token: 't' })
    expect(docLogin).toHaveBeenLastCalledWith({ token: 't' })
    expect(source.getSnapshot().state).toBe('OPEN')
    await source.login({ chat: { token: 'c' } })
    expect(chatLogin).toHaveBeenLastCalledWith({ token: 'c' })
    expect(docLogin).toHaveBeenLastCalledWith()
    await source.login()
    expect(chatLogin).toHaveBeenLastCalledWith()
  })

  it('a refused login rejects naming the part, with its error as the cause', async () => {
    const { doc, source } = two('CLOSED', 'CLOSED')
    const refusal = new Error('bad token')
    vi.spyOn(doc, 'login').mockRejectedValue(refusal)
    const login = source.login('t')
    await expect(login).rejects.toThrow('combineSources: the login of part "doc" failed: bad token')
    await expect(login).rejects.toHaveProperty('cause', refusal)
  })

  it('reconnect() retries the parts that are down, leaves OPEN and closed parts alone', () => {
    const parts = {
      a: createMockSource('OPEN'),
      b: createMockSource('ERROR'),
      c: createMockSource('CLOSED'),
      d: createMockSource('RECONNECTING'),
    }
    const spies = Object.values(parts).map((part) => vi.spyOn(part, 'reconnect'))
    combineSources(parts).reconnect()
    expect(spies.map((spy) => spy.mock.calls.length)).toEqual([0, 1, 0, 1])
    expect(parts.a.getSnapshot().state).toBe('OPEN')
    expect(parts.b.getSnapshot()).toMatchObject({
      state: 'RECONNECTING',
      reason: 'RETRY_REQUESTED',
    })
  })

  it('reconnect() when every part is CLOSED starts them all, as connect()', () => {
    const { chat, doc, source } = two('CLOSED', 'CLOSED')
    source.reconnect()
    expect(source.getSnapshot().state).toBe('AWAITING_CONNECTION')
    expect([chat, doc].map((p) => p.getSnapshot().state)).toEqual([
      'AWAITING_CONNECTION',
      'AWAITING_CONNECTION',
    ])
  })

  it('close() closes every part in one change and leaves no listener on them; connect() listens again', () => {
    const { chat, doc, source } = two('OPEN', 'OPEN')
    // closed one by one, chat first, the pair would look OPEN (doc) for a moment
    chat.drop()
    const lines = record(source)
    expect(chat.listenerCount()).toBeGreaterThan(0)
    source.close()
    expect(lines).toEqual(['CLOSED/LEAVE_CHANNEL part=–', 'changed CLOSED/LEAVE_CHANNEL'])
    expect([chat, doc].map((p) => p.getSnapshot().state)).toEqual(['CLOSED', 'CLOSED'])
    expect([chat.listenerCount(), doc.listenerCount()]).toEqual([0, 0])
    source.close()
    expect(lines).toHaveLength(2)
    // nothing follows a part driven directly while closed
    chat.set('OPEN')
    expect(source.getSnapshot().state).toBe('CLOSED')
    expect(lines).toHaveLength(2)
    source.connect()
    expect(chat.listenerCount()).toBeGreaterThan(0)
    expect(source.getSnapshot()).toMatchObject({ state: 'AWAITING_CONNECTION', part: 'doc' })
    doc.restore()
    expect(source.getSnapshot()).toMatchObject({ state: 'OPEN', reason: 'JOIN_SUCCESS' })
  })

  it('its own listeners are counted, and none is left once they let go', () => {
    const { source } = two('OPEN', 'OPEN')
    expect(source.listenerCount()).toBe(0)
    const stop = source.subscribe(() => {})
    const off = source.on('lost', () => {})
    expect(source.listenerCount()).toBe(2)
    stop()
    off()
    expect(source.listenerCount()).toBe(0)
  })
})

describe('invalid input', () => {
  const mock = createMockSource()
  const cases: [string, unknown, string][] = [
    [
      'null',
      null,
      'combineSources: parts must be an object of named connection sources, e.g. combineSources({ chat, doc }) (got null)',
    ],
    [
      'a string',
      'chat',
      'parts must be an object of named connection sources, e.g. combineSources({ chat, doc }) (got "chat")',
    ],
    [
      'an array',
      [mock],
      'parts must be an object of named connection sources, e.g. combineSources({ chat, doc }) (got an array)',
    ],
    ['empty', {}, 'combineSources: parts is empty; give it at least one named connection source'],
    [
      'a part that is not an object',
      { chat: 42 },
      'combineSources: parts.chat must be a ConnectionSource (got 42)',
    ],
    [
      'a part without the methods',
      { chat: mock, doc: { getSnapshot() {}, subscribe() {} } },
      'combineSources: parts.doc must be a ConnectionSource, but it has no on(), getPeers(), connect(), login(), send(), reconnect(), close()',
    ],
    ['a name with a colon', { 'a:b': mock }, `part names must be non-empty and without ':'`],
    [
      'the same source twice',
      { chat: mock, doc: mock },
      'combineSources: parts.chat and parts.doc are the same source',
    ],
  ]
  it.each(cases)('%s: a TypeError that says what is wrong', (_, parts, message) => {
    expect(() => combineSources(parts as Record<string, ConnectionSource>)).toThrow(TypeError)
    expect(() => combineSources(parts as Record<string, ConnectionSource>)).toThrow(message)
  })
})
