/** Runs the measures in the brief's order of priority and hands the results to the report. */
import type { Args } from './args.js'
import { contenders, socketIoWithRetries, type Profile } from './contenders.js'
import { deadLinkRound } from './measures/deadLink.js'
import { deliveryRound, type Delivery } from './measures/delivery.js'
import { measureIdle } from './measures/idle.js'
import type { IdleResult } from './measures/idleChild.js'
import { recoveryRound } from './measures/recovery.js'
import { measureRenders, type RenderCount } from './measures/renders.js'
import { measureSizes, type SizeRow } from './measures/size.js'
import { writeMarkdown } from './markdown.js'
import { printReport } from './printReport.js'
import type { Sample } from './stats.js'

/** One timed measure: its samples per library, repetition by repetition. */
export interface TimedSeries {
  readonly id: string
  readonly title: string
  readonly profile: Profile
  readonly capMs: number
  readonly samples: Map<string, Sample[]>
  /** Libraries left out, with why. */
  readonly skipped: Map<string, string>
}

export interface Results {
  readonly args: Args
  readonly startedAt: Date
  durationMs: number
  readonly timed: TimedSeries[]
  readonly delivery: Map<string, Delivery[]>
  renders: RenderCount[]
  sizes: SizeRow[]
  readonly idle: { count: number; seconds: number; rows: IdleResult[] }
}

/**
 * Dead link at a 1 s heartbeat (libraries with none would only run into the cap): long enough
 * for react-use-websocket, whose closing socket waits for `ws`'s 30 s closing handshake.
 */
const HEARTBEAT_CAP_MS = 40_000
/** Dead link at the defaults (the brief's 60 s cap). */
const DEFAULTS_CAP_MS = 60_000
/** From listening again to connected. */
const RECOVERY_CAP_MS = 20_000
const LONG_OUTAGE_MS = 45_000

function series(id: string, title: string, profile: Profile, capMs: number): TimedSeries {
  return { id, title, profile, capMs, samples: new Map(), skipped: new Map() }
}

function record(target: TimedSeries, round: Map<string, Sample>) {
  for (const [name, sample] of round) {
    const list = target.samples.get(name) ?? []
    list.push(sample)
    target.samples.set(name, list)
  }
}

const log = (text: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`)

export async function runPeers(args: Args): Promise<Results> {
  const wants = (measure: Args['only']) => args.only === null || args.only === measure
  const started = performance.now()
  const results: Results = {
    args,
    startedAt: new Date(),
    durationMs: 0,
    timed: [],
    delivery: new Map(),
    renders: [],
    sizes: [],
    idle: { count: args.quick ? 200 : 1000, seconds: args.quick ? 5 : 30, rows: [] },
  }
  console.log(
    `bench:peers — ${contenders.map((c) => c.name).join(', ')}; ${args.reps} repetitions` +
      `${args.quick ? ' (--quick)' : ''}${args.only ? `, only ${args.only}` : ''}\n`,
  )

  // Every timed measure of a repetition runs at once, each on its own servers and proxies, so
  // the minutes of the long ones (60 s caps, a 45 s outage) are shared.
  const timed = (id: string, title: string, profile: Profile, capMs: number, on: boolean) => {
    const s = series(id, title, profile, capMs)
    if (on) results.timed.push(s)
    return on ? s : null
  }
  const withBeat = contenders.filter((c) => c.heartbeat)
  const beat = timed(
    'deadlink-1s',
    'Dead link → not connected, 1 s heartbeat',
    'heartbeat1s',
    HEARTBEAT_CAP_MS,
    wants('deadlink'),
  )
  for (const c of contenders)
    if (!c.heartbeat) beat?.skipped.set(c.name, 'no heartbeat: see the defaults row')
  const silentDefaults = timed(
    'deadlink-defaults',
    'Dead link → not connected, defaults',
    'defaults',
    DEFAULTS_CAP_MS,
    wants('deadlink'),
  )
  const restarts = [
    [500, 'defaults'],
    [500, 'fast'],
    [LONG_OUTAGE_MS, 'defaults'],
    [LONG_OUTAGE_MS, 'fast'],
  ] as const
  const recoveries = restarts.flatMap(([outageMs, profile]) => {
    const label = outageMs === 500 ? '500 ms restart' : `${outageMs / 1000} s outage`
    const id = `restart-${outageMs === 500 ? '500' : `${outageMs / 1000}s`}-${profile}`
    const s = timed(
      id,
      `${label} → connected (${profile})`,
      profile,
      RECOVERY_CAP_MS,
      wants('recovery') && (outageMs === 500 || !args.quick),
    )
    return s ? [{ s, outageMs }] : []
  })
  const deliveryContenders = [...contenders, socketIoWithRetries]
  const anyTimed = results.timed.length > 0 || wants('delivery')
  for (let rep = 0; anyTimed && rep < args.reps; rep++) {
    log(
      `repetition ${rep + 1}/${args.reps}: ${[...results.timed.map((s) => s.id), ...(wants('delivery') ? ['delivery'] : [])].join(', ')}`,
    )
    await Promise.all([
      beat && deadLinkRound(withBeat, 'heartbeat1s', beat.capMs, rep).then((r) => record(beat, r)),
      silentDefaults &&
        deadLinkRound(contenders, 'defaults', silentDefaults.capMs, rep).then((r) =>
          record(silentDefaults, r),
        ),
      ...recoveries.map(({ s, outageMs }) =>
        recoveryRound(contenders, s.profile, outageMs, s.capMs, rep).then((r) => record(s, r)),
      ),
      wants('delivery') &&
        deliveryRound(deliveryContenders, rep).then((round) => {
          for (const [name, delivery] of round) {
            if (!delivery) continue
            const list = results.delivery.get(name) ?? []
            list.push(delivery)
            results.delivery.set(name, list)
          }
        }),
    ])
  }

  if (wants('renders')) {
    log('renders')
    results.renders = await measureRenders()
  }
  if (wants('size')) {
    log('size')
    results.sizes = await measureSizes()
  }
  if (wants('idle')) {
    for (const contender of contenders) {
      log(`idle: ${results.idle.count} × ${contender.name} for ${results.idle.seconds} s`)
      const row = await measureIdle(contender, results.idle.count, results.idle.seconds)
      if (row) results.idle.rows.push(row)
      else log(`idle: ${contender.name} did not report`)
    }
  }

  results.durationMs = performance.now() - started
  printReport(results)
  if (args.write) await writeMarkdown(results)
  return results
}
