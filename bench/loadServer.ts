/**
 * The reference server for `npm run bench:load`, alone in its own process so that the clients
 * do not share its event loop and its heap can be measured. Forked by bench/load.ts with
 * `--expose-gc --import tsx`; it talks to the bench over IPC:
 *
 * - sends `{ type: 'ready', url }` once listening;
 * - on `{ type: 'measure' }` collects garbage and answers `{ type: 'measured', ... }`;
 * - on `{ type: 'close' }` closes the server, answers `{ type: 'closed' }` and exits.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createServer } from '../src/server/index.js'
import type { ServerStats } from '../src/server/index.js'

/** What the child answers to `measure`. */
export interface ServerMeasure {
  type: 'measured'
  heapUsed: number
  external: number
  arrayBuffers: number
  rss: number
  /** CPU time of the whole server process since it started, in microseconds. */
  cpuMicros: number
  /** The user-mode part of `cpuMicros`. */
  cpuUserMicros: number
  /** Longest and 99th-percentile wait of the event loop since the previous measure, in ms. */
  loopDelayMaxMs: number
  loopDelayP99Ms: number
  stats: ServerStats
}

export type ToServer = { type: 'measure' } | { type: 'close' }
export type FromServer =
  | { type: 'ready'; url: string }
  | ServerMeasure
  | { type: 'closed' }
  | { type: 'failed'; message: string }

const send = (message: FromServer, then?: () => void): void => {
  if (process.send) process.send(message, undefined, undefined, () => then?.())
}

if (!process.send) {
  console.error('bench/loadServer.ts is started by bench/load.ts over IPC; run npm run bench:load')
  process.exit(1)
}
const collect = globalThis.gc
if (!collect) {
  send({ type: 'failed', message: 'the server process needs --expose-gc' }, () => process.exit(1))
} else {
  // A peer timeout longer than any phase: nobody is dropped for being slow under load.
  const server = await createServer({ port: 0, peerTimeout: 60_000 })
  // A blocked event loop delays handshakes, sweeps and pings: worth knowing how long it got.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()

  // Two passes, a turn of the event loop apart, so that objects freed by finalizers of the
  // first pass are gone too.
  const settle = async (): Promise<void> => {
    collect()
    await new Promise((resolve) => setImmediate(resolve))
    collect()
  }

  process.on('message', (message: ToServer) => {
    if (message.type === 'measure') {
      // Read before collecting, so that the collection's own pause is not counted.
      const loopDelayMaxMs = loopDelay.max / 1e6
      const loopDelayP99Ms = loopDelay.percentile(99) / 1e6
      void settle().then(() => {
        loopDelay.reset()
        const memory = process.memoryUsage()
        const cpu = process.cpuUsage()
        send({
          type: 'measured',
          heapUsed: memory.heapUsed,
          external: memory.external,
          arrayBuffers: memory.arrayBuffers,
          rss: memory.rss,
          cpuMicros: cpu.user + cpu.system,
          cpuUserMicros: cpu.user,
          loopDelayMaxMs,
          loopDelayP99Ms,
          stats: server.stats(),
        })
      })
    } else if (message.type === 'close') {
      void server.close().then(() => send({ type: 'closed' }, () => process.exit(0)))
    }
  })
  // The bench went away without saying goodbye: do not outlive it.
  process.on('disconnect', () => process.exit(0))
  send({ type: 'ready', url: server.url })
}
