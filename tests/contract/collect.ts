/**
 * Runs `describeConnectionSource` on test functions of our own instead of a runner's: it
 * collects the tests the suite registers, and can run them one by one (each followed by the
 * suite's afterEach), to see which pass and why the others fail.
 */
import {
  describeConnectionSource,
  type DescribeConnectionSourceOptions,
  type MakeSourceHarness,
} from '../../src/testing/index.js'

/** A test the suite registered: its title under every describe, and its body. */
export interface CollectedTest {
  readonly title: string
  readonly body: () => Promise<void>
  readonly timeout: number | undefined
}

/** What the suite registered. */
export interface Collected {
  readonly tests: readonly CollectedTest[]
  readonly skipped: readonly string[]
  readonly afterEach: readonly (() => Promise<void>)[]
}

/** The tests `describeConnectionSource(name, makeHarness, options)` registers. */
export function collect(
  makeHarness: MakeSourceHarness,
  options: Pick<DescribeConnectionSourceOptions, 'without'> = {},
): Collected {
  const tests: CollectedTest[] = []
  const skipped: string[] = []
  const afterEach: (() => Promise<void>)[] = []
  const path: string[] = []
  const titled = (name: string) => [...path, name].join(' > ')
  const it = Object.assign(
    (name: string, body: () => Promise<void>, timeout?: number) =>
      void tests.push({ title: titled(name), body, timeout }),
    { skip: (name: string) => void skipped.push(titled(name)) },
  )
  describeConnectionSource('source', makeHarness, {
    ...options,
    describe(name, body) {
      path.push(name)
      body()
      path.pop()
    },
    it,
    afterEach: (body) => void afterEach.push(body),
  })
  return { tests, skipped, afterEach }
}

/** Runs one collected test and the afterEach hooks; resolves with its error, or `null`. */
export async function run(collected: Collected, test: CollectedTest): Promise<Error | null> {
  let failure: Error | null = null
  try {
    await test.body()
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error))
  }
  for (const hook of collected.afterEach) await hook()
  return failure
}

/** The collected test whose title ends with `title`. */
export function find(collected: Collected, title: string): CollectedTest {
  const found = collected.tests.filter((test) => test.title.endsWith(title))
  if (found.length != 1)
    throw new Error(`expected one test titled "${title}", found ${found.length}`)
  return found[0]!
}
