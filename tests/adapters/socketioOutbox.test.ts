/**
 * `fromSocketIO`'s send queue over a fake `emit` the test answers by hand: what waits, what is
 * sent (and sent again, always under its first id), what settles each message, and the `queued`
 * count reported on every change.
 */
import { describe, expect, it } from 'vitest'
import { createAckedOutbox, type EmitWithAck } from '../../src/adapters/socketioOutbox.js'

/** A link whose acknowledgements the test gives: `ack(i, error, reply)` answers the i-th emit. */
function fakeLink() {
  const calls: { id: string; data: unknown; done: (error: unknown, reply?: unknown) => void }[] = []
  const emit: EmitWithAck = (payload, done) => void calls.push({ ...payload, done })
  return {
    emit,
    /** What went out, as `id:data`. */
    sent: () => calls.map(({ id, data }) => `${id}:${String(data)}`),
    ack: (i: number, error: unknown, reply?: unknown) => calls[i]!.done(error, reply),
  }
}

/** An outbox with ids m1, m2…, every `changed` size and every settlement recorded. */
function setup(limit = 10) {
  let ids = 0
  const sizes: number[] = []
  const settled: string[] = []
  const outbox = createAckedOutbox({
    limit,
    nextId: () => `m${++ids}`,
    changed: (size) => sizes.push(size),
  })
  const add = (data: string) => {
    const done = outbox.add(data)
    done.then(
      () => settled.push(`${data} resolved`),
      (error: Error) => settled.push(`${data} ${error.name}: ${error.message}`),
    )
    return done
  }
  return { outbox, add, sizes, settled, nextIdCalls: () => ids }
}

/** Lets the promise callbacks run. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

const OK = { ok: true }
const TIMEOUT = new Error('operation has timed out')

describe('createAckedOutbox', () => {
  it('keeps messages until flush, then sends them in order under distinct ids', () => {
    const { outbox, add, sizes, nextIdCalls } = setup()
    const link = fakeLink()
    void add('a')
    void add('b')
    void add('c')
    expect(link.sent()).toEqual([])
    expect(outbox.size).toBe(3)
    expect(sizes).toEqual([1, 2, 3])

    outbox.flush(link.emit)
    expect(link.sent()).toEqual(['m1:a', 'm2:b', 'm3:c'])
    expect(nextIdCalls()).toBe(3)
  })

  it('sends a message added while the link is up at once', () => {
    const { outbox, add } = setup()
    const link = fakeLink()
    outbox.flush(link.emit)
    expect(link.sent()).toEqual([])
    void add('a')
    expect(link.sent()).toEqual(['m1:a'])
  })

  it('does not send a message twice when flushed again while its acknowledgement is awaited', () => {
    const { outbox, add } = setup()
    const link = fakeLink()
    void add('a')
    outbox.flush(link.emit)
    outbox.flush(link.emit)
    expect(link.sent()).toEqual(['m1:a'])
  })

  it.each([
    ['{ ok: true }', OK],
    ['{ ok: true, duplicate: true }', { ok: true, duplicate: true }],
  ])('resolves on %s', async (_, reply) => {
    const { outbox, add, sizes, settled } = setup()
    const link = fakeLink()
    const done = add('a')
    outbox.flush(link.emit)
    link.ack(0, null, reply)
    await expect(done).resolves.toBeUndefined()
    expect(settled).toEqual(['a resolved'])
    expect(outbox.size).toBe(0)
    expect(sizes).toEqual([1, 0])
  })

  it("rejects on { ok: false, error } with an Error naming the server's error", async () => {
    const { outbox, add, sizes } = setup()
    const link = fakeLink()
    const done = add('a')
    outbox.flush(link.emit)
    link.ack(0, null, { ok: false, error: 'room is read-only' })
    await expect(done).rejects.toThrow(
      new Error('fromSocketIO: the server refused the message: room is read-only'),
    )
    expect(outbox.size).toBe(0)
    expect(sizes).toEqual([1, 0])
  })

  it.each<[string, unknown]>([
    ['no reply', undefined],
    ['a string', 'ok'],
    ['ok "yes"', { ok: 'yes' }],
    ['ok false without an error', { ok: false }],
  ])('rejects a malformed reply (%s) with a clear Error', async (_, reply) => {
    const { outbox, add, sizes } = setup()
    const link = fakeLink()
    const done = add('a')
    outbox.flush(link.emit)
    link.ack(0, null, reply)
    await expect(done).rejects.toThrow(
      new Error(
        "fromSocketIO: send() got no valid answer: the server's answer is neither { ok: true } nor { ok: false, error }",
      ),
    )
    expect(sizes).toEqual([1, 0])
  })

  it('settles each message by its own acknowledgement, in any order', async () => {
    const { outbox, add, sizes, settled } = setup()
    const link = fakeLink()
    void add('a')
    void add('b')
    void add('c')
    outbox.flush(link.emit)
    link.ack(1, null, OK)
    link.ack(2, null, { ok: false, error: 'too big' })
    link.ack(0, null, OK)
    await tick()
    expect(settled).toEqual([
      'b resolved',
      'c Error: fromSocketIO: the server refused the message: too big',
      'a resolved',
    ])
    expect(sizes).toEqual([1, 2, 3, 2, 1, 0])
  })

  it('sends a message again under the same id when its acknowledgement times out on a live link', async () => {
    const { outbox, add, sizes, settled } = setup()
    const link = fakeLink()
    void add('a')
    void add('b')
    outbox.flush(link.emit)
    link.ack(0, TIMEOUT)
    expect(link.sent()).toEqual(['m1:a', 'm2:b', 'm1:a'])
    link.ack(2, TIMEOUT)
    expect(link.sent()).toEqual(['m1:a', 'm2:b', 'm1:a', 'm1:a'])
    expect(outbox.size).toBe(2)
    link.ack(3, null, { ok: true, duplicate: true })
    await tick()
    expect(settled).toEqual(['a resolved'])
    expect(sizes).toEqual([1, 2, 1])
  })

  it('waits for the next flush to resend a timed-out message when the link is down', () => {
    const { outbox, add } = setup()
    const up = fakeLink()
    void add('a')
    outbox.flush(up.emit)
    outbox.linkDown()
    up.ack(0, TIMEOUT)
    expect(up.sent()).toEqual(['m1:a'])
    const again = fakeLink()
    outbox.flush(again.emit)
    expect(again.sent()).toEqual(['m1:a'])
    expect(up.sent()).toEqual(['m1:a'])
  })

  it('after linkDown, flush sends every unacknowledged message again, in order, same ids', async () => {
    const { outbox, add, sizes, settled } = setup()
    const first = fakeLink()
    void add('a')
    void add('b')
    void add('c')
    void add('d')
    outbox.flush(first.emit)
    first.ack(1, null, OK)
    outbox.linkDown()
    // Added while the link is down: waits for the flush, after the older ones.
    void add('e')
    expect(first.sent()).toEqual(['m1:a', 'm2:b', 'm3:c', 'm4:d'])

    const second = fakeLink()
    outbox.flush(second.emit)
    expect(second.sent()).toEqual(['m1:a', 'm3:c', 'm4:d', 'm5:e'])
    second.ack(0, null, OK)
    second.ack(1, null, OK)
    second.ack(2, null, OK)
    second.ack(3, null, OK)
    await tick()
    expect(settled).toEqual(['b resolved', 'a resolved', 'c resolved', 'd resolved', 'e resolved'])
    expect(sizes).toEqual([1, 2, 3, 4, 3, 4, 3, 2, 1, 0])
  })

  it('ignores a stale error after linkDown and flush: nothing is sent a third time', async () => {
    const { outbox, add, sizes, settled } = setup()
    const first = fakeLink()
    const second = fakeLink()
    void add('a')
    outbox.flush(first.emit)
    outbox.linkDown()
    outbox.flush(second.emit)
    first.ack(0, TIMEOUT)
    expect(first.sent()).toEqual(['m1:a'])
    expect(second.sent()).toEqual(['m1:a'])
    expect(outbox.size).toBe(1)
    second.ack(0, null, OK)
    await tick()
    expect(settled).toEqual(['a resolved'])
    expect(sizes).toEqual([1, 0])
  })

  it("the server's first answer settles the message, from whichever try it came", async () => {
    const { outbox, add, settled } = setup()
    const first = fakeLink()
    const second = fakeLink()
    void add('a')
    outbox.flush(first.emit)
    outbox.linkDown()
    outbox.flush(second.emit)
    first.ack(0, null, { ok: false, error: 'refused on the first try' })
    second.ack(0, null, OK)
    await tick()
    expect(settled).toHaveLength(1)
    expect(settled[0]).toMatch(/^a Error: .*refused the message: refused on the first try/)
    expect(outbox.size).toBe(0)
  })

  it('settles once when a stale ok arrives after the current attempt settled it', async () => {
    const { outbox, add, sizes, settled } = setup()
    const first = fakeLink()
    const second = fakeLink()
    void add('a')
    outbox.flush(first.emit)
    outbox.linkDown()
    outbox.flush(second.emit)
    second.ack(0, null, OK)
    first.ack(0, null, OK)
    first.ack(0, null, { ok: false, error: 'late' })
    await tick()
    expect(settled).toEqual(['a resolved'])
    expect(sizes).toEqual([1, 0])
  })

  it('settles once on a late ok from a stale attempt', async () => {
    const { outbox, add, sizes, settled } = setup()
    const first = fakeLink()
    const second = fakeLink()
    void add('a')
    outbox.flush(first.emit)
    outbox.linkDown()
    outbox.flush(second.emit)
    first.ack(0, null, OK)
    await tick()
    expect(settled).toEqual(['a resolved'])
    expect(outbox.size).toBe(0)
    second.ack(0, null, { ok: true, duplicate: true })
    await tick()
    expect(settled).toEqual(['a resolved'])
    expect(sizes).toEqual([1, 0])
  })

  it('reports the queued count on every change, and only then', async () => {
    const { outbox, add, sizes } = setup()
    const link = fakeLink()
    void add('a')
    void add('b')
    outbox.flush(link.emit)
    link.ack(0, TIMEOUT) // resent: no change in the count
    outbox.linkDown()
    outbox.flush(link.emit) // resent: no change
    expect(sizes).toEqual([1, 2])
    void add('c')
    // The current attempts are the two sent by the second flush.
    link.ack(3, null, OK)
    link.ack(4, null, OK)
    await tick()
    expect(sizes).toEqual([1, 2, 3, 2, 1])
    expect(outbox.size).toBe(1)
  })

  it('refuses a message over the limit with a RangeError naming queueLimit, and keeps the others', async () => {
    const { outbox, add, sizes, settled, nextIdCalls } = setup(2)
    void add('a')
    void add('b')
    await expect(add('c')).rejects.toThrow(
      new RangeError(
        'fromSocketIO: send() refused the message: 2 messages already wait for the server (queueLimit). Wait for some to be delivered, or raise queueLimit.',
      ),
    )
    await expect(add('d')).rejects.toBeInstanceOf(RangeError)
    expect(outbox.size).toBe(2)
    expect(sizes).toEqual([1, 2])
    expect(nextIdCalls()).toBe(2)

    const link = fakeLink()
    outbox.flush(link.emit)
    expect(link.sent()).toEqual(['m1:a', 'm2:b'])
    // One delivered: room for one more.
    link.ack(0, null, OK)
    void add('e')
    expect(link.sent()).toEqual(['m1:a', 'm2:b', 'm3:e'])
    await tick()
    expect(settled).toEqual([
      'c RangeError: fromSocketIO: send() refused the message: 2 messages already wait for the server (queueLimit). Wait for some to be delivered, or raise queueLimit.',
      'd RangeError: fromSocketIO: send() refused the message: 2 messages already wait for the server (queueLimit). Wait for some to be delivered, or raise queueLimit.',
      'a resolved',
    ])
    expect(sizes).toEqual([1, 2, 1, 2])
  })

  it('counts messages sent but not yet acknowledged against the limit', async () => {
    const { outbox, add } = setup(1)
    const link = fakeLink()
    outbox.flush(link.emit)
    void add('a')
    await expect(add('b')).rejects.toBeInstanceOf(RangeError)
    expect(link.sent()).toEqual(['m1:a'])
  })

  it('rejectAll rejects every message with the error given and reports 0', async () => {
    const { outbox, add, sizes } = setup()
    const link = fakeLink()
    const a = add('a')
    const b = add('b')
    outbox.flush(link.emit)
    const c = add('c')
    outbox.linkDown()
    const d = add('d')
    const closed = new Error('fromSocketIO: close() was called before the message was delivered')
    outbox.rejectAll(closed)
    for (const done of [a, b, c, d]) await expect(done).rejects.toBe(closed)
    expect(outbox.size).toBe(0)
    expect(sizes).toEqual([1, 2, 3, 4, 0])
    // Acknowledgements arriving afterwards change nothing.
    link.ack(0, null, OK)
    link.ack(1, null, { ok: false, error: 'late' })
    expect(sizes).toEqual([1, 2, 3, 4, 0])
    expect(link.sent()).toEqual(['m1:a', 'm2:b', 'm3:c'])
  })

  it('rejectAll on an empty queue reports 0', () => {
    const { outbox, sizes } = setup()
    outbox.rejectAll(new Error('closed'))
    expect(sizes).toEqual([0])
  })

  it('rejectAll stops sending: a timeout after it sends nothing again', async () => {
    const { outbox, add } = setup()
    const link = fakeLink()
    const done = add('a')
    outbox.flush(link.emit)
    outbox.rejectAll(new Error('closed'))
    await expect(done).rejects.toThrow('closed')
    link.ack(0, TIMEOUT)
    expect(link.sent()).toEqual(['m1:a'])
  })

  it('never sends a rejected message again after a later flush', async () => {
    const { outbox, add, sizes } = setup()
    const before = fakeLink()
    const after = fakeLink()
    const done = add('a')
    outbox.flush(before.emit)
    outbox.rejectAll(new Error('closed'))
    await expect(done).rejects.toThrow('closed')
    outbox.flush(after.emit)
    before.ack(0, TIMEOUT)
    expect(after.sent()).toEqual([])
    expect(sizes).toEqual([1, 0])
  })
})
