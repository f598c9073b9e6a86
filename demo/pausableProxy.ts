/**
 * A TCP proxy in front of a server, on the port clients know, so the demo can break the network
 * between them rather than the server: `kill()` cuts every connection and stops listening (a
 * crashed host, as clients see it: a dead socket, then refused connections), `hold(true)` keeps
 * every connection open but forwards nothing either way (a link that drops every packet). Bytes
 * sent meanwhile wait in the kernel's buffers and flow on `hold(false)`, as TCP would retransmit
 * them. The server behind it keeps running throughout.
 */
import { connect, createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

/** A running proxy. */
export interface PausableProxy {
  /** The port clients connect to (the one asked for, or the free one picked for 0). */
  readonly port: number
  /** `false` after `kill()`, until `listen()`. */
  readonly listening: boolean
  /** `true` while `hold(true)` is in force. */
  readonly held: boolean
  /**
   * `true`: stop reading on both sides of every connection, old and new (new ones are accepted
   * and connected upstream, but nothing passes); `false`: pass everything on again.
   */
  hold(on: boolean): void
  /** Destroys every connection (no goodbye either way) and goes on listening: a cut link. */
  cut(): void
  /** Destroys every connection (no goodbye either way) and stops listening. */
  kill(): Promise<void>
  /** Listens again on the same port. */
  listen(): Promise<void>
  /** Kills it for good; for Ctrl-C and tests. */
  close(): Promise<void>
}

/**
 * Starts a proxy on `host:port` (0 picks a free port) in front of `host:target`.
 *
 * @example
 * ```ts
 * const proxy = await startPausableProxy({ host: '127.0.0.1', port: 3001, target: 40123 })
 * proxy.hold(true) // clients' heartbeats time out; nothing is closed
 * proxy.hold(false)
 * await proxy.kill()
 * await proxy.listen()
 * ```
 */
export async function startPausableProxy({
  host,
  port,
  target,
}: {
  host: string
  port: number
  target: number
}): Promise<PausableProxy> {
  const sockets = new Set<Socket>()
  let held = false
  let server: Server | null = null
  let boundPort = port

  /** Forwards `from` → `to` with backpressure, reading only while not held. */
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => {
      if (!to.write(chunk)) from.pause()
    })
    to.on('drain', () => {
      if (!held) from.resume()
    })
    from.on('end', () => to.end())
  }

  const onConnection = (client: Socket) => {
    const upstream = connect(target, host)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      // A reset on one side closes the other: the proxy never outlives either end.
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
      if (held) socket.pause()
    }
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    forward(client, upstream)
    forward(upstream, client)
  }

  async function listen(): Promise<void> {
    if (server) return
    const next = createServer(onConnection)
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject)
      next.listen(boundPort, host, () => {
        next.off('error', reject)
        resolve()
      })
    })
    boundPort = (next.address() as AddressInfo).port
    server = next
  }

  function cut() {
    for (const socket of sockets) socket.destroy()
    sockets.clear()
  }

  async function kill(): Promise<void> {
    const stopping = server
    server = null
    cut()
    if (stopping) await new Promise<void>((resolve) => stopping.close(() => resolve()))
  }

  await listen()
  return {
    get port() {
      return boundPort
    },
    get listening() {
      return server !== null
    },
    get held() {
      return held
    },
    hold(on) {
      held = on
      for (const socket of sockets) {
        if (on) socket.pause()
        else socket.resume()
      }
    },
    cut,
    kill,
    listen,
    close: kill,
  }
}
