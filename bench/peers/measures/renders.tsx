/**
 * Renders of a component that shows only the connection state, while 1,000 messages arrive
 * (each in its own tick, 1 ms apart), with react-dom in jsdom on React's real scheduler:
 * linklight's `useConnectionState()` under `<ConnectionProvider>` vs react-use-websocket's
 * `readyState` (as documented, and with `filter: () => false`, its way to skip message renders).
 */
import { createRoot, type Root } from 'react-dom/client'
import type { Options } from 'react-use-websocket'
import { WebSocket } from 'ws'
import { createClient, presets } from '../../../src/index.js'
import { ConnectionProvider, useConnectionState } from '../../../src/react/index.js'
import { useWebSocket } from '../drivers/reactUseWebsocket.js'
import { startEchoServer, startLinklightServer } from '../servers.js'
import { sleep, until } from '../stats.js'

export interface RenderCount {
  readonly name: string
  readonly setup: string
  readonly messages: number
  readonly received: number
  readonly renders: number
}

const counter = { renders: 0 }

function LinklightState() {
  counter.renders++
  return <span>{useConnectionState()}</span>
}

function HookState({ url, options }: { url: string; options: Options }) {
  counter.renders++
  const { readyState } = useWebSocket(url, options)
  return <span>{readyState}</span>
}

const CAP_MS = 20_000

async function measureLinklight(count: number): Promise<RenderCount> {
  const server = await startLinklightServer()
  const url = `ws://127.0.0.1:${server.port}`
  const reader = createClient(url, { ...presets.deepstream, WebSocket })
  const writer = createClient(url, { ...presets.deepstream, WebSocket })
  let received = 0
  reader.on('message', () => void received++)
  await Promise.all([reader.login({ id: 'reader' }), writer.login({ id: 'writer' })])
  const root: Root = createRoot(document.createElement('div'))
  root.render(
    <ConnectionProvider source={reader}>
      <LinklightState />
    </ConnectionProvider>,
  )
  await sleep(300)
  const before = counter.renders
  for (let n = 0; n < count; n++) {
    void writer.send(n).catch(() => {})
    await sleep(1)
  }
  await until(() => received >= count, CAP_MS)
  await sleep(300)
  const renders = counter.renders - before
  root.unmount()
  reader.close()
  writer.close()
  await server.close()
  return {
    name: 'linklight',
    setup: '`useConnectionState()` under `<ConnectionProvider source={client}>`',
    messages: count,
    received,
    renders,
  }
}

async function measureHook(count: number, filtered: boolean): Promise<RenderCount> {
  const server = await startEchoServer()
  let received = 0
  let open = false
  const options: Options = {
    onOpen: () => void (open = true),
    onMessage: () => void received++,
    ...(filtered ? { filter: () => false } : {}),
  }
  const root: Root = createRoot(document.createElement('div'))
  root.render(<HookState url={`ws://127.0.0.1:${server.port}`} options={options} />)
  await until(() => open, CAP_MS)
  await sleep(300)
  const before = counter.renders
  for (let n = 0; n < count; n++) {
    server.broadcast(1)
    await sleep(1)
  }
  await until(() => received >= count, CAP_MS)
  await sleep(300)
  const renders = counter.renders - before
  root.unmount()
  await server.close()
  // React finishes an unmount on its scheduler's next turn: let it, while the DOM is still there.
  await sleep(50)
  return {
    name: 'react-use-websocket',
    setup: filtered
      ? '`const { readyState } = useWebSocket(url, { filter: () => false })`'
      : '`const { readyState } = useWebSocket(url)`',
    messages: count,
    received,
    renders,
  }
}

export async function measureRenders(count = 1000): Promise<RenderCount[]> {
  return [
    await measureLinklight(count),
    await measureHook(count, false),
    await measureHook(count, true),
  ]
}
