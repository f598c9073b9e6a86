/**
 * Sending: `send()` returns a promise that resolves while OPEN, or, for a source that cannot
 * send, rejects with an `Error` saying what to use instead.
 */
import { check, checkSame, show } from './assert.js'
import type { DefineTest } from './define.js'
import { within } from './recorder.js'

/** An `Error`, also one made in another realm (Jest runs tests in a vm context). */
export const isError = (value: unknown): value is Error =>
  value instanceof Error || Object.prototype.toString.call(value) === '[object Error]'

export function sendingTests(test: DefineTest): void {
  test(
    'send() returns a promise: it resolves while OPEN, or rejects with an Error when the source cannot send',
    async (s) => {
      await s.online()
      let sent: unknown
      try {
        sent = s.source.send({ contract: 'hello' })
      } catch (error) {
        throw new Error(
          `send() threw instead of returning a promise: ${isError(error) ? error.message : show(error)}`,
          { cause: error },
        )
      }
      check(
        typeof (sent as PromiseLike<void> | undefined)?.then == 'function',
        () => `send() should return a promise, it returned ${show(sent)}`,
      )
      const promise = Promise.resolve(sent as PromiseLike<void>)
      if (s.harness.canSend !== false) {
        await within(promise, s.timeout, 'the promise of send() while OPEN')
      } else {
        const outcome = await within(
          promise.then(
            () => ({ rejected: false as const }),
            (error: unknown) => ({ rejected: true as const, error }),
          ),
          s.timeout,
          'the promise of send() from a source that cannot send',
        )
        check(
          outcome.rejected,
          'send() resolved, but the harness says the source cannot send (canSend: false): it should reject',
        )
        const { error } = outcome
        check(
          isError(error),
          () => `send() should reject with an Error, it rejected with ${show(error)}`,
        )
        check(
          error.message.trim().length > 0,
          'send() rejected with an Error without a message; say what to use instead',
        )
      }
      checkSame(s.source.getSnapshot().state, 'OPEN', 'the state after send()')
    },
    { steps: 3 },
  )
}
