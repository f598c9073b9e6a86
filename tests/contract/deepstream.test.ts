/**
 * The connection-source contract, proven for `fromDeepstream` over a real `@deepstream/server`
 * 7 on 127.0.0.1, in a child process: killed and restarted for a drop, other deepstream clients
 * logging in for peers (deepstream presence).
 */
import { DeepstreamClient } from '@deepstream/client'
import { afterAll, afterEach, describe, it } from 'vitest'
import { fromDeepstream } from '../../src/adapters/deepstream.js'
import { describeConnectionSource, type SourceHarness } from '../../src/testing/index.js'
import { startDeepstream, type DeepstreamServer } from '../helpers/deepstreamServer.js'

// Attempts 200, 400 then 500 ms apart: twelve of them (≈ 5.6 s) outlast a restart of the
// server process (≈ 1.2 s, more on a busy machine) and still give up soon once it stays down.
const SOURCE_CLIENT = {
  reconnectIntervalIncrement: 200,
  maxReconnectInterval: 500,
  maxReconnectAttempts: 12,
}
// Peers never give up: they come back after every restart, as people would.
const PEER_CLIENT = { ...SOURCE_CLIENT, maxReconnectAttempts: 1000 }

// One server for the file: a harness restarts it when the test before killed it.
let server: DeepstreamServer | undefined
afterAll(() => server?.close())

async function makeDeepstreamHarness(): Promise<SourceHarness> {
  server ??= await startDeepstream()
  const running = server
  if (!running.running) await running.restart()
  const client = new DeepstreamClient(running.url, SOURCE_CLIENT)
  const source = fromDeepstream(client, { topic: 'contract', lostAfter: 300 })
  const peers = new Map<string, DeepstreamClient>()
  return {
    source,
    selfId: 'me',
    timeout: 15_000,
    goOnline: () => source.login({ username: 'me' }),
    drop: () => running.kill(),
    restore: () => running.restart(),
    // The server stays down: deepstream runs out of attempts.
    giveUp() {},
    // The server stays down: lostAfter passes.
    lose() {},
    // deepstream presence carries names only: no per-user data, no update.
    peers: {
      async join(id) {
        const peer = new DeepstreamClient(running.url, PEER_CLIENT)
        peers.set(id, peer)
        await peer.login({ username: id })
      },
      leave(id) {
        peers.get(id)?.close()
        peers.delete(id)
      },
    },
    dispose() {
      for (const peer of peers.values()) peer.close()
      client.close()
    },
  }
}

describeConnectionSource('fromDeepstream over a real @deepstream/server', makeDeepstreamHarness, {
  describe,
  it,
  afterEach,
  without: ['peerData'],
})
