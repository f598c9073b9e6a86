/**
 * `describeConnectionSource`: the contract every `ConnectionSource` obeys, as a test suite any
 * source can be run through — linklight's own, or an adapter written for another client. It
 * imports neither Vitest nor Jest: it takes `describe`, `it` and `afterEach` from its caller or
 * from the globals, and asserts with its own helpers.
 */
import { closeTests } from './contract/close.js'
import type { DefineTest } from './contract/define.js'
import { giveUpTests } from './contract/giveUp.js'
import {
  CAPABILITIES,
  MAX_STEP_TIMEOUT,
  startSession,
  type Session,
  type SourceCapability,
  type SourceHarness,
} from './contract/harness.js'
import { outageTests } from './contract/outage.js'
import { peerTests } from './contract/peers.js'
import { within } from './contract/recorder.js'
import { sendingTests } from './contract/sending.js'
import { snapshotTests } from './contract/snapshots.js'
import { stateChangeTests } from './contract/stateChanges.js'

export type { SourceCapability, SourceHarness, SourceHarnessPeers } from './contract/harness.js'

/**
 * Makes a fresh harness — a new source and the levers that move it — for one test. May be
 * async, to start a server first.
 *
 * @example
 * ```ts
 * const makeHarness: MakeSourceHarness = async () => {
 *   const server = await startMyServer()
 *   const source = fromMyClient(new MyClient(server.url))
 *   return {
 *     source,
 *     goOnline: () => source.login({ user: 'me' }),
 *     drop: () => server.stop(),
 *     restore: () => server.start(),
 *     dispose: () => server.stop(),
 *   }
 * }
 * ```
 */
export type MakeSourceHarness = () => SourceHarness | Promise<SourceHarness>

/** A test body as the suite registers it. */
type TestBody = () => Promise<void>

/**
 * The test functions the suite registers with: Vitest's and Jest's fit as they are.
 *
 * @example
 * ```ts
 * import { afterEach, describe, it } from 'vitest'
 * const functions: ContractTestFunctions = { describe, it, afterEach }
 * ```
 */
export interface ContractTestFunctions {
  describe(name: string, body: () => void): void
  it: {
    (name: string, body: TestBody, timeout?: number): void
    /** Used, when there, to show the tests a harness opted out of as skipped. */
    skip?: (name: string, body: TestBody, timeout?: number) => void
  }
  afterEach(body: TestBody, timeout?: number): void
}

/**
 * The third argument of {@link describeConnectionSource}.
 *
 * @example
 * ```ts
 * import { afterEach, describe, it } from 'vitest'
 * const options: DescribeConnectionSourceOptions = {
 *   describe,
 *   it,
 *   afterEach,
 *   without: ['peerData'],
 * }
 * ```
 */
export interface DescribeConnectionSourceOptions extends Partial<ContractTestFunctions> {
  /**
   * What the harness cannot do; the tests that need it are skipped. A test that needs a
   * capability the harness lacks, and that is not listed here, fails saying so.
   */
  readonly without?: readonly SourceCapability[]
}

// Every step is bounded by the harness's timeout; these only stop a runner from waiting forever.
const HOOK_TIMEOUT = MAX_STEP_TIMEOUT + 5000
const testTimeout = (steps: number) => (steps + 2) * MAX_STEP_TIMEOUT

function testFunctions(options: DescribeConnectionSourceOptions): ContractTestFunctions {
  const globals = globalThis as Partial<Record<'describe' | 'it' | 'test' | 'afterEach', unknown>>
  const describe = options.describe ?? globals.describe
  const it = options.it ?? globals.it ?? globals.test
  const afterEach = options.afterEach ?? globals.afterEach
  const missing = Object.entries({ describe, it, afterEach })
    .filter(([, value]) => typeof value != 'function')
    .map(([name]) => name)
  if (missing.length)
    throw new TypeError(
      `describeConnectionSource: no test function ${missing.join(', ')}. Pass your runner's as the third argument — import { describe, it, afterEach } from 'vitest', then describeConnectionSource(name, makeHarness, { describe, it, afterEach }) — or run with test globals (Jest has them; Vitest with test.globals: true).`,
    )
  return { describe, it, afterEach } as ContractTestFunctions
}

function capabilitiesLeftOut(without: unknown): ReadonlySet<SourceCapability> {
  if (without === undefined) return new Set()
  const valid = (value: unknown): value is SourceCapability =>
    CAPABILITIES.includes(value as SourceCapability)
  if (!Array.isArray(without) || !without.every(valid))
    throw new TypeError(
      `describeConnectionSource: without must be an array of ${CAPABILITIES.map((c) => `'${c}'`).join(', ')} (got ${JSON.stringify(without)})`,
    )
  return new Set(without)
}

/** Closes and disposes of a harness the suite will not use, reporting nothing. */
function discard(harness: SourceHarness | undefined) {
  try {
    harness?.source?.close()
  } catch {
    // it failed the test already, or will
  }
  void Promise.resolve()
    .then(() => harness?.dispose?.())
    .catch(() => {})
}

/**
 * Registers the connection-source contract as tests: `describe(name)` with one block per area —
 * snapshots, state changes, outage and rejoin, give up, peers, sending, close. Every test makes
 * a fresh harness with `makeHarness()`, drives the source through it, and checks what the
 * source published and emitted; after each test the source is closed and the harness disposed.
 *
 * The test functions come from `options` or else from the globals (Jest; Vitest with
 * `globals: true`). Run it on real timers: the suite waits on them.
 *
 * @example
 * ```ts
 * // my-source.contract.test.ts (Vitest)
 * import { afterEach, describe, it } from 'vitest'
 * import { createMockSource, describeConnectionSource } from 'linklight/testing'
 *
 * describeConnectionSource(
 *   'the mock source',
 *   () => {
 *     const source = createMockSource()
 *     return {
 *       source,
 *       goOnline: () => source.login(),
 *       drop: () => source.drop(),
 *       restore: () => source.restore(),
 *     }
 *   },
 *   { describe, it, afterEach, without: ['giveUp', 'lose', 'peers', 'peerData'] },
 * )
 * ```
 */
export function describeConnectionSource(
  name: string,
  makeHarness: MakeSourceHarness,
  options: DescribeConnectionSourceOptions = {},
): void {
  if (typeof name != 'string' || name.length == 0)
    throw new TypeError(
      `describeConnectionSource: name must be a non-empty string (got ${String(name)})`,
    )
  if (typeof makeHarness != 'function')
    throw new TypeError(
      `describeConnectionSource: makeHarness must be a function that returns a SourceHarness, or a promise of one (got ${typeof makeHarness})`,
    )
  const { describe, it, afterEach } = testFunctions(options)
  const without = capabilitiesLeftOut(options.without)
  let session: Session | undefined

  const define: DefineTest = (title, body, { needs = [], steps = 4 } = {}) => {
    const skipped = needs.filter((need) => without.has(need))
    const timeout = testTimeout(steps)
    if (skipped.length) {
      it.skip?.(`${title} (skipped: without ${skipped.join(', ')})`, async () => {}, timeout)
      return
    }
    it(
      title,
      async () => {
        let harness: SourceHarness | undefined
        const making = Promise.resolve().then(makeHarness)
        try {
          harness = await within(making, MAX_STEP_TIMEOUT, 'makeHarness()')
          session = startSession(harness, needs, without)
        } catch (error) {
          // Made too late, or not fit for use: stop it all the same.
          void making.then(discard, () => {})
          throw error
        }
        await body(session)
      },
      timeout,
    )
  }

  describe(name, () => {
    afterEach(async () => {
      const done = session
      session = undefined
      await done?.dispose()
    }, HOOK_TIMEOUT)
    describe('snapshots', () => snapshotTests(define))
    describe('state changes', () => stateChangeTests(define))
    describe('outage and rejoin', () => outageTests(define))
    describe('give up', () => giveUpTests(define))
    describe('peers', () => peerTests(define))
    describe('sending', () => sendingTests(define))
    describe('close', () => closeTests(define))
  })
}
