/**
 * `npm run bench:load`: the reference server with 1,000 and then 2,000 clients in one room
 * (`LOAD_CLIENTS=500,1000` to choose). For each size it prints how long until everyone sees
 * everyone, what the join storm cost in frames and bytes, the server's heap per connection, and
 * how fast it relays messages once everyone is in, then a `[figures]` JSON line. It never
 * fails for slowness: it exits 1 only when the figures cannot be trusted (the server could not
 * start, closed a client, or answered with an error).
 *
 * Knobs: `LOAD_CONCURRENCY` (handshakes in flight, 100), `LOAD_SENDERS` (20),
 * `LOAD_MESSAGES` (per sender, 25), `LOAD_WINDOW` (unacknowledged messages per sender, 2).
 *
 * The server runs in its own process (bench/loadServer.ts, with `--expose-gc`) and the clients
 * are raw `ws` sockets in this one (bench/loadClients.ts): one core each on a 2-core machine.
 * Times are taken where the clients are, so they include the time the clients take to read
 * the frames; the CPU time of each process tells which side was busy.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { sleep, withTimeout } from '../tests/helpers/wait.js'
import { histogramQuantile, Room, Tally, type RelayTally } from './loadClients.js'
import type { FromServer, ServerMeasure, ToServer } from './loadServer.js'
import { formatTable } from './report.js'

const root = fileURLToPath(new URL('..', import.meta.url))

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1)
    throw new TypeError(
      `bench:load: ${name} must be a positive integer (got ${JSON.stringify(raw)})`,
    )
  return value
}

// Issue targets, printed beside the figures.
const TARGET_SEE_ALL_MS = 5_000
const TARGET_SEE_ALL_CLIENTS = 2_000
const TARGET_HEAP_PER_CONNECTION_KB = 50

/** Handshakes in flight at once: enough to keep the server busy, few enough that each is quick. */
const CONNECT_CONCURRENCY = positiveInteger('LOAD_CONCURRENCY', 100)
/** Every phase (join storm, relays) ends after this, done or not. */
const PHASE_TIMEOUT_MS = 60_000
// Relays: 20 senders × 25 messages is 999,500 deliveries with 2,000 clients, about 15 s here;
// the server spends ~12 µs of CPU per delivery, so 20 × 100 would take a minute at 2,000.
const SENDERS = positiveInteger('LOAD_SENDERS', 20)
const MESSAGES_PER_SENDER = positiveInteger('LOAD_MESSAGES', 25)
/** Messages a sender has unacknowledged at once. */
const WINDOW = positiveInteger('LOAD_WINDOW', 2)
/** Frames that arrive after a phase ended (duplicates, stragglers) are counted for this long. */
const SETTLE_MS = 200

function clientCounts(): number[] {
  const raw = process.env.LOAD_CLIENTS
  if (raw === undefined || raw.trim() === '') return [1_000, 2_000]
  const counts = raw.split(',').map((part) => Number(part.trim()))
  if (counts.some((n) => !Number.isInteger(n) || n < 2))
    throw new TypeError(
      `bench:load: LOAD_CLIENTS must be a comma-separated list of integers ≥ 2 (got ${JSON.stringify(raw)})`,
    )
  return counts
}

/** Open files allowed to this process (and so to the server it forks); null if unknown. */
function openFileLimit(): number | null {
  try {
    const limit = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()
    return limit === 'unlimited' ? Infinity : Number(limit)
  } catch {
    return null
  }
}

interface ServerProcess {
  readonly url: string
  /** Heap (after gc), CPU time and counters of the server process. */
  measure(): Promise<ServerMeasure>
  /** Closes the server and waits for the process to end (killing it if it lingers). */
  stop(): Promise<void>
  /** Set when the process ended before `stop()`. */
  readonly died: string | null
}

async function startServer(): Promise<ServerProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('loadServer.ts', import.meta.url)), [], {
    cwd: root,
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let died: string | null = null
  let stopping = false
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) died = `the server process ended (${signal ?? `exit code ${code}`})`
      resolve()
    }),
  )
  const next = <T extends FromServer['type']>(type: T) =>
    new Promise<Extract<FromServer, { type: T }>>((resolve, reject) => {
      const onMessage = (message: FromServer) => {
        if (message.type === 'failed') reject(new Error(`server process: ${message.message}`))
        else if (message.type === type) resolve(message as Extract<FromServer, { type: T }>)
        else return
        child.off('message', onMessage)
      }
      child.on('message', onMessage)
      void exited.then(() => reject(new Error(died ?? 'the server process ended')))
    })
  // A dead child's channel is closed: sending would emit an 'error' nobody listens to.
  const tell = (message: ToServer) => {
    if (child.connected) child.send(message)
  }
  const kill = async () => {
    stopping = true
    child.kill('SIGKILL')
    await exited
  }

  const ready = await withTimeout(next('ready'), 30_000, 'starting the server process').catch(
    async (error: unknown) => {
      await kill()
      throw error
    },
  )
  return {
    url: ready.url,
    get died() {
      return died
    },
    measure: () => {
      const answer = next('measured')
      tell({ type: 'measure' })
      return withTimeout(answer, 30_000, 'measuring the server process')
    },
    stop: async () => {
      if (died !== null || child.exitCode !== null) return
      stopping = true
      tell({ type: 'close' })
      await withTimeout(exited, 10_000, 'closing the server').catch(kill)
    },
  }
}

interface RelayFigures {
  senders: number
  messagesPerSender: number
  window: number
  expected: number
  delivered: number
  acks: number
  acksExpected: number
  echoes: number
  complete: boolean
  /** From the first send to the last delivery (or to the timeout). */
  ms: number
  relaysPerSecond: number
  latencyP50Ms: number | null
  latencyP99Ms: number | null
  serverCpuMs: number
  benchCpuMs: number
  serverLoopDelayMaxMs: number
  serverMessages: number
}

interface RunFigures {
  clients: number
  /**
   * User-mode CPU of other processes during the run, in cores (null where /proc/stat is not
   * readable): on a 2-core machine, anything near 1 means the figures are noisy.
   */
  otherProcessesCores: number | null
  /** Everyone saw everyone and the relays all arrived, with no problem. */
  complete: boolean
  allWelcomedMs: number | null
  seeAllMs: number | null
  handshakeP50Ms: number | null
  handshakeMaxMs: number | null
  join: {
    frames: number
    bytes: number
    wireBytes: number
    presenceChanges: number
    byType: Record<string, number>
    serverCpuMs: number
    benchCpuMs: number
    serverLoopDelayMaxMs: number
  }
  /** WebSocket pings the clients got from the server, all phases together. */
  serverPings: number
  /** Frames that arrived in the settle time after the join storm (none expected). */
  framesAfterJoin: number
  heap: {
    beforeBytes: number
    afterBytes: number
    perConnectionKB: number
    rssPerConnectionKB: number
    externalPerConnectionKB: number
  } | null
  serverStats: ServerMeasure['stats'] | null
  relays: RelayFigures | null
  oddities: Record<string, number>
  /** Phases that ran out of time: slowness, reported but not a failure. */
  timeouts: string[]
  /** Reasons the figures cannot be trusted: these make the bench exit 1. */
  problems: string[]
}

/** User and nice time of the whole machine in ms, from /proc/stat; null off Linux. */
function machineUserMs(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/)
    // Clock ticks: USER_HZ is 100 on every Linux build that matters.
    return (Number(fields[1]) + Number(fields[2])) * 10
  } catch {
    return null
  }
}

/**
 * Starts watching what other processes take from the machine: user time only, since the
 * kernel's own loopback networking (this bench's traffic) shows up as system time.
 */
function otherProcessesCpu(server: ServerMeasure) {
  const machine = machineUserMs()
  if (machine === null) return null
  const bench = process.cpuUsage().user / 1000
  const wall = performance.now()
  return {
    /** Cores' worth of user time others used since; needs the server's CPU time, so measures it. */
    async since(serverProcess: ServerProcess): Promise<number | null> {
      const now = await serverProcess.measure()
      const machineNow = machineUserMs()
      if (machineNow === null) return null
      const ours =
        process.cpuUsage().user / 1000 - bench + (now.cpuUserMicros - server.cpuUserMicros) / 1000
      return Math.max(0, machineNow - machine - ours) / (performance.now() - wall)
    },
  }
}

const kb = (bytes: number) => bytes / 1000
const cpuMs = () => {
  const cpu = process.cpuUsage()
  return (cpu.user + cpu.system) / 1000
}
const quantile = (sorted: readonly number[], q: number) =>
  sorted.length === 0
    ? null
    : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!

/** One room of `n` clients against a fresh server process. */
async function run(n: number): Promise<RunFigures> {
  const server = await startServer()
  const room = new Room(server.url, n, PHASE_TIMEOUT_MS + 1)
  const figures: RunFigures = {
    clients: n,
    otherProcessesCores: null,
    complete: false,
    allWelcomedMs: null,
    seeAllMs: null,
    handshakeP50Ms: null,
    handshakeMaxMs: null,
    join: {
      frames: 0,
      bytes: 0,
      wireBytes: 0,
      presenceChanges: 0,
      byType: {},
      serverCpuMs: 0,
      benchCpuMs: 0,
      serverLoopDelayMaxMs: 0,
    },
    serverPings: 0,
    framesAfterJoin: 0,
    heap: null,
    serverStats: null,
    relays: null,
    oddities: room.oddities,
    timeouts: [],
    problems: room.problems,
  }
  let others: ReturnType<typeof otherProcessesCpu> = null
  try {
    const before = await server.measure()
    others = otherProcessesCpu(before)
    const benchCpuBefore = cpuMs()

    // The join storm: from the first connect until every peer list holds the n − 1 others.
    const connecting = room.connectAll(CONNECT_CONCURRENCY)
    const everyoneSeesEveryone = await room.waitUntil(
      () => room.allSeeAllAt !== null,
      PHASE_TIMEOUT_MS,
    )
    const joinTally = room.tally
    room.tally = new Tally()
    const benchCpuAfter = cpuMs()
    const start = room.firstConnectAt ?? 0
    if (room.allWelcomedAt !== null) figures.allWelcomedMs = room.allWelcomedAt - start
    if (room.allSeeAllAt !== null) figures.seeAllMs = room.allSeeAllAt - start
    const handshakes = room.clients
      .flatMap((c) => (c.welcomedAt === null ? [] : [c.welcomedAt - c.startedAt]))
      .sort((a, b) => a - b)
    figures.handshakeP50Ms = quantile(handshakes, 0.5)
    figures.handshakeMaxMs = handshakes.at(-1) ?? null
    if (!everyoneSeesEveryone) {
      figures.timeouts.push(
        `not everyone saw everyone within ${PHASE_TIMEOUT_MS / 1000} s ` +
          `(${room.welcomed} of ${n} welcomed, ${room.complete} with a full list)`,
      )
    }

    const after = await server.measure()
    await sleep(SETTLE_MS)
    figures.framesAfterJoin = room.tally.frames
    figures.join = {
      frames: joinTally.frames,
      bytes: joinTally.bytes,
      wireBytes: joinTally.wireBytes,
      presenceChanges: joinTally.presenceChanges,
      byType: joinTally.byType,
      serverCpuMs: (after.cpuMicros - before.cpuMicros) / 1000,
      benchCpuMs: benchCpuAfter - benchCpuBefore,
      serverLoopDelayMaxMs: after.loopDelayMaxMs,
    }
    figures.heap = {
      beforeBytes: before.heapUsed,
      afterBytes: after.heapUsed,
      perConnectionKB: kb((after.heapUsed - before.heapUsed) / n),
      rssPerConnectionKB: kb((after.rss - before.rss) / n),
      externalPerConnectionKB: kb((after.external - before.external) / n),
    }
    figures.serverStats = after.stats

    if (everyoneSeesEveryone) {
      await connecting
      figures.relays = await relays(room, server, after, figures.timeouts)
      figures.complete = figures.relays.complete && room.problems.length === 0
    }
  } catch (error) {
    const message = (error as Error).message
    if (!room.problems.includes(message)) room.problems.push(message)
  } finally {
    if (others && server.died === null)
      figures.otherProcessesCores = await others.since(server).catch(() => null)
    figures.serverPings = room.pings
    // Server first: closing 2,000 clients cleanly would make it announce 2,000 × 1,999 `left`.
    room.expectClose()
    await server.stop()
    if (server.died !== null) room.problems.push(server.died)
    if (!(await room.close(10_000))) room.problems.push('some client sockets did not close')
  }
  return figures
}

/** Everyone is in: `SENDERS` clients send `MESSAGES_PER_SENDER` messages each. */
async function relays(
  room: Room,
  server: ServerProcess,
  before: ServerMeasure,
  timeouts: string[],
) {
  const benchCpuBefore = cpuMs()
  const relay: RelayTally = room.startRelays(SENDERS, MESSAGES_PER_SENDER, WINDOW)
  const done = await room.waitUntil(
    () => relay.delivered >= relay.expected && relay.acks >= relay.acksExpected,
    PHASE_TIMEOUT_MS,
  )
  const end = relay.lastDeliveryAt ?? performance.now()
  const benchCpuAfter = cpuMs()
  const after = await server.measure()
  await sleep(SETTLE_MS) // duplicates would show up as more deliveries than expected
  const ms = end - relay.startedAt
  const figures: RelayFigures = {
    senders: SENDERS,
    messagesPerSender: MESSAGES_PER_SENDER,
    window: WINDOW,
    expected: relay.expected,
    delivered: relay.delivered,
    acks: relay.acks,
    acksExpected: relay.acksExpected,
    echoes: relay.echoes,
    complete: done && relay.delivered === relay.expected && relay.echoes === 0,
    ms,
    relaysPerSecond: relay.delivered / (ms / 1000),
    latencyP50Ms: histogramQuantile(relay.latency, 0.5),
    latencyP99Ms: histogramQuantile(relay.latency, 0.99),
    serverCpuMs: (after.cpuMicros - before.cpuMicros) / 1000,
    benchCpuMs: benchCpuAfter - benchCpuBefore,
    serverLoopDelayMaxMs: after.loopDelayMaxMs,
    serverMessages: after.stats.messages - before.stats.messages,
  }
  if (!done)
    timeouts.push(
      `relays: ${relay.delivered} of ${relay.expected} delivered within ${PHASE_TIMEOUT_MS / 1000} s`,
    )
  else if (!figures.complete)
    room.problems.push(
      `relays: ${relay.delivered} delivered for ${relay.expected} expected, ${relay.echoes} echoes`,
    )
  return figures
}

const count = (value: number) => Math.round(value).toLocaleString('en-US')
const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(2)} s`)
const millis = (ms: number | null) => (ms === null ? '—' : `${count(ms)} ms`)
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

function verdict(measured: number | null, target: number): string {
  if (measured === null) return 'missed (never)'
  return measured <= target ? 'met' : `missed (×${(measured / target).toFixed(1)})`
}

function report(f: RunFigures): string {
  const n = f.clients
  const pairs = (n * (n - 1)) / 2
  const seeAllTarget =
    n === TARGET_SEE_ALL_CLIENTS
      ? `≤ ${TARGET_SEE_ALL_MS / 1000} s: ${verdict(f.seeAllMs, TARGET_SEE_ALL_MS)}`
      : `≤ ${TARGET_SEE_ALL_MS / 1000} s at ${count(TARGET_SEE_ALL_CLIENTS)} clients`
  const rows: string[][] = [
    ['everyone sees everyone', seconds(f.seeAllMs), seeAllTarget],
    ['  all welcomed', seconds(f.allWelcomedMs), ''],
    [
      '  handshake p50 / max',
      `${millis(f.handshakeP50Ms)} / ${millis(f.handshakeMaxMs)}`,
      'each < 10 s',
    ],
    [
      'frames in the join storm',
      count(f.join.frames),
      `one joined per pair: ${count(pairs + 3 * n)}`,
    ],
    ['  per client', count(f.join.frames / n), ''],
    ['  presence changes', count(f.join.presenceChanges), `pairs: ${count(pairs)}`],
    [
      '  by type',
      Object.entries(f.join.byType)
        .map(([t, c]) => `${t} ${count(c)}`)
        .join(', '),
      '',
    ],
    ['  payload / on the wire', `${megabytes(f.join.bytes)} / ${megabytes(f.join.wireBytes)}`, ''],
    [
      '  CPU: server / clients',
      `${seconds(f.join.serverCpuMs)} / ${seconds(f.join.benchCpuMs)}`,
      '',
    ],
    ['  server event loop, longest wait', millis(f.join.serverLoopDelayMaxMs), 'handshakes < 10 s'],
  ]
  if (f.heap)
    rows.push(
      [
        'server heap per connection',
        `${f.heap.perConnectionKB.toFixed(1)} kB`,
        `≤ ${TARGET_HEAP_PER_CONNECTION_KB} kB: ${verdict(f.heap.perConnectionKB, TARGET_HEAP_PER_CONNECTION_KB)}`,
      ],
      [
        '  heap before / after',
        `${megabytes(f.heap.beforeBytes)} / ${megabytes(f.heap.afterBytes)}`,
        '',
      ],
      [
        '  rss / external per conn.',
        `${f.heap.rssPerConnectionKB.toFixed(1)} kB / ${f.heap.externalPerConnectionKB.toFixed(1)} kB`,
        '',
      ],
    )
  const r = f.relays
  if (r)
    rows.push(
      [
        `relays (${r.senders} senders × ${r.messagesPerSender}, window ${r.window})`,
        `${count(r.delivered)} of ${count(r.expected)}`,
        `acks ${count(r.acks)} of ${count(r.acksExpected)}`,
      ],
      ['  all delivered in', seconds(r.ms), ''],
      ['  relays/s', count(r.relaysPerSecond), ''],
      ['  latency p50 / p99', `${millis(r.latencyP50Ms)} / ${millis(r.latencyP99Ms)}`, ''],
      ['  CPU: server / clients', `${seconds(r.serverCpuMs)} / ${seconds(r.benchCpuMs)}`, ''],
      ['  server event loop, longest wait', millis(r.serverLoopDelayMaxMs), ''],
    )
  rows.push(['server pings to clients', count(f.serverPings), ''])
  if (f.otherProcessesCores !== null)
    rows.push([
      'CPU of other processes',
      `${f.otherProcessesCores.toFixed(2)} cores`,
      f.otherProcessesCores > 0.25 ? 'the machine was shared: figures are noisy' : '',
    ])
  if (f.framesAfterJoin > 0)
    rows.push(['frames after the join storm', count(f.framesAfterJoin), 'expected 0'])
  for (const [what, times] of Object.entries(f.oddities))
    rows.push([`odd: ${what}`, count(times), ''])
  return formatTable([`${count(n)} clients`, 'measured', 'target'], rows)
}

const started = performance.now()
const counts = clientCounts()
const limit = openFileLimit()
console.log(
  `linklight bench:load — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ` +
    `open files ${limit ?? 'unknown'}\n`,
)
console.log(
  `Clients: raw ws sockets in this process, ${CONNECT_CONCURRENCY} handshakes at a time; ` +
    `the server in its own process (peerTimeout 60 s). Relays: ${SENDERS} senders × ` +
    `${MESSAGES_PER_SENDER} messages, ${WINDOW} unacknowledged at most ` +
    `(LOAD_CONCURRENCY, LOAD_SENDERS, LOAD_MESSAGES, LOAD_WINDOW).\n`,
)

const runs: RunFigures[] = []
for (const n of counts) {
  // Each client holds one socket here and the server one more; leave room for the rest.
  if (limit !== null && n + 100 > limit) {
    console.error(`bench:load: ${n} clients need more open files than ulimit -n allows (${limit})`)
    process.exitCode = 1
    continue
  }
  const figures = await run(n).catch((error: unknown) => {
    console.error(`bench:load: ${n} clients: ${(error as Error).message}`)
    process.exitCode = 1
  })
  if (!figures) continue
  runs.push(figures)
  console.log(report(figures))
  for (const timeout of figures.timeouts) console.log(`timed out: ${timeout}`)
  // One broken server can close every client: the first few say enough.
  for (const problem of figures.problems.slice(0, 5)) console.log(`problem: ${problem}`)
  if (figures.problems.length > 5) console.log(`… and ${figures.problems.length - 5} more problems`)
  console.log()
}

if (runs.some((f) => f.problems.length > 0)) process.exitCode = 1
console.log(
  `[figures] ${JSON.stringify({
    node: process.version,
    cpus: cpus().length,
    targets: {
      seeAllMs: TARGET_SEE_ALL_MS,
      seeAllClients: TARGET_SEE_ALL_CLIENTS,
      heapPerConnectionKB: TARGET_HEAP_PER_CONNECTION_KB,
    },
    runs,
  })}`,
)
console.log(`\nbench:load took ${((performance.now() - started) / 1000).toFixed(1)} s`)
