/**
 * The connection-source contract, proven for `fromYjs` over both real providers and servers on
 * 127.0.0.1, each server in a child process: y-websocket's `WebsocketProvider` against
 * @y/websocket-server 0.1.1, and `HocuspocusProvider` against @hocuspocus/server 4. A drop is
 * the server killed, a restore the server started again on the same port; giving up is the
 * adapter's own `giveUpAfter` passing while the server stays down.
 *
 * Peers are awareness states, whose ids are Yjs client ids (`String(doc.clientID)`, numbers
 * chosen by each doc), so the suite's named peers ('contract-ann') cannot be made: the peer
 * tests run in tests/integration/yjs.test.ts and tests/adapters/yjs.test.ts instead.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import { afterAll, afterEach, describe, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { fromYjs, type FromYjsOptions } from '../../src/adapters/yjs.js'
import { describeConnectionSource, type SourceHarness } from '../../src/testing/index.js'
import {
  startHocuspocusServer,
  startYWebsocketServer,
  type ChildServer,
} from '../helpers/yjsServers.js'

// Lost soon after a drop; given up once the server has stayed down for 4 s — well past a
// restart (~0.3 s) and the providers' retries, kept short below.
const OPTIONS: FromYjsOptions = { lostAfter: 300, giveUpAfter: 4000 }
const STEP_TIMEOUT = 15_000

let rooms = 0
const nextRoom = () => `contract-${++rooms}-${Date.now()}`

/** A harness over `server` (restarted when the test before killed it). */
function harnessOver(
  server: ChildServer,
  make: () => { provider: Parameters<typeof fromYjs>[0]; dispose(): void },
): SourceHarness {
  const { provider, dispose } = make()
  const source = fromYjs(provider, OPTIONS)
  return {
    source,
    timeout: STEP_TIMEOUT,
    canSend: false,
    goOnline: () => source.login(),
    drop: () => server.kill(),
    restore: () => server.restart(),
    // The server stays down: giveUpAfter passes.
    giveUp() {},
    // The server stays down: lostAfter passes.
    lose() {},
    dispose,
  }
}

let yServer: ChildServer | undefined
let hocusServer: ChildServer | undefined
afterAll(async () => {
  await yServer?.stop()
  await hocusServer?.stop()
})

describeConnectionSource(
  'fromYjs over y-websocket and @y/websocket-server',
  async () => {
    yServer ??= await startYWebsocketServer()
    const server = yServer
    if (server.pid === -1) await server.restart()
    return harnessOver(server, () => {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(server.url, nextRoom(), doc, {
        connect: false,
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        // Its retries back off up to 2.5 s by default: keep them short.
        maxBackoffTime: 300,
      })
      return {
        provider,
        dispose() {
          provider.destroy()
          doc.destroy()
        },
      }
    })
  },
  { describe, it, afterEach, without: ['peers', 'peerData'] },
)

describeConnectionSource(
  'fromYjs over HocuspocusProvider and @hocuspocus/server',
  async () => {
    hocusServer ??= await startHocuspocusServer({ token: 'contract' })
    const server = hocusServer
    if (server.pid === -1) await server.restart()
    return harnessOver(server, () => {
      const doc = new Y.Doc()
      const socket = new HocuspocusProviderWebsocket({
        url: server.url,
        WebSocketPolyfill: WebSocket,
        autoConnect: false,
        delay: 100,
        minDelay: 100,
        maxDelay: 300,
      })
      const provider = new HocuspocusProvider({
        websocketProvider: socket,
        name: nextRoom(),
        document: doc,
        token: 'contract',
      })
      return {
        provider,
        dispose() {
          // ws throws 'error' on a socket closed while connecting once Hocuspocus took its
          // listeners off (a server killed for good): give it one.
          socket.webSocket?.addEventListener('error', () => {})
          provider.destroy()
          socket.destroy()
          doc.destroy()
        },
      }
    })
  },
  { describe, it, afterEach, without: ['peers', 'peerData'] },
)
