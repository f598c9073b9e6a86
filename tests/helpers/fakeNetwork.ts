import type { WebSocketConstructor, WebSocketLike } from '../../src/core/options.js'
import type { ClientFrame, PeerInfo, ServerFrame } from '../../src/core/protocol.js'
import type { FakeClock } from './fakeClock.js'

/**
 * A scripted linklight server behind a fake WebSocket, on the fake clock. Frames travel with
 * `latency` ms (0 by default: they arrive on the next `advance`). Switches model the faults:
 * `up` (refuse connections), `silent` (accept and say nothing), `answerPings`, `rejectWith`,
 * `redirectTo`.
 */
export function createFakeNetwork(fake: FakeClock, latency = 0) {
  const later = (fn: () => void) => fake.clock.setTimeout(fn, latency)
  const net = {
    up: true,
    silent: false,
    answerPings: true,
    acks: true,
    rejectWith: null as null | { reason: string; message?: string },
    redirectTo: null as null | string,
    peers: [] as PeerInfo[],
    lastSeq: 0,
    sockets: [] as FakeSocket[],
    /** Every frame a client sent, decoded, with the socket it came on. */
    received: [] as { socket: FakeSocket; frame: ClientFrame }[],
    get last() {
      return net.sockets[net.sockets.length - 1]!
    },
    /** Sockets the client has not closed and the server has not dropped. */
    get live() {
      return net.sockets.filter((s) => s.readyState === 1 || s.readyState === 0)
    },
    WebSocket: undefined as unknown as WebSocketConstructor,
  }

  class FakeSocket implements WebSocketLike {
    onopen: WebSocketLike['onopen'] = null
    onmessage: WebSocketLike['onmessage'] = null
    onclose: WebSocketLike['onclose'] = null
    onerror: WebSocketLike['onerror'] = null
    readyState = 0
    sent: string[] = []
    closedByClient: { code?: number; reason?: string } | null = null
    readonly createdAt = fake.now()
    constructor(readonly url: string) {
      net.sockets.push(this)
      later(() => {
        if (this.readyState !== 0) return
        if (!net.up) return this.drop(1006)
        this.readyState = 1
        this.onopen?.({})
        if (!net.silent) this.push({ t: 'challenge' })
      })
    }
    send(text: string) {
      if (this.readyState !== 1) throw new Error('fake socket is not open')
      this.sent.push(text)
      const frame = JSON.parse(text) as ClientFrame
      net.received.push({ socket: this, frame })
      // Only frames that get an answer schedule one, so a test can count the client's own timers.
      if (net.silent || !['hello', 'auth', 'ping', 'msg'].includes(frame.t)) return
      later(() => this.answer(frame))
    }
    close(code?: number, reason?: string) {
      this.closedByClient = {
        ...(code !== undefined && { code }),
        ...(reason !== undefined && { reason }),
      }
      this.readyState = 3
    }
    /** The server sends a frame (an object) or raw text. */
    push(frame: ServerFrame | string) {
      if (this.readyState !== 1) return
      this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) })
    }
    /** The connection dies under the client (server killed, network gone). */
    drop(code = 1006, reason = '') {
      if (this.readyState === 3) return
      this.readyState = 3
      this.onerror?.({})
      this.onclose?.({ code, reason })
    }
    private answer(frame: ClientFrame) {
      if (this.readyState !== 1 || net.silent) return
      switch (frame.t) {
        case 'hello':
          if (net.redirectTo && frame.url !== net.redirectTo)
            return this.push({ t: 'redirect', url: net.redirectTo })
          return this.push({ t: 'accept', maxPayload: 1 << 20 })
        case 'auth':
          if (net.rejectWith) return this.push({ t: 'rejected', ...net.rejectWith } as ServerFrame)
          return this.push({ t: 'welcome', id: 'me', lastSeq: net.lastSeq, peers: net.peers })
        case 'ping':
          if (net.answerPings) this.push({ t: 'pong' })
          return
        case 'msg':
          if (frame.seq > net.lastSeq) net.lastSeq = frame.seq
          if (net.acks) this.push({ t: 'ack', seq: frame.seq })
          return
      }
    }
  }

  net.WebSocket = FakeSocket
  /** Kill every live socket, as a dying server would. */
  const killAll = (code = 1006) => {
    for (const socket of net.live) socket.drop(code)
  }
  const framesOf = <T extends ClientFrame['t']>(t: T) =>
    net.received
      .filter((r) => r.frame.t === t)
      .map((r) => r.frame as Extract<ClientFrame, { t: T }>)
  return Object.assign(net, { killAll, framesOf })
}

export type FakeNetwork = ReturnType<typeof createFakeNetwork>
export type FakeSocket = FakeNetwork['sockets'][number]
