/**
 * The fault every library gets: a loopback TCP proxy between client and server. Unlike the
 * demo's pausable proxy, a close from one side is *not* passed on while the link is held — on a
 * dead network the server giving up on a client never reaches that client, so a library must
 * notice the silence by itself. When the hold is lifted, such half-dead links are cut.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'

/** A running proxy in front of one server. */
export interface FaultProxy {
  readonly port: number
  /** `true`: forward nothing either way and pass no close on (a dead link); `false`: resume. */
  hold(on: boolean): void
  /** Destroys every connection at once (a hard drop), and goes on listening. */
  cut(): void
  /** Cuts everything and stops listening: new connections are refused (a restart begins). */
  kill(): Promise<void>
  /** Listens again on the same port (the restart ends). */
  listen(): Promise<void>
  close(): Promise<void>
}

/** Starts a proxy on a free 127.0.0.1 port in front of `127.0.0.1:<target>`. */
export async function startFaultProxy(target: number): Promise<FaultProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket; dead: boolean }>()
  let held = false
  let server: Server | null = null
  let port = 0

  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => {
      if (!to.destroyed && !to.write(chunk)) from.pause()
    })
    to.on('drain', () => {
      if (!held) from.resume()
    })
  }

  const onConnection = (client: Socket) => {
    const upstream = connect(target, '127.0.0.1')
    const pair = { client, upstream, dead: false }
    pairs.add(pair)
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      socket.setNoDelay(true)
      if (held) socket.pause()
      socket.on('error', () => socket.destroy())
      socket.on('close', () => {
        // Held: the other end hears nothing, as on a real dead link.
        if (held) pair.dead = true
        else other.destroy()
        if (client.destroyed && upstream.destroyed) pairs.delete(pair)
      })
    }
    forward(client, upstream)
    forward(upstream, client)
  }

  function cut() {
    for (const { client, upstream } of pairs) {
      client.destroy()
      upstream.destroy()
    }
    pairs.clear()
  }

  async function listen() {
    if (server) return
    const next = createServer(onConnection)
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => resolve())
    })
    port = (next.address() as AddressInfo).port
    server = next
  }

  async function kill() {
    const stopping = server
    server = null
    cut()
    if (stopping) await new Promise<void>((resolve) => stopping.close(() => resolve()))
  }

  await listen()
  return {
    get port() {
      return port
    },
    hold(on) {
      held = on
      for (const pair of [...pairs]) {
        if (!on && pair.dead) {
          pair.client.destroy()
          pair.upstream.destroy()
          pairs.delete(pair)
          continue
        }
        for (const socket of [pair.client, pair.upstream]) {
          if (on) socket.pause()
          else socket.resume()
        }
      }
    },
    cut,
    kill,
    listen,
    async close() {
      held = false
      await kill()
    },
  }
}
