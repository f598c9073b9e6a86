/**
 * How often components render under connection traffic, with the real react-dom in jsdom and
 * linklight's mock source (a state reader never renders for messages, heartbeats or peers;
 * a `usePeer(id)` row renders only when that peer changes; a burst of joins is one update).
 */
import { act, version } from 'react'
import type { Root } from 'react-dom/client'
import {
  createConnectionStore,
  type ConnectionSnapshot,
  type ConnectionSource,
} from '../src/index.js'
import { ConnectionProvider, useConnectionState, usePeer, usePeers } from '../src/react/index.js'
import { createMockSource, type MockSource } from '../src/testing/index.js'
import { nextTurn } from '../tests/helpers/wait.js'
import { installDom } from './dom.js'
import { formatTable } from './report.js'

type MessageHandler = (data: unknown, from: string | null) => void

/**
 * The mock source, plus the two kinds of traffic it cannot produce: messages (the mock never
 * emits `message`) and heartbeats that change nothing (the mock builds a new snapshot on every
 * call). A heartbeat here hands every subscriber the snapshot it already has, as a source that
 * re-announces its unchanged state would.
 */
function withTraffic(mock: MockSource) {
  const snapshotListeners = new Set<(snapshot: ConnectionSnapshot) => void>()
  const messageHandlers = new Set<MessageHandler>()
  const source: ConnectionSource = {
    getSnapshot: () => mock.getSnapshot(),
    subscribe(listener) {
      snapshotListeners.add(listener)
      const off = mock.subscribe(listener)
      return () => {
        snapshotListeners.delete(listener)
        off()
      }
    },
    on(event, handler) {
      if (event !== 'message') return mock.on(event, handler)
      const onMessage = handler as MessageHandler
      messageHandlers.add(onMessage)
      return () => void messageHandlers.delete(onMessage)
    },
    getPeers: () => mock.getPeers(),
    connect: () => mock.connect(),
    login: (credentials) => mock.login(credentials),
    send: (data) => mock.send(data),
    reconnect: () => mock.reconnect(),
    close: () => mock.close(),
  }
  return {
    source,
    messageListeners: () => messageHandlers.size,
    message(data: unknown) {
      for (const handler of [...messageHandlers]) handler(data, 'peer-0')
    },
    heartbeat() {
      const same = mock.getSnapshot()
      for (const listener of [...snapshotListeners]) listener(same)
    },
  }
}

const renders = { state: 0, list: 0, rows: new Map<string, number>(), rowsParent: 0 }

function StateOnly() {
  renders.state++
  return <span>{useConnectionState()}</span>
}

function PeerRow({ id }: { id: string }) {
  renders.rows.set(id, (renders.rows.get(id) ?? 0) + 1)
  const peer = usePeer(id)
  return <li data-online={peer?.online}>{id}</li>
}

function PeerRows({ ids }: { ids: readonly string[] }) {
  renders.rowsParent++
  return (
    <ul>
      {ids.map((id) => (
        <PeerRow key={id} id={id} />
      ))}
    </ul>
  )
}

function PeerList() {
  renders.list++
  const peers = usePeers()
  return (
    <ul>
      {peers.map((peer) => (
        <li key={peer.id}>{peer.id}</li>
      ))}
    </ul>
  )
}

const reactGlobals = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
const ids = (count: number, prefix = 'peer') =>
  Array.from({ length: count }, (_, i) => `${prefix}-${i}`)
const n = (value: number) => value.toLocaleString('en-US')

/** Each call is one tick: the event, the store's end-of-tick flush, and React's render. */
async function inOwnTick(event: () => void) {
  await act(async () => event())
}

/** Waits for the real scheduler (no act) to finish: microtasks, then a few event-loop turns. */
async function settle() {
  for (let i = 0; i < 3; i++) await nextTurn()
}

async function stateReader(createRoot: (container: Element) => Root) {
  const mock = createMockSource({ state: 'OPEN', peers: ids(10) })
  const traffic = withTraffic(mock)
  const store = createConnectionStore(traffic.source)
  const root = createRoot(document.body.appendChild(document.createElement('div')))
  await inOwnTick(() =>
    root.render(
      <ConnectionProvider store={store}>
        <StateOnly />
      </ConnectionProvider>,
    ),
  )
  const rows: string[][] = [['mount', String(renders.state)]]
  const step = async (label: string, times: number, event: (i: number) => void) => {
    const before = renders.state
    for (let i = 0; i < times; i++) await inOwnTick(() => event(i))
    rows.push([label, `+${renders.state - before}`])
  }
  await step(`${n(1000)} messages (store listeners: ${traffic.messageListeners()})`, 1000, (i) =>
    traffic.message({ text: `hello ${i}` }),
  )
  await step('100 heartbeats, snapshot identical', 100, () => traffic.heartbeat())
  await step('100 new snapshots, state unchanged (OPEN → OPEN)', 100, () => mock.set('OPEN'))
  await step(`${n(1000)} peer events (joins, updates, leaves)`, 1000, (i) => {
    if (i % 3 === 0) mock.peerJoin(`guest-${i}`)
    else if (i % 3 === 1) mock.peerUpdate(`peer-${i % 10}`, { typing: i })
    else mock.peerLeave(`guest-${i - 2}`)
  })
  await step('control: one real state change (drop)', 1, () => mock.drop())
  await act(async () => root.unmount())
  store.getState().destroy()
  console.log('A component reading only useConnectionState (each event in its own tick):\n')
  console.log(formatTable(['traffic', 'renders'], rows))
}

async function peerRows(createRoot: (container: Element) => Root) {
  const all = ids(10_000)
  const mock = createMockSource({ state: 'OPEN', peers: all })
  const store = createConnectionStore(mock)
  const root = createRoot(document.body.appendChild(document.createElement('div')))
  await inOwnTick(() =>
    root.render(
      <ConnectionProvider store={store}>
        <PeerRows ids={all} />
      </ConnectionProvider>,
    ),
  )
  const mounted = renders.rows.size
  renders.rows.clear()
  renders.rowsParent = 0
  await inOwnTick(() => mock.peerUpdate('peer-4242', { typing: true }))
  const rendered = [...renders.rows].map(([id, times]) => `${id} ×${times}`)
  await act(async () => root.unmount())
  store.getState().destroy()
  console.log(
    `\n${n(all.length)} usePeer rows (${n(mounted)} rendered at mount); peer-4242 updated:\n`,
  )
  console.log(
    formatTable(
      ['what re-rendered', 'count'],
      [
        ['rows', `${rendered.length} (${rendered.join(', ') || 'none'})`],
        ['their parent', String(renders.rowsParent)],
      ],
    ),
  )
}

async function joinBurst(createRoot: (container: Element) => Root) {
  const mock = createMockSource('OPEN')
  const store = createConnectionStore(mock)
  const container = document.body.appendChild(document.createElement('div'))
  const root = createRoot(container)
  await inOwnTick(() =>
    root.render(
      <ConnectionProvider store={store}>
        <PeerList />
      </ConnectionProvider>,
    ),
  )
  const before = renders.list
  // act() would batch every update in its scope into one render and hide a second one, so the
  // burst runs on React's real scheduler.
  reactGlobals.IS_REACT_ACT_ENVIRONMENT = false
  for (const id of ids(1000, 'joiner')) mock.peerJoin(id)
  await settle()
  const after = renders.list - before
  const shown = container.querySelectorAll('li').length
  // The counter can move: the same list, ten joins each in a tick of its own.
  const beforeControl = renders.list
  for (const id of ids(10, 'late')) {
    mock.peerJoin(id)
    await settle()
  }
  const control = renders.list - beforeControl
  const shownAfterControl = container.querySelectorAll('li').length
  reactGlobals.IS_REACT_ACT_ENVIRONMENT = true
  await act(async () => root.unmount())
  store.getState().destroy()
  console.log(`\nA usePeers list (real scheduler, no act):\n`)
  console.log(
    formatTable(
      ['traffic', 'list renders', 'peers shown after'],
      [
        [`${n(1000)} joins in one tick`, `+${after}`, n(shown)],
        ['control: 10 joins, one per tick', `+${control}`, n(shownAfterControl)],
      ],
    ),
  )
}

/** Runs the render-count scenarios in a jsdom window and prints what rendered. */
export async function renderCounts(): Promise<void> {
  // react-dom decides at import time whether it runs in a browser: the DOM must be there first.
  const removeDom = await installDom({ act: true })
  const { createRoot } = await import('react-dom/client')
  console.log(`## Render counts (React ${version}, react-dom in jsdom, mock source)\n`)
  try {
    await stateReader(createRoot)
    await peerRows(createRoot)
    await joinBurst(createRoot)
  } finally {
    removeDom()
  }
}
