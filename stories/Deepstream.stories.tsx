import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { fromDeepstream } from '../src/adapters/deepstream.js'
import { ConnectionIndicator, ConnectionProvider } from '../src/react/index.js'
import {
  createFakeDeepstreamClient,
  type FakeDeepstreamClient,
} from '../tests/fakes/deepstreamClient.js'
import { Button } from './support/Button.js'
import { PeerList } from './support/PeerList.js'
import { click, expectShown, field, SETTLE } from './support/play.js'
import './support/stories.css'
import { useStateAndReason } from './support/useStateAndReason.js'

/** What linklight shows next to what deepstream itself says. */
function States({ client }: { client: FakeDeepstreamClient }) {
  const { state, reason } = useStateAndReason()
  return (
    <dl className="ll-facts">
      <div>
        <dt>linklight</dt>
        <dd data-field="state">
          {state} · {reason ?? '—'}
        </dd>
      </div>
      <div>
        <dt>deepstream</dt>
        <dd data-field="deepstream">{client.getConnectionState()}</dd>
      </div>
    </dl>
  )
}

const USERS = ['ada', 'grace', 'alan']

/**
 * `fromDeepstream` over a stand-in for `@deepstream/client` that reports what the real client
 * reports; the buttons play the server and the network.
 */
function DeepstreamAdapter() {
  const [client] = useState(() => createFakeDeepstreamClient())
  const [source] = useState(() => fromDeepstream(client))
  const [online, setOnline] = useState(0)
  const actions: Array<[string, () => void]> = [
    ['Log in', () => void source.login({ username: 'me' })],
    ['Connection drops', () => client.drop(1)],
    ['Heartbeats missed', () => client.heartbeatTimeout()],
    ['Server answers', () => client.recover()],
    ['Attempts run out', () => client.giveUp(5)],
    ['Retry now', () => source.reconnect()],
    [
      'A user logs in',
      () => {
        client.userOnline(USERS[online % USERS.length]!)
        setOnline(online + 1)
      },
    ],
    [
      'A user logs out',
      () => {
        if (!online) return
        client.userOffline(USERS[(online - 1) % USERS.length]!)
        setOnline(online - 1)
      },
    ],
  ]
  return (
    <ConnectionProvider source={source}>
      <div className="ll-story">
        <section className="ll-panel" aria-label="Connection">
          <ConnectionIndicator variant="traffic-light" />
          <States client={client} />
        </section>
        <section className="ll-panel" aria-label="Controls">
          {actions.map(([label, act]) => (
            <Button key={label} onClick={act}>
              {label}
            </Button>
          ))}
        </section>
        <PeerList />
      </div>
    </ConnectionProvider>
  )
}

const meta = {
  title: 'Adapters/deepstream',
  component: DeepstreamAdapter,
  parameters: {
    docs: {
      description: {
        component:
          '`fromDeepstream(client)` from `linklight/deepstream`, driven by a stand-in client: a missed heartbeat shows at once, giving up shows red although deepstream itself says `CLOSED`, and Retry now calls `resume()`.',
      },
    },
  },
} satisfies Meta<typeof DeepstreamAdapter>
export default meta

type Story = StoryObj<typeof meta>

export const Adapter: Story = {
  name: 'deepstream client',
  play: async ({ canvasElement }) => {
    await expect(field(canvasElement, 'state')).toBe('AWAITING_AUTHENTICATION · —')
    await click(canvasElement, 'Log in')
    await waitFor(() => expectShown(canvasElement, 'OPEN', 'good'))
    await click(canvasElement, 'A user logs in')
    await waitFor(() => expect(within(canvasElement).getByText('ada')).toBeInTheDocument())

    await click(canvasElement, 'Heartbeats missed')
    await expect(field(canvasElement, 'state')).toBe('RECONNECTING · KEEP_ALIVE_TIMEOUT')
    await expect(field(canvasElement, 'deepstream')).toBe('OPEN')
    await waitFor(() => expectShown(canvasElement, 'RECONNECTING', 'neutral'), SETTLE)

    await click(canvasElement, 'Attempts run out')
    await waitFor(() => expectShown(canvasElement, 'ERROR', 'bad'), { timeout: 500 })
    await expect(field(canvasElement, 'state')).toBe('ERROR · MAX_RECONNECT_ATTEMPTS')
    await expect(field(canvasElement, 'deepstream')).toBe('CLOSED')

    await click(canvasElement, 'Retry now')
    await expect(field(canvasElement, 'state')).toBe('RECONNECTING · RETRY_REQUESTED')
    await click(canvasElement, 'Server answers')
    await waitFor(() => expectShown(canvasElement, 'OPEN', 'good'), SETTLE)
    // Retry picks up the link that had been open: a rejoin, as for every source.
    await expect(field(canvasElement, 'state')).toBe('OPEN · REJOIN_SUCCESS')
  },
}
