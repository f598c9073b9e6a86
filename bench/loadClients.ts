/**
 * The clients of `npm run bench:load`: raw `ws` sockets speaking just enough of the linklight
 * protocol (docs/protocol.md) to join one room, keep a peer list and relay messages. Far
 * cheaper than full linklight clients, so that what gets loaded is the server.
 */
import { randomBytes } from 'node:crypto'
import { WebSocket, type RawData } from 'ws'
import { PROTOCOL_VERSION } from '../src/core/protocol.js'

/** Frames received by all clients during one phase. */
export class Tally {
  frames = 0
  /** WebSocket payload bytes. */
  bytes = 0
  /** Payload plus the WebSocket frame header (server frames are unmasked: 2, 4 or 10 bytes). */
  wireBytes = 0
  /** `joined`, `updated` and `left` applied, whether sent alone or inside a `batch`. */
  presenceChanges = 0
  readonly byType: Record<string, number> = {}

  add(type: string, payload: number): void {
    this.frames++
    this.bytes += payload
    this.wireBytes += payload + (payload > 65_535 ? 10 : payload > 125 ? 4 : 2)
    this.byType[type] = (this.byType[type] ?? 0) + 1
  }
}

/** The fields of server frames this client reads; anything else is ignored. */
interface Incoming {
  t?: unknown
  id?: unknown
  peer?: { id?: unknown }
  peers?: { id?: unknown }[]
  frames?: Incoming[]
  from?: unknown
  seq?: unknown
  data?: { at?: unknown }
  code?: unknown
  message?: unknown
  reason?: unknown
}

interface RoomClient {
  readonly index: number
  readonly id: string
  readonly ws: WebSocket
  readonly startedAt: number
  welcomedAt: number | null
  /** `seen[j]` is 1 when `c<j>` is in this client's peer list: cheaper than 2,000 Sets. */
  readonly seen: Uint8Array
  known: number
  /** Peers whose id is none of the room's (there should be none). */
  foreign: Set<string> | null
  complete: boolean
  closed: boolean
  /** Set on the clients that send in the relay phase. */
  outbox: { sent: number; acked: number; readonly total: number; readonly window: number } | null
}

/** Relay figures: how many of the expected deliveries arrived and how late. */
export interface RelayTally {
  expected: number
  delivered: number
  acksExpected: number
  acks: number
  /** Copies delivered back to their own sender (there should be none). */
  echoes: number
  startedAt: number
  lastDeliveryAt: number | null
  /** Delivery latency histogram, one bucket per millisecond (the last one holds the rest). */
  latency: Uint32Array
}

/** The `q`-quantile of a millisecond histogram. */
export function histogramQuantile(histogram: Uint32Array, q: number): number | null {
  let total = 0
  for (const count of histogram) total += count
  if (total === 0) return null
  const rank = Math.ceil(q * total)
  let seen = 0
  for (let ms = 0; ms < histogram.length; ms++) {
    seen += histogram[ms]!
    if (seen >= rank) return ms
  }
  return histogram.length - 1
}

/**
 * `size` clients `c0`…`c<size-1>` in the room of the server at `url`. Anything that means the
 * figures cannot be trusted (a socket closed by the server, an `error`, `rejected` or
 * `redirect` frame) is recorded in `problems` and fails the wait in progress.
 */
export class Room {
  readonly clients: RoomClient[] = []
  /** Where received frames are counted; swapped between phases. */
  tally = new Tally()
  relay: RelayTally | null = null
  readonly problems: string[] = []
  /** Surprises that do not invalidate the figures (frames for unknown ids, and so on). */
  readonly oddities: Record<string, number> = {}
  /** WebSocket pings from the server (it pings sockets idle for a quarter of its peer timeout). */
  pings = 0
  firstConnectAt: number | null = null
  welcomed = 0
  allWelcomedAt: number | null = null
  complete = 0
  allSeeAllAt: number | null = null
  #closed = 0
  #stopping = false
  #waiter: {
    check: () => boolean
    failFast: boolean
    resolve: (done: boolean) => void
    reject: (error: Error) => void
  } | null = null

  constructor(
    readonly url: string,
    readonly size: number,
    readonly latencyBuckets: number,
  ) {}

  /**
   * Connects every client, `concurrency` handshakes at a time (each one is over at `welcome`,
   * so none waits long on a busy server). Resolves once each has been welcomed or closed.
   */
  async connectAll(concurrency: number): Promise<void> {
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < this.size && !this.#stopping) await this.#connect(next++)
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, this.size) }, worker))
  }

  /**
   * Resolves `true` once `check()` holds (it is checked after every frame and close), `false`
   * after `timeoutMs`; unless `failFast` is false, rejects as soon as a problem is recorded.
   */
  waitUntil(check: () => boolean, timeoutMs: number, failFast = true): Promise<boolean> {
    if (failFast && this.problems.length > 0) return Promise.reject(new Error(this.problems[0]))
    if (check()) return Promise.resolve(true)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(() => resolve(false)), timeoutMs)
      const settle = (then: () => void): void => {
        clearTimeout(timer)
        this.#waiter = null
        then()
      }
      this.#waiter = {
        check,
        failFast,
        resolve: (done) => settle(() => resolve(done)),
        reject: (error) => settle(() => reject(error)),
      }
    })
  }

  /**
   * `senders` clients (spread over the room) send `messages` messages each, at most `window`
   * of them unacknowledged: the server acks a message once it has relayed it to everyone, so
   * the senders go as fast as the server relays. (Sent all at once, 2,000 messages × 1,999
   * receivers are one block of work that stalls the server's event loop for tens of seconds,
   * sweeps and pings included.) Every other client should receive each message.
   */
  startRelays(senders: number, messages: number, window: number): RelayTally {
    const relay: RelayTally = {
      expected: senders * messages * (this.size - 1),
      delivered: 0,
      acksExpected: senders * messages,
      acks: 0,
      echoes: 0,
      startedAt: performance.now(),
      lastDeliveryAt: null,
      latency: new Uint32Array(this.latencyBuckets),
    }
    this.relay = relay
    for (let k = 0; k < senders; k++) {
      const client = this.clients[Math.floor((k * this.size) / senders)]!
      client.outbox = { sent: 0, acked: 0, total: messages, window }
      this.#sendMore(client)
    }
    return relay
  }

  /** From now on sockets are expected to close: call it before stopping the server. */
  expectClose(): void {
    this.#stopping = true
  }

  /** Cuts every socket still open; resolves `false` if some did not close within `timeoutMs`. */
  async close(timeoutMs: number): Promise<boolean> {
    this.expectClose()
    for (const client of this.clients) if (!client.closed) client.ws.terminate()
    return this.waitUntil(() => this.#closed === this.clients.length, timeoutMs, false)
  }

  #problem(message: string): void {
    this.problems.push(message)
    if (this.#waiter?.failFast) this.#waiter.reject(new Error(message))
  }

  #odd(what: string): void {
    this.oddities[what] = (this.oddities[what] ?? 0) + 1
  }

  #connect(index: number): Promise<void> {
    return new Promise((resolve) => {
      const now = performance.now()
      this.firstConnectAt ??= now
      const ws = new WebSocket(this.url, { perMessageDeflate: false })
      const client: RoomClient = {
        index,
        id: `c${index}`,
        ws,
        startedAt: now,
        welcomedAt: null,
        seen: new Uint8Array(this.size),
        known: 0,
        foreign: null,
        complete: false,
        closed: false,
        outbox: null,
      }
      this.clients.push(client)
      const session = randomBytes(16).toString('hex')
      ws.on('message', (data: RawData, isBinary: boolean) => {
        const payload = data as Buffer
        if (isBinary) {
          this.tally.add('binary', payload.length)
          return this.#odd('binary frame')
        }
        let frame: Incoming
        try {
          frame = JSON.parse(payload.toString('utf8')) as Incoming
        } catch {
          this.tally.add('unparsable', payload.length)
          return this.#odd('frame that is not JSON')
        }
        this.tally.add(typeof frame.t === 'string' ? frame.t : '?', payload.length)
        switch (frame.t) {
          case 'challenge':
            return ws.send(
              JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, url: this.url, session }),
            )
          case 'accept':
            return ws.send(
              JSON.stringify({
                t: 'auth',
                credentials: { id: client.id },
                presence: { name: `Load client ${index}` },
              }),
            )
          case 'welcome':
            this.#welcome(client, frame)
            resolve()
            break
          case 'msg':
            this.#relayed(client, frame)
            break
          case 'ack':
            this.#acked(client, frame.seq)
            break
          case 'error':
          case 'rejected':
          case 'redirect':
            return this.#problem(
              `${client.id} got ${JSON.stringify(frame).slice(0, 300)}: the bench or the server is broken`,
            )
          default:
            if (!this.#presence(client, frame)) this.#odd(`frame "${String(frame.t)}"`)
        }
        this.#recheck(client)
      })
      // ws answers them by itself; counted to see that the server's liveness checks get through.
      ws.on('ping', () => this.pings++)
      ws.on('error', (error) => {
        if (!this.#stopping) this.#problem(`${client.id}: socket error: ${error.message}`)
      })
      ws.on('close', (code: number, reason: Buffer) => {
        client.closed = true
        this.#closed++
        resolve()
        if (!this.#stopping)
          this.#problem(
            `${client.id} was closed by the server (code ${code}${reason.length ? `, ${reason.toString()}` : ''})`,
          )
        else this.#poke()
      })
    })
  }

  #welcome(client: RoomClient, frame: Incoming): void {
    // welcome replaces the whole list (docs/protocol.md).
    client.seen.fill(0)
    client.known = 0
    client.foreign = null
    for (const peer of frame.peers ?? []) this.#add(client, peer.id)
    if (client.welcomedAt === null) {
      client.welcomedAt = performance.now()
      if (++this.welcomed === this.size) this.allWelcomedAt = client.welcomedAt
    }
  }

  /** Applies a `joined`, `updated`, `left` or `batch` of them; `false` for any other frame. */
  #presence(client: RoomClient, frame: Incoming): boolean {
    switch (frame.t) {
      case 'joined':
      case 'updated':
        this.tally.presenceChanges++
        this.#add(client, frame.peer?.id)
        return true
      case 'left':
        this.tally.presenceChanges++
        this.#remove(client, frame.id)
        return true
      case 'batch':
        for (const inner of frame.frames ?? [])
          if (inner.t === 'batch' || !this.#presence(client, inner))
            this.#odd(`frame "${String(inner.t)}" inside a batch`)
        return true
      default:
        return false
    }
  }

  #indexOf(id: string): number {
    if (!id.startsWith('c')) return -1
    const index = Number(id.slice(1))
    return Number.isInteger(index) && index >= 0 && index < this.size ? index : -1
  }

  #add(client: RoomClient, id: unknown): void {
    if (typeof id !== 'string') return this.#odd('presence frame without a peer id')
    // The server may tell a client about itself (a batch built for everyone): not a peer.
    if (id === client.id) return
    const index = this.#indexOf(id)
    if (index >= 0) {
      if (client.seen[index] === 0) {
        client.seen[index] = 1
        client.known++
      }
    } else {
      ;(client.foreign ??= new Set()).add(id)
      this.#odd('peer with an id of no client')
    }
  }

  #remove(client: RoomClient, id: unknown): void {
    if (typeof id !== 'string') return this.#odd('left frame without an id')
    const index = this.#indexOf(id)
    if (index >= 0 && client.seen[index] === 1) {
      client.seen[index] = 0
      client.known--
    } else if (!client.foreign?.delete(id)) this.#odd('left for a peer not in the list')
  }

  #relayed(client: RoomClient, frame: Incoming): void {
    const relay = this.relay
    if (!relay) return this.#odd('msg before the relay phase')
    if (frame.from === client.id) {
      relay.echoes++
      return
    }
    relay.delivered++
    const now = performance.now()
    const at = frame.data?.at
    if (typeof at === 'number') {
      const bucket = Math.min(Math.floor(now - at), relay.latency.length - 1)
      relay.latency[Math.max(0, bucket)]!++
    }
    if (relay.delivered === relay.expected) relay.lastDeliveryAt = now
  }

  #sendMore(client: RoomClient): void {
    const outbox = client.outbox
    if (!outbox) return
    while (outbox.sent < outbox.total && outbox.sent - outbox.acked < outbox.window) {
      const seq = ++outbox.sent
      client.ws.send(JSON.stringify({ t: 'msg', seq, data: { at: performance.now() } }))
    }
  }

  #acked(client: RoomClient, seq: unknown): void {
    const outbox = client.outbox
    if (!this.relay || !outbox) return this.#odd('ack for no message')
    this.relay.acks++
    // Acks are cumulative (docs/protocol.md).
    if (typeof seq === 'number' && seq > outbox.acked) outbox.acked = Math.min(seq, outbox.sent)
    this.#sendMore(client)
  }

  #recheck(client: RoomClient): void {
    const complete = client.welcomedAt !== null && client.known === this.size - 1
    if (complete !== client.complete) {
      client.complete = complete
      this.complete += complete ? 1 : -1
      if (this.complete === this.size && this.allSeeAllAt === null)
        this.allSeeAllAt = performance.now()
    }
    this.#poke()
  }

  #poke(): void {
    if (this.#waiter?.check()) this.#waiter.resolve(true)
  }
}
