import { describe, expect, it } from 'vitest'
import { createOutbox, type OutgoingMessage, type WriteResult } from '../../../src/core/outbox.js'
import { nextTurn } from '../../helpers/wait.js'

type Outcome = 'pending' | 'resolved' | { rejected: unknown }

/** Follows a promise without consuming its rejection for the test's sake. */
function track(promise: Promise<void>): { readonly outcome: Outcome } {
  const tracked: { outcome: Outcome } = { outcome: 'pending' }
  promise.then(
    () => (tracked.outcome = 'resolved'),
    (error: unknown) => (tracked.outcome = { rejected: error }),
  )
  return tracked
}

/** A writer that records what it was given and accepts everything. */
function recorder(refuse: (message: OutgoingMessage) => Error | null = () => null) {
  const written: OutgoingMessage[] = []
  const write = (message: OutgoingMessage): WriteResult => {
    written.push(message)
    return refuse(message) ?? true
  }
  return { written, write, frames: () => written.map((m) => m.frame) }
}

const text = (label: string) => (seq: number) => `${label}#${seq}`

describe('createOutbox', () => {
  it('add gives each message the next sequence number of the session: 1, 2, 3', () => {
    const outbox = createOutbox(10)
    const seen: number[] = []
    for (const label of ['a', 'b', 'c'])
      void outbox.add((seq) => {
        seen.push(seq)
        return `${label}#${seq}`
      }, true)
    expect(seen).toEqual([1, 2, 3])
    const { written, write } = recorder()
    outbox.flush(write, true)
    expect(written.map((m) => [m.seq, m.frame])).toEqual([
      [1, 'a#1'],
      [2, 'b#2'],
      [3, 'c#3'],
    ])
  })

  it('pending counts the messages not yet written, not those waiting for an ack', () => {
    const outbox = createOutbox(10)
    expect(outbox.pending).toBe(0)
    void outbox.add(text('a'), true)
    void outbox.add(text('b'), true)
    expect(outbox.pending).toBe(2)
    outbox.flush(recorder().write, true)
    expect(outbox.pending).toBe(0)
    void outbox.add(text('c'), true)
    expect(outbox.pending).toBe(1)
    outbox.requeue()
    expect(outbox.pending).toBe(3)
  })

  describe('queueLimit', () => {
    it('queueLimit: add throws a RangeError saying what to do once limit messages wait', () => {
      const outbox = createOutbox(2)
      void outbox.add(text('a'), true)
      void outbox.add(text('b'), true)
      let encoded = false
      const third = () =>
        outbox.add((seq) => {
          encoded = true
          return `c#${seq}`
        }, true)
      expect(third).toThrow(RangeError)
      expect(third).toThrow(/queue is full \(2 messages/)
      expect(third).toThrow(/nothing was dropped.*queueLimit/)
      expect(encoded).toBe(false)
    })

    it('queueLimit: nothing already queued is lost when the queue is full', async () => {
      const outbox = createOutbox(2)
      const a = track(outbox.add(text('a'), true))
      const b = track(outbox.add(text('b'), true))
      expect(() => outbox.add(text('c'), true)).toThrow(RangeError)
      expect(outbox.pending).toBe(2)
      const { frames, write } = recorder()
      outbox.flush(write, false)
      expect(frames()).toEqual(['a#1', 'b#2'])
      await nextTurn()
      expect([a.outcome, b.outcome]).toEqual(['resolved', 'resolved'])
    })

    it('queueLimit: the limit is on messages kept while not OPEN; an OPEN link sends on', () => {
      const outbox = createOutbox(2)
      void outbox.add(text('a'), true)
      void outbox.add(text('b'), true)
      expect(() => outbox.add(text('c'), true)).toThrow(RangeError)
      outbox.flush(recorder().write, true) // OPEN: both go out, waiting for their acks
      const { frames, write } = recorder()
      void outbox.add(text('c'), false)
      void outbox.add(text('d'), false)
      void outbox.add(text('e'), false)
      outbox.flush(write, true)
      // The refused add used no sequence number.
      expect(frames()).toEqual(['c#3', 'd#4', 'e#5'])
    })

    it('queueLimit: a limit of 0 keeps nothing offline, yet an OPEN link still sends', () => {
      expect(() => createOutbox(0).add(text('a'), true)).toThrow(RangeError)
      expect(() => createOutbox(0).add(text('a'), false)).not.toThrow()
    })
  })

  describe('flush', () => {
    it('writes pending messages in order, and a second flush writes nothing again', () => {
      const outbox = createOutbox(10)
      for (const label of ['a', 'b', 'c']) void outbox.add(text(label), true)
      const first = recorder()
      outbox.flush(first.write, true)
      expect(first.frames()).toEqual(['a#1', 'b#2', 'c#3'])
      const second = recorder()
      outbox.flush(second.write, true)
      expect(second.frames()).toEqual([])
    })

    it('with acks, a written message stays unresolved until the server acknowledges it', async () => {
      const outbox = createOutbox(10)
      const a = track(outbox.add(text('a'), true))
      outbox.flush(recorder().write, true)
      await nextTurn()
      expect(a.outcome).toBe('pending')
      outbox.ack(1)
      await nextTurn()
      expect(a.outcome).toBe('resolved')
    })

    it('without acks (plain protocol), a written message resolves at once and is never resent', async () => {
      const outbox = createOutbox(10)
      const a = track(outbox.add(text('a'), true))
      outbox.flush(recorder().write, false)
      await nextTurn()
      expect(a.outcome).toBe('resolved')
      outbox.requeue()
      expect(outbox.pending).toBe(0)
    })

    it('a writer that refuses a message rejects that message only, and its number goes to the next', async () => {
      const outbox = createOutbox(10)
      const tooLarge = new RangeError('too large')
      const a = track(outbox.add(text('a'), true))
      const b = track(outbox.add(text('b'), true))
      const c = track(outbox.add(text('c'), true))
      const { frames, write } = recorder((m) => (m.frame.startsWith('b') ? tooLarge : null))
      outbox.flush(write, true)
      // The server accepts only the next number: a hole at 2 would hold back everything after.
      expect(frames()).toEqual(['a#1', 'b#2', 'c#2'])
      await nextTurn()
      expect([a.outcome, b.outcome, c.outcome]).toEqual([
        'pending',
        { rejected: tooLarge },
        'pending',
      ])
      // The refused message is not resent after a drop.
      outbox.requeue()
      const resent = recorder()
      outbox.flush(resent.write, true)
      expect(resent.frames()).toEqual(['a#1', 'c#2'])
      outbox.ack(2)
      await nextTurn()
      expect([a.outcome, c.outcome]).toEqual(['resolved', 'resolved'])
    })
  })

  describe('ack', () => {
    it('an ack is cumulative: it settles every message up to its sequence number', async () => {
      const outbox = createOutbox(10)
      const tracked = ['a', 'b', 'c'].map((label) => track(outbox.add(text(label), true)))
      outbox.flush(recorder().write, true)
      outbox.ack(2)
      await nextTurn()
      expect(tracked.map((t) => t.outcome)).toEqual(['resolved', 'resolved', 'pending'])
    })

    it('an ack below every waiting message, or repeated, settles nothing more', async () => {
      const outbox = createOutbox(10)
      const tracked = ['a', 'b'].map((label) => track(outbox.add(text(label), true)))
      outbox.flush(recorder().write, true)
      outbox.ack(0)
      outbox.ack(1)
      outbox.ack(1)
      await nextTurn()
      expect(tracked.map((t) => t.outcome)).toEqual(['resolved', 'pending'])
      outbox.requeue()
      const resent = recorder()
      outbox.flush(resent.write, true)
      expect(resent.frames()).toEqual(['b#2'])
    })
  })

  describe('requeue', () => {
    it('unacknowledged messages go back to the front, before newer pending ones, in order', () => {
      const outbox = createOutbox(10)
      void outbox.add(text('a'), true)
      void outbox.add(text('b'), true)
      outbox.flush(recorder().write, true)
      void outbox.add(text('c'), true)
      void outbox.add(text('d'), true)
      outbox.requeue()
      expect(outbox.pending).toBe(4)
      const { frames, write } = recorder()
      outbox.flush(write, true)
      expect(frames()).toEqual(['a#1', 'b#2', 'c#3', 'd#4'])
    })

    it('a resent message is the same text as the first time', () => {
      const outbox = createOutbox(10)
      let calls = 0
      void outbox.add((seq) => `${++calls}:${seq}`, true)
      const first = recorder()
      outbox.flush(first.write, true)
      outbox.requeue()
      const again = recorder()
      outbox.flush(again.write, true)
      expect(again.frames()).toEqual(first.frames())
      expect(calls).toBe(1)
    })

    it("an ack after a requeue (the welcome's lastSeq) trims the front of pending too", async () => {
      const outbox = createOutbox(10)
      const tracked = ['a', 'b', 'c'].map((label) => track(outbox.add(text(label), true)))
      outbox.flush(recorder().write, true)
      const d = track(outbox.add(text('d'), true))
      outbox.requeue()
      // The server had received 1 and 2 before the link dropped.
      outbox.ack(2)
      expect(outbox.pending).toBe(2)
      await nextTurn()
      expect([...tracked, d].map((t) => t.outcome)).toEqual([
        'resolved',
        'resolved',
        'pending',
        'pending',
      ])
      const { frames, write } = recorder()
      outbox.flush(write, true)
      expect(frames()).toEqual(['c#3', 'd#4'])
    })
  })

  describe('rejectAll', () => {
    it('close(): rejects every waiting message, written or not, with the given error', async () => {
      const outbox = createOutbox(10)
      const a = track(outbox.add(text('a'), true))
      outbox.flush(recorder().write, true)
      const b = track(outbox.add(text('b'), true))
      const closed = new Error('closed')
      outbox.rejectAll(closed)
      expect(outbox.pending).toBe(0)
      await nextTurn()
      expect([a.outcome, b.outcome]).toEqual([{ rejected: closed }, { rejected: closed }])
      outbox.requeue()
      expect(outbox.pending).toBe(0)
    })

    it('close(): a new session numbers its messages from 1 again', () => {
      const outbox = createOutbox(10)
      void outbox.add(text('a'), true)
      void outbox.add(text('b'), true)
      outbox.rejectAll(new Error('closed'))
      void outbox.add(text('c'), true)
      const { written, write } = recorder()
      outbox.flush(write, true)
      expect(written.map((m) => m.seq)).toEqual([1])
    })

    it('close(): frees the room the rejected messages took', () => {
      const outbox = createOutbox(1)
      void outbox.add(text('a'), true)
      outbox.rejectAll(new Error('closed'))
      expect(() => outbox.add(text('b'), true)).not.toThrow()
    })
  })

  it('a caller that never awaits send() gets no unhandled rejection when it is rejected', async () => {
    const outbox = createOutbox(10)
    void outbox.add(text('a'), true)
    void outbox.add(text('b'), true)
    outbox.flush(() => new Error('refused'), true)
    void outbox.add(text('c'), true)
    outbox.rejectAll(new Error('closed'))
    // Give Node time to notice a rejection nobody handled (vitest fails the run if it does).
    await nextTurn()
    await nextTurn()
    expect(outbox.pending).toBe(0)
  })
})
