/**
 * One loopback server per protocol, each recording the numbered messages it receives: a plain
 * `ws` echo/heartbeat server for the WebSocket libraries, linklight's reference server, and a
 * socket.io server. None of them closes idle links by itself except where the protocol does
 * (socket.io's ping timeout, the reference server's `peerTimeout`).
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server as SocketIoServer } from 'socket.io'
import { WebSocketServer, type WebSocket } from 'ws'
import { createServer as createReferenceServer } from '../../src/server/index.js'

/** What every bench server offers. */
export interface BenchServer {
  readonly port: number
  /** Numbered messages received, in arrival order (duplicates included). */
  readonly received: number[]
  close(): Promise<void>
}

const numberIn = (value: unknown): number | null => {
  const n = typeof value === 'number' ? value : Number(value)
  return Number.isInteger(n) ? n : null
}

/** `ws` server: answers the text `ping` with `pong`, records `n:<i>` messages, can broadcast. */
export interface EchoServer extends BenchServer {
  /** Sends `count` text frames to every client. */
  broadcast(count: number): void
}

export async function startEchoServer(): Promise<EchoServer> {
  const received: number[] = []
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  wss.on('connection', (socket: WebSocket) => {
    socket.on('error', () => socket.terminate())
    socket.on('message', (raw) => {
      const text = String(raw)
      if (text === 'ping') socket.send('pong')
      else if (text.startsWith('n:')) {
        const n = numberIn(text.slice(2))
        if (n !== null) received.push(n)
      }
    })
  })
  return {
    port: (wss.address() as AddressInfo).port,
    received,
    broadcast(count) {
      for (const client of wss.clients) for (let i = 0; i < count; i++) client.send(`m:${i}`)
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  }
}

/** linklight's reference server; messages are `send(n)` from the client. */
export async function startLinklightServer(): Promise<BenchServer> {
  const received: number[] = []
  const server = await createReferenceServer({
    port: 0,
    host: '127.0.0.1',
    onMessage: ({ data }) => {
      const n = numberIn(data)
      if (n !== null) received.push(n)
    },
  })
  return { port: server.port, received, close: () => server.close() }
}

/** socket.io server (websocket transport only); the `n` event carries the number. */
export async function startSocketIoServer(heartbeat: {
  pingInterval?: number
  pingTimeout?: number
}): Promise<BenchServer> {
  const received: number[] = []
  const http: HttpServer = createHttpServer()
  const io = new SocketIoServer(http, { transports: ['websocket'], ...heartbeat })
  io.on('connection', (socket) => {
    socket.on('n', (value: unknown, ack?: unknown) => {
      const n = numberIn(value)
      if (n !== null) received.push(n)
      if (typeof ack === 'function') (ack as () => void)()
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (http.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        io.disconnectSockets(true)
        void io.close(() => resolve())
      }),
  }
}
