/**
 * What one peer event costs the store, with 1k, 10k and 100k peers already known: the time from
 * the source emitting `peerUpdated` to the store holding the new peer, median over rounds.
 *
 * Two shapes of traffic: one event per tick (every event pays for its own flush, which copies
 * the peer map and rebuilds the lists) and a burst of 1,000 events in one tick (one flush for
 * all of them). The mock source does some work of its own per event (a new `Peer`, its own map),
 * so the same loop is timed on a source nobody listens to, and the difference is the store's.
 */
import { createConnectionStore } from '../src/index.js'
import { createMockSource, type MockSource } from '../src/testing/index.js'
import { nextTurn } from '../tests/helpers/wait.js'
import { formatMicros, formatTable, median } from './report.js'

const PEER_COUNTS = [1_000, 10_000, 100_000]
const BURST = 1_000
const WARMUP_ROUNDS = 2
const ROUNDS = 7
// One-per-tick events cost O(peers) each; this keeps the 100k rounds to a fraction of a second.
const singleEventsPerRound = (peers: number) => Math.max(10, Math.min(200, 2_000_000 / peers))

function sourceWith(peers: number): MockSource {
  const ids = Array.from({ length: peers }, (_, i) => `peer-${i}`)
  return createMockSource({ state: 'OPEN', peers: ids })
}

type Mode = 'single' | 'burst'

/** Emits `events` peer updates (one per tick, or all in one tick); returns µs per event. */
async function timeRound(source: MockSource, peers: number, mode: Mode, events: number) {
  let next = Math.floor(Math.random() * peers)
  const update = () => source.peerUpdate(`peer-${next++ % peers}`, { typing: next })
  if (mode === 'burst') {
    const start = performance.now()
    for (let i = 0; i < events; i++) update()
    await Promise.resolve()
    return ((performance.now() - start) * 1000) / events
  }
  let total = 0
  for (let i = 0; i < events; i++) {
    const start = performance.now()
    update()
    await Promise.resolve()
    total += performance.now() - start
    // a real tick between events, outside the timed part
    await nextTurn() // the next event starts a new tick
  }
  return (total * 1000) / events
}

async function measure(peers: number, mode: Mode, withStore: boolean) {
  const source = sourceWith(peers)
  const store = withStore ? createConnectionStore(source) : null
  const events = mode === 'burst' ? BURST : singleEventsPerRound(peers)
  if (store) {
    // The timed part must include the flush, or this measures nothing.
    source.peerUpdate('peer-0', { check: true })
    await Promise.resolve()
    if (store.getState().peers.get('peer-0')?.data === undefined)
      throw new Error('bench: the store had not applied the event after one microtask')
  }
  const perEvent: number[] = []
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    const us = await timeRound(source, peers, mode, events)
    if (round >= WARMUP_ROUNDS) perEvent.push(us)
    await nextTurn() // the next event starts a new tick
  }
  store?.getState().destroy()
  return { events, us: median(perEvent) }
}

/** Runs the store benchmark and prints its table. */
export async function storeCost(): Promise<void> {
  console.log('## Store cost per peer event (peerUpdated, median of 7 rounds after 2 warm-up)\n')
  const rows: string[][] = []
  for (const peers of PEER_COUNTS) {
    for (const mode of ['single', 'burst'] as const) {
      const total = await measure(peers, mode, true)
      const source = await measure(peers, mode, false)
      rows.push([
        peers.toLocaleString('en-US'),
        mode === 'single' ? '1 per tick' : `${BURST.toLocaleString('en-US')} in one tick`,
        String(total.events),
        formatMicros(total.us),
        formatMicros(source.us),
        formatMicros(Math.max(0, total.us - source.us)),
      ])
    }
  }
  console.log(
    formatTable(['peers', 'events', 'per round', 'µs/event', 'source alone', 'store share'], rows),
  )
  console.log(
    '\nµs/event: source emits → store holds the new peer (the flush included). ' +
      '"source alone": the same loop with no store listening.',
  )
}
