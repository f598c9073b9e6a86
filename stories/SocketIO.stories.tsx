import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useState } from 'react'
import { io } from 'socket.io-client'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { fromSocketIO, type SocketIOSource } from '../src/adapters/socketio.js'
import {
  ConnectionIndicator,
  ConnectionProvider,
  useConnection,
  useConnectionState,
} from '../src/react/index.js'
import { Button } from './support/Button.js'
import { PeerList } from './support/PeerList.js'
import './support/stories.css'
import { StateLine } from './support/StateLine.js'

/** Where `npm start` serves its Socket.IO server (`--socketio-port` moves it). */
const SERVER_URL = 'http://127.0.0.1:3001'

/**
 * Says plainly how to start the server once a connection attempt has failed. Socket.IO keeps
 * retrying by itself (every 5 s at most), so the story connects as soon as the server is up.
 */
function ServerHelp() {
  const failed = useConnection((s) => s.state === 'RECONNECTING' || s.state === 'ERROR')
  if (!failed) return null
  return (
    <section className="ll-panel" aria-label="No server">
      <p>
        No Socket.IO server answers at <code>{SERVER_URL}</code>. Start it from this repository with{' '}
        <code>npm start</code> (it serves one on port 3001 next to the demo page): Socket.IO keeps
        retrying and connects once it is up, or press Reconnect after an error.
      </p>
    </section>
  )
}

/** `source.recovered`, read again at every change of state (it changes on connect only). */
function Recovered({ source }: { source: SocketIOSource }) {
  useConnectionState()
  return (
    <p data-field="recovered">Recovered: {source.recovered ? 'yes, the session resumed' : 'no'}</p>
  )
}

/** Reconnect from CLOSED or ERROR; Close from anything else. */
function Controls({ source }: { source: SocketIOSource }) {
  const state = useConnectionState()
  const idle = state === 'CLOSED' || state === 'ERROR'
  return (
    <div className="ll-controls">
      <Button onClick={() => source.reconnect()} disabled={!idle}>
        Reconnect
      </Button>
      <Button onClick={() => source.close()} disabled={state === 'CLOSED'}>
        Close
      </Button>
    </div>
  )
}

function SocketIOConnection() {
  // Not connected until the effect below: a socket React creates and throws away (StrictMode)
  // never opens; the provider closes the one it keeps when the story unmounts.
  const [name] = useState(() => `storybook-${Math.random().toString(36).slice(2, 6)}`)
  const [source] = useState(() =>
    fromSocketIO(
      io(SERVER_URL, {
        autoConnect: false,
        transports: ['websocket'],
        // a socket of its own, not one shared with another story through the manager cache
        forceNew: true,
        auth: { name, data: { name } },
      }),
    ),
  )
  useEffect(() => {
    source.connect()
  }, [source])
  return (
    <ConnectionProvider source={source}>
      <div className="ll-story">
        <section className="ll-panel" aria-label="Connection">
          <div className="ll-row">
            <ConnectionIndicator variant="badge" size="lg" />
            <ConnectionIndicator variant="traffic-light" aria-live="off" />
            <StateLine />
          </div>
          <Recovered source={source} />
          <p className="ll-muted">
            <code>fromSocketIO(io(url, {'{ auth: { name, data } }'}))</code> over socket.io-client,
            listed by the server’s <code>attachPresence</code> as <code>{name}</code>.
          </p>
          <Controls source={source} />
        </section>
        <ServerHelp />
        <PeerList />
      </div>
    </ConnectionProvider>
  )
}

const meta = {
  title: 'Adapters/Socket.IO',
  component: SocketIOConnection,
  parameters: {
    // the story brings its own connection
    mock: false,
    docs: {
      description: {
        component: `\`fromSocketIO\` over a real \`socket.io-client\` socket connected to \`${SERVER_URL}\` (\`npm start\` serves one, with \`attachPresence\`): the light, the state and reason, whether the last connection resumed its session (\`recovered\`), who else is connected (\`usePeers()\`), and Reconnect and Close.`,
      },
    },
  },
} satisfies Meta<typeof SocketIOConnection>

export default meta
type Story = StoryObj<typeof meta>

const stateOf = (canvasElement: HTMLElement) =>
  canvasElement.querySelector('[data-field="state"]')?.textContent ?? ''

/**
 * Passes with or without a server: either the socket connected (green, a first connection, so
 * not recovered), or the story says how to start one. Then Close closes it, and Reconnect
 * brings it back where it was: OPEN, or retrying with the help shown. Anything else (stuck
 * connecting, no help shown, a button that does nothing) fails.
 */
export const SocketIOServer: Story = {
  name: 'Socket.IO server',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const badge = () => canvas.getAllByRole('status')[0]
    await waitFor(
      () => {
        const open = badge()?.dataset.state === 'OPEN'
        const help = canvas.queryByRole('region', { name: 'No server' })
        expect(open || help !== null).toBe(true)
      },
      { timeout: 15_000 },
    )
    const served = canvas.queryByRole('region', { name: 'No server' }) === null
    if (served) {
      await expect(badge()).toHaveAttribute('data-tone', 'good')
      await expect(stateOf(canvasElement)).toBe('OPEN · JOIN_SUCCESS')
      await expect(canvas.getByText('Recovered: no')).toBeVisible()
    } else {
      const help = canvas.getByRole('region', { name: 'No server' })
      await expect(help).toHaveTextContent('npm start')
      await expect(help).toHaveTextContent(SERVER_URL)
      await expect(badge()).toHaveAttribute('data-tone', 'neutral')
    }
    await expect(canvas.getByRole('heading', { name: /^Peers/ })).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Reconnect' })).toBeDisabled()

    await userEvent.click(canvas.getByRole('button', { name: 'Close' }))
    await waitFor(() => expect(stateOf(canvasElement)).toBe('CLOSED · LEAVE_CHANNEL'))
    await expect(canvas.queryByRole('region', { name: 'No server' })).toBeNull()
    await expect(canvas.getByRole('button', { name: 'Close' })).toBeDisabled()

    await userEvent.click(canvas.getByRole('button', { name: 'Reconnect' }))
    await waitFor(
      () =>
        served
          ? expect(stateOf(canvasElement)).toBe('OPEN · JOIN_SUCCESS')
          : expect(canvas.getByRole('region', { name: 'No server' })).toBeVisible(),
      { timeout: 10_000 },
    )
  },
}
