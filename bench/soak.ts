/**
 * `npm run soak`: end-to-end delivery through faults. One sender and two receivers, linklight
 * clients that never give up, send through the reference server while it is killed and
 * restarted, blackholed, slowed down, and while the receivers lose their own links. It prints
 * what was sent, acknowledged, accepted by the server and received by each receiver, and what
 * went missing. Like the other benchmarks it prints figures and never fails for them: it exits 1
 * only when the harness itself breaks.
 *
 * SOAK_MESSAGES (default 10,000), SOAK_FAULTS (default 100) and SOAK_SEED (default 1) set the
 * run; the same seed injects the same faults in the same places. SOAK_VERBOSE=1 also prints
 * every fault and every client state change as they happen.
 */
import { createClient, type LinklightClient } from '../src/index.js'
import { createServer, type ReferenceServer } from '../src/server/index.js'
import { holdsWithin, sleep, withTimeout } from '../tests/helpers/wait.js'
import { formatTable } from './report.js'
import {
  createLink,
  createTrace,
  exitIfIdle,
  messageNumber,
  MessageSet,
  numbersWhere,
  readSettings,
  ReceiverTally,
  sample,
  seededRandom,
  type Link,
  type Random,
  type SoakSettings,
} from './soakSupport.js'

const RECEIVER_IDS = ['receiver-1', 'receiver-2']
// The server's default grace period; every receiver drop below is far shorter, so a receiver
// that comes back is a resumed peer, and after the fixes loses nothing.
const PEER_TIMEOUT = 20_000
// Clients that never give up and notice a dead link within a second (two missed 500 ms
// heartbeats), so faults turn into reconnections instead of a client in ERROR.
const CLIENT_OPTIONS = {
  maxReconnectAttempts: Infinity,
  heartbeatFailure: 'reconnect',
  heartbeatInterval: 500,
  reconnectIntervalIncrement: 200,
  maxReconnectInterval: 1000,
  connectTimeout: 2000,
} as const
// 25 messages every 50 ms: 500 a second, so 10,000 take 20 s when nothing goes wrong and the
// faults, not the pace, set the length of the run.
const BURST = 25
const BURST_INTERVAL_MS = 50
// At most this many sends waiting for their ack: half the client's queueLimit (1000), so a
// send while offline never overflows the queue and throws.
const WINDOW = 500
// A window that stays full this long means the sender is stuck (longer than any fault lasts).
const STALL_MS = 30_000
// After the last fault: how long the sends and deliveries may take to settle, and how long
// nothing may move before the run counts as settled with whatever is missing.
const SETTLE_MS = 30_000
const QUIET_MS = 3000
const LOGIN_MS = 10_000
// Before most faults the harness waits, this long at most, for every client to be OPEN again:
// faults that pile up on a client still reconnecting could keep it away past PEER_TIMEOUT.
// A client not back by then is stuck, and the run stops injecting faults.
const RECOVERY_MS = 10_000
// The share of faults injected back to back, while clients may still be reconnecting.
const BACK_TO_BACK = 0.25
const PROGRESS_MS = 5000
// Every wait above is bounded by 30 s at most, so a run where nothing at all moves for this
// long is a hung harness.
const HANG_MS = 90_000

const FAULT_KINDS = ['kill', 'blackhole', 'delay', 'receiverDrop'] as const
type FaultKind = (typeof FAULT_KINDS)[number]

// How long each kind of fault lasts, in ms; with the recovery after each, 100 faults take about
// a minute.
const HOLD_MS: Record<FaultKind, readonly [number, number]> = {
  kill: [100, 400],
  // Around the 1 s heartbeat failure: short ones heal unnoticed, long ones make clients reconnect.
  blackhole: [100, 1200],
  delay: [100, 600],
  receiverDrop: [100, 1000],
}
// Added to every frame the server sends; the longest ones also trip the heartbeat.
const DELAY_MS = [20, 1200] as const

interface Fault {
  readonly kind: FaultKind
  readonly holdMs: number
  /** For `delay`: the added latency. */
  readonly delayMs: number
  /** For `receiverDrop`: which receiver loses its link. */
  readonly receiver: number
  /** Injected without waiting for the clients to recover from the one before. */
  readonly backToBack: boolean
}

/** Equal numbers of each kind, in a seeded order, each with seeded durations. */
function planFaults(count: number, random: Random): Fault[] {
  const kinds = random.shuffle(Array.from({ length: count }, (_, i) => FAULT_KINDS[i % 4]!))
  return kinds.map((kind) => ({
    kind,
    holdMs: random.between(...HOLD_MS[kind]),
    delayMs: random.between(...DELAY_MS),
    receiver: random.between(0, RECEIVER_IDS.length - 1),
    backToBack: random.next() < BACK_TO_BACK,
  }))
}

/** A client in the run, with the switch for its own network and what it went through. */
interface Participant {
  readonly id: string
  readonly client: LinklightClient
  readonly link: Link
  opens: number
  errors: number
  /** When the client last left OPEN (`null` while OPEN), and its longest time away so far. */
  awaySince: number | null
  longestAwayMs: number
}

interface Receiver extends Participant {
  readonly tally: ReceiverTally
}

/** The sender's side: every `send()` and how it ended. */
interface SendTally {
  sent: number
  outstanding: number
  readonly acked: MessageSet
  rejected: number
  readonly rejections: Map<string, number>
  /** The message the sender was stuck at, when its window stayed full for STALL_MS. */
  stalledAt: number | null
}

interface Run {
  readonly settings: SoakSettings
  readonly server: ReferenceServer
  readonly sender: Participant
  readonly receivers: readonly Receiver[]
  readonly sends: SendTally
  readonly accepted: MessageSet
  readonly injected: Record<FaultKind, number>
  readonly heldMs: Record<FaultKind, number>
  readonly trace: (line: string) => void
  phase: 'sending' | 'settling' | 'closing'
  /** Which clients were not OPEN again RECOVERY_MS after which fault, if that happened. */
  stuck: string | null
}

const perKind = (): Record<FaultKind, number> => ({
  kill: 0,
  blackhole: 0,
  delay: 0,
  receiverDrop: 0,
})

/** A client for `id`, counted from its first socket on; `extra` is what the run keeps about it. */
function enlist<T extends object>(
  url: string,
  id: string,
  extra: T,
  trace: (line: string) => void,
): Participant & T {
  const link = createLink()
  const client = createClient(url, { ...CLIENT_OPTIONS, WebSocket: link.WebSocket })
  const participant: Participant = {
    id,
    client,
    link,
    opens: 0,
    errors: 0,
    awaySince: Date.now(),
    longestAwayMs: 0,
  }
  client.on('connectionStateChanged', (state, reason) => {
    trace(`${id}: ${state} (${reason})`)
    if (state !== 'OPEN') participant.awaySince ??= Date.now()
    else {
      participant.opens++
      participant.longestAwayMs = longestAway(participant)
      participant.awaySince = null
    }
  })
  client.on('error', () => participant.errors++)
  return Object.assign(participant, extra)
}

/** The longest time `p` has been away from OPEN, counting the current absence. */
const longestAway = (p: Participant) =>
  Math.max(p.longestAwayMs, p.awaySince === null ? 0 : Date.now() - p.awaySince)

/** Counts what the receiver gets from the sender, before it logs in so nothing slips by. */
function listenAsReceiver(receiver: Receiver, messages: number) {
  const { client, tally } = receiver
  client.on('message', (data, from) => {
    const k = messageNumber(data, messages)
    if (from === 'sender' && k !== null) tally.record(k)
  })
  // The server says relays were lost (beyond what it could replay): the count, if it knows it.
  client.on('missed', (info) => {
    tally.missedEvents++
    tally.missedCounts.push(info.count)
  })
  return receiver
}

/** Logs the client in; one that cannot is a harness failure, not a figure. */
const logIn = ({ client, id }: Participant) =>
  withTimeout(client.login({ id }), LOGIN_MS, `soak: logging in ${id}`)

function sendOne(run: Run, k: number) {
  const { sends } = run
  const rejected = (error: unknown) => {
    sends.rejected++
    const reason = error instanceof Error ? error.message : String(error)
    sends.rejections.set(reason, (sends.rejections.get(reason) ?? 0) + 1)
  }
  sends.sent++
  let promise: Promise<void>
  try {
    promise = run.sender.client.send({ k })
  } catch (error) {
    return rejected(error)
  }
  sends.outstanding++
  promise.then(() => sends.acked.add(k), rejected).finally(() => sends.outstanding--)
}

/** Sends messages [from, to) in bursts at a steady pace, never more than WINDOW unacked. */
async function sendRange(run: Run, from: number, to: number) {
  for (let k = from; k < to; k += BURST) {
    const end = Math.min(k + BURST, to)
    const room = await holdsWithin(() => run.sends.outstanding + (end - k) <= WINDOW, STALL_MS)
    if (!room) {
      run.sends.stalledAt = k
      return
    }
    for (let j = k; j < end; j++) sendOne(run, j)
    await sleep(BURST_INTERVAL_MS)
  }
}

/** Injects `fault`, holds it, and lifts it again, whatever happens in between. */
async function inject(run: Run, fault: Fault) {
  const { faults } = run.server
  run.injected[fault.kind]++
  const target = fault.kind === 'receiverDrop' ? ` ${RECEIVER_IDS[fault.receiver]}` : ''
  const latency = fault.kind === 'delay' ? ` +${fault.delayMs} ms` : ''
  run.trace(`fault: ${fault.kind}${target}${latency} for ${fault.holdMs} ms`)
  run.heldMs[fault.kind] += fault.holdMs
  switch (fault.kind) {
    case 'kill':
      await faults.kill()
      try {
        return await sleep(fault.holdMs)
      } finally {
        await faults.restart()
      }
    case 'blackhole':
      faults.blackhole(true)
      try {
        return await sleep(fault.holdMs)
      } finally {
        faults.blackhole(false)
      }
    case 'delay':
      faults.delay(fault.delayMs)
      try {
        return await sleep(fault.holdMs)
      } finally {
        faults.delay(0)
      }
    case 'receiverDrop': {
      // A real cut of the receiver's own socket, then no way back until the hold ends.
      const { link } = run.receivers[fault.receiver]!
      link.setDown(true)
      try {
        return await sleep(fault.holdMs)
      } finally {
        link.setDown(false)
      }
    }
  }
}

/**
 * The messages are split into one slice per fault plus a fault-free last one; each fault starts
 * as its slice starts and the next waits for both, so faults always meet traffic and a seed
 * puts them in the same places however fast the machine is.
 */
async function sendThroughFaults(run: Run, plan: readonly Fault[]) {
  const { messages } = run.settings
  const slices = plan.length + 1
  for (let i = 0; i < slices; i++) {
    const from = Math.floor((i * messages) / slices)
    const to = Math.floor(((i + 1) * messages) / slices)
    const fault = plan[i]
    if (!fault?.backToBack) await recover(run, plan[i - 1])
    // Going on with a stuck client or sender would measure nothing but the first failure.
    if (run.stuck !== null || run.sends.stalledAt !== null) return
    await Promise.all([sendRange(run, from, to), fault && inject(run, fault)])
  }
}

const everyone = (run: Run) => [run.sender, ...run.receivers]

/** Waits, within RECOVERY_MS, for every client to be OPEN again; marks the run stuck if not. */
async function recover(run: Run, after: Fault | undefined) {
  const open = () => everyone(run).every((p) => p.client.getConnectionState() === 'OPEN')
  if (await holdsWithin(open, RECOVERY_MS)) return
  const away = everyone(run).filter((p) => p.client.getConnectionState() !== 'OPEN')
  const states = away.map((p) => `${p.id} ${p.client.getConnectionState()}`).join(', ')
  run.stuck = `${states} ${seconds(RECOVERY_MS)} after a ${after?.kind ?? 'fault'} was lifted`
}

type Settled = 'complete' | 'quiet' | 'timeout'

/**
 * Waits for every send to settle and every receiver to hold every accepted message. With
 * losses that never happens, so the run also ends once nothing has moved for QUIET_MS while
 * every client is OPEN; SETTLE_MS bounds it all.
 */
async function settle(run: Run): Promise<Settled> {
  const complete = () =>
    run.sends.outstanding === 0 && run.receivers.every((r) => r.tally.unique >= run.accepted.size)
  const progress = () =>
    [
      run.sends.outstanding,
      run.accepted.calls,
      ...run.receivers.map((r) => r.tally.receipts),
    ].join()
  let last = progress()
  let lastChange = Date.now()
  const quiet = () => {
    const now = progress()
    if (now !== last) [last, lastChange] = [now, Date.now()]
    const open = everyone(run).every((p) => p.client.getConnectionState() === 'OPEN')
    return open && Date.now() - lastChange >= QUIET_MS
  }
  const ended = await holdsWithin(() => complete() || quiet(), SETTLE_MS)
  return complete() ? 'complete' : ended ? 'quiet' : 'timeout'
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const count = (n: number) => n.toLocaleString('en-US')

function progressLine(run: Run, startedAt: number, faultsDone: () => number) {
  const received = run.receivers.map((r) => count(r.tally.unique)).join(', ')
  return (
    `  ${seconds(Date.now() - startedAt).padStart(7)}  sent ${count(run.sends.sent)}` +
    `  acked ${count(run.sends.acked.size)}  accepted ${count(run.accepted.size)}` +
    `  received ${received}  faults ${faultsDone()}/${run.settings.faults}`
  )
}

/** Every figure of the run, computed once for the tables and the JSON line. */
function figuresOf(run: Run, settled: Settled, sendMs: number, settleMs: number) {
  const { messages } = run.settings
  const { sends, accepted } = run
  const ackedNotAccepted = numbersWhere(messages, (k) => sends.acked.has(k) && !accepted.has(k))
  const receivers = run.receivers.map((r) => {
    const lost = numbersWhere(messages, (k) => sends.acked.has(k) && !r.tally.has(k))
    const notRelayed = numbersWhere(messages, (k) => accepted.has(k) && !r.tally.has(k))
    const counts = r.tally.missedCounts
    return {
      id: r.id,
      received: r.tally.receipts,
      unique: r.tally.unique,
      lost: lost.length,
      notRelayed: notRelayed.length,
      duplicated: r.tally.duplicated,
      reordered: r.tally.reordered,
      missedEvents: r.tally.missedEvents,
      // The relays the server said were lost; null when one event could not say how many.
      missedCount: counts.includes(null) ? null : counts.reduce<number>((a, b) => a + b!, 0),
      lostSample: sample(lost),
    }
  })
  return {
    seed: run.settings.seed,
    messages,
    faults: { ...run.injected },
    sent: sends.sent,
    acked: sends.acked.size,
    rejected: sends.rejected,
    unsettled: sends.outstanding,
    accepted: accepted.size,
    acceptedTwice: accepted.calls - accepted.size,
    ackedNotAccepted: ackedNotAccepted.length,
    ackedNotAcceptedSample: sample(ackedNotAccepted),
    receivers,
    senderStalledAt: sends.stalledAt,
    settled,
    sendMs: Math.round(sendMs),
    settleMs: Math.round(settleMs),
    elapsedMs: Math.round(sendMs + settleMs),
    stuck: run.stuck,
    // Past PEER_TIMEOUT the server announces the peer DROPPED: no resume, so losses are expected.
    longestAwayMs: Object.fromEntries(everyone(run).map((p) => [p.id, longestAway(p)])),
  }
}

type Figures = ReturnType<typeof figuresOf>

function printTables(run: Run, f: Figures) {
  console.log('\nsender and server')
  console.log(
    formatTable(
      ['figure', 'messages'],
      [
        ['sent (send() called)', count(f.sent)],
        ['acked (send() resolved)', count(f.acked)],
        ['rejected (send() rejected or threw)', count(f.rejected)],
        ['unsettled (neither, at the end)', count(f.unsettled)],
        ['accepted by the server (unique)', count(f.accepted)],
        ['accepted twice by the server', count(f.acceptedTwice)],
        ['ACKED BUT NOT ACCEPTED', count(f.ackedNotAccepted)],
      ],
    ),
  )
  console.log('\nreceivers (lost: acked, never received; not relayed: accepted, never received)')
  console.log(
    formatTable(
      [
        'receiver',
        'received',
        'unique',
        'lost',
        'not relayed',
        'duplicated',
        'reordered',
        'missed events',
        'missed count',
      ],
      f.receivers.map((r) => [
        r.id,
        count(r.received),
        count(r.unique),
        count(r.lost),
        count(r.notRelayed),
        count(r.duplicated),
        count(r.reordered),
        count(r.missedEvents),
        r.missedCount === null ? '?' : count(r.missedCount),
      ]),
    ),
  )
  console.log('\nfaults injected')
  console.log(
    formatTable(
      ['kind', 'count', 'held'],
      FAULT_KINDS.map((kind) => [kind, count(run.injected[kind]), seconds(run.heldMs[kind])]),
    ),
  )
  console.log('\nclients')
  console.log(
    formatTable(
      ['client', 'times OPEN', 'sockets opened', 'longest away', 'errors', 'state at the end'],
      everyone(run).map((p) => [
        p.id,
        count(p.opens),
        count(p.link.opened),
        seconds(longestAway(p)),
        count(p.errors),
        p.client.getConnectionState(),
      ]),
    ),
  )
  console.log(
    `\nelapsed ${seconds(f.elapsedMs)}: sending through the faults ${seconds(f.sendMs)},` +
      ` settling ${seconds(f.settleMs)} (${f.settled})`,
  )
}

/** What a reader should look at first; nothing when the run was clean. */
function notesOf(run: Run, f: Figures): string[] {
  const notes: string[] = []
  if (f.ackedNotAccepted)
    notes.push(
      `${count(f.ackedNotAccepted)} acked but never accepted by the server: ${f.ackedNotAcceptedSample}`,
    )
  for (const r of f.receivers)
    if (r.lost) notes.push(`${r.id} never received ${count(r.lost)} acked: ${r.lostSample}`)
  if (f.senderStalledAt !== null)
    notes.push(`the sender stalled at message ${f.senderStalledAt}: its window stayed full`)
  if (f.unsettled) notes.push(`${count(f.unsettled)} sends neither resolved nor rejected`)
  if (f.acceptedTwice) notes.push(`the server accepted ${count(f.acceptedTwice)} messages twice`)
  for (const [reason, n] of run.sends.rejections)
    notes.push(`${count(n)} sends rejected: ${reason}`)
  for (const p of everyone(run)) {
    if (longestAway(p) >= PEER_TIMEOUT)
      notes.push(`${p.id} was away ${seconds(longestAway(p))}, past the server's peerTimeout`)
    const state = p.client.getConnectionState()
    if (state !== 'OPEN') notes.push(`${p.id} ended ${state}, not OPEN`)
  }
  if (f.stuck !== null) notes.push(`faults stopped early: ${f.stuck}`)
  if (f.settled === 'timeout') notes.push(`not settled ${seconds(SETTLE_MS)} after the last fault`)
  return notes
}

function report(run: Run, f: Figures) {
  printTables(run, f)
  const notes = notesOf(run, f)
  console.log(notes.length ? `\nnotes:\n${notes.map((n) => `  - ${n}`).join('\n')}` : '\nno losses')
  const { ackedNotAcceptedSample: _a, ...json } = f
  const receivers = json.receivers.map(({ lostSample: _l, ...r }) => r)
  console.log(`\n[figures] ${JSON.stringify({ ...json, receivers })}`)
}

/** The run between a server that is up and clients that are logged in. */
async function soak(run: Run, plan: readonly Fault[]) {
  const startedAt = Date.now()
  const faultsDone = () => FAULT_KINDS.reduce((sum, kind) => sum + run.injected[kind], 0)
  const progress = setInterval(
    () => console.log(progressLine(run, startedAt, faultsDone)),
    PROGRESS_MS,
  )
  try {
    await sendThroughFaults(run, plan)
    const sentAt = Date.now()
    run.phase = 'settling'
    const settled = await settle(run)
    return figuresOf(run, settled, sentAt - startedAt, Date.now() - sentAt)
  } finally {
    clearInterval(progress)
  }
}

/**
 * A fingerprint of the harness' own progress: unchanged for HANG_MS means a hang. Reconnection
 * attempts are left out on purpose: clients retrying forever must not hide a harness that waits
 * for nothing.
 */
const activity = (run: Run) =>
  [
    run.phase,
    run.sends.sent,
    run.sends.acked.calls,
    run.sends.rejected,
    run.accepted.calls,
    ...run.receivers.map((r) => r.tally.receipts),
    ...FAULT_KINDS.map((kind) => run.injected[kind]),
    run.stuck,
    run.sends.stalledAt,
  ].join()

/** The figures start from zero: nothing sent, nothing injected. */
function freshRun(
  settings: SoakSettings,
  server: ReferenceServer,
  accepted: MessageSet,
  sender: Participant,
  receivers: readonly Receiver[],
  trace: (line: string) => void,
): Run {
  const sends: SendTally = {
    sent: 0,
    outstanding: 0,
    acked: new MessageSet(settings.messages),
    rejected: 0,
    rejections: new Map(),
    stalledAt: null,
  }
  return {
    settings,
    server,
    sender,
    receivers,
    sends,
    accepted,
    injected: perKind(),
    heldMs: perKind(),
    trace,
    phase: 'sending',
    stuck: null,
  }
}

function describePlan(settings: SoakSettings, plan: readonly Fault[]) {
  const kinds = FAULT_KINDS.map((kind) => `${plan.filter((f) => f.kind === kind).length} ${kind}`)
  return (
    `linklight soak — ${count(settings.messages)} messages, ${settings.faults} faults` +
    ` (${kinds.join(', ')}), seed ${settings.seed}, ${RECEIVER_IDS.length} receivers` +
    ` — Node ${process.version}\n`
  )
}

async function main() {
  const settings = readSettings()
  const plan = planFaults(settings.faults, seededRandom(settings.seed))
  console.log(describePlan(settings, plan))

  const trace = createTrace(settings.verbose)
  // Only the server can say what it accepted: its onMessage sees each message once.
  const accepted = new MessageSet(settings.messages)
  const server = await createServer({
    port: 0,
    peerTimeout: PEER_TIMEOUT,
    onMessage: ({ from, data }) => {
      const k = messageNumber(data, settings.messages)
      if (from === 'sender' && k !== null) accepted.add(k)
    },
  })
  const sender = enlist(server.url, 'sender', {}, trace)
  const receivers = RECEIVER_IDS.map((id) => {
    const receiver = enlist(server.url, id, { tally: new ReceiverTally(settings.messages) }, trace)
    return listenAsReceiver(receiver, settings.messages)
  })
  try {
    await Promise.all([sender, ...receivers].map(logIn))
    const run = freshRun(settings, server, accepted, sender, receivers, trace)
    exitIfIdle(() => activity(run), HANG_MS)
    report(run, await soak(run, plan))
    run.phase = 'closing'
  } finally {
    for (const { client } of [sender, ...receivers]) client.close()
    await server.close()
  }
}

try {
  await main()
} catch (error) {
  console.error('soak: the harness broke:', error)
  process.exitCode = 1
}
