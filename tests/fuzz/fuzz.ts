/**
 * Seeded fuzzers of both ends of the linklight protocol, on real sockets on 127.0.0.1.
 *
 * - {@link fuzzServer}: hostile raw `ws` sockets send generated client frames to the reference
 *   server while two healthy linklight clients chat through it; then a new client logs in.
 * - {@link fuzzClient}: a hostile server of our own gets a linklight client to OPEN, then sends
 *   it generated server frames; then a valid message, then `close()`.
 *
 * Both return figures and a list of failed checks instead of throwing, so that `run.ts` can
 * print everything and the test can show every failure at once. Every wait is bounded and
 * everything opened is closed before they return.
 */
import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import { createClient, linklightProtocol, type LinklightClient } from '../../src/index.js'
import { PROTOCOL_VERSION, type ServerFrame } from '../../src/protocol/index.js'
import { createServer, type ReferenceServer } from '../../src/server/index.js'
import { holdsWithin, sleep } from '../helpers/wait.js'
import {
  createEpisodes,
  createRng,
  documentedVerdict,
  serverFrame,
  serverScenarios,
  smallValue,
  stableTimes,
  type Episode,
  type GeneratedFrame,
  type ServerFrameContext,
} from './generate.js'

/** Options of {@link fuzzServer} and {@link fuzzClient}. */
export interface FuzzOptions {
  seed: number
  /** Hostile frames to send in all. */
  frames: number
  /** Stop sending once this much time has passed (default: no limit); the checks still run. */
  timeLimitMs?: number
  /** Progress lines, for long runs. */
  log?: (line: string) => void
}

/** One check and what was seen. */
export interface Check {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
}

/** What both fuzzers report. */
export interface FuzzResult {
  readonly side: 'server' | 'client'
  readonly seed: number
  /** Frames asked for. */
  readonly frames: number
  /** Hostile frames put on a socket (including handshake frames on the server side). */
  framesSent: number
  /** Frames sent, by the first part of their kind (`msg`, `garbage`, `mutated`, …). */
  readonly kinds: Record<string, number>
  /** Uncaught exceptions and unhandled rejections while the run lasted. */
  crashes: number
  readonly crashSamples: string[]
  /** `console.error` calls while the run lasted (the reference server logs what it catches). */
  consoleErrors: number
  readonly consoleSamples: string[]
  /** Why sending stopped before `frames`, if it did. */
  stoppedEarly: string | null
  readonly checks: Check[]
  /** `name: detail` of every failed check. */
  readonly failures: string[]
  /** Milliseconds spent per part (setup, fuzz, checks, teardown) and in all. */
  readonly phases: Record<string, number>
  durationMs: number
}

/** What {@link fuzzServer} reports beyond {@link FuzzResult}. */
export interface ServerFuzzResult extends FuzzResult {
  readonly side: 'server'
  episodes: number
  hostileConnections: number
  connectFailures: number
  /** Close codes the server closed hostile sockets with. */
  readonly serverCloses: Record<string, number>
  /** `error` frames the hostile sockets got, by code. */
  readonly serverErrors: Record<string, number>
  /** What the `auth` of each planned login got. */
  readonly auth: {
    welcome: number
    rejected: number
    error: number
    closed: number
    unanswered: number
  }
  /** Hostile sockets whose ping went unanswered within 5 s while open. */
  stalls: number
  readonly healthy: {
    sent: number
    received: number
    sendFailures: number
    /** State changes of the healthy clients after they were first OPEN. */
    transitions: string[]
  }
  readonly lateJoin: { open: boolean; ms: number; peers: number; errors: string[] }
}

/** What {@link fuzzClient} reports beyond {@link FuzzResult}. */
export interface ClientFuzzResult extends FuzzResult {
  readonly side: 'client'
  batches: number
  /** Frames of a batch not written because the link had closed under it (counted as sent). */
  framesUnsent: number
  /** Batches that arrived whole on one socket (their marker was delivered). */
  intactBatches: number
  /** `error` events the client emitted, by code. */
  readonly errorEvents: Record<string, number>
  /** In intact batches: frames the client's own codec refuses, plus `error` frames. */
  expectedReports: number
  /** In intact batches: `error` events seen. */
  reports: number
  /** Frames docs/protocol.md calls malformed that the client's codec accepts (first few). */
  readonly undocumentedAccepted: { count: number; samples: string[] }
  /** Frames docs/protocol.md calls valid that the client's codec refuses (first few). */
  readonly documentedRefused: { count: number; samples: string[] }
  /** Handshakes after the first: the client reconnected. */
  reconnects: number
  /** Why the client left OPEN, by the reason of its RECONNECTING or ERROR state. */
  readonly linkDrops: Record<string, number>
  fatalFrames: number
  /** Crashes after which the hostile server cut the socket to let the client recover. */
  crashRecoveries: number
  /** Batches whose marker was not delivered while the client stayed OPEN. */
  stalls: number
  readonly peerEvents: { joined: number; updated: number; left: number }
  /** `missed` events the client emitted, and `replay` frames it sent the hostile server. */
  missedEvents: number
  replaysAsked: number
  finalDelivered: number
  /** Sockets to the hostile server still open after `close()` (and new ones opened after it). */
  socketsAfterClose: number
  /** Active timers after `close()` minus before the client existed (a figure, not a check). */
  timersAfterClose: number
}

// ── shared pieces ───────────────────────────────────────────────────────────────
const now = () => performance.now()

/** Text safe to print: short, whatever it was (a deep array would overflow `String()`). */
function describe(value: unknown): string {
  if (value instanceof Error) {
    const where = (value.stack ?? '')
      .split('\n')
      .slice(1, 4)
      .map((line) => line.trim())
      .join(' ← ')
    return `${value.name}: ${value.message.slice(0, 200)}${where ? ` (${where})` : ''}`
  }
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value
  if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value)
  return String(value)
}

function count(record: Record<string, number>, key: string, by = 1) {
  record[key] = (record[key] ?? 0) + by
}

const kindGroup = (frame: GeneratedFrame) => frame.kind.split('/')[0]!

/**
 * Counts crashes (uncaught exceptions, unhandled rejections) and `console.error` calls until
 * `stop()`. Under Vitest its own handlers still see the crashes and fail the run too.
 */
function watchProcess() {
  const crashes: string[] = []
  const consoleErrors: string[] = []
  const onCrash = (error: unknown) => void crashes.push(describe(error))
  process.on('uncaughtException', onCrash)
  process.on('unhandledRejection', onCrash)
  const original = console.error
  // The reference server logs every exception its guards catch; thousands would drown the
  // output, so they are counted and a few kept.
  console.error = (...args: unknown[]) => void consoleErrors.push(args.map(describe).join(' '))
  return {
    crashes,
    consoleErrors,
    stop() {
      process.off('uncaughtException', onCrash)
      process.off('unhandledRejection', onCrash)
      console.error = original
    },
  }
}

type Watch = ReturnType<typeof watchProcess>

function baseResult<S extends 'server' | 'client'>(side: S, options: FuzzOptions) {
  return {
    side,
    seed: options.seed,
    frames: options.frames,
    framesSent: 0,
    kinds: {} as Record<string, number>,
    crashes: 0,
    crashSamples: [] as string[],
    consoleErrors: 0,
    consoleSamples: [] as string[],
    stoppedEarly: null as string | null,
    checks: [] as Check[],
    failures: [] as string[],
    phases: {} as Record<string, number>,
    durationMs: 0,
  }
}

/** Records a check; a failed one also goes to `failures`. */
function check(result: FuzzResult, name: string, ok: boolean, detail: string) {
  result.checks.push({ name, ok, detail })
  if (!ok) result.failures.push(`${name}: ${detail}`)
}

/** Takes the watch's counts into the result, and checks that nothing crashed. */
function finishWatch(result: FuzzResult, watch: Watch) {
  result.crashes = watch.crashes.length
  result.crashSamples.push(...new Set(watch.crashes.slice(0, 50)))
  result.crashSamples.splice(3)
  result.consoleErrors = watch.consoleErrors.length
  result.consoleSamples.push(...new Set(watch.consoleErrors.slice(0, 50)))
  result.consoleSamples.splice(3)
  check(
    result,
    'no uncaught exception or unhandled rejection',
    result.crashes === 0,
    result.crashes ? `${result.crashes}, first: ${result.crashSamples.join(' | ')}` : 'none',
  )
}

/** A run that stopped before sending every frame says why. */
function checkAllSent(result: FuzzResult, frames: number) {
  if (result.framesSent < frames)
    check(
      result,
      'every frame was sent',
      false,
      `${result.framesSent} of ${frames}: ${result.stoppedEarly ?? 'the run ended early'}`,
    )
}

function noPrototypePollution(result: FuzzResult) {
  const polluted = ['polluted', 'id'].filter((key) => key in Object.prototype)
  check(
    result,
    'no prototype pollution',
    polluted.length === 0,
    polluted.length ? `Object.prototype has ${polluted.join(', ')}` : 'Object.prototype untouched',
  )
}

const toText = (data: RawData) =>
  (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)).toString('utf8')

// ── the server side ─────────────────────────────────────────────────────────────
/** A raw hostile socket: sends anything, notes what comes back. */
interface Hostile {
  readonly ws: WebSocket
  closeCode: number | null
  /** The first 32 characters of every text frame received, in order. */
  readonly heads: string[]
  /**
   * Resolves with the first of `prefixes` that a text frame received from index `since` of
   * `heads` on starts with, or with `closed`, or `timeout`.
   */
  waitFor(prefixes: readonly string[], timeoutMs: number, since?: number): Promise<string>
  /** A WebSocket ping: resolves once the server has answered everything sent before it. */
  barrier(timeoutMs: number): Promise<'ok' | 'closed' | 'timeout'>
  send(frame: GeneratedFrame | string): boolean
}

function openHostile(
  url: string,
  onError: (code: string) => void,
  onClose: (code: number) => void,
): Promise<Hostile | null> {
  const ws = new WebSocket(url)
  const waiters = new Set<(head: string | null) => void>()
  const heads: string[] = []
  let pings = 0
  const hostile: Hostile = {
    ws,
    closeCode: null,
    heads,
    waitFor(prefixes, timeoutMs, since = 0) {
      const match = (head: string) => prefixes.find((prefix) => head.startsWith(prefix))
      return new Promise((resolve) => {
        for (const head of heads.slice(since)) {
          const found = match(head)
          if (found !== undefined) return resolve(found)
        }
        if (hostile.closeCode !== null) return resolve('closed')
        const timer = setTimeout(() => done('timeout'), timeoutMs)
        const waiter = (head: string | null) => {
          const found = head === null ? 'closed' : match(head)
          if (found !== undefined) done(found)
        }
        const done = (outcome: string) => {
          clearTimeout(timer)
          waiters.delete(waiter)
          resolve(outcome)
        }
        waiters.add(waiter)
      })
    },
    barrier(timeoutMs) {
      return new Promise((resolve) => {
        if (hostile.closeCode !== null || ws.readyState !== WebSocket.OPEN) return resolve('closed')
        const token = `b${++pings}`
        const timer = setTimeout(() => done('timeout'), timeoutMs)
        const onPong = (data: Buffer) => {
          if (data.toString() === token) done('ok')
        }
        const onClosed = () => done('closed')
        const done = (outcome: 'ok' | 'closed' | 'timeout') => {
          clearTimeout(timer)
          ws.off('pong', onPong)
          ws.off('close', onClosed)
          resolve(outcome)
        }
        ws.on('pong', onPong)
        ws.on('close', onClosed)
        try {
          ws.ping(token)
        } catch {
          done('closed')
        }
      })
    },
    send(frame) {
      if (ws.readyState !== WebSocket.OPEN) return false
      try {
        if (typeof frame === 'string') ws.send(frame)
        else ws.send(frame.data, { binary: frame.binary })
        return true
      } catch {
        return false
      }
    },
  }
  ws.on('message', (data, isBinary) => {
    if (isBinary) return
    // Only the head is needed; frames may be a megabyte long.
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)
    const head = buffer.subarray(0, 32).toString('utf8')
    heads.push(head)
    if (head.startsWith('{"t":"error"')) {
      try {
        const frame = JSON.parse(buffer.toString('utf8')) as { code?: unknown }
        onError(String(frame.code))
      } catch {
        onError('(unparsable error frame)')
      }
    }
    for (const waiter of [...waiters]) waiter(head)
  })
  ws.on('error', () => {})
  ws.on('close', (code) => {
    hostile.closeCode = code
    onClose(code)
    for (const waiter of [...waiters]) waiter(null)
  })
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate()
      resolve(null)
    }, 5000)
    ws.once('open', () => {
      clearTimeout(timer)
      resolve(hostile)
    })
    ws.once('unexpected-response', () => {
      clearTimeout(timer)
      ws.terminate()
      resolve(null)
    })
    ws.once('close', () => {
      clearTimeout(timer)
      resolve(null)
    })
  })
}

const HEALTHY_IDS = ['healthy-1', 'healthy-2'] as const
const AGENTS = 4
// Frames sent between two barriers: enough to pile up work, few enough to keep memory flat.
const CHUNK = 15

interface Healthy {
  readonly id: string
  readonly client: LinklightClient
  /** Messages sent, as JSON. */
  readonly sent: string[]
  readonly pending: Promise<void>[]
  /** Messages received from each other healthy client, as JSON. */
  readonly received: Map<string, string[]>
  readonly transitions: string[]
  readonly sendFailures: string[]
  open: boolean
}

function healthyOptions() {
  return {
    WebSocket,
    maxReconnectAttempts: Infinity,
    heartbeatFailure: 'reconnect' as const,
    heartbeatInterval: 1000,
  }
}

/**
 * Fuzzes the reference server: {@link AGENTS} hostile sockets send `frames` generated client
 * frames (before `hello`, after `accept`, after `welcome`) while two healthy clients exchange
 * messages; then a new client logs in.
 *
 * @example
 * ```ts
 * const result = await fuzzServer({ seed: 1, frames: 3000 })
 * result.failures // [] when the server held
 * ```
 */
export async function fuzzServer(options: FuzzOptions): Promise<ServerFuzzResult> {
  const started = now()
  const result: ServerFuzzResult = {
    ...baseResult('server', options),
    side: 'server',
    episodes: 0,
    hostileConnections: 0,
    connectFailures: 0,
    serverCloses: {},
    serverErrors: {},
    auth: { welcome: 0, rejected: 0, error: 0, closed: 0, unanswered: 0 },
    stalls: 0,
    healthy: { sent: 0, received: 0, sendFailures: 0, transitions: [] },
    lateJoin: { open: false, ms: 0, peers: 0, errors: [] },
  }
  const log = options.log ?? (() => {})
  const watch = watchProcess()
  const hostiles = new Set<Hostile>()
  const healthy: Healthy[] = []
  const closers: LinklightClient[] = []
  let server: ReferenceServer | null = null
  let traffic: Promise<void> | null = null
  let trafficOn = false
  const rng = createRng(options.seed)
  let mark = now()
  const phase = (name: string) => {
    result.phases[name] = Math.round(now() - mark)
    mark = now()
  }

  try {
    server = await createServer({ port: 0, host: '127.0.0.1' })
    const url = server.url

    // Two healthy clients, OPEN before anything hostile happens.
    for (const id of HEALTHY_IDS) {
      const client = createClient(url, healthyOptions())
      closers.push(client)
      const h: Healthy = {
        id,
        client,
        sent: [],
        pending: [],
        received: new Map(HEALTHY_IDS.filter((other) => other !== id).map((other) => [other, []])),
        transitions: [],
        sendFailures: [],
        open: false,
      }
      client.on('connectionStateChanged', (state, reason) => {
        if (h.open)
          h.transitions.push(`${id}: ${state}/${reason} at ${Math.round(now() - started)} ms`)
      })
      client.on('message', (data, from) => {
        const list = from === null ? undefined : h.received.get(from)
        if (list) list.push(JSON.stringify(data))
      })
      healthy.push(h)
      void client.login({ id })
    }
    const opened = await holdsWithin(
      () => healthy.every((h) => h.client.getConnectionState() === 'OPEN'),
      5000,
    )
    for (const h of healthy) h.open = true
    check(
      result,
      'healthy clients log in',
      opened,
      healthy.map((h) => `${h.id}: ${h.client.getConnectionState()}`).join(', '),
    )
    if (!opened) throw new Error('the healthy clients did not log in; nothing to fuzz')
    phase('setup')

    // Healthy traffic, every 20 ms, alternating, until the hostile frames are all sent.
    trafficOn = true
    const talk = rng.fork('healthy')
    traffic = (async () => {
      for (let n = 1; trafficOn; n++) {
        const h = healthy[n % healthy.length]!
        const data = { n, from: h.id, payload: smallValue(talk) }
        try {
          const promise = h.client.send(data)
          h.sent.push(JSON.stringify(data))
          h.pending.push(
            promise.catch((error: unknown) => void h.sendFailures.push(describe(error))),
          )
        } catch (error) {
          h.sendFailures.push(describe(error))
        }
        await sleep(20)
      }
    })()

    // Hostile sockets.
    const ctx = { url, version: PROTOCOL_VERSION, knownIds: HEALTHY_IDS }
    const budget = Math.ceil(options.frames / AGENTS)
    const deadline = options.timeLimitMs === undefined ? Infinity : started + options.timeLimitMs
    let authTimeout = 2000
    let nextLog = 0
    const sentFrame = (frame: GeneratedFrame | string) => {
      result.framesSent++
      count(result.kinds, typeof frame === 'string' ? 'handshake' : kindGroup(frame))
      if (result.framesSent >= nextLog) {
        log(
          `server: ${result.framesSent}/${options.frames} frames, ${Math.round(now() - started)} ms`,
        )
        nextLog += 5000
      }
    }

    const agent = async (index: number) => {
      const nextEpisode = createEpisodes(rng.fork(`agent-${index}`), ctx)
      const lingering: Hostile[] = []
      let sent = 0
      const spend = (frame: GeneratedFrame | string, socket: Hostile) => {
        if (sent >= budget || !socket.send(frame)) return false
        sent++
        sentFrame(frame)
        return true
      }
      while (sent < budget) {
        if (now() > deadline) {
          result.stoppedEarly = `time limit of ${options.timeLimitMs} ms reached`
          break
        }
        const episode: Episode = nextEpisode((scenario) => scenario % AGENTS === index)
        result.episodes++
        const socket = await openHostile(
          url,
          (code) => count(result.serverErrors, code),
          (code) => count(result.serverCloses, String(code)),
        )
        if (!socket) {
          result.connectFailures++
          await sleep(50)
          continue
        }
        result.hostileConnections++
        hostiles.add(socket)
        await socket.waitFor(['{"t":"challenge"'], 3000)
        if (episode.hello !== null) {
          const since = socket.heads.length
          if (spend(episode.hello, socket))
            await socket.waitFor(['{"t":"accept"', '{"t":"error"'], 3000, since)
        }
        const since = socket.heads.length
        if (episode.auth !== null && spend(episode.auth, socket)) {
          const answer = await socket.waitFor(
            ['{"t":"welcome"', '{"t":"rejected"', '{"t":"error"'],
            authTimeout,
            since,
          )
          if (answer === '{"t":"welcome"') result.auth.welcome++
          else if (answer === '{"t":"rejected"') result.auth.rejected++
          else if (answer === '{"t":"error"') result.auth.error++
          else if (answer === 'closed') result.auth.closed++
          else {
            result.auth.unanswered++
            // The check has failed already; later logins need not cost as much waiting.
            authTimeout = 300
          }
        }
        for (
          let i = 0;
          i < episode.frames.length && sent < budget && now() < deadline;
          i += CHUNK
        ) {
          let closed = false
          for (const frame of episode.frames.slice(i, i + CHUNK)) {
            if (sent >= budget || !spend(frame, socket)) {
              closed = socket.closeCode !== null
              break
            }
          }
          if (closed) break
          const answered = await socket.barrier(5000)
          if (answered === 'closed') break
          if (answered === 'timeout') {
            result.stalls++
            socket.ws.terminate()
            break
          }
        }
        if (socket.closeCode !== null) continue
        if (episode.end === 'close') socket.ws.close(1000)
        else if (episode.end === 'terminate') socket.ws.terminate()
        else {
          lingering.push(socket)
          if (lingering.length > 3) lingering.shift()!.ws.close(1000)
        }
      }
    }
    await Promise.all(Array.from({ length: AGENTS }, (_, i) => agent(i)))
    trafficOn = false
    await traffic
    phase('fuzz')

    // Every healthy message acknowledged, then delivered to the other one exactly once, in order.
    let acked = false
    void Promise.all(healthy.flatMap((h) => h.pending)).then(() => (acked = true))
    const settled = await holdsWithin(() => acked, 8000)
    const delivered = () =>
      healthy.every((h) =>
        healthy.every((other) => other === h || other.received.get(h.id)!.length >= h.sent.length),
      )
    await holdsWithin(delivered, 4000)
    await sleep(200) // a duplicate would arrive now
    result.healthy.sent = healthy.reduce((sum, h) => sum + h.sent.length, 0)
    result.healthy.received = healthy.reduce(
      (sum, h) => sum + [...h.received.values()].reduce((s, list) => s + list.length, 0),
      0,
    )
    result.healthy.sendFailures = healthy.reduce((sum, h) => sum + h.sendFailures.length, 0)
    check(
      result,
      'every healthy send is acknowledged',
      settled && result.healthy.sendFailures === 0,
      settled
        ? `${result.healthy.sendFailures} of ${result.healthy.sent} rejected${result.healthy.sendFailures ? ` (first: ${healthy.flatMap((h) => h.sendFailures)[0]})` : ''}`
        : `sends still unsettled after 8 s`,
    )
    const mismatches: string[] = []
    for (const h of healthy)
      for (const other of healthy) {
        if (other === h) continue
        const got = other.received.get(h.id)!
        const firstDiff = h.sent.findIndex((data, i) => got[i] !== data)
        if (firstDiff !== -1 || got.length !== h.sent.length)
          mismatches.push(
            `${h.id} → ${other.id}: sent ${h.sent.length}, received ${got.length}` +
              (firstDiff === -1
                ? ' (extra ones at the end)'
                : `, first difference at #${firstDiff + 1}`),
          )
      }
    check(
      result,
      'healthy messages arrive exactly once, in order',
      mismatches.length === 0,
      mismatches.length
        ? mismatches.join('; ')
        : `${result.healthy.sent} sent, ${result.healthy.received} received`,
    )
    result.healthy.transitions.push(...healthy.flatMap((h) => h.transitions))
    const states = healthy.map((h) => `${h.id}: ${h.client.getConnectionState()}`)
    check(
      result,
      'healthy clients stay OPEN throughout',
      result.healthy.transitions.length === 0 &&
        healthy.every((h) => h.client.getConnectionState() === 'OPEN'),
      result.healthy.transitions.length
        ? `${result.healthy.transitions.length} state changes: ${result.healthy.transitions.slice(0, 4).join('; ')}`
        : states.join(', '),
    )
    check(
      result,
      'healthy clients see each other',
      healthy.every((h) => HEALTHY_IDS.every((id) => id === h.id || h.client.getPeers().has(id))),
      healthy.map((h) => `${h.id} sees ${h.client.getPeers().size} peers`).join(', '),
    )

    // Hostile sockets are still there (some with deep data and long ids): a new client logs in.
    const consoleBefore = watch.consoleErrors.length
    const late = createClient(url, { ...healthyOptions(), connectTimeout: 4000 })
    closers.push(late)
    late.on('error', (error) => {
      if (result.lateJoin.errors.length < 3)
        result.lateJoin.errors.push(`${error.code}: ${error.message.slice(0, 160)}`)
    })
    const loginStarted = now()
    void late.login({ id: `late-joiner-${rng.hex(6)}` })
    result.lateJoin.open = await holdsWithin(() => late.getConnectionState() === 'OPEN', 6000)
    result.lateJoin.ms = Math.round(now() - loginStarted)
    result.lateJoin.peers = late.getPeers().size
    const seesHealthy = HEALTHY_IDS.every((id) => late.getPeers().has(id))
    check(
      result,
      'a new client logs in and sees the healthy peers',
      result.lateJoin.open && seesHealthy,
      result.lateJoin.open
        ? `OPEN after ${result.lateJoin.ms} ms with ${result.lateJoin.peers} peers${seesHealthy ? '' : ', not the healthy ones'}`
        : `still ${late.getConnectionState()}/${late.getSnapshot().reason} after ${result.lateJoin.ms} ms; ` +
            `its errors: ${JSON.stringify(result.lateJoin.errors)}; ` +
            `server logged meanwhile: ${JSON.stringify(watch.consoleErrors.slice(consoleBefore, consoleBefore + 2))}; ` +
            describePeers(server),
    )
    check(
      result,
      'every login is answered (welcome, rejected or error)',
      result.auth.unanswered === 0,
      `${JSON.stringify(result.auth)} (unanswered: nothing within 2 s, or 0.3 s once one was)`,
    )
    check(
      result,
      'the server answers every hostile socket',
      result.stalls === 0,
      `${result.stalls} sockets got no answer to a ping within 5 s`,
    )
    noPrototypePollution(result)
    phase('checks')
  } catch (error) {
    check(result, 'the fuzzer itself ran', false, describe(error))
  } finally {
    trafficOn = false
    await traffic?.catch(() => {})
    for (const client of closers) client.close()
    for (const hostile of hostiles) hostile.ws.terminate()
    if (server) {
      const closing = server.close().then(() => true)
      if (!(await Promise.race([closing, sleep(5000).then(() => false)])))
        check(result, 'the server closes', false, 'server.close() took more than 5 s')
    }
    await sleep(100) // late crashes from the teardown still count
    watch.stop()
    finishWatch(result, watch)
    // Only what the guards caught: refusals and cut slow readers are logged on purpose.
    const internal = watch.consoleErrors.filter((line) =>
      line.startsWith('linklight server: error while handling'),
    )
    check(
      result,
      'the server caught no exception of its own',
      internal.length === 0,
      internal.length
        ? `${internal.length} logged by its guards, e.g. ${[...new Set(internal)].slice(0, 2).join(' | ')}`
        : 'none logged',
    )
    checkAllSent(result, options.frames)
    phase('teardown')
    result.durationMs = Math.round(now() - started)
  }
  return result
}

/** Why a `welcome` for a newcomer might fail: what the online peers hold. */
function describePeers(server: ReferenceServer): string {
  try {
    const peers = server.peers()
    const longest = Math.max(0, ...peers.map((p) => p.id.length))
    let unserialisable = 0
    let welcomeChars = 0
    for (const peer of peers) {
      try {
        welcomeChars += JSON.stringify(peer).length
      } catch {
        unserialisable++
      }
    }
    return `the server lists ${peers.length} peers: longest id ${longest} characters, ${unserialisable} whose data JSON.stringify cannot serialise, ${welcomeChars} characters of serialisable peers`
  } catch (error) {
    return `server.peers() threw ${describe(error)}`
  }
}

// ── the client side ─────────────────────────────────────────────────────────────
const SELF_ID = 'fuzz-me'
const KNOWN_IDS = ['peer-0', 'peer-1', 'peer-2', 'peer-3', 'peer-4']
const MARKER = 'fuzz-marker'
// Enough for the slowest way back: two missed heartbeats (2 s) or a connect timeout (3 s),
// then a retry at most 500 ms later and a handshake.
const RECOVERY_MS = 6000

/** What the client's own codec makes of a text frame: `refused`, or the frame's type. */
function decodeAsClient(data: string): 'refused' | ServerFrame['t'] {
  if (linklightProtocol.isPong(data)) return 'pong'
  try {
    return linklightProtocol.decode(data).t
  } catch {
    return 'refused'
  }
}

/** Frames the client must report with an `error` event: refused by its codec, or `error` frames. */
function mustReport(frame: GeneratedFrame): boolean {
  if (frame.binary) return true
  if (typeof frame.data !== 'string') return false // not UTF-8: the socket closes instead
  const decoded = decodeAsClient(frame.data)
  return decoded === 'refused' || decoded === 'error'
}

const isFatal = (frame: GeneratedFrame) => documentedVerdict(frame) === 'fatal'

/**
 * Fuzzes linklight's client: a hostile server gets it to OPEN, then sends `frames` generated
 * server frames in batches, each followed by a marker message that proves the batch was read.
 *
 * @example
 * ```ts
 * const result = await fuzzClient({ seed: 1, frames: 3000 })
 * result.failures // [] when the client held
 * ```
 */
export async function fuzzClient(options: FuzzOptions): Promise<ClientFuzzResult> {
  const started = now()
  const result: ClientFuzzResult = {
    ...baseResult('client', options),
    side: 'client',
    batches: 0,
    framesUnsent: 0,
    intactBatches: 0,
    errorEvents: {},
    expectedReports: 0,
    reports: 0,
    undocumentedAccepted: { count: 0, samples: [] },
    documentedRefused: { count: 0, samples: [] },
    reconnects: 0,
    linkDrops: {},
    fatalFrames: 0,
    crashRecoveries: 0,
    stalls: 0,
    peerEvents: { joined: 0, updated: 0, left: 0 },
    missedEvents: 0,
    replaysAsked: 0,
    finalDelivered: 0,
    socketsAfterClose: 0,
    timersAfterClose: 0,
  }
  const log = options.log ?? (() => {})
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length
  const timersBefore = timers()
  const watch = watchProcess()
  const rng = createRng(options.seed)
  let wss: WebSocketServer | null = null
  let client: LinklightClient | null = null
  let mark = now()
  const phase = (name: string) => {
    result.phases[name] = Math.round(now() - mark)
    mark = now()
  }

  try {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve, reject) => {
      wss!.once('listening', resolve)
      wss!.once('error', reject)
    })
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`
    const ctx: ServerFrameContext = {
      selfId: SELF_ID,
      knownIds: KNOWN_IDS,
      // The hostile server itself, and a port nobody listens on: never off this machine.
      redirectUrls: [url, 'ws://127.0.0.1:1', `${url}/elsewhere`, 'not a url', ''],
    }
    const welcome = JSON.stringify({
      t: 'welcome',
      id: SELF_ID,
      lastSeq: 0,
      peers: KNOWN_IDS.map((id, i) => ({ id, ...stableTimes(id), data: { i } })),
    })

    // The hostile server: just enough protocol to get the client to OPEN on every connection.
    let current: WebSocket | null = null
    let handshakes = 0
    let connections = 0
    wss.on('connection', (ws) => {
      connections++
      ws.on('error', () => {})
      ws.on('message', (data, isBinary) => {
        if (isBinary) return
        let frame: { t?: unknown }
        try {
          frame = JSON.parse(toText(data)) as { t?: unknown }
        } catch {
          return
        }
        if (frame.t === 'hello') ws.send(JSON.stringify({ t: 'accept', maxPayload: 1 << 20 }))
        else if (frame.t === 'auth') {
          ws.send(welcome)
          current = ws
          handshakes++
        } else if (frame.t === 'ping') ws.send('{"t":"pong"}')
        else if (frame.t === 'replay') result.replaysAsked++
      })
      ws.send('{"t":"challenge"}')
    })

    let markSeen = 0
    let reports = 0
    client = createClient(url, {
      WebSocket,
      maxReconnectAttempts: Infinity,
      heartbeatFailure: 'reconnect',
      heartbeatInterval: 1000,
      reconnectIntervalIncrement: 100,
      maxReconnectInterval: 500,
      connectTimeout: 3000,
    })
    const c = client
    const transitions: string[] = []
    c.on('connectionStateChanged', (state, reason) => {
      transitions.push(`${state}/${reason}`)
      if (state === 'RECONNECTING' || state === 'ERROR')
        count(result.linkDrops, `${state}/${reason}`)
    })
    c.on('error', (error) => {
      reports++
      // `error` frames carry codes of the fuzzer's invention: those are counted together.
      count(result.errorEvents, /^[A-Z_]+$/.test(error.code) ? error.code : '(other codes)')
    })
    c.on('message', (data, from) => {
      if (from === MARKER && typeof data === 'object' && data !== null)
        markSeen = Math.max(markSeen, Number((data as { mark?: unknown }).mark))
      else if (from === 'x' && data === 'final') result.finalDelivered++
    })
    c.on('peerJoined', () => result.peerEvents.joined++)
    c.on('peerUpdated', () => result.peerEvents.updated++)
    c.on('peerLeft', () => result.peerEvents.left++)
    // Not every version of the client has this event: listen without relying on its type.
    ;(c.on as (event: string, handler: () => void) => () => void)('missed', () => {
      result.missedEvents++
    })
    void c.login({ id: SELF_ID })
    const open = () => c.getConnectionState() === 'OPEN' && current?.readyState === WebSocket.OPEN
    const opened = await holdsWithin(open, 5000)
    check(
      result,
      'the client logs in to the hostile server',
      opened,
      `state ${c.getConnectionState()}, ${transitions.join(' → ')}`,
    )
    if (!opened) throw new Error('the client did not reach OPEN; nothing to fuzz')
    const firstHandshakes = handshakes
    phase('setup')

    // Scenario frames spread evenly over the run, random ones around them.
    const scenarios = serverScenarios(rng.fork('scenarios'), ctx)
    const scenarioAt = new Map(
      scenarios.map(
        (make, i) =>
          [Math.floor(((i + 1) * options.frames) / (scenarios.length + 1)), make] as const,
      ),
    )
    const queue: GeneratedFrame[] = []
    const frameAt = (index: number) => {
      if (queue.length === 0) queue.push(...(scenarioAt.get(index)?.() ?? [serverFrame(rng, ctx)]))
      return queue.shift()!
    }
    const deadline = options.timeLimitMs === undefined ? Infinity : started + options.timeLimitMs
    const problems = {
      unexpectedError: [] as string[],
      unrecovered: '',
      missingReports: [] as string[],
    }
    let nextLog = 0
    let crashEvents = 0

    while (result.framesSent < options.frames) {
      if (now() > deadline) {
        result.stoppedEarly = `time limit of ${options.timeLimitMs} ms reached`
        break
      }
      if (crashEvents >= 5) {
        result.stoppedEarly = `stopped after ${crashEvents} crashes`
        break
      }
      const size = Math.min(rng.int(10, 40), options.frames - result.framesSent)
      const batch = Array.from({ length: size }, (_, i) => frameAt(result.framesSent + i))
      const socket = current!
      const before = {
        handshakes,
        crashes: watch.crashes.length,
        reports,
        transitions: transitions.length,
      }
      for (const frame of batch) {
        if (socket.readyState !== WebSocket.OPEN) {
          result.framesUnsent++
          continue
        }
        socket.send(frame.data, { binary: frame.binary })
        count(result.kinds, kindGroup(frame))
        if (frame.kind === 'error/fatal') result.fatalFrames++
        const verdict = documentedVerdict(frame)
        const refused =
          !frame.binary &&
          typeof frame.data === 'string' &&
          decodeAsClient(frame.data) === 'refused'
        if (verdict === 'malformed' && !refused && !frame.binary) {
          result.undocumentedAccepted.count++
          if (result.undocumentedAccepted.samples.length < 5)
            result.undocumentedAccepted.samples.push(
              `${frame.kind}: ${String(frame.data).slice(0, 120)}`,
            )
        } else if (
          verdict !== 'malformed' &&
          verdict !== 'drop' &&
          refused &&
          typeof frame.data === 'string'
        ) {
          result.documentedRefused.count++
          if (result.documentedRefused.samples.length < 5)
            result.documentedRefused.samples.push(`${frame.kind}: ${frame.data.slice(0, 120)}`)
        }
      }
      result.framesSent += size
      result.batches++
      const markNo = result.batches
      if (socket.readyState === WebSocket.OPEN)
        socket.send(JSON.stringify({ t: 'msg', from: MARKER, data: { mark: markNo } }))
      await holdsWithin(
        () =>
          markSeen >= markNo ||
          watch.crashes.length > before.crashes ||
          handshakes > before.handshakes ||
          c.getConnectionState() !== 'OPEN',
        3000,
      )
      const crashed = watch.crashes.length > before.crashes
      if (markSeen >= markNo && !crashed && handshakes === before.handshakes) {
        result.intactBatches++
        const expected = batch.filter(mustReport).length
        const seen = reports - before.reports
        result.expectedReports += expected
        result.reports += seen
        if (seen < expected && problems.missingReports.length < 3)
          problems.missingReports.push(
            `batch ${markNo}: ${seen} error events for ${expected} frames to report (${batch
              .filter(mustReport)
              .map((f) => f.kind)
              .join(', ')})`,
          )
      } else {
        // Something happened to the link: find out what, and get the client back to OPEN.
        if (crashed) {
          crashEvents++
          result.crashRecoveries++
          // A frame threw out of the socket's handler; the socket may be wedged: cut it.
          if (markSeen < markNo) socket.terminate()
        }
        if (c.getConnectionState() === 'ERROR') {
          const legit = batch.some(isFatal)
          if (!legit && problems.unexpectedError.length < 3)
            problems.unexpectedError.push(
              `batch ${markNo}: ERROR/${c.getSnapshot().reason} (${c.getSnapshot().error?.message ?? ''})`,
            )
          c.reconnect()
        } else if (
          !crashed &&
          markSeen < markNo &&
          handshakes === before.handshakes &&
          c.getConnectionState() === 'OPEN'
        ) {
          result.stalls++
          socket.terminate()
        }
        const recovered = await holdsWithin(
          () => open() && (markSeen >= markNo || handshakes > before.handshakes),
          RECOVERY_MS,
        )
        if (!recovered) {
          problems.unrecovered = `after batch ${markNo} (frames ${result.framesSent - size + 1}–${result.framesSent}: ${batch.map((f) => f.kind).join(', ')}) the client was still ${c.getConnectionState()}/${c.getSnapshot().reason} ${RECOVERY_MS / 1000} s later; last states: ${transitions.slice(-4).join(' → ')}`
          result.stoppedEarly = 'the client did not recover'
          break
        }
      }
      if (result.framesSent >= nextLog) {
        log(
          `client: ${result.framesSent}/${options.frames} frames, ${Math.round(now() - started)} ms`,
        )
        nextLog += 5000
      }
    }
    result.reconnects = handshakes - firstHandshakes
    phase('fuzz')

    check(
      result,
      'every frame the client refuses is reported as an error event',
      problems.missingReports.length === 0,
      problems.missingReports.length
        ? problems.missingReports.join('; ')
        : `${result.reports} error events for ${result.expectedReports} frames to report in ${result.intactBatches} whole batches`,
    )
    check(
      result,
      'the client goes to ERROR only after a fatal error frame',
      problems.unexpectedError.length === 0,
      problems.unexpectedError.join('; ') || `${result.fatalFrames} fatal frames sent`,
    )
    check(
      result,
      'the client recovers from whatever it was sent',
      problems.unrecovered === '',
      problems.unrecovered ||
        `${result.reconnects} reconnects, ${result.crashRecoveries} after crashes`,
    )
    check(
      result,
      'every batch is read while the client is OPEN',
      result.stalls === 0,
      `${result.stalls} batches never read within 3 s while OPEN`,
    )

    // Still working: a plain message is delivered (after a reconnect if the link was dropped).
    // (Shorter when the client already failed to recover: that check has failed.)
    const readyWithin = problems.unrecovered ? 3000 : 10_000
    const ready = await holdsWithin(open, readyWithin)
    const finalsBefore = result.finalDelivered
    if (ready) {
      current!.send(JSON.stringify({ t: 'msg', from: 'x', data: 'final' }))
      await holdsWithin(() => result.finalDelivered > finalsBefore, 5000)
      await sleep(200) // a duplicate would arrive now
    }
    check(
      result,
      'the final message is delivered once',
      ready && result.finalDelivered - finalsBefore === 1,
      ready
        ? `delivered ${result.finalDelivered - finalsBefore} times`
        : `the client was not OPEN within ${readyWithin / 1000} s (${c.getConnectionState()}/${c.getSnapshot().reason})`,
    )
    check(
      result,
      'the client answers after the run',
      (() => {
        try {
          c.getPeers()
          c.getSnapshot()
          return true
        } catch {
          return false
        }
      })(),
      `getPeers() and getSnapshot() return (${c.getPeers().size} peers)`,
    )
    noPrototypePollution(result)

    // close() leaves no socket, and no timer opens a new one.
    const connectionsBefore = connections
    c.close()
    const gone = await holdsWithin(() => wss!.clients.size === 0, 3000)
    await sleep(1500)
    result.socketsAfterClose = wss.clients.size + (connections - connectionsBefore)
    result.timersAfterClose = timers() - timersBefore
    check(
      result,
      'close() leaves nothing open',
      gone && result.socketsAfterClose === 0 && c.getConnectionState() === 'CLOSED',
      `${wss.clients.size} sockets still open and ${connections - connectionsBefore} opened in the 1.5 s after close(); state ${c.getConnectionState()}`,
    )
    phase('checks')
  } catch (error) {
    check(result, 'the fuzzer itself ran', false, describe(error))
  } finally {
    client?.close()
    if (wss) {
      for (const ws of wss.clients) ws.terminate()
      await new Promise<void>((resolve) => wss!.close(() => resolve()))
    }
    await sleep(100)
    watch.stop()
    finishWatch(result, watch)
    checkAllSent(result, options.frames)
    phase('teardown')
    result.durationMs = Math.round(now() - started)
  }
  return result
}
