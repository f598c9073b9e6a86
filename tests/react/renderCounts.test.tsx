import { memo, Profiler } from 'react'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { createClient, createConnectionStore, type LinklightClient } from '../../src/index.js'
import {
  ConnectionProvider,
  useConnectionState,
  usePeer,
  usePeerIds,
  usePeers,
} from '../../src/react/index.js'
import { createServer, type ReferenceServer } from '../../src/server/index.js'
import { createMockSource } from '../../src/testing/index.js'
import { act, cleanup, render, screen } from './rtl.js'
import { figures } from '../helpers/figures.js'
import { sleep, waitFor as waitUntil } from '../helpers/wait.js'
import { createRenderCounter } from './support.js'

/**
 * Runs `step` `count` times, 25 per turn of the event loop. The server shares this process: a
 * burst of 1,000 frames at once would keep it from answering the 20 ms heartbeats for longer
 * than two intervals, a genuine KEEP_ALIVE_TIMEOUT that is not what these tests are about.
 */
async function paced(count: number, step: (i: number) => void) {
  for (let i = 0; i < count; i++) {
    step(i)
    if (i % 25 === 24) await sleep(1)
  }
}

function StateReader() {
  return <p data-testid="state">{useConnectionState()}</p>
}

function Nothing() {
  return null
}

function PeerCount() {
  return <p data-testid="peers">{usePeers().length}</p>
}

describe('a component reading only the state never re-renders for traffic', () => {
  const servers: ReferenceServer[] = []
  const clients: LinklightClient[] = []
  let actEnvironment: boolean | undefined
  const env = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean | undefined }

  beforeEach(() => {
    // Real sockets update the store outside act(): let React schedule those renders itself.
    actEnvironment = env.IS_REACT_ACT_ENVIRONMENT
    env.IS_REACT_ACT_ENVIRONMENT = false
  })
  afterEach(async () => {
    cleanup() // unmount while React still expects updates outside act()
    for (const client of clients.splice(0)) client.close()
    await Promise.all(servers.splice(0).map((server) => server.close()))
    env.IS_REACT_ACT_ENVIRONMENT = actEnvironment
  })

  test('real client: no render of a useConnectionState reader for 1,000 messages, 100 heartbeats and 1,020 peer events', async () => {
    const server = await createServer({ port: 0 })
    servers.push(server)
    // heartbeats answered: a pong only ever answers a ping
    let pongs = 0
    class CountingWebSocket extends WebSocket {
      constructor(url: string) {
        super(url)
        this.on('message', (data) => void (String(data) === '{"t":"pong"}' && pongs++))
      }
    }
    const connect = (options: { heartbeatInterval?: number } = {}) => {
      const client = createClient(server.url, { WebSocket: CountingWebSocket, ...options })
      clients.push(client)
      return client
    }
    const reader = connect({ heartbeatInterval: 20 })
    let messages = 0
    let peerEvents = 0
    reader.on('message', () => messages++)
    const steps: string[] = []
    reader.on('connectionStateChanged', (state, reason) =>
      steps.push(`${state}/${reason}@${performance.now() | 0}`),
    )
    for (const event of ['peerJoined', 'peerLeft', 'peerUpdated'] as const)
      reader.on(event, () => peerEvents++)

    const counter = createRenderCounter()
    render(
      <ConnectionProvider source={reader}>
        <Profiler id="state" onRender={counter.onRender}>
          <StateReader />
        </Profiler>
        <Profiler id="peers" onRender={counter.onRender}>
          <PeerCount />
        </Profiler>
      </ConnectionProvider>,
    )
    await reader.login({ id: 'reader' })
    await waitUntil(() => screen.getByTestId('state').textContent === 'OPEN', 2000, 'OPEN shown')
    await sleep(100)
    const settled = counter.get('state')

    // a second client joins and sends 1,000 messages through the server
    const sender = connect()
    await sender.login({ id: 'sender' })
    await paced(1000, (i) => void sender.send({ i }))
    await waitUntil(() => messages === 1000, 10_000, '1,000 messages received').catch((e) => {
      throw new Error(
        `${String(e)} got ${messages} steps ${steps.join(' ')} sender ${JSON.stringify(sender.getSnapshot())}`,
      )
    })
    const afterMessages = counter.get('state')

    // 100 heartbeats of the reader, answered
    const pongsBefore = pongs
    const heartbeats = () => pongs - pongsBefore
    await waitUntil(() => heartbeats() >= 100, 10_000, '100 heartbeats')
    const afterHeartbeats = counter.get('state')

    // 1,000 presence updates of the sender, then 10 peers joining and leaving
    const peersBefore = counter.get('peers')
    const peerEventsBefore = peerEvents
    await paced(1000, (i) => sender.setPresence({ i }))
    await waitUntil(() => peerEvents - peerEventsBefore >= 1000, 10_000, '1,000 peer updates')
    const visitors = Array.from({ length: 10 }, () => connect())
    await Promise.all(visitors.map((visitor, i) => visitor.login({ id: `visitor-${i}` })))
    for (const visitor of visitors) visitor.close()
    await waitUntil(() => peerEvents - peerEventsBefore >= 1020, 10_000, '1,020 peer events')
    await waitUntil(() => screen.getByTestId('peers').textContent === '1', 2000, 'visitors gone')
    const afterPeers = counter.get('state')

    expect(reader.getConnectionState()).toBe('OPEN')
    expect(messages).toBe(1000)
    expect(heartbeats()).toBeGreaterThanOrEqual(100)
    expect(peerEvents - peerEventsBefore).toBeGreaterThanOrEqual(1020)
    // the peer traffic did reach React: the peer count re-rendered
    expect(counter.get('peers')).toBeGreaterThan(peersBefore)
    expect([afterMessages, afterHeartbeats, afterPeers]).toEqual([settled, settled, settled])
    figures({
      test: 'state reader, real client',
      rendersUntilOpen: settled,
      extraForMessages: afterMessages - settled,
      extraForHeartbeats: afterHeartbeats - afterMessages,
      extraForPeers: afterPeers - afterHeartbeats,
      heartbeats: heartbeats(),
      peerEvents: peerEvents - peerEventsBefore,
      peerCountRenders: counter.get('peers') - peersBefore,
    })
  })

  test('mock source: no render of a useConnectionState reader for 1,000 joins, updates and leaves', async () => {
    env.IS_REACT_ACT_ENVIRONMENT = true
    const source = createMockSource('OPEN')
    const counter = createRenderCounter()
    render(
      <ConnectionProvider source={source}>
        <Profiler id="state" onRender={counter.onRender}>
          <StateReader />
        </Profiler>
      </ConnectionProvider>,
    )
    const settled = counter.get('state')
    for (let i = 0; i < 1000; i++) await act(async () => source.peerJoin(`peer-${i}`))
    for (let i = 0; i < 1000; i++) await act(async () => source.peerUpdate(`peer-${i}`, { i }))
    for (let i = 0; i < 1000; i++) await act(async () => source.peerLeave(`peer-${i}`))
    const extra = counter.get('state') - settled
    expect(extra).toBe(0)
    // and the state still renders when it changes
    act(() => source.drop())
    expect(counter.get('state')).toBe(settled + 1)
    figures({ test: 'state reader, mock, 3,000 peer events', mountRenders: settled, extra })
  })
})

describe('a usePeer(id) row re-renders only when that peer changes', () => {
  test('10,000 peers: updating one re-renders exactly that row, and no other', async () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `peer-${i}`)
    const source = createMockSource({ state: 'OPEN', peers: ids })
    const store = createConnectionStore(source)
    const counter = createRenderCounter()
    // Each Profiler sits inside the component it counts: it commits exactly when that renders.
    const Row = memo(function Row({ id }: { id: string }) {
      const peer = usePeer(id)
      return (
        <Profiler id={id} onRender={counter.onRender}>
          <li data-online={peer?.online}>{JSON.stringify(peer?.data ?? null)}</li>
        </Profiler>
      )
    })
    function List() {
      const ids = usePeerIds()
      return (
        <ul>
          {/* beside the rows, not around them: it commits exactly when List renders */}
          <Profiler id="list" onRender={counter.onRender}>
            <Nothing />
          </Profiler>
          {ids.map((id) => (
            <Row key={id} id={id} />
          ))}
        </ul>
      )
    }
    render(
      <ConnectionProvider store={store}>
        <List />
      </ConnectionProvider>,
    )
    expect(counter.all().size).toBe(10_001) // each row and the list, mounted once
    counter.reset()

    await act(async () => source.peerUpdate('peer-4321', { typing: true }))
    const afterOneUpdate = counter.all()
    expect(afterOneUpdate).toEqual(new Map([['peer-4321', 1]]))

    counter.reset()
    await act(async () => {
      source.peerUpdate('peer-7', { away: true })
      source.peerUpdate('peer-9999', { away: true })
    })
    expect(counter.all()).toEqual(
      new Map([
        ['peer-7', 1],
        ['peer-9999', 1],
      ]),
    )

    // a join re-renders the id list and mounts one row; the (memoized) other rows stay put
    counter.reset()
    await act(async () => source.peerJoin('newcomer'))
    expect(counter.all()).toEqual(
      new Map([
        ['list', 1],
        ['newcomer', 1],
      ]),
    )
    figures({
      test: '10,000 rows, one peer updated',
      updatedRowRenders: afterOneUpdate.get('peer-4321'),
      otherRenders: afterOneUpdate.size - 1,
    })
    store.getState().destroy()
  })
})

describe('a burst of peer events renders a list once', () => {
  function renderPeerList() {
    const source = createMockSource('OPEN')
    const counter = createRenderCounter()
    function Peers() {
      return <p data-testid="count">{usePeers().length}</p>
    }
    render(
      <ConnectionProvider source={source}>
        <Profiler id="list" onRender={counter.onRender}>
          <Peers />
        </Profiler>
      </ConnectionProvider>,
    )
    counter.reset()
    const burst = () => {
      for (let i = 0; i < 1000; i++) source.peerJoin(`peer-${i}`)
    }
    return { counter, burst }
  }

  test('a burst of 1,000 joins in one tick re-renders a usePeers list at most twice (React scheduling)', async () => {
    const env = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean | undefined }
    const previous = env.IS_REACT_ACT_ENVIRONMENT
    const { counter, burst } = renderPeerList()
    env.IS_REACT_ACT_ENVIRONMENT = false // no act() to batch for us: React schedules as in an app
    try {
      burst()
      await waitUntil(() => screen.getByTestId('count').textContent === '1000', 2000, '1000 shown')
      await sleep(50)
      const renders = counter.get('list')
      expect(renders).toBeGreaterThanOrEqual(1)
      expect(renders).toBeLessThanOrEqual(2)
      figures({ test: 'usePeers list, burst of 1,000 joins, outside act', renders })
    } finally {
      cleanup()
      env.IS_REACT_ACT_ENVIRONMENT = previous
    }
  })

  test('a burst of 1,000 joins in one tick re-renders a usePeers list at most twice (inside act)', async () => {
    const { counter, burst } = renderPeerList()
    await act(async () => burst())
    expect(screen.getByTestId('count').textContent).toBe('1000')
    const renders = counter.get('list')
    expect(renders).toBeGreaterThanOrEqual(1)
    expect(renders).toBeLessThanOrEqual(2)
    figures({ test: 'usePeers list, burst of 1,000 joins, inside act', renders })
  })
})
