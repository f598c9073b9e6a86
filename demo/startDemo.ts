/**
 * Starts the demo: linklight's reference server, a y-websocket server for the Collaborative
 * panel, a Socket.IO server (the page's other connection) and a Vite dev server for the demo
 * page (demo/index.html), all on 127.0.0.1. `npm start` (demo/start.ts) runs it from the
 * command line; the e2e tests start it in-process.
 */
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import react from '@vitejs/plugin-react'
import { createServer as createViteServer, type LogLevel, type ViteDevServer } from 'vite'
import { createServer, type ReferenceServer } from '../src/server/index.js'
import { demoApi, trackFaults, type DemoBackend, type DemoFaults } from './faultApi.js'
import { startSocketIOServer, type SocketIODemoServer } from './socketioServer.js'
import { startYjsServer, type YjsDemoServer } from './yjsServer.js'

/** Everything binds to loopback: the demo's fault endpoints must not be reachable from outside. */
export const DEMO_HOST = '127.0.0.1'

export interface DemoOptions {
  /** Port of the reference WebSocket server (default 8787; 0 picks a free one). */
  serverPort?: number
  /** Port of the y-websocket server (default 1234; 0 picks a free one). */
  yjsPort?: number
  /** Port of the Socket.IO server (default 3001; 0 picks a free one). */
  socketioPort?: number
  /** Port of the page (default 5173; 0 picks a free one, a busy one the next free one). */
  webPort?: number
  /**
   * Silence after which the server announces a peer `DROPPED` (default 10000: half the
   * reference server's 20 s, so a tab closed without a goodbye leaves the list soon enough to
   * watch it happen).
   */
  peerTimeout?: number
  /** Vite's log level (default `'warn'`). */
  logLevel?: LogLevel
  /** Where Vite keeps its pre-bundled dependencies (tests give each demo its own). */
  cacheDir?: string
}

/** A running demo. */
export interface Demo {
  /** The page, e.g. `http://127.0.0.1:5173/`. */
  readonly url: string
  /** The reference server, e.g. `ws://127.0.0.1:8787`. */
  readonly wsUrl: string
  readonly server: ReferenceServer
  /** The y-websocket server of the Collaborative panel, e.g. `ws://127.0.0.1:1234`. */
  readonly yjsUrl: string
  /** It, with its faults (Kill, Restart, Silence). */
  readonly yjs: YjsDemoServer
  /** The Socket.IO server the page can switch to, e.g. `http://127.0.0.1:3001`. */
  readonly socketioUrl: string
  /** It, with its faults (Kill, Restart, Silence, Kick, Refuse logins). */
  readonly socketio: SocketIODemoServer
  /** The server's faults as the page's buttons use them (and remember them). */
  readonly faults: DemoFaults
  readonly vite: ViteDevServer
  /** Closes the page's server and every server behind it. */
  close(): Promise<void>
}

const root = fileURLToPath(new URL('.', import.meta.url))

/**
 * Starts the reference server and the demo page.
 *
 * @example
 * ```ts
 * const demo = await startDemo({ serverPort: 0, yjsPort: 0, socketioPort: 0, webPort: 0 })
 * console.log(demo.url) // http://127.0.0.1:40123/
 * await demo.faults.kill()
 * await demo.yjs.kill()
 * demo.socketio.kick()
 * await demo.close()
 * ```
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const {
    serverPort = 8787,
    yjsPort = 1234,
    socketioPort = 3001,
    webPort = 5173,
    peerTimeout = 10_000,
    logLevel = 'warn',
  } = options
  let backend: DemoBackend | null = null
  const vite = await createViteServer({
    configFile: false,
    root,
    logLevel,
    clearScreen: false,
    ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }),
    plugins: [react(), demoApi(() => backend)],
    server: { host: DEMO_HOST, port: webPort, strictPort: false },
    // Pre-bundled at start, so the first page load never finds a new dependency and reloads.
    optimizeDeps: {
      entries: ['main.tsx'],
      include: [
        'react',
        'react/jsx-dev-runtime',
        'react-dom/client',
        'zustand/vanilla',
        'yjs',
        'y-websocket',
        'socket.io-client',
      ],
    },
  })
  let server: ReferenceServer | undefined
  let yjs: YjsDemoServer | undefined
  let socketio: SocketIODemoServer
  let webUrl: string
  try {
    await vite.listen()
    const { port } = vite.httpServer?.address() as AddressInfo
    webUrl = `http://${DEMO_HOST}:${port}`
    server = await createServer({
      host: DEMO_HOST,
      port: serverPort,
      peerTimeout,
      // Browsers may connect from the demo page only.
      allowedOrigins: [webUrl, `http://localhost:${port}`],
    })
    yjs = await startYjsServer({ host: DEMO_HOST, port: yjsPort })
    socketio = await startSocketIOServer({ host: DEMO_HOST, port: socketioPort })
  } catch (error) {
    await Promise.all([vite.close(), server?.close(), yjs?.close()])
    throw error
  }
  const faults = trackFaults(server.faults)
  backend = { wsUrl: server.url, faults, yjs, socketio }
  let closing: Promise<void> | undefined
  return {
    url: `${webUrl}/`,
    wsUrl: server.url,
    server,
    yjsUrl: yjs.url,
    yjs,
    socketioUrl: socketio.url,
    socketio,
    faults,
    vite,
    close: () =>
      (closing ??= Promise.all([vite.close(), server.close(), yjs.close(), socketio.close()]).then(
        () => undefined,
      )),
  }
}
