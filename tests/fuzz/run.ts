/**
 * `npm run fuzz`: both fuzzers at length, with figures.
 *
 *   FUZZ_FRAMES=20000 (frames per side, default 20000)
 *   FUZZ_SEED=1234    (default: a new one each run, printed so a finding can be replayed)
 *   FUZZ_SIDE=server | client (default: both)
 *
 * Exits with 1 when a check failed or anything crashed, 2 on bad settings.
 */
import { fuzzClient, fuzzServer, type FuzzResult } from './fuzz.js'

const print = (line = '') => void process.stdout.write(`${line}\n`)

function setting(name: string, fallback: number, valid: (n: number) => boolean, expected: string) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!valid(value)) {
    process.stderr.write(`fuzz: ${name} must be ${expected} (got ${JSON.stringify(raw)})\n`)
    process.exit(2)
  }
  return value
}

const frames = setting(
  'FUZZ_FRAMES',
  20_000,
  (n) => Number.isSafeInteger(n) && n > 0,
  'a positive integer',
)
const seed = setting(
  'FUZZ_SEED',
  Math.floor(Math.random() * 2 ** 32),
  (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32,
  'an integer from 0 to 4294967295',
)
const side = process.env.FUZZ_SIDE ?? 'both'
if (!['both', 'server', 'client'].includes(side)) {
  process.stderr.write(
    `fuzz: FUZZ_SIDE must be server, client or both (got ${JSON.stringify(side)})\n`,
  )
  process.exit(2)
}

function report(result: FuzzResult) {
  const { checks, failures, kinds, crashSamples, consoleSamples, ...figures } = result
  print(`── ${result.side} (seed ${result.seed}) ──`)
  for (const [key, value] of Object.entries(figures)) print(`  ${key}: ${JSON.stringify(value)}`)
  print(`  kinds: ${JSON.stringify(kinds)}`)
  if (crashSamples.length) print(`  crashSamples: ${JSON.stringify(crashSamples)}`)
  if (consoleSamples.length) print(`  consoleSamples: ${JSON.stringify(consoleSamples)}`)
  for (const c of checks) print(`  ${c.ok ? '✔' : '✘'} ${c.name} — ${c.detail}`)
  print(failures.length ? `  ${failures.length} checks failed` : '  all checks passed')
  print()
}

print(
  `linklight fuzz: ${frames} frames per side, seed ${seed} (replay: FUZZ_SEED=${seed} FUZZ_FRAMES=${frames} npm run fuzz)`,
)
print()
const log = (line: string) => print(`  … ${line}`)
const results: FuzzResult[] = []
if (side !== 'client') {
  const result = await fuzzServer({ seed, frames, log })
  results.push(result)
  report(result)
}
if (side !== 'server') {
  const result = await fuzzClient({ seed, frames, log })
  results.push(result)
  report(result)
}
const failed = results.filter((r) => r.failures.length > 0 || r.crashes > 0)
print(
  failed.length
    ? `FAILED: ${failed.map((r) => `${r.side} (${r.failures.length} checks)`).join(', ')} — replay with FUZZ_SEED=${seed} FUZZ_FRAMES=${frames}`
    : `passed: ${results.map((r) => `${r.side} ${r.framesSent} frames in ${r.durationMs} ms`).join(', ')}`,
)
process.exitCode = failed.length ? 1 : 0
// Everything was closed: Node exits by itself. Should something have been left open, say so
// rather than hang (the timer itself does not keep Node alive).
setTimeout(() => {
  process.stderr.write('fuzz: something was left open 10 s after the run; exiting anyway\n')
  process.exit(process.exitCode === 0 ? 1 : process.exitCode)
}, 10_000).unref()
