/**
 * The connection-source contract, proven for `fromSocketIO` against a real Socket.IO 4.8
 * server on 127.0.0.1 with `attachPresence`: a drop is the server stopped (every connection
 * closed), a restore the server started again on the same port. Peers are other socket.io-client
 * sockets whose `auth.name` is their id; they leave with `disconnect()` (QUIT).
 *
 * Twice: once giving up by the adapter's `giveUpAfter`, once by Socket.IO's own
 * `reconnectionAttempts` (`reconnect_failed`).
 */
import type { Socket } from 'socket.io-client'
import { afterAll, afterEach, describe, it } from 'vitest'
import { fromSocketIO, type FromSocketIOOptions } from '../../src/adapters/socketio.js'
import { attachPresence } from '../../src/adapters/socketioServer.js'
import { describeConnectionSource, type SourceHarness } from '../../src/testing/index.js'
import { client, startSocketIO, type InProcessSocketIO } from '../integration/socketioSupport.js'

const STEP_TIMEOUT = 10_000

let server: InProcessSocketIO | undefined
afterAll(() => server?.stop())

async function harness(
  options: FromSocketIOOptions,
  socketOptions: Parameters<typeof client>[1] = {},
): Promise<SourceHarness> {
  server ??= await startSocketIO({
    setup: (io) => {
      const presence = attachPresence(io, {
        identify: (socket) => {
          const { name, data } = socket.handshake.auth as { name?: unknown; data?: unknown }
          return typeof name === 'string' ? { id: name, data } : null
        },
      })
      return () => presence.close()
    },
  })
  const live = server
  await live.restart()
  const own = client(live.url, {
    autoConnect: false,
    auth: { name: 'contract-self' },
    ...socketOptions,
  })
  const source = fromSocketIO(own, options)
  const others = new Map<string, Socket>()
  return {
    source,
    selfId: 'contract-self',
    timeout: STEP_TIMEOUT,
    canSend: true,
    goOnline: () => source.connect(),
    drop: () => live.stop(),
    restore: () => live.restart(),
    // The server stays down until the source gives up.
    giveUp() {},
    // The server stays down: lostAfter passes.
    lose() {},
    peers: {
      async join(name, data) {
        const other = client(live.url, { auth: { name, data } })
        others.set(name, other)
        await new Promise((resolve) => other.once('connect', () => resolve(undefined)))
      },
      update: (name, data) => void others.get(name)?.emit('linklight:set-presence', data),
      leave(name) {
        others.get(name)?.disconnect()
        others.delete(name)
      },
    },
    dispose() {
      for (const other of others.values()) other.disconnect()
      own.disconnect()
    },
  }
}

describeConnectionSource(
  'fromSocketIO over socket.io 4.8 with attachPresence (giving up by giveUpAfter)',
  () => harness({ lostAfter: 300, giveUpAfter: 1500 }),
  { describe, it, afterEach },
)

describeConnectionSource(
  'fromSocketIO over socket.io 4.8 with attachPresence (giving up by reconnectionAttempts)',
  () =>
    harness(
      { lostAfter: 300 },
      { reconnectionAttempts: 4, reconnectionDelay: 100, reconnectionDelayMax: 200 },
    ),
  { describe, it, afterEach },
)
