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
import { createCountingClock } from '../helpers/countingClock.js'
import { activeResources, quietResources } from '../helpers/resources.js'
import { waitFor } from '../helpers/wait.js'
import { render, screen } from './rtl.js'

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

test('StrictMode: <ConnectionProvider source={createClient(…)}> opens ONE connection, and unmounting leaves nothing behind', async () => {
  let authentications = 0
  const received: unknown[] = []
  server = await createServer({
    port: 0,
    authenticate: (credentials) => {
      authentications++
      return { id: (credentials as { id: string }).id }
    },
    onMessage: (message) => void received.push(message.data),
  })
  const baseline = await quietResources()
  const sockets: WebSocket[] = []
  class CountingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url)
      sockets.push(this)
    }
  }

  const timers = createCountingClock()
  const client = createClient(server.url, {
    WebSocket: CountingWebSocket,
    lazyConnect: false,
    heartbeatInterval: 200,
    clock: timers.clock,
  })
  const steps: string[] = []
  client.on('connectionStateChanged', (state, reason) => steps.push(`${state}/${reason}`))
  // Counted from here: the registrations of the provider and its hooks.
  const registrations = countRegistrations(client)
  const { unmount } = render(
    <StrictMode>
      <ConnectionProvider source={client}>
        <Status />
      </ConnectionProvider>
    </StrictMode>,
  )
  const state = () => screen.getByTestId('state').textContent
  await waitFor(() => state() === 'AWAITING_AUTHENTICATION', {
    timeout: 2000,
    what: 'the handshake',
  })
  await client.login({ id: 'ada' })
  await waitFor(() => state() === 'OPEN', { timeout: 2000, what: 'OPEN shown' })
  // A round trip through the connection: what StrictMode's trial unmount could have set off for
  // later (the store destroyed on the next turn, the client closed, a second socket) has
  // happened by the time the server's acknowledgement is back.
  await client.send({ probe: 1 })
  expect(received).toEqual([{ probe: 1 }])

  // One handshake, never interrupted: a second connection would show as CLOSED or RECONNECTING
  // and another handshake.
  expect(steps).toEqual([
    'CHALLENGING/CHALLENGE',
    'AWAITING_AUTHENTICATION/AWAITING_LOGIN',
    'AUTHENTICATING/AUTHENTICATING',
    'OPEN/JOIN_SUCCESS',
  ])
  expect(sockets).toHaveLength(1)
  expect(server.stats().connections).toBe(1)
  expect(authentications).toBe(1)
  expect(client.getConnectionState()).toBe('OPEN') // StrictMode's trial unmount closed nothing
  const open = activeResources()
  expect(open.sockets - baseline.sockets).toBe(2) // the client's socket and the server's end
  expect(timers.pending()).toBeGreaterThan(0) // the heartbeat
  expect(open.timeouts).toBeGreaterThan(baseline.timeouts)
  expect(registrations.active()).toBeGreaterThan(0)

  unmount()
  // The provider lets go of its store on the next turn (a trial unmount would be undone by then).
  await waitFor(() => client.getConnectionState() === 'CLOSED', {
    timeout: 1000,
    what: 'the provider to close the client',
  })
  expect(registrations.active()).toBe(0)
  // Nothing is left to wake the client: no timer, and every socket it opened has closed.
  expect(timers.pending()).toBe(0)
  await waitFor(() => sockets.every((ws) => ws.readyState === ws.CLOSED), {
    timeout: 2000,
    what: 'the client socket to close',
  })
  await waitFor(() => server!.stats().connections === 0, {
    timeout: 2000,
    what: 'the server to see it gone',
  })
  expect(await quietResources()).toEqual(baseline)
  // Nothing came back to life: no socket and no state change after CLOSED.
  expect(sockets).toHaveLength(1)
  expect(steps.slice(4)).toEqual(['CLOSED/LEAVE_CHANNEL'])
})
