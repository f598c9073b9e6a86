import { describe, expect, test } from 'vitest'
import type { ServerMessage } from '../../src/server/index.js'
import {
  figures,
  findTransition,
  now,
  sleep,
  useIntegration,
  waitFor,
  waitForState,
} from './support.js'

const { startServer, openClient } = useIntegration()

describe('reconnection over real sockets (§3.2)', () => {
  test('§3.2 kill then restart → OPEN again', async () => {
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
    await sleep(100) // a second `restored` would show up here
    expect(t.restored).toHaveLength(1)
    expect(t.client.getSnapshot()).toMatchObject({ attempt: 0, retrying: false, error: null })
    expect(server.peers().map((p) => p.id)).toEqual(['ada'])
    figures({
      test: '§3.2 kill → restart',
      restartToOpenMs: Math.round(openAt - restartedAt),
      reconnectIntervalIncrement: 50,
      maxReconnectInterval: 200,
    })
  })
})

describe('heartbeats over real sockets (§3.3)', () => {
  const heartbeatInterval = 300

  test('§3.3 blackhole → heartbeat failure detected within two intervals (ERROR/KEEP_ALIVE_TIMEOUT)', async () => {
    const server = await startServer()
    const t = await openClient(server, 'ada', { heartbeatInterval })
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
    // ERROR means no further attempts.
    await sleep(heartbeatInterval * 2)
    expect(t.steps(mark)).toEqual([['ERROR', 'KEEP_ALIVE_TIMEOUT']])
    expect(t.sockets).toHaveLength(1)
    figures({
      test: '§3.3 blackhole → ERROR',
      heartbeatInterval,
      detectionAfterBlackholeMs: Math.round(d),
      silenceBeforeErrorMs: Math.round(d + b - lastAnswerAt),
    })
  })

  test("§3.3 blackhole → heartbeat failure with heartbeatFailure 'reconnect' → RECONNECTING/KEEP_ALIVE_TIMEOUT, then OPEN once lifted", async () => {
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
      test: "§3.3 blackhole → RECONNECTING ('reconnect')",
      heartbeatInterval,
      detectionAfterBlackholeMs: Math.round(d),
      liftToOpenMs: Math.round(openAt - liftedAt),
      socketsOpened: t.sockets.length,
    })
  })
})

describe('the offline queue across drops (§3.5)', () => {
  test('§3.5 1,000 messages sent across 5 forced drops arrive exactly once and in order (counted by the server)', async () => {
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
      await sleep(30)
      await server.faults.restart()
    }

    await waitFor(
      () => resolved + rejected.length === 1000 && received.length >= 1000,
      10_000,
      () =>
        `every send() to settle and the server to have 1000 messages (settled ${resolved + rejected.length}, server has ${received.length}, client ${client.getConnectionState()})`,
    )
    await sleep(100) // a late duplicate would show up here

    const counts = new Map<number, number>()
    for (const n of received) counts.set(n, (counts.get(n) ?? 0) + 1)
    const duplicated = [...counts.values()].filter((c) => c > 1).length
    const reordered = received.filter((n, i) => i > 0 && n < received[i - 1]!).length
    const stats = server.stats()
    figures({
      test: '§3.5 1,000 messages across 5 drops',
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
    expect(stats.messages).toBe(1000)
    expect(drops).toHaveLength(5)
    expect(client.getSnapshot().queued).toBe(0)
  })
})
