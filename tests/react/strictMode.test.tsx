import { StrictMode } from 'react'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { createClient, type LinklightClient } from '../../src/index.js'
import {
  ConnectionProvider,
  useConnectionEvent,
  useConnectionState,
} from '../../src/react/index.js'
import { createServer, type ReferenceServer } from '../../src/server/index.js'
import { render, screen } from './rtl.js'
import { sleep, waitUntil } from './support.js'

/** Timers and TCP sockets alive in this process right now. */
function resources() {
  const info = process.getActiveResourcesInfo()
  return {
    timeouts: info.filter((kind) => kind === 'Timeout').length,
    sockets: info.filter((kind) => kind === 'TCPSocketWrap').length,
  }
}

/** The counts once they have stayed the same for 200 ms (Vitest holds a timer for a moment). */
async function quietResources() {
  let last = JSON.stringify(resources())
  let since = performance.now()
  const start = since
  while (performance.now() - since < 200) {
    if (performance.now() - start > 3000) throw new Error(`resources never settled: ${last}`)
    await sleep(10)
    const now = JSON.stringify(resources())
    if (now !== last) [last, since] = [now, performance.now()]
  }
  return resources()
}

/** Wraps the client's `on` and `subscribe` to count the registrations still active. */
function countRegistrations(client: LinklightClient) {
  let active = 0
  const counted =
    <A extends unknown[]>(register: (...args: A) => () => void) =>
    (...args: A) => {
      const off = register(...args)
      active++
      let done = false
      return () => {
        if (done) return
        done = true
        active--
        off()
      }
    }
  client.on = counted(client.on) as LinklightClient['on']
  client.subscribe = counted(client.subscribe)
  return { active: () => active }
}

function Status() {
  useConnectionEvent('stateChange', () => {})
  return <p data-testid="state">{useConnectionState()}</p>
}

const env = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean | undefined }
let actEnvironment: boolean | undefined
let server: ReferenceServer | undefined
beforeEach(() => {
  // Real sockets update the store outside act(): let React schedule those renders itself.
  actEnvironment = env.IS_REACT_ACT_ENVIRONMENT
  env.IS_REACT_ACT_ENVIRONMENT = false
})
afterEach(async () => {
  await server?.close()
  env.IS_REACT_ACT_ENVIRONMENT = actEnvironment
})

test('§7 StrictMode: <ConnectionProvider source={createClient(…)}> opens ONE connection, and unmounting leaves nothing behind', async () => {
  let authentications = 0
  server = await createServer({
    port: 0,
    authenticate: (credentials) => {
      authentications++
      return { id: (credentials as { id: string }).id }
    },
  })
  const baseline = await quietResources()
  let socketsOpened = 0
  class CountingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url)
      socketsOpened++
    }
  }

  const client = createClient(server.url, {
    WebSocket: CountingWebSocket,
    lazyConnect: false,
    heartbeatInterval: 200,
  })
  const registrations = countRegistrations(client)
  const { unmount } = render(
    <StrictMode>
      <ConnectionProvider source={client}>
        <Status />
      </ConnectionProvider>
    </StrictMode>,
  )
  const state = () => screen.getByTestId('state').textContent
  await waitUntil(() => state() === 'AWAITING_AUTHENTICATION', 2000, 'the handshake')
  await client.login({ id: 'ada' })
  await waitUntil(() => state() === 'OPEN', 2000, 'OPEN shown')
  await sleep(300) // time for a second connection to show up, were there one

  expect(socketsOpened).toBe(1)
  expect(server.stats().connections).toBe(1)
  expect(authentications).toBe(1)
  expect(client.getConnectionState()).toBe('OPEN') // StrictMode's trial unmount closed nothing
  const open = resources()
  expect(open.sockets - baseline.sockets).toBe(2) // the client's socket and the server's end
  expect(open.timeouts).toBeGreaterThan(baseline.timeouts) // the heartbeat
  expect(registrations.active()).toBeGreaterThan(0)

  unmount()
  await sleep(0) // the provider destroys its store on the next tick
  expect(client.getConnectionState()).toBe('CLOSED')
  expect(registrations.active()).toBe(0)
  await waitUntil(() => server!.stats().connections === 0, 2000, 'the server to see it gone')
  await waitUntil(
    () => resources().sockets === baseline.sockets,
    2000,
    `sockets back to ${baseline.sockets}`,
  )
  await sleep(300) // nothing comes back to life either
  expect(resources()).toEqual(baseline)
  expect(socketsOpened).toBe(1)
})
