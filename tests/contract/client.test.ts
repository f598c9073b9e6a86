/**
 * The connection-source contract, proven for linklight's own client over real sockets to the
 * reference server on 127.0.0.1: the server killed and restarted for a drop, other clients
 * logging in for peers. The base client without features passes it too, as a source that
 * cannot send and has no peers.
 */
import { afterEach, describe, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  createBaseClient,
  createClient,
  type ClientOptions,
  type LinklightClient,
} from '../../src/index.js'
import { createServer } from '../../src/server/index.js'
import { describeConnectionSource, type SourceHarness } from '../../src/testing/index.js'

// Fast attempts that outlast a restart of the server by far (15 attempts ≈ 1.3 s) yet give
// up soon once it stays down; lost 300 ms after the last data, well before that.
const SOURCE_OPTIONS: ClientOptions = {
  WebSocket,
  lazyConnect: true,
  reconnectIntervalIncrement: 50,
  maxReconnectInterval: 100,
  maxReconnectAttempts: 15,
  lostAfter: 300,
}

// Peers never give up: they come back after every restart of the server, as people would.
const PEER_OPTIONS: ClientOptions = {
  WebSocket,
  lazyConnect: true,
  reconnectIntervalIncrement: 50,
  maxReconnectInterval: 100,
  maxReconnectAttempts: Infinity,
}

async function makeClientHarness(): Promise<SourceHarness> {
  const server = await createServer({ port: 0, host: '127.0.0.1' })
  const source = createClient(server.url, SOURCE_OPTIONS)
  const peers = new Map<string, LinklightClient>()
  return {
    source,
    selfId: 'me',
    goOnline: () => source.login({ id: 'me' }),
    drop: () => server.faults.kill(),
    restore: () => server.faults.restart(),
    // The server stays down: the client runs out of attempts.
    giveUp() {},
    // The server stays down: lostAfter passes.
    lose() {},
    peers: {
      async join(id, data) {
        const peer = createClient(server.url, PEER_OPTIONS)
        peers.set(id, peer)
        if (data !== undefined) peer.setPresence(data)
        await peer.login({ id })
      },
      update: (id, data) => peers.get(id)?.setPresence(data),
      leave(id) {
        peers.get(id)?.close()
        peers.delete(id)
      },
    },
    async dispose() {
      for (const peer of peers.values()) peer.close()
      await server.close()
    },
  }
}

describeConnectionSource('createClient over the reference server', makeClientHarness, {
  describe,
  it,
  afterEach,
})

describeConnectionSource(
  'createBaseClient without features over the reference server',
  async () => {
    const server = await createServer({ port: 0, host: '127.0.0.1' })
    const source = createBaseClient(server.url, SOURCE_OPTIONS)
    return {
      source,
      canSend: false,
      goOnline: () => source.login({ id: 'me' }),
      drop: () => server.faults.kill(),
      restore: () => server.faults.restart(),
      giveUp() {},
      lose() {},
      dispose: () => server.close(),
    }
  },
  { describe, it, afterEach, without: ['peers', 'peerData'] },
)
