/**
 * The parts of `npm run soak` that are not the run itself: its settings, a seeded random
 * source, bounded waits, a network link the harness can cut, and the tallies the figures come
 * from. Nothing here knows linklight's internals: the soak measures from the outside.
 */
import { WebSocket } from 'ws'
import type { WebSocketConstructor } from '../src/index.js'

export interface SoakSettings {
  /** Messages the sender sends, `{ k: 0 }` … `{ k: messages - 1 }`. */
  readonly messages: number
  /** Faults injected while they are sent. */
  readonly faults: number
  /** Seed of every random choice, so a run can be repeated. */
  readonly seed: number
  /** Print every fault and every client state change as they happen. */
  readonly verbose: boolean
}

function envInteger(name: string, fallback: number, min: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < min)
    throw new TypeError(`soak: ${name} must be an integer ≥ ${min} (got ${JSON.stringify(raw)})`)
  return value
}

/**
 * SOAK_MESSAGES (default 10,000), SOAK_FAULTS (default 100), SOAK_SEED (default 1) and
 * SOAK_VERBOSE (set to 1 for a line per fault and per client state change).
 */
export const readSettings = (): SoakSettings => ({
  messages: envInteger('SOAK_MESSAGES', 10_000, 1),
  faults: envInteger('SOAK_FAULTS', 100, 0),
  seed: envInteger('SOAK_SEED', 1, 0),
  verbose: envInteger('SOAK_VERBOSE', 0, 0) > 0,
})

/** A line-printer that stamps each line with the seconds since it was made; silent when off. */
export function createTrace(enabled: boolean): (line: string) => void {
  const startedAt = Date.now()
  if (!enabled) return () => {}
  return (line) =>
    console.log(`  ${((Date.now() - startedAt) / 1000).toFixed(2).padStart(7)} s  ${line}`)
}

export interface Random {
  /** A number in [0, 1). */
  next(): number
  /** An integer in [min, max]. */
  between(min: number, max: number): number
  /** The same items in a new order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[]
}

/** mulberry32: tiny, fast and good enough to pick faults; the same seed gives the same run. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const between = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    between,
    shuffle(items) {
      const copy = [...items]
      for (let i = copy.length - 1; i > 0; i--) {
        const j = between(0, i)
        ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
      }
      return copy
    },
  }
}

/**
 * A last resort against a hung harness: checks `activity()` every second and exits the process
 * with 1 if it has not changed for `idleMs`. The timer never keeps the process alive by itself.
 */
export function exitIfIdle(activity: () => string, idleMs: number) {
  let last = activity()
  let lastChange = Date.now()
  setInterval(() => {
    const now = activity()
    if (now !== last) [last, lastChange] = [now, Date.now()]
    else if (Date.now() - lastChange > idleMs) {
      console.error(`soak: nothing moved for ${idleMs / 1000} s; the harness is stuck (${now})`)
      process.exit(1)
    }
  }, 1000).unref()
}

/**
 * One client's own network, under the harness' control: the WebSocket constructor to give the
 * client, and a switch that takes the link down. Going down cuts the current socket at once (no
 * close frame: the server sees 1006, as when a phone loses its signal) and, while down, aborts
 * every socket the client opens, so the client stays away until the link is up again.
 */
export interface Link {
  readonly WebSocket: WebSocketConstructor
  /** Sockets the client has opened so far. */
  readonly opened: number
  setDown(down: boolean): void
}

export function createLink(): Link {
  let current: WebSocket | null = null
  let down = false
  let opened = 0
  const adopt = (socket: WebSocket) => {
    current = socket
    opened++
    // The client attaches its handlers right after the constructor returns, and `ws` reports
    // the aborted handshake on the next tick, so the client sees an ordinary failed attempt.
    if (down) socket.terminate()
  }
  class LinkedWebSocket extends WebSocket {
    constructor(url: string) {
      super(url)
      adopt(this)
    }
  }
  return {
    WebSocket: LinkedWebSocket,
    get opened() {
      return opened
    },
    setDown(on) {
      down = on
      if (on) current?.terminate()
    },
  }
}

/** What one receiver got, message by message. */
export class ReceiverTally {
  private readonly counts: Uint32Array
  private highest = -1
  /** Messages received, duplicates included. */
  receipts = 0
  /** Distinct messages received. */
  unique = 0
  /** Receipts of a message already received. */
  duplicated = 0
  /** First receipts of a message lower than one received before it: out of order. */
  reordered = 0
  /** `missed` events from the client, and the relays they said were lost (`null`: unknown). */
  missedEvents = 0
  missedCounts: (number | null)[] = []

  constructor(messages: number) {
    this.counts = new Uint32Array(messages)
  }

  record(k: number) {
    this.receipts++
    const before = this.counts[k]!
    this.counts[k] = before + 1
    if (before > 0) {
      this.duplicated++
      return
    }
    this.unique++
    // Only first receipts count here, so a duplicate is never also counted as reordered.
    if (k < this.highest) this.reordered++
    else this.highest = k
  }

  has = (k: number) => this.counts[k]! > 0
}

/** A set of message numbers, counted as they are added (acks, server acceptances). */
export class MessageSet {
  private readonly flags: Uint8Array
  /** Calls of `add`, repeats included. */
  calls = 0
  size = 0

  constructor(messages: number) {
    this.flags = new Uint8Array(messages)
  }

  add(k: number) {
    this.calls++
    if (this.flags[k]) return
    this.flags[k] = 1
    this.size++
  }

  has = (k: number) => this.flags[k] === 1
}

/** The message number in `{ k }`, or `null` for anything else (someone else's traffic). */
export function messageNumber(data: unknown, messages: number): number | null {
  const k = (data as { k?: unknown } | null)?.k
  return typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < messages ? k : null
}

/** The message numbers in [0, messages) for which `test` holds. */
export function numbersWhere(messages: number, test: (k: number) => boolean): number[] {
  const found: number[] = []
  for (let k = 0; k < messages; k++) if (test(k)) found.push(k)
  return found
}

/** Up to `max` numbers for a report line, with how many more there are. */
export const sample = (numbers: readonly number[], max = 12) =>
  numbers.slice(0, max).join(', ') + (numbers.length > max ? `, … (${numbers.length} in all)` : '')
