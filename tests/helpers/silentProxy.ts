/**
 * A loopback TCP proxy of our own in front of a server, to make a link go dead without closing
 * it: `silence(true)` stops reading on both sides of every connection, so nothing is forwarded
 * either way and nothing is closed, like a network that drops every packet. Bytes sent meanwhile
 * wait in the kernel's buffers, as TCP would retransmit them, and flow once `silence(false)`.
 * New connections made while silent are accepted and connected upstream, but their WebSocket
 * handshake does not get through until the link speaks again. It is the demo's pausable proxy
 * (demo/pausableProxy.ts) on a free port.
 */
import { startPausableProxy } from '../../demo/pausableProxy.js'

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
  const proxy = await startPausableProxy({ host: '127.0.0.1', port: 0, target: target.port })
  return {
    url: `ws://127.0.0.1:${proxy.port}`,
    port: proxy.port,
    silence: (on) => proxy.hold(on),
    cut: () => proxy.cut(),
    close: () => proxy.close(),
  }
}
