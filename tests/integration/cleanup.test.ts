import { describe, expect, test } from 'vitest'
import { createCountingClock } from '../helpers/countingClock.js'
import { figures } from '../helpers/figures.js'
import { activeResources, quietResources, type ActiveResources } from '../helpers/resources.js'
import { waitFor } from '../helpers/wait.js'
import { useIntegration, waitForState, type Tracked } from './support.js'

const { startServer, openClient, track } = useIntegration()

const options = {
  heartbeatInterval: 200,
  lostAfter: 5000,
  giveUpAfter: 10_000,
  // Long enough that a leaked retry timer would still be pending when the counts are compared.
  reconnectIntervalIncrement: 2000,
  maxReconnectAttempts: Infinity,
}

/**
 * Closes the client and waits until every socket it ever opened has emitted `close` and the
 * process holds no more sockets than at `baseline`. From then on nothing of the client can run
 * again: its timers are counted by `timers` (none may be left) and its sockets' handlers have
 * all had their last event. Returns what the process holds then.
 */
async function closeAndSettle(
  t: Tracked,
  timers: ReturnType<typeof createCountingClock>,
  baseline: ActiveResources,
) {
  const mark = t.transitions.length
  const sockets = t.sockets.length
  t.client.close()
  // close() itself clears the client's timer: nothing is left to wake it up later.
  expect(timers.pending()).toBe(0)
  await waitFor(() => t.sockets.every((ws) => ws.readyState === ws.CLOSED), {
    timeout: 1000,
    what: () => `every socket of the client to close (${t.sockets.map((ws) => ws.readyState)})`,
  })
  await waitFor(() => activeResources().sockets === baseline.sockets, {
    timeout: 1000,
    what: () => `sockets back to ${baseline.sockets} (now ${JSON.stringify(activeResources())})`,
  })
  // Nothing came back to life when the last socket closed: no new socket, no state change.
  expect(t.sockets).toHaveLength(sockets)
  expect(t.steps(mark)).toEqual([['CLOSED', 'LEAVE_CHANNEL']])
  return activeResources()
}

describe('close() leaves nothing running', () => {
  test('after close() nothing is left running: from RECONNECTING with retry, lost and giveUp deadlines armed', async () => {
    const server = await startServer()
    // The baseline is taken with the server in the state it will be in at the end: killed.
    await server.faults.kill()
    const baseline = await quietResources()
    await server.faults.restart()

    const timers = createCountingClock()
    const t = await openClient(server, 'ada', { ...options, clock: timers.clock })
    await server.faults.kill()
    await waitForState(t, 'RECONNECTING', 2000)
    await waitFor(() => t.client.getSnapshot().nextRetryAt !== null, {
      timeout: 2000,
      what: 'attempt 1 to fail and the next retry to be scheduled',
    })
    const armed = activeResources()
    // The client's one timer (for retry, lost and giveUp) is pending, and the process count
    // sees it: the comparison below can see timers.
    expect(timers.pending()).toBe(1)
    expect(armed.timeouts - baseline.timeouts).toBeGreaterThanOrEqual(1)

    const afterClose = await closeAndSettle(t, timers, baseline)
    expect(afterClose).toEqual(baseline)
    expect(t.client.getConnectionState()).toBe('CLOSED')
    figures({ test: 'close() from RECONNECTING', baseline, armed, afterClose })
  })

  test('after close() nothing is left running: from OPEN', async () => {
    const server = await startServer()
    // Someone stays: the server announces ada's leave to bob in its next presence batch, and
    // once bob has it, the batch's timer is gone too.
    const bob = await openClient(server, 'bob', options)
    const baseline = await quietResources()

    const timers = createCountingClock()
    const t = await openClient(server, 'ada', { ...options, clock: timers.clock })
    await waitFor(() => bob.client.getPeers().has('ada'), { timeout: 2000, what: 'bob to see ada' })
    const open = activeResources()
    expect(open.sockets - baseline.sockets).toBe(2) // the client's socket and the server's end
    expect(timers.pending()).toBe(1) // the heartbeat
    expect(open.timeouts).toBeGreaterThan(baseline.timeouts)

    await closeAndSettle(t, timers, baseline)
    await waitFor(() => bob.peerEvents.some((e) => e.kind === 'left' && e.peer.id === 'ada'), {
      timeout: 2000,
      what: 'bob to see ada leave',
    })
    const afterClose = activeResources()
    expect(afterClose).toEqual(baseline)
    expect(server.stats()).toMatchObject({ connections: 1, peers: 1 })
    figures({ test: 'close() from OPEN', baseline, open, afterClose })
  })

  test('after close() nothing is left running: mid-handshake, against a server that says nothing', async () => {
    const server = await startServer()
    server.faults.blackhole(true)
    const baseline = await quietResources()

    const timers = createCountingClock()
    const t = track(server.url, { ...options, connectTimeout: 5000, clock: timers.clock })
    void t.client.login({ id: 'ada' })
    await waitFor(() => t.sockets.at(-1)?.readyState === t.sockets.at(-1)?.OPEN, {
      timeout: 2000,
      what: 'the socket to open (the blackholed server never challenges)',
    })
    expect(t.client.getConnectionState()).toBe('AWAITING_CONNECTION')
    const connecting = activeResources()
    expect(connecting.sockets - baseline.sockets).toBe(2)
    expect(timers.pending()).toBe(1) // the connect deadline

    const afterClose = await closeAndSettle(t, timers, baseline)
    expect(afterClose).toEqual(baseline)
    figures({ test: 'close() mid-handshake', baseline, connecting, afterClose })
  })
})
