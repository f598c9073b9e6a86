// @vitest-environment jsdom
/**
 * Render isolation over a real y-websocket server (@y/websocket-server 0.1.1): our app renders
 * linklight's provider over `fromYjs(provider)`, two other clients (ann, bob) share the room,
 * and ann moves her cursor 200 times, as a collaborative app does many times a second. Only
 * what shows ann re-renders: her `usePeer` row and a `usePeers()` list (a new array whenever a
 * peer's data changes, once per batch of peer events). The state reader, bob's row and a
 * `usePeerIds()` count stay put.
 */
import { cleanup, render, screen } from '@testing-library/react'
import { Profiler } from 'react'
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { fromYjs } from '../../src/adapters/yjs.js'
import { createConnectionStore, type ConnectionStore } from '../../src/index.js'
import {
  ConnectionProvider,
  useConnectionState,
  usePeer,
  usePeerIds,
  usePeers,
} from '../../src/react/index.js'
import { figures } from '../helpers/figures.js'
import { nextTurn, waitFor, waitForStable, waitUntilQuiet } from '../helpers/wait.js'
import { startYWebsocketServer, type ChildServer } from '../helpers/yjsServers.js'
import { createRenderCounter } from '../react/support.js'

const MOVES = 200

interface Cursor {
  readonly x: number
  readonly y: number
}
const cursorAt = (i: number): Cursor => ({ x: i, y: 2 * i })

let server: ChildServer
beforeAll(async () => {
  server = await startYWebsocketServer()
})
afterAll(() => server.stop())

/** Everything a test started; closed after it, in reverse order. */
const cleanups: (() => unknown)[] = []
const env = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean | undefined }
let actEnvironment: boolean | undefined
beforeEach(() => {
  // Real sockets update the store outside act(): let React schedule those renders itself.
  actEnvironment = env.IS_REACT_ACT_ENVIRONMENT
  env.IS_REACT_ACT_ENVIRONMENT = false
})
afterEach(async () => {
  cleanup() // unmount while React still expects updates outside act()
  for (const close of cleanups.splice(0).reverse()) await close()
  env.IS_REACT_ACT_ENVIRONMENT = actEnvironment
})

function yProvider(room: string) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(server.url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Node has a global BroadcastChannel: providers of one room in this process would
    // otherwise sync through it rather than through the server.
    disableBc: true,
  })
  cleanups.push(() => {
    provider.destroy()
    doc.destroy()
  })
  return { doc, provider, id: String(doc.clientID) }
}

function StateReader() {
  return <p data-testid="state">{useConnectionState()}</p>
}

function PeerRow({ id }: { id: string }) {
  const peer = usePeer(id)
  return <p data-testid={`row-${id}`}>{JSON.stringify(peer?.data ?? null)}</p>
}

function PeerCount() {
  return <p data-testid="count">{usePeers().length}</p>
}

function PeerIdCount() {
  return <p data-testid="ids">{usePeerIds().length}</p>
}

/** What the row of peer `id` shows. */
const shown = (id: string) => screen.getByTestId(`row-${id}`).textContent

/** Store updates that brought new peer lists, counted as they come. */
function countPeerUpdates(store: ConnectionStore) {
  let count = 0
  const off = store.subscribe((s, before) => void (s.peerList !== before.peerList && count++))
  cleanups.push(off)
  return () => count
}

test(`ann moves her cursor ${MOVES} times: only her row and the usePeers list re-render`, async () => {
  const room = `linklight-react-${Date.now()}`
  const ours = yProvider(room)
  const ann = yProvider(room)
  const bob = yProvider(room)
  ann.provider.awareness.setLocalStateField('user', { name: 'ann' })
  ann.provider.awareness.setLocalStateField('cursor', cursorAt(0))
  bob.provider.awareness.setLocalStateField('user', { name: 'bob' })

  const source = fromYjs(ours.provider)
  cleanups.push(() => source.close())
  const store = createConnectionStore(source)
  cleanups.push(() => store.getState().destroy())
  const peerUpdates = countPeerUpdates(store)
  let annEvents = 0
  cleanups.push(source.on('peerUpdated', (peer) => void (peer.id === ann.id && annEvents++)))

  const counter = createRenderCounter()
  render(
    <ConnectionProvider store={store}>
      <Profiler id="state" onRender={counter.onRender}>
        <StateReader />
      </Profiler>
      <Profiler id="ann" onRender={counter.onRender}>
        <PeerRow id={ann.id} />
      </Profiler>
      <Profiler id="bob" onRender={counter.onRender}>
        <PeerRow id={bob.id} />
      </Profiler>
      <Profiler id="count" onRender={counter.onRender}>
        <PeerCount />
      </Profiler>
      <Profiler id="ids" onRender={counter.onRender}>
        <PeerIdCount />
      </Profiler>
    </ConnectionProvider>,
  )

  const annAt = (cursor: Cursor) => JSON.stringify({ user: { name: 'ann' }, cursor })
  const everyoneShown = () =>
    screen.getByTestId('state').textContent === 'OPEN' &&
    screen.getByTestId('count').textContent === '2' &&
    shown(ann.id) === annAt(cursorAt(0)) &&
    shown(bob.id) === JSON.stringify({ user: { name: 'bob' } })
  await waitFor(everyoneShown, {
    timeout: 5000,
    what: () =>
      `OPEN with ann and bob shown (state ${screen.getByTestId('state').textContent}, ann ${shown(ann.id)}, bob ${shown(bob.id)})`,
  })
  // Joining renders a few times (the handshake, each peer's first states): let that settle.
  const ids = ['state', 'ann', 'bob', 'count', 'ids']
  const settled = await waitForStable(() => ids.map(counter.get), 100, {
    timeout: 3000,
    what: 'the render counts after joining',
  })
  counter.reset()
  const updatesBefore = peerUpdates()
  const eventsBefore = annEvents

  const started = performance.now()
  for (let i = 1; i <= MOVES; i++) {
    ann.provider.awareness.setLocalStateField('cursor', cursorAt(i))
    // One turn of the event loop between moves, as between two pointermove events.
    await nextTurn()
  }
  const last = cursorAt(MOVES)
  const annCursor = () => source.getPeers().get(ann.id)?.data as { cursor?: Cursor } | undefined
  await waitFor(() => annCursor()?.cursor?.x === last.x, {
    timeout: 5000,
    what: () => `our source to have ann's last cursor (has ${JSON.stringify(annCursor())})`,
  })
  // The commit that shows the last cursor is the last one its store update causes.
  await waitFor(() => shown(ann.id) === annAt(last), {
    timeout: 2000,
    what: () => `ann's row to show the last cursor (shows ${shown(ann.id)})`,
  })
  const elapsed = performance.now() - started
  // Nothing more reaches the store after the last move: the counts below are final.
  const lateUpdates = await waitUntilQuiet((onEvent) => store.subscribe(onEvent), 100, {
    timeout: 2000,
    what: 'the store after the last move',
  })

  const renders = Object.fromEntries(ids.map((id) => [id, counter.get(id)]))
  const storePeerUpdates = peerUpdates() - updatesBefore
  figures({
    test: `yjs react: ann moves her cursor ${MOVES} times`,
    mountRenders: Object.fromEntries(ids.map((id, i) => [id, settled[i]])),
    annPeerUpdatedEvents: annEvents - eventsBefore,
    storePeerUpdates,
    renders,
    ms: Math.round(elapsed),
  })

  expect(lateUpdates).toBe(0)
  expect(screen.getByTestId('count').textContent).toBe('2')
  // useConnectionState: never for peers
  expect(renders.state).toBe(0)
  // usePeer(id): only when that peer changes
  expect(renders.bob).toBe(0)
  expect(renders.ann).toBeGreaterThanOrEqual(1)
  expect(renders.ann).toBeLessThanOrEqual(MOVES)
  // The store applies a tick's peer events as one update, and nothing renders without one.
  expect(storePeerUpdates).toBeLessThanOrEqual(MOVES)
  expect(renders.ann).toBeLessThanOrEqual(storePeerUpdates)
  // usePeers() is the store's peer list, a new array whenever a peer's data changes: a
  // component that reads only its length still renders, once per update of the store.
  expect(renders.count).toBeGreaterThanOrEqual(1)
  expect(renders.count).toBeLessThanOrEqual(storePeerUpdates)
  // usePeerIds(): only when a peer joins or leaves
  expect(renders.ids).toBe(0)
})
