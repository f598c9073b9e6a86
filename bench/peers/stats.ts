/** Repetition results: a time in ms, `null` when the cap passed first, `NaN` when it never started. */
export type Sample = number | null

export interface Summary {
  readonly min: number
  readonly median: number
  readonly max: number
  /** Repetitions that ran (connected first). */
  readonly runs: number
  /** Of those, how many hit the cap. */
  readonly capped: number
}

/** min / median / max with a capped run counted as +Infinity (so a median can be "> cap"). */
export function summarize(samples: readonly Sample[]): Summary {
  const ran = samples.filter((s) => s === null || !Number.isNaN(s))
  const values = ran.map((s) => (s === null ? Infinity : s)).sort((a, b) => a - b)
  const mid = values.length >> 1
  const median =
    values.length === 0
      ? NaN
      : values.length % 2
        ? values[mid]!
        : (values[mid - 1]! + values[mid]!) / 2
  return {
    min: values[0] ?? NaN,
    median,
    max: values.at(-1) ?? NaN,
    runs: ran.length,
    capped: ran.filter((s) => s === null).length,
  }
}

/** `1.23 s`, `850 ms`, `> 60 s` for a capped value, `n/a` when nothing ran. */
export function formatMs(ms: number, capMs: number): string {
  if (Number.isNaN(ms)) return 'n/a'
  if (!Number.isFinite(ms)) return `> ${capMs / 1000} s`
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}

/** `median (min – max)`, or "never (within the 60 s cap)" when every run hit the cap. */
export function formatSummary(summary: Summary, capMs: number): string {
  if (summary.runs === 0) return 'n/a (did not connect)'
  if (summary.capped === summary.runs) return `never (within the ${capMs / 1000} s cap)`
  const f = (ms: number) => formatMs(ms, capMs)
  return summary.min === summary.max
    ? f(summary.median)
    : `${f(summary.median)} (${f(summary.min)} – ${f(summary.max)})`
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Waits until `done()` or `capMs`; true when done. Polls every 25 ms. */
export async function until(done: () => boolean, capMs: number): Promise<boolean> {
  const end = performance.now() + capMs
  while (!done()) {
    if (performance.now() > end) return false
    await sleep(25)
  }
  return true
}
