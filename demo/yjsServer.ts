/**
 * The demo's y-websocket server: @y/websocket-server's `setupWSConnection` on an `http` + `ws`
 * server bound to 127.0.0.1, with the faults the page's Collaborative panel offers. It runs in
 * the demo's own process, so a Kill closes the sockets but keeps the documents: they live in
 * the package's module-level `docs` map, and a Restart serves them again.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer, type WebSocket } from 'ws'

/** What the Yjs server is doing, as far as the page's buttons have changed it. */
export interface YjsFaultState {
  /** `false` after Kill, until Restart. */
  readonly listening: boolean
  /** Sockets stay open but nothing is read from them or sent on them. */
  readonly silenced: boolean
}

/** A running Yjs server. */
export interface YjsDemoServer {
  /** e.g. `ws://127.0.0.1:1234` */
  readonly url: string
  readonly port: number
  /** Closes every socket without a close frame (a crash, as clients see it) and stops listening. */
  kill(): Promise<void>
  /** Listens again on the same port; the documents are still in memory. */
  restart(): Promise<void>
  /** Holds every socket, old and new: nothing read, nothing sent, until `silence(false)`. */
  silence(on: boolean): void
  state(): YjsFaultState
  /** Stops everything; for Ctrl-C and tests. */
  close(): Promise<void>
}

/**
 * A socket the Silence fault can hold: its reads paused (the bytes wait in the kernel and are
 * read on resume, like a link that stalls), its writes queued and sent on resume.
 */
function holdable(conn: WebSocket, silenced: () => boolean) {
  const send = conn.send.bind(conn)
  const queued: Parameters<WebSocket['send']>[] = []
  conn.send = ((...args: Parameters<WebSocket['send']>) => {
    if (silenced()) queued.push(args)
    else send(...args)
  }) as WebSocket['send']
  return {
    hold: () => conn.pause(),
    release() {
      conn.resume()
      for (const args of queued.splice(0)) send(...args)
    },
  }
}

/**
 * Starts the Yjs server on `host:port` (0 picks a free port).
 *
 * @example
 * ```ts
 * const yjs = await startYjsServer({ host: '127.0.0.1', port: 0 })
 * await yjs.kill()
 * await yjs.restart()
 * await yjs.close()
 * ```
 */
export async function startYjsServer({
  host,
  port,
}: {
  host: string
  port: number
}): Promise<YjsDemoServer> {
  const wss = new WebSocketServer({ noServer: true })
  const sockets = new Map<WebSocket, ReturnType<typeof holdable>>()
  let silenced = false
  let http: Server | null = null
  let boundPort = port

  wss.on('connection', (conn: WebSocket, request) => {
    const socket = holdable(conn, () => silenced)
    sockets.set(conn, socket)
    conn.on('close', () => sockets.delete(conn))
    if (silenced) socket.hold()
    setupWSConnection(conn, request)
  })

  async function listen(): Promise<void> {
    const server = createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain' })
      response.end('linklight demo: a y-websocket server; connect with a WebsocketProvider\n')
    })
    server.on('upgrade', (request, socket, head) =>
      wss.handleUpgrade(request, socket, head, (conn) => wss.emit('connection', conn, request)),
    )
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(boundPort, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    boundPort = (server.address() as AddressInfo).port
    http = server
  }

  async function stopListening(): Promise<void> {
    const server = http
    http = null
    for (const conn of sockets.keys()) conn.terminate()
    sockets.clear()
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  await listen()
  let closing: Promise<void> | undefined
  return {
    url: `ws://${host}:${boundPort}`,
    port: boundPort,
    kill: stopListening,
    async restart() {
      if (!http) await listen()
    },
    silence(on) {
      if (on === silenced) return
      silenced = on
      for (const socket of sockets.values()) {
        if (on) socket.hold()
        else socket.release()
      }
    },
    state: () => ({ listening: http !== null, silenced }),
    close: () =>
      (closing ??= stopListening().then(
        () => new Promise<void>((resolve) => wss.close(() => resolve())),
      )),
  }
}
