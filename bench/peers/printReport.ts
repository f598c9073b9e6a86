/** The console half of the report: readable tables and one `[figures]` line per value. */
import { figures } from '../../tests/helpers/figures.js'
import { formatTable } from '../report.js'
import { DELIVERY } from './measures/delivery.js'
import type { Results } from './main.js'
import {
  deliveryHeader,
  deliveryRows,
  idleHeader,
  idleRows,
  n,
  timedHeader,
  timedRows,
} from './reportRows.js'
import { summarize } from './stats.js'

/** Prints every table and one `[figures]` line per measured value. */
export function printReport(results: Results): void {
  console.log()
  for (const s of results.timed) {
    console.log(`## ${s.title} (cap ${s.capMs / 1000} s)\n`)
    console.log(formatTable(timedHeader, timedRows(s)))
    console.log()
    for (const [library, samples] of s.samples) {
      const sum = summarize(samples)
      figures({
        bench: 'peers',
        measure: s.id,
        library,
        samplesMs: samples.map((x) => (x === null ? null : Math.round(x))),
        medianMs: Number.isFinite(sum.median) ? Math.round(sum.median) : null,
        capMs: s.capMs,
      })
    }
    console.log()
  }
  if (results.delivery.size) {
    console.log(
      `## Delivery across 10 hard + 10 silent drops (${n(DELIVERY.count)} messages a run)\n`,
    )
    console.log(formatTable(deliveryHeader, deliveryRows(results)))
    for (const [library, list] of results.delivery)
      figures({ bench: 'peers', measure: 'delivery', library, runs: list })
    console.log()
  }
  if (results.renders.length) {
    console.log('## Renders of a state-only component for 1,000 incoming messages\n')
    console.log(
      formatTable(
        ['library', 'setup', 'received', 'renders'],
        results.renders.map((r) => [r.name, r.setup, n(r.received), n(r.renders)]),
      ),
    )
    for (const r of results.renders) figures({ bench: 'peers', measure: 'renders', ...r })
    console.log()
  }
  if (results.sizes.length) {
    console.log('## State-only usage, min + gzip (React external)\n')
    console.log(
      formatTable(
        ['library', 'minified', 'gzip'],
        results.sizes.map((s) => [s.name, n(s.minified), n(s.gzip)]),
      ),
    )
    for (const s of results.sizes) figures({ bench: 'peers', measure: 'size', ...s })
    console.log()
  }
  if (results.idle.rows.length) {
    console.log(`## Idle: ${n(results.idle.count)} clients for ${results.idle.seconds} s\n`)
    console.log(formatTable(idleHeader, idleRows(results)))
    for (const row of results.idle.rows) figures({ bench: 'peers', measure: 'idle', ...row })
    console.log()
  }
  console.log(`bench:peers took ${(results.durationMs / 1000).toFixed(0)} s`)
}
