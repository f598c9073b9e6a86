import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { AwarenessList } from '../demo/AwarenessList.js'
import { SharedText } from '../demo/SharedText.js'
import { createYjsRoom, type YjsRoom } from '../demo/yjsRoom.js'
import {
  ConnectionIndicator,
  ConnectionProvider,
  useConnection,
  useConnectionStore,
} from '../src/react/index.js'
import { Button } from './support/Button.js'
import './support/stories.css'
import { StateLine } from './support/StateLine.js'

/** Where `npm start` serves its y-websocket server (`--yjs-port` moves it). */
const SERVER_URL = 'ws://127.0.0.1:1234'
/** The room the demo page's Collaborative panel edits: a tab of `npm start` edits it too. */
const ROOM = 'linklight-demo'

/**
 * Says plainly how to start the server once a connection attempt has failed. y-websocket keeps
 * retrying by itself (every 2.5 s at most); Retry now opens the next socket at once, or starts
 * over after the adapter gave up.
 */
function ServerHelp({ room }: { room: YjsRoom }) {
  const failed = useConnection((s) => s.state === 'RECONNECTING' || s.state === 'ERROR')
  const store = useConnectionStore()
  if (!failed) return null
  const retry = () => {
    if (store.getState().connection.state === 'ERROR') store.getState().reconnect()
    else room.provider.connect()
  }
  return (
    <section className="ll-panel" aria-label="No server">
      <p>
        No y-websocket server answers at <code>{SERVER_URL}</code>. Start it from this repository
        with <code>npm start</code> (it serves one on port 1234 next to the demo page), then press
        Retry now.
      </p>
      <Button onClick={retry}>Retry now</Button>
    </section>
  )
}

/**
 * One room, made after mount and destroyed at unmount: a room React made and threw away
 * (StrictMode) would leave the provider's timers behind.
 */
function useRoom(): YjsRoom | null {
  const [room, setRoom] = useState<YjsRoom | null>(null)
  useEffect(() => {
    const made = createYjsRoom(
      SERVER_URL,
      ROOM,
      `storybook-${Math.random().toString(36).slice(2, 6)}`,
    )
    // Once per mount: the room is an external resource this effect owns, not derived state.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setRoom(made)
    return () => made.destroy()
  }, [])
  return room
}

function YjsConnection() {
  const room = useRoom()
  if (!room) return null
  return (
    // A store of its own (ConnectionProvider makes one for the source), keyed by the room so a
    // new room gets a new store.
    <ConnectionProvider key={room.doc.guid} source={room.source}>
      <div className="ll-story">
        <section className="ll-panel" aria-label="Connection">
          <div className="ll-row">
            <ConnectionIndicator variant="badge" size="lg" />
            <ConnectionIndicator variant="traffic-light" aria-live="off" />
            <StateLine />
          </div>
          <p className="ll-muted">
            <code>fromYjs(provider)</code> over y-websocket’s <code>WebsocketProvider</code>, in the
            room <code>{ROOM}</code>.
          </p>
        </section>
        <ServerHelp room={room} />
        <section className="ll-panel" aria-label="Document">
          <h2>Shared text</h2>
          <SharedText
            text={room.text}
            label="Shared text"
            className="demo-shared-text"
            rows={5}
            placeholder="Type here; the demo page’s Collaborative panel edits the same text."
          />
          <h3>In this document</h3>
          <AwarenessList self={room.user} />
        </section>
      </div>
    </ConnectionProvider>
  )
}

const meta = {
  title: 'Adapters/Yjs',
  component: YjsConnection,
  parameters: {
    // the story brings its own connection
    mock: false,
    docs: {
      description: {
        component: `\`fromYjs\` over a real y-websocket \`WebsocketProvider\` connected to \`${SERVER_URL}\` (\`npm start\` serves one), room \`${ROOM}\`: the light, a textarea bound to a \`Y.Text\`, and who else is in the document from their awareness states (\`usePeers()\`).`,
      },
    },
  },
} satisfies Meta<typeof YjsConnection>

export default meta
type Story = StoryObj<typeof meta>

/**
 * Passes with or without a server: either the document synced (green, the textarea and this
 * tab in the list), or the story says how to start one. Anything else (stuck connecting, no
 * help shown) fails.
 */
export const YWebsocket: Story = {
  name: 'y-websocket',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(
      () => {
        const open = canvas.getAllByRole('status')[0]?.dataset.state === 'OPEN'
        const help = canvas.queryByRole('region', { name: 'No server' })
        expect(open || help !== null).toBe(true)
      },
      { timeout: 15_000 },
    )
    await expect(canvas.getByRole('textbox', { name: 'Shared text' })).toBeVisible()
    await expect(canvas.getByTestId('awareness')).toHaveTextContent('(this tab)')
    const help = canvas.queryByRole('region', { name: 'No server' })
    if (help) {
      await expect(help).toHaveTextContent('npm start')
      await expect(help).toHaveTextContent(SERVER_URL)
      await expect(within(help).getByRole('button', { name: 'Retry now' })).toBeEnabled()
      await expect(canvas.getAllByRole('status')[0]).toHaveAttribute('data-tone', 'neutral')
    } else await expect(canvas.getAllByRole('status')[0]).toHaveAttribute('data-tone', 'good')
  },
}
