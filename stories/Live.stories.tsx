import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { createClient } from '../src/index.js'
import {
  ConnectionIndicator,
  ConnectionProvider,
  useConnection,
  useConnectionStore,
} from '../src/react/index.js'
import { Button } from './support/Button.js'
import { PeerList } from './support/PeerList.js'
import './support/stories.css'
import { StateLine } from './support/StateLine.js'

/** Where `npm start` (and `npx linklight-server` by default) serves the reference server. */
const SERVER_URL = 'ws://127.0.0.1:8787'

/** Says plainly how to start the server once a connection attempt has failed. */
function ServerHelp() {
  const failed = useConnection((s) => s.state === 'RECONNECTING' || s.state === 'ERROR')
  const store = useConnectionStore()
  if (!failed) return null
  return (
    <section className="ll-panel" aria-label="No server">
      <p>
        No reference server answers at <code>{SERVER_URL}</code>. Start it from this repository with{' '}
        <code>npm start</code>, or anywhere with <code>npx linklight-server</code>, then press Retry
        now.
      </p>
      <Button onClick={() => store.getState().reconnect()}>Retry now</Button>
    </section>
  )
}

function LiveConnection() {
  // Lazy, so a client React creates and throws away (StrictMode) never opens a socket; the
  // provider closes the one it keeps when the story unmounts.
  const [client] = useState(() => createClient(SERVER_URL, { lazyConnect: true }))
  const [id] = useState(() => `storybook-${Math.random().toString(36).slice(2, 8)}`)
  useEffect(() => {
    // login() connects first; the reference server admits any id
    client.login({ id }).catch(() => {})
  }, [client, id])
  return (
    <ConnectionProvider source={client}>
      <div className="ll-story">
        <section className="ll-panel" aria-label="Connection">
          <div className="ll-row">
            <ConnectionIndicator variant="badge" size="lg" />
            <StateLine />
          </div>
          <p className="ll-muted">
            A real <code>createClient</code> over the browser’s WebSocket, signing in as{' '}
            <code>{id}</code>.
          </p>
        </section>
        <ServerHelp />
        <PeerList />
      </div>
    </ConnectionProvider>
  )
}

const meta = {
  title: 'Live',
  component: LiveConnection,
  parameters: {
    // the story brings its own connection
    mock: false,
    docs: {
      description: {
        component: `A real \`createClient\` connected to the reference server at \`${SERVER_URL}\` (\`npm start\`).`,
      },
    },
  },
} satisfies Meta<typeof LiveConnection>

export default meta
type Story = StoryObj<typeof meta>

/**
 * Passes with or without a server: either the client got to OPEN, or the story says how to
 * start one. Anything else (stuck connecting, no help shown) fails.
 */
export const ReferenceServer: Story = {
  name: 'Reference server',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(
      () => {
        const open = canvas.getByRole('status').dataset.state === 'OPEN'
        const help = canvas.queryByRole('region', { name: 'No server' })
        expect(open || help !== null).toBe(true)
      },
      { timeout: 15_000 },
    )
    const help = canvas.queryByRole('region', { name: 'No server' })
    if (help) {
      await expect(help).toHaveTextContent('npm start')
      await expect(help).toHaveTextContent('npx linklight-server')
    } else await expect(canvas.getByRole('status')).toHaveAttribute('data-tone', 'good')
  },
}
