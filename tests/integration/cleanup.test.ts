import { describe, expect, test } from 'vitest'
import { PRESENCE_BATCH_MS } from '../../src/server/presenceBatch.js'
import { figures, sleep, useIntegration, waitFor, waitForStable, waitForState } from './support.js'

const { startServer, openClient, track } = useIntegration()

/** Timers and TCP sockets alive in this process right now. */
function resources() {
  const info = process.getActiveResourcesInfo()
  return {
    timeouts: info.filter((kind) => kind === 'Timeout').length,
    sockets: info.filter((kind) => kind === 'TCPSocketWrap').length,
  }
}

/**
 * The counts once the process is quiet: Vitest itself holds a timer for a moment when a test
 * starts, which would otherwise be counted in the baseline and gone by the end.
 */
const quietBaseline = () => waitForStable(resources, 200, 3000, 'the active resources')

const options = {
  heartbeatInterval: 200,
  lostAfter: 5000,
  giveUpAfter: 10_000,
  // Long enough that a leaked retry timer would still be pending when the counts are compared.
  reconnectIntervalIncrement: 2000,
  maxReconnectAttempts: Infinity,
}

describe('§3.7 close() leaves nothing running', () => {
  test('§3.7 after close() nothing is left running: from RECONNECTING with retry, lost and giveUp deadlines armed', async () => {
    const server = await startServer()
    // The baseline is taken with the server in the state it will be in at the end: killed.
    await server.faults.kill()
    const baseline = await quietBaseline()
    await server.faults.restart()

    const t = await openClient(server, 'ada', options)
    await server.faults.kill()
    await waitForState(t, 'RECONNECTING', 2000)
    await waitFor(
      () => t.client.getSnapshot().nextRetryAt !== null,
      2000,
      'attempt 1 to fail and the next retry to be scheduled',
    )
    const armed = resources()
    // The client's one timer (for retry, lost and giveUp) is pending: the comparison below
    // can see timers.
    expect(armed.timeouts - baseline.timeouts).toBeGreaterThanOrEqual(1)

    t.client.close()
    await waitFor(
      () => resources().sockets === baseline.sockets,
      1000,
      () => `sockets back to ${baseline.sockets} (now ${JSON.stringify(resources())})`,
    )
    const afterClose = resources()
    expect(afterClose).toEqual(baseline)
    await sleep(300) // nothing comes back to life either
    expect(resources()).toEqual(baseline)
    expect(t.client.getConnectionState()).toBe('CLOSED')
    figures({ test: '§3.7 close() from RECONNECTING', baseline, armed, afterClose })
  })

  test('§3.7 after close() nothing is left running: from OPEN', async () => {
    const server = await startServer()
    const baseline = await quietBaseline()

    const t = await openClient(server, 'ada', options)
    const open = resources()
    expect(open.sockets - baseline.sockets).toBe(2) // the client's socket and the server's end
    expect(open.timeouts).toBeGreaterThan(baseline.timeouts) // the heartbeat

    t.client.close()
    await waitFor(
      () => resources().sockets === baseline.sockets,
      1000,
      () => `sockets back to ${baseline.sockets} (now ${JSON.stringify(resources())})`,
    )
    // The server announces the leave in its next presence batch: its one short timer goes too.
    await sleep(PRESENCE_BATCH_MS + 10)
    const afterClose = resources()
    expect(afterClose).toEqual(baseline)
    await sleep(300)
    expect(resources()).toEqual(baseline)
    expect(server.stats()).toMatchObject({ connections: 0, peers: 0 })
    figures({ test: '§3.7 close() from OPEN', baseline, open, afterClose })
  })

  test('§3.7 after close() nothing is left running: mid-handshake, against a server that says nothing', async () => {
    const server = await startServer()
    server.faults.blackhole(true)
    const baseline = await quietBaseline()

    const t = track(server.url, { ...options, connectTimeout: 5000 })
    void t.client.login({ id: 'ada' })
    await waitFor(
      () => t.sockets.at(-1)?.readyState === t.sockets.at(-1)?.OPEN,
      2000,
      'the socket to open (the blackholed server never challenges)',
    )
    expect(t.client.getConnectionState()).toBe('AWAITING_CONNECTION')
    const connecting = resources()
    expect(connecting.sockets - baseline.sockets).toBe(2)

    t.client.close()
    await waitFor(
      () => resources().sockets === baseline.sockets,
      1000,
      () => `sockets back to ${baseline.sockets} (now ${JSON.stringify(resources())})`,
    )
    const afterClose = resources()
    expect(afterClose).toEqual(baseline)
    await sleep(300)
    expect(resources()).toEqual(baseline)
    figures({ test: '§3.7 close() mid-handshake', baseline, connecting, afterClose })
  })
})
