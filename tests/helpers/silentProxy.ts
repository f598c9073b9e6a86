/**
 * A loopback TCP proxy of our own in front of a server, to make a link go dead without closing
 * it: `silence(true)` stops reading on both sides of every connection, so nothing is forwarded
 * either way and nothing is closed, like a network that drops every packet. Bytes sent meanwhile
 * wait in the kernel's buffers, as TCP would retransmit them, and flow once `silence(false)`.
 * New connections made while silent are accepted and connected upstream, but their WebSocket
 * handshake does not get through until the link speaks again.
 */
import { connect, createServer, type Socket } from 'node:net'

/** The proxy. */
export interface SilentProxy {
  /** `ws://127.0.0.1:<proxy port>` */
  readonly url: string
  readonly port: number
  /** true: keep every connection open but forward nothing either way (a dead link); false: forward again. */
  silence(on: boolean): void
  /** Destroys every connection now (both ends see the link cut); new ones are accepted. */
  cut(): void
  close(): Promise<void>
}

/** Starts a proxy on a free 127.0.0.1 port in front of `127.0.0.1:<target.port>`. */
export async function startSilentProxy(target: { port: number }): Promise<SilentProxy> {
  let silent = false
  const sockets = new Set<Socket>()

  /** Forwards `from` → `to` with backpressure, reading only while the link is not silent. */
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => {
      if (!to.write(chunk)) from.pause()
    })
    to.on('drain', () => {
      if (!silent) from.resume()
    })
    from.on('end', () => to.end())
  }

  const server = createServer((client) => {
    const upstream = connect(target.port, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      // A reset on one side closes the other: the proxy never outlives either end.
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
      if (silent) socket.pause()
    }
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    forward(client, upstream)
    forward(upstream, client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as { port: number }

  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    silence(on) {
      silent = on
      for (const socket of sockets) {
        if (on) socket.pause()
        else socket.resume()
      }
    },
    cut() {
      for (const socket of sockets) socket.destroy()
    },
    async close() {
      const closed = new Promise((resolve) => server.close(resolve))
      for (const socket of sockets) socket.destroy()
      await closed
    },
  }
}
