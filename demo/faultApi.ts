/**
 * The demo page's view of its servers, as a Vite plugin: the page cannot call Node functions,
 * so the dev server answers a few HTTP endpoints on the page's own origin and turns them into
 * fault calls. It also tells the page where the servers are.
 *
 *   GET  /api/faults            → the current FaultState (JSON)
 *   POST /api/faults/<action>   → performs it (see faultControls.ts), then the FaultState
 *   GET  /api/yjs               → the y-websocket server's YjsFaultState
 *   POST /api/yjs/<action>      → kill, restart, silence/on, silence/off; then the YjsFaultState
 *   GET  /api/socketio          → the Socket.IO server's SocketIOFaultState
 *   POST /api/socketio/<action> → kill, restart, silence/on|off, kick, refuse-logins/on|off; then
 *                                 the SocketIOFaultState
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Plugin } from 'vite'
import type { Faults } from '../src/server/index.js'
import {
  MAX_DELAY_MS,
  type FaultAction,
  type FaultState,
  type SocketIOFaultAction,
  type YjsFaultAction,
} from './faultControls.js'
import type { SocketIODemoServer, SocketIOFaultState } from './socketioServer.js'
import type { YjsDemoServer, YjsFaultState } from './yjsServer.js'

/** The server's faults, remembering what they were told so the page can show it. */
export interface DemoFaults {
  kill(): Promise<void>
  restart(): Promise<void>
  blackhole(on: boolean): void
  delay(ms: number): void
  rejectAuth(on: boolean): void
  state(): FaultState
  /** Performs one of the page's actions; throws a `RangeError` for one it does not know. */
  perform(action: string): Promise<FaultState>
}

/** Wraps `faults` so that everything done through it, by the page or by a test, is known. */
export function trackFaults(faults: Faults): DemoFaults {
  let state: FaultState = { listening: true, blackhole: false, delayMs: 0, rejectAuth: false }
  const demo: DemoFaults = {
    async kill() {
      await faults.kill()
      state = { ...state, listening: false }
    },
    async restart() {
      await faults.restart()
      state = { ...state, listening: true }
    },
    blackhole(on) {
      faults.blackhole(on)
      state = { ...state, blackhole: on }
    },
    delay(ms) {
      faults.delay(ms)
      state = { ...state, delayMs: ms }
    },
    rejectAuth(on) {
      faults.rejectAuth(on ? 'REJECTED' : null)
      state = { ...state, rejectAuth: on }
    },
    state: () => state,
    async perform(action) {
      const delay = /^delay\/(\d+)$/.exec(action)
      if (delay) {
        const ms = Number(delay[1])
        if (ms > MAX_DELAY_MS) throw new RangeError(`delay must be at most ${MAX_DELAY_MS} ms`)
        demo.delay(ms)
        return state
      }
      const actions: Record<string, () => void | Promise<void>> = {
        kill: demo.kill,
        restart: demo.restart,
        'blackhole/on': () => demo.blackhole(true),
        'blackhole/off': () => demo.blackhole(false),
        'reject-auth/on': () => demo.rejectAuth(true),
        'reject-auth/off': () => demo.rejectAuth(false),
      } satisfies Partial<Record<FaultAction, unknown>>
      const run = Object.hasOwn(actions, action) ? actions[action] : undefined
      if (!run) throw new RangeError(`unknown fault action ${JSON.stringify(action)}`)
      await run()
      return state
    },
  }
  return demo
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  response.end(JSON.stringify(body))
}

// Another site open in the same browser could POST here too; only the page's own origin may.
function sameOrigin(request: IncomingMessage): boolean {
  const { origin, host } = request.headers
  if (origin === undefined) return true
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}

/** What the plugin needs once the servers are up; `null` until then. */
export interface DemoBackend {
  readonly wsUrl: string
  readonly faults: DemoFaults
  readonly yjs: YjsDemoServer
  readonly socketio: SocketIODemoServer
}

/** Performs one of the Collaborative panel's actions; throws a `RangeError` for one it does not know. */
export async function performYjsFault(yjs: YjsDemoServer, action: string): Promise<YjsFaultState> {
  const actions: Record<YjsFaultAction, () => void | Promise<void>> = {
    kill: yjs.kill,
    restart: yjs.restart,
    'silence/on': () => yjs.silence(true),
    'silence/off': () => yjs.silence(false),
  }
  const run = Object.hasOwn(actions, action) ? actions[action as YjsFaultAction] : undefined
  if (!run) throw new RangeError(`unknown Yjs fault action ${JSON.stringify(action)}`)
  await run()
  return yjs.state()
}

/** Performs one of the Socket.IO faults; throws a `RangeError` for one it does not know. */
export async function performSocketIOFault(
  socketio: SocketIODemoServer,
  action: string,
): Promise<SocketIOFaultState> {
  const actions: Record<SocketIOFaultAction, () => unknown> = {
    kill: socketio.kill,
    restart: socketio.restart,
    'silence/on': () => socketio.silence(true),
    'silence/off': () => socketio.silence(false),
    kick: socketio.kick,
    'refuse-logins/on': () => socketio.refuseLogins(true),
    'refuse-logins/off': () => socketio.refuseLogins(false),
  }
  const run = Object.hasOwn(actions, action) ? actions[action as SocketIOFaultAction] : undefined
  if (!run) throw new RangeError(`unknown Socket.IO fault action ${JSON.stringify(action)}`)
  await run()
  return socketio.state()
}

/** Answers `GET <mount>` with `state()` and `POST <mount>/<action>` with `perform(action)`. */
function faultEndpoint<T>(
  backend: () => DemoBackend | null,
  state: (ready: DemoBackend) => T,
  perform: (ready: DemoBackend, action: string) => Promise<T>,
) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const ready = backend()
    if (!ready) return reply(response, 503, { error: 'the servers are starting' })
    const action = (request.url ?? '/').replace(/^\/+|\/+$/g, '').replace(/\?.*$/, '')
    if (request.method === 'GET' && action === '') return reply(response, 200, state(ready))
    if (request.method !== 'POST') return reply(response, 405, { error: 'use POST' })
    if (!sameOrigin(request)) return reply(response, 403, { error: 'cross-origin request' })
    perform(ready, action).then(
      (next) => reply(response, 200, next),
      (error: Error) =>
        reply(response, error instanceof RangeError ? 404 : 500, { error: error.message }),
    )
  }
}

/**
 * The Vite plugin: `/api/faults…`, `/api/yjs…` and `/api/socketio…` endpoints, and `<meta>` tags
 * in the page with the servers' URLs (`linklight-ws-url`, `linklight-yjs-url`,
 * `linklight-socketio-url`).
 */
export function demoApi(backend: () => DemoBackend | null): Plugin {
  return {
    name: 'linklight-demo-api',
    configureServer(vite) {
      vite.middlewares.use(
        '/api/faults',
        faultEndpoint(
          backend,
          (ready) => ready.faults.state(),
          (ready, action) => ready.faults.perform(action),
        ),
      )
      vite.middlewares.use(
        '/api/yjs',
        faultEndpoint(
          backend,
          (ready) => ready.yjs.state(),
          (ready, action) => performYjsFault(ready.yjs, action),
        ),
      )
      vite.middlewares.use(
        '/api/socketio',
        faultEndpoint(
          backend,
          (ready) => ready.socketio.state(),
          (ready, action) => performSocketIOFault(ready.socketio, action),
        ),
      )
    },
    transformIndexHtml() {
      const ready = backend()
      return ready
        ? [
            {
              tag: 'meta',
              attrs: { name: 'linklight-ws-url', content: ready.wsUrl },
              injectTo: 'head',
            },
            {
              tag: 'meta',
              attrs: { name: 'linklight-yjs-url', content: ready.yjs.url },
              injectTo: 'head',
            },
            {
              tag: 'meta',
              attrs: { name: 'linklight-socketio-url', content: ready.socketio.url },
              injectTo: 'head',
            },
          ]
        : []
    },
  }
}
