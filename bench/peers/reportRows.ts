/** Table rows shared by the console report and docs/comparison.md. */
import { contenders, socketIoWithRetries } from './contenders.js'
import type { Delivery } from './measures/delivery.js'
import type { Results, TimedSeries } from './main.js'
import { formatMs, formatSummary, summarize } from './stats.js'

export const isLinklight = (name: string) => name.startsWith('linklight')
export const n = (value: number) => value.toLocaleString('en-US')
export const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

export function timedRows(s: TimedSeries): string[][] {
  return contenders.map((c) => {
    const skipped = s.skipped.get(c.name)
    if (skipped) return [c.name, skipped, '', '', '']
    const samples = s.samples.get(c.name) ?? []
    const sum = summarize(samples)
    const f = (ms: number) => formatMs(ms, s.capMs)
    return [
      c.name,
      formatSummary(sum, s.capMs),
      f(sum.min),
      f(sum.max),
      `${sum.runs - sum.capped}/${sum.runs}`,
    ]
  })
}

export interface DeliveryTotals extends Delivery {
  readonly reps: number
  readonly worst: number
}

export function deliveryTotals(list: readonly Delivery[]): DeliveryTotals {
  const sum = (key: keyof Delivery) => list.reduce((total, d) => total + d[key], 0)
  return {
    reps: list.length,
    sent: sum('sent'),
    lost: sum('lost'),
    duplicated: sum('duplicated'),
    reordered: sum('reordered'),
    worst: Math.max(0, ...list.map((d) => d.lost + d.duplicated + d.reordered)),
  }
}

export const deliveryNames = [...contenders, socketIoWithRetries].map((c) => c.name)

export function deliveryRows(results: Results): string[][] {
  return deliveryNames.flatMap((name) => {
    const list = results.delivery.get(name)
    if (!list?.length) return []
    const t = deliveryTotals(list)
    return [[name, n(t.sent), n(t.lost), n(t.duplicated), n(t.reordered), n(t.worst)]]
  })
}

export const deliveryHeader = [
  'library',
  'sent',
  'lost',
  'duplicated',
  'reordered',
  'worst rep (sum)',
]
export const timedHeader = ['library', 'median (min – max)', 'min', 'max', 'within cap']

export const idleHeader = [
  'library',
  'connected',
  'CPU ms',
  'RSS Δ MB',
  'heap Δ MB',
  'heap Δ per client',
]
export const idleRows = (results: Results) =>
  results.idle.rows.map((r) => [
    r.library,
    `${n(r.connected)}/${n(r.clients)}`,
    n(r.cpuMs),
    r.rssDeltaMb.toFixed(1),
    r.heapDeltaMb.toFixed(1),
    `${Math.round((r.heapDeltaMb * 1000) / r.clients)} kB`,
  ])
