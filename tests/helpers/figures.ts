/**
 * Prints measured figures in one greppable line (`[figures] {…}`), so they can be quoted in a
 * release note. Tests, the fuzzer and the benchmarks all print them this way.
 */
export function figures(values: Record<string, unknown>): void {
  // eslint-disable-next-line no-console -- printing the measured figures is the point here
  console.log('[figures]', JSON.stringify(values))
}
