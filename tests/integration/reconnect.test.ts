import { describe, expect, test } from 'vitest'
import type { ServerMessage } from '../../src/server/index.js'
import { presets } from '../../src/core/options.js'
import { createCountingClock } from '../helpers/countingClock.js'
import { figures } from '../helpers/figures.js'
import { sleep, waitFor, waitUntilQuiet } from '../helpers/wait.js'
import { findTransition, now, useIntegration, waitForState, type Tracked } from './support.js'

const { startServer, openClient } = useIntegration()

/** Subscribes to everything the client reports about its connection, for `waitUntilQuiet`. */
const connectionEvents = (t: Tracked) => (onEvent: () => void) => {
  const offs = (['connectionStateChanged', 'lost', 'restored'] as const).map((event) =>
    t.client.on(event, onEvent),
  )
  return () => offs.forEach((off) => off())
}

describe('presets.resilient over real sockets', () => {
  test('a 500 ms restart, five times: back by itself every time, never ERROR', async () => {
    const server = await startServer()
    const t = await openClient(server, 'ada', { ...presets.resilient })
    const took: number[] = []
    for (let round = 0; round < 5; round++) {
      await server.faults.kill()
      await waitForState(t, 'RECONNECTING', 2000)
      await sleep(500)
      await server.faults.restart()
      const restartedAt = now()
      await waitForState(t, 'OPEN', 5000, 'REJOIN_SUCCESS')
      took.push(Math.round(now() - restartedAt))
    }
    expect(t.transitions.map((step) => step.state)).not.toContain('ERROR')
    figures({ test: 'resilient: 500 ms restart ×5', restartToOpenMs: took })
  })
})

describe('reconnection over real sockets', () => {
  test('kill then restart → OPEN again', async () => {
    const server = await startServer()
    const t = await openClient(server, 'ada', {
      reconnectIntervalIncrement: 50,
      maxReconnectInterval: 200,
      maxReconnectAttempts: Infinity,
    })
    const mark = t.transitions.length

    await server.faults.kill()
    await waitForState(t, 'RECONNECTING', 2000, 'SERVER_CLOSED')
    // Attempt 1 starts at once and is refused; the next ones follow the schedule.
    await waitFor(() => t.client.getSnapshot().attempt >= 3, 3000, 'three refused attempts')
    expect(t.client.getSnapshot()).toMatchObject({ state: 'RECONNECTING', retrying: true })

    await server.faults.restart()
    const restartedAt = now()
    await waitForState(t, 'OPEN', 3000, 'REJOIN_SUCCESS')
    const openAt = findTransition(t, 'OPEN', mark)!.at

    expect(t.steps(mark)).toEqual([
      ['RECONNECTING', 'SERVER_CLOSED'],
      ['AWAITING_CONNECTION', 'CONNECTING'],
      ['CHALLENGING', 'CHALLENGE'],
      ['AUTHENTICATING', 'AUTHENTICATING'],
      ['OPEN', 'REJOIN_SUCCESS'],
    ])
    // A retry still scheduled would start within maxReconnectInterval and end in a second
    // `restored`: twice that long, nothing more happens.
    expect(await waitUntilQuiet(connectionEvents(t), 400, { timeout: 3000 })).toBe(0)
    expect(t.restored).toHaveLength(1)
    // And the link carries a message both ways.
    await t.client.send({ after: 'restart' })
    expect(t.client.getSnapshot()).toMatchObject({ attempt: 0, retrying: false, error: null })
    expect(server.peers().map((p) => p.id)).toEqual(['ada'])
    figures({
      test: 'kill → restart',
      restartToOpenMs: Math.round(openAt - restartedAt),
      reconnectIntervalIncrement: 50,
      maxReconnectInterval: 200,
    })
  })
})

describe('heartbeats over real sockets', () => {
  const heartbeatInterval = 300

  test('blackhole → heartbeat failure detected within two intervals (ERROR/KEEP_ALIVE_TIMEOUT)', async () => {
    const server = await startServer()
    const timers = createCountingClock()
    const t = await openClient(server, 'ada', { heartbeatInterval, clock: timers.clock })
    await waitFor(() => t.pongs >= 3, heartbeatInterval * 3 + 2000, 'three answered pings')
    const mark = t.transitions.length

    const lastAnswerAt = t.lastReceivedAt
    const b = now()
    server.faults.blackhole(true)
    await waitForState(t, 'ERROR', heartbeatInterval * 2 + 3000)
    const d = findTransition(t, 'ERROR', mark)!.at - b

    expect(t.steps(mark)).toEqual([['ERROR', 'KEEP_ALIVE_TIMEOUT']])
    expect(t.client.getSnapshot().error?.code).toBe('KEEP_ALIVE_TIMEOUT')
    expect(d).toBeLessThanOrEqual(2 * heartbeatInterval + 250)
    expect(d).toBeGreaterThanOrEqual(heartbeatInterval - 50)
    // ERROR means no further attempts: the client holds no timer that could start one, and its
    // socket is closed, so no event of it can either.
    expect(timers.pending()).toBe(0)
    await waitFor(() => t.sockets[0]!.readyState === t.sockets[0]!.CLOSED, {
      timeout: 1000,
      what: 'the socket to close',
    })
    expect(t.steps(mark)).toEqual([['ERROR', 'KEEP_ALIVE_TIMEOUT']])
    expect(t.sockets).toHaveLength(1)
    figures({
      test: 'blackhole → ERROR',
      heartbeatInterval,
      detectionAfterBlackholeMs: Math.round(d),
      silenceBeforeErrorMs: Math.round(d + b - lastAnswerAt),
    })
  })

  test("blackhole → heartbeat failure with heartbeatFailure 'reconnect' → RECONNECTING/KEEP_ALIVE_TIMEOUT, then OPEN once lifted", async () => {
    const server = await startServer()
    const t = await openClient(server, 'ada', {
      heartbeatInterval,
      heartbeatFailure: 'reconnect',
      connectTimeout: 300,
      reconnectIntervalIncrement: 100,
      maxReconnectInterval: 200,
      maxReconnectAttempts: Infinity,
    })
    await waitFor(() => t.pongs >= 3, heartbeatInterval * 3 + 2000, 'three answered pings')
    const mark = t.transitions.length

    const b = now()
    server.faults.blackhole(true)
    await waitForState(t, 'RECONNECTING', heartbeatInterval * 2 + 3000)
    const d = findTransition(t, 'RECONNECTING', mark)!.at - b
    expect(t.steps(mark)[0]).toEqual(['RECONNECTING', 'KEEP_ALIVE_TIMEOUT'])
    expect(d).toBeLessThanOrEqual(2 * heartbeatInterval + 250)
    expect(d).toBeGreaterThanOrEqual(heartbeatInterval - 50)

    // The blackholed server accepts sockets and says nothing: connectTimeout fails the attempt.
    await waitFor(
      () =>
        t.transitions
          .slice(mark + 1)
          .some((s) => s.state === 'RECONNECTING' && s.reason === 'INTERRUPTED'),
      3000,
      () => `an attempt failed by connectTimeout (steps: ${JSON.stringify(t.steps(mark))})`,
    )
    expect(findTransition(t, 'OPEN', mark)).toBeUndefined()

    server.faults.blackhole(false)
    const liftedAt = now()
    await waitForState(t, 'OPEN', 3000, 'REJOIN_SUCCESS')
    const openAt = findTransition(t, 'OPEN', mark)!.at
    expect(t.restored).toHaveLength(1)
    expect(server.peers().map((p) => p.id)).toEqual(['ada'])
    figures({
      test: "blackhole → RECONNECTING ('reconnect')",
      heartbeatInterval,
      detectionAfterBlackholeMs: Math.round(d),
      liftToOpenMs: Math.round(openAt - liftedAt),
      socketsOpened: t.sockets.length,
    })
  })
})

describe('the offline queue across drops', () => {
  test('1,000 messages sent across 5 forced drops arrive exactly once and in order (counted by the server)', async () => {
    const received: number[] = []
    const server = await startServer({
      onMessage: (message: ServerMessage) => received.push((message.data as { n: number }).n),
    })
    const t = await openClient(server, 'sender', {
      reconnectIntervalIncrement: 20,
      maxReconnectInterval: 100,
      maxReconnectAttempts: Infinity,
      queueLimit: 2000,
    })
    const { client } = t
    let resolved = 0
    const rejected: string[] = []
    const sendBatch = (batch: number) => {
      for (let i = 0; i < 100; i++)
        client.send({ n: batch * 100 + i }).then(
          () => resolved++,
          (error: Error) => rejected.push(error.message),
        )
    }

    // How each drop lands: the kill comes in the same tick as the sends (nothing read by the
    // server), one event-loop turn later, with acks held back by delay(50), or a few ms later.
    const variants = [
      'same tick',
      'next turn',
      'acks in flight (delay 50)',
      '2 ms',
      '5 ms',
    ] as const
    const drops: { variant: string; resolvedAtKill: number; queuedWhileDown: number }[] = []
    for (const [index, variant] of variants.entries()) {
      const live = 2 * index
      await waitForState(t, 'OPEN', 5000)
      if (variant === 'acks in flight (delay 50)') server.faults.delay(50)
      sendBatch(live)
      if (variant === 'next turn') await new Promise((resolve) => setImmediate(resolve))
      if (variant === '2 ms') await sleep(2)
      if (variant === '5 ms') await sleep(5)
      if (variant === 'acks in flight (delay 50)')
        await waitFor(
          () => received.length >= (live + 1) * 100,
          3000,
          `the server to receive batch ${live}`,
        )
      const resolvedAtKill = resolved
      await server.faults.kill()
      server.faults.delay(0)
      if (variant === 'acks in flight (delay 50)')
        expect(resolvedAtKill).toBeLessThan((live + 1) * 100)

      await waitFor(
        () => client.getConnectionState() !== 'OPEN',
        2000,
        'the client to see the drop',
      )
      sendBatch(live + 1)
      const queuedWhileDown = client.getSnapshot().queued
      expect(queuedWhileDown).toBeGreaterThanOrEqual(100)
      drops.push({ variant, resolvedAtKill, queuedWhileDown })
      // The server stays down until an attempt has been refused.
      await waitFor(
        () => client.getSnapshot().nextRetryAt !== null || client.getSnapshot().attempt >= 2,
        { timeout: 2000, what: 'an attempt to be refused while the server is down' },
      )
      await server.faults.restart()
    }

    await waitFor(
      () => resolved + rejected.length === 1000 && received.length >= 1000,
      10_000,
      () =>
        `every send() to settle and the server to have 1000 messages (settled ${resolved + rejected.length}, server has ${received.length}, client ${client.getConnectionState()})`,
    )
    // One more message, sent once everything has settled: messages on one link arrive in
    // order, so a late duplicate of an earlier one would reach the server before it.
    await client.send({ n: 1000 })
    expect(received.at(-1)).toBe(1000)
    received.pop()

    const counts = new Map<number, number>()
    for (const n of received) counts.set(n, (counts.get(n) ?? 0) + 1)
    const duplicated = [...counts.values()].filter((c) => c > 1).length
    const reordered = received.filter((n, i) => i > 0 && n < received[i - 1]!).length
    const stats = server.stats()
    figures({
      test: '1,000 messages across 5 drops',
      sent: 1000,
      resolved,
      rejected: rejected.length,
      received: received.length,
      distinct: counts.size,
      duplicated,
      reordered,
      serverDuplicatesDropped: stats.duplicates,
      drops: drops.length,
      perDrop: drops,
    })
    expect(rejected).toEqual([])
    expect(received).toEqual(Array.from({ length: 1000 }, (_, n) => n))
    expect(stats.messages).toBe(1001)
    expect(drops).toHaveLength(5)
    expect(client.getSnapshot().queued).toBe(0)
  })
})
