import type { RawData, WebSocket } from 'ws'
import type { ClientFrame, PeerInfo, ServerFrame } from '../core/protocol.js'
import { parseClientFrame } from './clientFrames.js'
import type { ServerConditions } from './conditions.js'
import type { Connection, HubContext } from './context.js'
import { handleAuth, handleHello } from './handshake.js'
import type { ResolvedServerOptions } from './options.js'
import { createOutbox } from './outbox.js'
import { Presence, type PeerEntry } from './presence.js'
import { SessionTable, type SessionRecord } from './sessions.js'
import type { ServerStats } from './stats.js'

/** The protocol side of the server: sockets in, frames out, no listener of its own. */
export interface Hub {
  attach(ws: WebSocket, origin: string | undefined): void
  /** Pings idle sockets and announces peers gone silent or not back from a drop. */
  sweep(): void
  /** Cuts every socket and forgets presence without a word (kill, close). */
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

/** Creates the protocol side of a server, obeying `conditions` as the faults change them. */
export function createHub(options: ResolvedServerOptions, conditions: ServerConditions): Hub {
  const connections = new Set<Connection>()
  const counters = { messages: 0, duplicates: 0 }

  const send = (conn: Connection, frame: ServerFrame): void =>
    conn.outbox.push({ kind: 'frame', data: JSON.stringify(frame) })
  const sendError = (conn: Connection, code: string, message: string): void =>
    send(conn, { t: 'error', code, message })
  const broadcast = (frame: ServerFrame, except: string): void => {
    const data = JSON.stringify(frame)
    for (const conn of connections)
      if (conn.state === 'authenticated' && conn.peer?.id !== except)
        conn.outbox.push({ kind: 'frame', data })
  }
  const terminate = (conn: Connection): void => {
    conn.state = 'closed'
    conn.outbox.dispose()
    connections.delete(conn)
    conn.ws.terminate()
  }

  const hub: HubContext = {
    options,
    conditions,
    sessions: new SessionTable(),
    presence: new Presence(broadcast),
    send,
    close(conn, code, reason) {
      conn.state = 'closed'
      conn.outbox.push({ kind: 'close', code, reason })
    },
    terminate,
  }
  const { presence } = hub

  function touch(conn: Connection): void {
    conn.lastSeen = Date.now()
    if (conn.peer?.conn === conn) conn.peer.lastSeenAt = conn.lastSeen
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
    record.lastSeq = seq
    counters.messages++
    try {
      options.onMessage?.({ from: peer.id, session: peer.session, seq, data })
    } catch (error) {
      console.error('linklight server: onMessage threw; the message is relayed anyway', error)
    }
    broadcast({ t: 'msg', from: peer.id, data }, peer.id)
    send(conn, { t: 'ack', seq })
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
        return presence.update(peer, frame.data, Date.now())
      case 'bye':
        presence.leave(peer, 'QUIT', Date.now())
        return hub.close(conn, 1000, 'bye')
    }
  }

  function onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conditions.blackholed || conn.state === 'closed') return
    touch(conn)
    if (isBinary)
      return sendError(conn, 'BAD_FRAME', 'binary frames are not part of the linklight protocol')
    let frame: ClientFrame
    try {
      frame = parseClientFrame(toText(data), options.maxPayload)
    } catch (error) {
      return sendError(conn, 'BAD_FRAME', (error as Error).message)
    }
    onFrame(conn, frame)
  }

  function onClose(conn: Connection, code: number): void {
    connections.delete(conn)
    conn.outbox.dispose()
    const { peer } = conn
    const wasAuthenticated = conn.state === 'authenticated'
    conn.state = 'closed'
    if (!wasAuthenticated || peer === null || peer.conn !== conn) return
    if (code === 1000) return presence.leave(peer, 'QUIT', Date.now())
    // Anything but a clean close may be a network blip: keep the peer for one peer timeout
    // (counted from when it was last heard) so a quick reconnect is invisible to the others.
    peer.conn = null
    peer.graceUntil = conn.lastSeen + options.peerTimeout
  }

  return {
    attach(ws, origin) {
      const conn: Connection = {
        ws,
        outbox: createOutbox(ws, conditions),
        origin,
        state: 'awaiting-hello',
        session: null,
        peer: null,
        record: null,
        lastSeen: Date.now(),
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

    sweep() {
      if (conditions.blackholed) return
      const now = Date.now()
      for (const conn of [...connections]) {
        const idle = now - conn.lastSeen
        if (idle >= options.peerTimeout) {
          const peer = conn.state === 'authenticated' ? conn.peer : null
          terminate(conn)
          if (peer?.conn === conn) presence.leave(peer, 'DROPPED', now)
        } else if (idle > options.peerTimeout / 4) {
          // Browsers and ws answer protocol pings by themselves, so an idle but healthy
          // client always has something to show before its timeout.
          conn.outbox.push({ kind: 'ping' })
        }
      }
      for (const peer of presence.expired(now)) presence.leave(peer, 'DROPPED', now)
    },

    dropAll() {
      for (const conn of [...connections]) terminate(conn)
      presence.clear()
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
      messages: counters.messages,
      duplicates: counters.duplicates,
    }),

    peers: () => presence.list(),
  }
}
