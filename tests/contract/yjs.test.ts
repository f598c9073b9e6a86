/**
 * The connection-source contract, proven for `fromYjs` over both real providers and servers on
 * 127.0.0.1, each server in a child process: y-websocket's `WebsocketProvider` against
 * @y/websocket-server 0.1.1, and `HocuspocusProvider` against @hocuspocus/server 4. A drop is
 * the server killed, a restore the server started again on the same port; giving up is the
 * adapter's own `giveUpAfter` passing while the server stays down.
 *
 * Peers are awareness states, whose ids are Yjs client ids (`String(doc.clientID)`, numbers
 * chosen by each doc): a peer the suite names is another client of the same room, whose
 * awareness state is the peer's data, and `peers.join` returns its client id. It leaves by
 * destroying its provider, which removes its state: the source sees it leave `QUIT`.
 */
import type { HocuspocusProvider } from '@hocuspocus/provider'
import { afterAll, afterEach, describe, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { fromYjs, type FromYjsOptions } from '../../src/adapters/yjs.js'
import { describeConnectionSource, type SourceHarness } from '../../src/testing/index.js'
import { hocuspocusProvider, yWebsocketProvider } from '../helpers/yjsClients.js'
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

/** One Yjs client of `room`: its provider, and what stops it. */
interface YjsClient {
  readonly provider: Parameters<typeof fromYjs>[0] & { readonly awareness: Awareness }
  /** Starts connecting (a client for a peer: the source's is connected by `login()`). */
  connect(): void
  dispose(): void
}

type Awareness = WebsocketProvider['awareness']
/** An awareness state: the peer's data. */
type AwarenessState = Parameters<Awareness['setLocalState']>[0]

/**
 * A harness over `server`: the source adapts one client of a fresh room, and each peer the
 * suite joins is another client of that room.
 */
function harnessOver(server: ChildServer, client: (room: string) => YjsClient): SourceHarness {
  const room = nextRoom()
  const own = client(room)
  const source = fromYjs(own.provider, OPTIONS)
  const others = new Map<string, YjsClient>()
  return {
    source,
    selfId: String(own.provider.awareness.clientID),
    timeout: STEP_TIMEOUT,
    canSend: false,
    goOnline: () => source.login(),
    drop: () => server.kill(),
    restore: () => server.restart(),
    // The server stays down: giveUpAfter passes.
    giveUp() {},
    // The server stays down: lostAfter passes.
    lose() {},
    peers: {
      join(name, data) {
        const other = client(room)
        others.set(name, other)
        other.provider.awareness.setLocalState(
          (data as AwarenessState | undefined) ?? { user: { name } },
        )
        other.connect()
        return String(other.provider.awareness.clientID)
      },
      update: (name, data) =>
        others.get(name)?.provider.awareness.setLocalState(data as AwarenessState),
      leave(name) {
        others.get(name)?.dispose()
        others.delete(name)
      },
    },
    dispose() {
      for (const other of others.values()) other.dispose()
      own.dispose()
    },
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
    return harnessOver(server, (room) => {
      // Its retries back off up to 2.5 s by default: keep them short.
      const { provider, destroy } = yWebsocketProvider(server.url, room, {
        connect: false,
        maxBackoffTime: 300,
      })
      return { provider, connect: () => provider.connect(), dispose: destroy }
    })
  },
  { describe, it, afterEach },
)

describeConnectionSource(
  'fromYjs over HocuspocusProvider and @hocuspocus/server',
  async () => {
    hocusServer ??= await startHocuspocusServer({ token: 'contract' })
    const server = hocusServer
    if (server.pid === -1) await server.restart()
    return harnessOver(server, (room) => {
      const { socket, provider, destroy } = hocuspocusProvider(server.url, room, {
        token: 'contract',
        autoConnect: false,
        maxDelay: 300,
      })
      if (!provider.awareness) throw new Error('a HocuspocusProvider made without awareness')
      return {
        // Made with awareness (the default), so it has one.
        provider: provider as HocuspocusProvider & { readonly awareness: Awareness },
        connect() {
          provider.attach()
          void socket.connect().catch(() => {})
        },
        dispose: destroy,
      }
    })
  },
  { describe, it, afterEach },
)
