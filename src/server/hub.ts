import type { RawData, WebSocket } from 'ws'
import type { ClientFrame, PeerInfo, ServerFrame } from '../protocol/index.js'
import { parseClientFrame } from './clientFrames.js'
import type { ServerConditions } from './conditions.js'
import type { Connection, HubContext } from './context.js'
import { handleAuth, handleHello } from './handshake.js'
import { CloseCode, presenceJson } from './limits.js'
import type { ResolvedServerOptions } from './options.js'
import { createOutbox } from './outbox.js'
import { peerInfo, Presence, type PeerEntry } from './presence.js'
import { PresenceBatcher } from './presenceBatch.js'
import { SessionTable, type SessionRecord } from './sessions.js'
import type { ServerStats } from './stats.js'

/** The protocol side of the server: sockets in, frames out, no listener of its own. */
export interface Hub {
  attach(ws: WebSocket, origin: string | undefined): void
  /** Whether another socket may be accepted under `maxConnections`. */
  hasRoom(): boolean
  /**
   * Pings idle sockets, cuts sockets past their handshake deadline, announces peers gone
   * silent or not back from a drop, and forgets expired sessions.
   */
  sweep(): void
  /** Cuts every socket, as a network failure would: their peers enter their grace period. */
  cutAll(): void
  /** Cuts every socket and forgets presence without a word (the server is closing). */
  dropAll(): void
  /** Restarts every socket's idle clock, so lifting a blackhole drops nobody by itself. */
  resetIdleClocks(): void
  sendRaw(frame: string | Buffer | Uint8Array, peerId?: string): number
  stats(): ServerStats
  peers(): PeerInfo[]
}

function toText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8')
}

// A bug here must cost one event, never the process: one bad client cannot crash the server.
function guarded<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      handler(...args)
    } catch (error) {
      console.error('linklight server: error while handling a socket event', error)
    }
  }
}

const who = (conn: Connection): string =>
  conn.peer ? `peer ${JSON.stringify(conn.peer.id)}` : 'an unauthenticated socket'

// A slow consumer gets its close frame and this long to take it before the socket is cut.
const CLOSE_GRACE_MS = 1000

// A sweep later than this (and than two intervals) means the server was stalled.
const STALL_MS = 1000

/**
 * How often the hub sweeps: often enough that a silent peer is announced, and a stalled
 * handshake cut, within a quarter of its timeout late, but never busier than every 25 ms when
 * tests use tiny timeouts.
 */
export const sweepInterval = (o: ResolvedServerOptions): number =>
  Math.max(25, Math.min(o.peerTimeout, o.handshakeTimeout) / 4)

/** Creates the protocol side of a server, obeying `conditions` as the faults change them. */
export function createHub(options: ResolvedServerOptions, conditions: ServerConditions): Hub {
  const connections = new Set<Connection>()
  const counters = { messages: 0, duplicates: 0, relays: 0 }
  let lastSweep = Date.now()

  const sendText = (conn: Connection, data: string): void =>
    conn.outbox.push({ kind: 'frame', data })
  const send = (conn: Connection, frame: ServerFrame): void => sendText(conn, JSON.stringify(frame))
  const sendError = (conn: Connection, code: string, message: string): void =>
    send(conn, { t: 'error', code, message })
  // Limits that cut a socket are logged, so an operator sees who hit which.
  const fatal = (conn: Connection, code: string, message: string, closeCode: number): void => {
    console.warn(`linklight server: closed ${who(conn)} with ${closeCode} (${code}): ${message}`)
    send(conn, { t: 'error', code, message, fatal: true })
    hub.close(conn, closeCode, code.toLowerCase())
  }

  const batcher = new PresenceBatcher(() => connections, sendText)

  /** The server is done with `conn` without a word to it: its peer waits out its grace period. */
  function release(conn: Connection): void {
    const { peer } = conn
    const wasAuthenticated = conn.state === 'authenticated'
    conn.state = 'closed'
    conn.outbox.dispose()
    connections.delete(conn)
    if (!wasAuthenticated || peer === null || peer.conn !== conn) return
    peer.conn = null
    peer.graceUntil = conn.lastSeen + options.peerTimeout
  }

  const terminate = (conn: Connection): void => {
    conn.state = 'closed'
    conn.outbox.dispose()
    connections.delete(conn)
    conn.ws.terminate()
  }

  /** The session is no longer a peer: nothing more is numbered for it, and its record may expire. */
  function retire(record: SessionRecord): void {
    record.awaySince = counters.relays
    record.backlog.clear()
    record.expiresAt = Date.now() + options.sessionTimeout
  }

  function replay(conn: Connection, record: SessionRecord, after: number): void {
    const { backlog, relayed } = record
    if (after > relayed) {
      // The client counts relays the server never numbered for it (its record expired or was
      // evicted): numbering starts again from here, and how much was lost is unknown.
      return send(conn, { t: 'missed', upTo: relayed, count: null })
    }
    const firstKept = relayed - backlog.length + 1
    const from = Math.max(after + 1, firstKept)
    const away = record.awaySince === null ? 0 : counters.relays - record.awaySince
    const lost = from - 1 - after + away
    if (lost > 0) send(conn, { t: 'missed', upTo: from - 1, count: lost })
    for (let n = from; n <= relayed; n++)
      sendText(conn, `{"t":"msg","n":${n}${backlog.at(n - firstKept)}`)
  }

  const hub: HubContext = {
    options,
    conditions,
    sessions: new SessionTable(options.resumeBacklog),
    presence: new Presence((frame, about) => batcher.add(frame, about)),
    send,
    sendText,
    close(conn, code, reason) {
      conn.state = 'closed'
      conn.outbox.push({ kind: 'close', code, reason })
    },
    terminate,
    retire,
    replay,
    presenceMark: () => batcher.mark(),
    presenceFrom: (conn, mark) => batcher.startFrom(conn, mark),
  }
  const { presence, sessions } = hub

  function touch(conn: Connection): void {
    conn.lastSeen = Date.now()
    if (conn.peer?.conn === conn) conn.peer.lastSeenAt = conn.lastSeen
  }

  /**
   * Every other peer gets the message, numbered for its session and kept in its backlog — those
   * in their grace period too, so a quick reconnect is replayed what it missed.
   */
  function relay(sender: PeerEntry, dataJson: string): void {
    // Nobody may hear from a peer before hearing that it joined.
    batcher.flush()
    counters.relays++
    const tail = `,"from":${sender.idJson},"data":${dataJson}}`
    for (const peer of presence.entries()) {
      if (peer === sender) continue
      const record = peer.record
      record.relayed++
      record.backlog.push(tail)
      if (peer.conn?.state === 'authenticated')
        sendText(peer.conn, `{"t":"msg","n":${record.relayed}${tail}`)
    }
  }

  function onMsg(
    conn: Connection,
    peer: PeerEntry,
    record: SessionRecord,
    seq: number,
    data: unknown,
  ) {
    // Acks are cumulative: re-acking `lastSeq` tells a resending client everything up to it
    // arrived, so it can prune its whole backlog at once.
    if (seq <= record.lastSeq) {
      counters.duplicates++
      return send(conn, { t: 'ack', seq: record.lastSeq })
    }
    // Only the next message in order is accepted: one that skips ahead means the ones between
    // were lost on the way, and acknowledging it would confirm them too. Asked once per gap.
    if (seq > record.lastSeq + 1) {
      if (conn.resendAskedAt === record.lastSeq) return
      conn.resendAskedAt = record.lastSeq
      return send(conn, { t: 'resend', after: record.lastSeq })
    }
    record.lastSeq = seq
    counters.messages++
    try {
      options.onMessage?.({ from: peer.id, session: peer.session, seq, data })
    } catch (error) {
      console.error('linklight server: onMessage threw; the message is relayed anyway', error)
    }
    relay(peer, JSON.stringify(data))
    send(conn, { t: 'ack', seq })
  }

  function onPresence(conn: Connection, peer: PeerEntry, data: unknown): void {
    const checked = presenceJson(data, options)
    if (!checked.ok) return sendError(conn, 'BAD_FRAME', `${checked.message}; it was not applied`)
    presence.update(peer, checked.json, Date.now())
  }

  function onFrame(conn: Connection, frame: ClientFrame): void {
    switch (frame.t) {
      case 'ping':
        return send(conn, { t: 'pong' })
      case 'hello':
        if (conn.state !== 'awaiting-hello')
          return sendError(conn, 'UNEXPECTED_FRAME', '"hello" was already received on this socket')
        return handleHello(hub, conn, frame)
      case 'auth':
        if (conn.state === 'awaiting-hello')
          return sendError(
            conn,
            'UNEXPECTED_FRAME',
            'send "hello" and wait for "accept" before "auth"',
          )
        if (conn.state !== 'awaiting-auth')
          return sendError(conn, 'UNEXPECTED_FRAME', '"auth" was already received on this socket')
        handleAuth(hub, conn, frame).catch((error: unknown) =>
          console.error('linklight server: error while handling auth', error),
        )
        return
    }
    const { peer, record } = conn
    if (conn.state !== 'authenticated' || peer === null || record === null)
      return sendError(
        conn,
        'NOT_AUTHENTICATED',
        `"${frame.t}" is only allowed after "welcome"; send "auth" first`,
      )
    switch (frame.t) {
      case 'msg':
        return onMsg(conn, peer, record, frame.seq, frame.data)
      case 'presence':
        return onPresence(conn, peer, frame.data)
      case 'replay':
        return replay(conn, record, frame.after)
      case 'bye':
        leave(peer, 'QUIT', Date.now())
        return hub.close(conn, 1000, 'bye')
    }
  }

  function leave(peer: PeerEntry, reason: 'QUIT' | 'DROPPED', now: number): void {
    if (presence.leave(peer, reason, now)) retire(peer.record)
  }

  // Refills at maxFramesPerSecond, holding at most one second's worth.
  function withinRate(conn: Connection, now: number): boolean {
    const rate = options.maxFramesPerSecond
    if (rate === Infinity) return true
    conn.tokens = Math.min(rate, conn.tokens + ((now - conn.tokensAt) * rate) / 1000)
    conn.tokensAt = now
    if (conn.tokens < 1) return false
    conn.tokens--
    return true
  }

  function onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conditions.blackholed || conn.state === 'closed') return
    touch(conn)
    if (!withinRate(conn, conn.lastSeen))
      return fatal(
        conn,
        'RATE_LIMITED',
        `more than ${options.maxFramesPerSecond} frames per second; reconnect and send slower`,
        CloseCode.RATE_LIMITED,
      )
    if (isBinary)
      return sendError(conn, 'BAD_FRAME', 'binary frames are not part of the linklight protocol')
    let frame: ClientFrame
    try {
      frame = parseClientFrame(toText(data), options)
    } catch (error) {
      return sendError(conn, 'BAD_FRAME', (error as Error).message)
    }
    onFrame(conn, frame)
  }

  function onClose(conn: Connection, code: number): void {
    const { peer, record } = conn
    const wasAuthenticated = conn.state === 'authenticated' && peer?.conn === conn
    release(conn)
    if (!wasAuthenticated || peer === null || record === null) return
    // Anything but a clean close may be a network blip: `release` kept the peer for one peer
    // timeout (counted from when it was last heard), so a quick reconnect is invisible.
    if (code === 1000) leave(peer, 'QUIT', Date.now())
  }

  function slowConsumer(conn: Connection): void {
    console.warn(
      `linklight server: cut ${who(conn)} with ${CloseCode.SLOW_CONSUMER}: more than ${options.maxBufferedBytes} bytes waited to be written to it`,
    )
    release(conn)
    const { ws } = conn
    try {
      ws.close(CloseCode.SLOW_CONSUMER, 'slow consumer: read faster or reconnect')
    } catch {
      // already closing
    }
    setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref()
  }

  return {
    attach(ws, origin) {
      const now = Date.now()
      const conn: Connection = {
        ws,
        outbox: createOutbox(ws, conditions, options.maxBufferedBytes, () => slowConsumer(conn)),
        origin,
        openedAt: now,
        state: 'awaiting-hello',
        session: null,
        received: 0,
        peer: null,
        record: null,
        lastSeen: now,
        resendAskedAt: -1,
        tokens: options.maxFramesPerSecond,
        tokensAt: now,
      }
      connections.add(conn)
      ws.on(
        'message',
        guarded((data: RawData, isBinary: boolean) => onMessage(conn, data, isBinary)),
      )
      ws.on(
        'close',
        guarded((code: number) => onClose(conn, code)),
      )
      // The server runs with autoPong off so that blackhole and delay apply to pongs too.
      ws.on(
        'ping',
        guarded((data: Buffer) => {
          if (conditions.blackholed || conn.state === 'closed') return
          touch(conn)
          conn.outbox.push({ kind: 'pong', data })
        }),
      )
      ws.on(
        'pong',
        guarded(() => {
          if (!conditions.blackholed) touch(conn)
        }),
      )
      // ws follows every socket error (bad UTF-8, oversized frame…) with 'close': cleanup is there.
      ws.on('error', () => {})
      send(conn, { t: 'challenge' })
    },

    hasRoom: () => connections.size < options.maxConnections,

    sweep() {
      const now = Date.now()
      // A sweep this late means the server itself was stalled (a burst of work blocked its
      // event loop): what its sockets sent meanwhile is still unread, so their silence is ours,
      // not theirs. Nobody is cut this round; the next one, on time, decides.
      const stalled = now - lastSweep > Math.max(2 * sweepInterval(options), STALL_MS)
      lastSweep = now
      if (conditions.blackholed || stalled) return
      for (const conn of [...connections]) {
        if (conn.state === 'closed') continue
        // Pongs keep a socket alive, never unauthenticated: the handshake has a deadline.
        if (conn.state !== 'authenticated' && now - conn.openedAt >= options.handshakeTimeout) {
          fatal(
            conn,
            'HANDSHAKE_TIMEOUT',
            `"hello" and "auth" must be done within ${options.handshakeTimeout} ms`,
            CloseCode.HANDSHAKE_TIMEOUT,
          )
          continue
        }
        const idle = now - conn.lastSeen
        if (idle >= options.peerTimeout) {
          const peer = conn.state === 'authenticated' ? conn.peer : null
          terminate(conn)
          if (peer?.conn === conn) leave(peer, 'DROPPED', now)
        } else if (idle > options.peerTimeout / 4) {
          // Browsers and ws answer protocol pings by themselves, so an idle but healthy
          // client always has something to show before its timeout.
          conn.outbox.push({ kind: 'ping' })
        }
      }
      for (const peer of presence.expired(now)) leave(peer, 'DROPPED', now)
      sessions.expire(now)
    },

    cutAll() {
      for (const conn of [...connections]) {
        release(conn)
        conn.ws.terminate()
      }
    },

    dropAll() {
      for (const conn of [...connections]) terminate(conn)
      presence.clear()
      batcher.dispose()
    },

    resetIdleClocks() {
      const now = Date.now()
      for (const conn of connections) conn.lastSeen = now
    },

    sendRaw(frame, peerId) {
      const isTarget = (conn: Connection | null | undefined): conn is Connection =>
        conn?.state === 'authenticated'
      const targets = peerId === undefined ? [...connections] : [presence.get(peerId)?.conn]
      const reached = targets.filter(isTarget)
      for (const conn of reached) conn.outbox.push({ kind: 'frame', data: frame })
      return reached.length
    },

    stats: () => ({
      connections: connections.size,
      peers: presence.size,
      sessions: sessions.size,
      messages: counters.messages,
      duplicates: counters.duplicates,
    }),

    peers: () => [...presence.entries()].map(peerInfo),
  }
}
