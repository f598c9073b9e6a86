/** Command-line flags of `npm run bench:peers`. */
export const MEASURES = ['deadlink', 'recovery', 'delivery', 'renders', 'size', 'idle'] as const
export type Measure = (typeof MEASURES)[number]

export interface Args {
  readonly reps: number
  readonly quick: boolean
  readonly only: Measure | null
  /** Write docs/comparison.md (not with --only or --no-write). */
  readonly write: boolean
}

const usage =
  'usage: npm run bench:peers -- [--reps N] [--quick] [--only ' +
  MEASURES.join('|') +
  '] [--no-write]'

export function parseArgs(argv: readonly string[]): Args {
  let reps = 5
  let quick = false
  let only: Measure | null = null
  let write = true
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--quick') quick = true
    else if (arg === '--no-write') write = false
    else if (arg === '--reps') {
      reps = Number(argv[++i])
      if (!Number.isInteger(reps) || reps < 1 || reps > 100)
        throw new Error(`bench:peers: --reps takes a whole number from 1 to 100\n${usage}`)
    } else if (arg === '--only') {
      const name = argv[++i]
      if (!MEASURES.includes(name as Measure))
        throw new Error(`bench:peers: --only takes one of ${MEASURES.join(', ')}\n${usage}`)
      only = name as Measure
    } else throw new Error(`bench:peers: unknown argument ${String(arg)}\n${usage}`)
  }
  if (quick && !argv.includes('--reps')) reps = 2
  return { reps, quick, only, write: write && only === null }
}
