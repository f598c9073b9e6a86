import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useId, useState, useSyncExternalStore } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { fromAgora, type AgoraSource } from '../src/adapters/agora.js'
import type { ConnectionReason, ConnectionState } from '../src/index.js'
import {
  ConnectionIndicator,
  ConnectionProvider,
  useConnection,
  useConnectionStore,
  usePeers,
} from '../src/react/index.js'
import { FakeAgoraClient } from '../tests/fakes/agoraClient.js'
import { expectNoAxeViolations } from './support/axe.js'
import { Button } from './support/Button.js'
import { PeerList } from './support/PeerList.js'
import { click, expectShown, field, SETTLE } from './support/play.js'
import './support/stories.css'

const CREDENTIALS = { appid: 'storybook-app-id', channel: 'lobby', token: 'token-1' }
/** Shorter than the default 15 s, so the loss shows without a long wait. */
const LOST_AFTER = 3000
const NAMES = ['grace', 'alan', 'edsger', 'barbara', 'donald', 'frances', 'john']

/** The fake client's own state, as Agora names it (it passes DISCONNECTING, linklight does not). */
function useAgoraState(client: FakeAgoraClient) {
  return useSyncExternalStore(
    (changed) => {
      client.on('connection-state-change', changed)
      return () => client.off('connection-state-change', changed)
    },
    () => client.connectionState,
  )
}

/** Every `(state, reason)` the store went through, oldest first. */
function useChanges(): string[] {
  const store = useConnectionStore()
  const [changes, setChanges] = useState(() => {
    const { state, reason } = store.getState().connection
    return [`${state} · ${reason ?? '—'}`]
  })
  useEffect(
    () =>
      store.subscribe(({ connection: now }, { connection: before }) => {
        if (now.state !== before.state || now.reason !== before.reason)
          setChanges((list) => [...list, `${now.state} · ${now.reason ?? '—'}`])
      }),
    [store],
  )
  return changes
}

function Facts({ client }: { client: FakeAgoraClient }) {
  const agora = useAgoraState(client)
  const { state, reason, attempt, lost, error } = useConnection(
    (s) => s,
    (a, b) => a === b,
  )
  return (
    <dl className="ll-facts">
      <dt>Agora state</dt>
      <dd data-field="agora">{agora}</dd>
      <dt>linklight state</dt>
      <dd data-field="state">{state}</dd>
      <dt>Reason</dt>
      <dd data-field="reason">{reason ?? '—'}</dd>
      <dt>Attempt</dt>
      <dd data-field="attempt">{attempt}</dd>
      <dt>Lost</dt>
      <dd data-field="lost">{lost ? 'yes' : 'no'}</dd>
      <dt>Error</dt>
      <dd data-field="error">{error?.message ?? '—'}</dd>
    </dl>
  )
}

function Controls({ client, source }: { client: FakeAgoraClient; source: AgoraSource }) {
  const state: ConnectionState = useConnection((s) => s.state)
  const online = usePeers()
  const [joined, setJoined] = useState(0)
  const last = online.at(-1)
  const idle = state === 'CLOSED' || state === 'ERROR'
  return (
    <>
      <div className="ll-controls" role="group" aria-label="Connection">
        {/* A join refused by the fake shows as ERROR; nothing else to do with the rejection. */}
        <Button onClick={() => source.login(CREDENTIALS).catch(() => {})} disabled={!idle}>
          Join
        </Button>
        <Button onClick={() => void client.leave()} disabled={idle}>
          Leave
        </Button>
        <Button onClick={() => client.dropNetwork()} disabled={state !== 'OPEN'}>
          Drop the network
        </Button>
        <Button onClick={() => client.recover()} disabled={state !== 'RECONNECTING'}>
          Recover
        </Button>
        <Button onClick={() => client.ban('UID_BANNED')} disabled={state !== 'OPEN'}>
          Ban (UID_BANNED)
        </Button>
        <Button onClick={() => client.tokenExpire()} disabled={state !== 'OPEN'}>
          Token expires
        </Button>
      </div>
      <div className="ll-controls" role="group" aria-label="Remote users">
        <Button
          onClick={() => {
            client.userJoin(NAMES[joined % NAMES.length] ?? `user-${joined}`)
            setJoined(joined + 1)
          }}
        >
          A user joins
        </Button>
        <Button onClick={() => last && client.userLeave(last.id, 'Quit')} disabled={!last}>
          Last user leaves (Quit)
        </Button>
        <Button onClick={() => last && client.userLeave(last.id, 'ServerTimeOut')} disabled={!last}>
          Last user times out (ServerTimeOut)
        </Button>
      </div>
    </>
  )
}

function Changes() {
  const heading = useId()
  const changes = useChanges()
  return (
    <section className="ll-panel" aria-labelledby={heading}>
      <h2 id={heading}>Changes</h2>
      <ol className="ll-timeline" data-testid="changes">
        {changes.map((change, i) => (
          <li key={i}>{change}</li>
        ))}
      </ol>
    </section>
  )
}

function AgoraConnection() {
  const heading = useId()
  // A fake agora-rtc-sdk-ng client (a real one would call Agora's servers); `ada` is already
  // in the channel. Joins and leaves take 300 ms, as a round trip to the server would.
  const [client] = useState(() => new FakeAgoraClient({ channelUsers: ['ada'], latency: 300 }))
  const [source] = useState(() => fromAgora(client, { lostAfter: LOST_AFTER }))
  return (
    <ConnectionProvider source={source}>
      <div className="ll-story">
        <section className="ll-panel" aria-labelledby={heading}>
          <h2 id={heading}>Agora channel</h2>
          <div className="ll-row">
            <ConnectionIndicator size="lg" />
            <p className="ll-muted">
              <code>fromAgora(client, {`{ lostAfter: ${LOST_AFTER} }`})</code> over a fake{' '}
              <code>IAgoraRTCClient</code>: the buttons make it emit what the SDK emits.
            </p>
          </div>
          <Facts client={client} />
          <Controls client={client} source={source} />
        </section>
        <PeerList includeOffline />
        <Changes />
      </div>
    </ConnectionProvider>
  )
}

const meta = {
  title: 'Adapters/Agora',
  component: AgoraConnection,
  parameters: {
    // This story brings its own connection: the adapter over the fake client.
    mock: false,
    docs: {
      description: {
        component:
          "`fromAgora(client)` over a fake agora-rtc-sdk-ng client. Join, drop the network, recover, get banned or let the token expire; remote users join and leave. The indicator shows what the store makes of the SDK's `connection-state-change`, `user-joined` and `user-left`.",
      },
    },
  },
} satisfies Meta<typeof AgoraConnection>

export default meta
type Story = StoryObj<typeof meta>

const changes = (canvasElement: HTMLElement) =>
  within(within(canvasElement).getByTestId('changes'))
    .getAllByRole('listitem')
    .map((item) => item.textContent)

const change = (state: ConnectionState, reason: ConnectionReason | null) =>
  `${state} · ${reason ?? '—'}`

export const Default: Story = {
  name: 'Agora: join, drop, recover, token expiry, ban',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const heading = () => canvas.getByRole('heading', { name: /Peers/ })
    await expectShown(canvasElement, 'CLOSED', 'neutral')
    await expect(field(canvasElement, 'agora')).toBe('DISCONNECTED')

    // T0–T1: join; ada, already in the channel, is announced
    await click(canvasElement, 'Join')
    await waitFor(() => expectShown(canvasElement, 'OPEN', 'good'), SETTLE)
    await expect(field(canvasElement, 'agora')).toBe('CONNECTED')
    await waitFor(() => expect(heading()).toHaveTextContent('1 online'))

    // remote users come and go, with Agora's reasons
    await click(canvasElement, 'A user joins')
    await click(canvasElement, 'A user joins')
    await waitFor(() => expect(heading()).toHaveTextContent('3 online'))
    await click(canvasElement, 'Last user leaves (Quit)')
    await click(canvasElement, 'Last user times out (ServerTimeOut)')
    await waitFor(() => expect(heading()).toHaveTextContent('1 online'))
    await expect(canvas.getByText(/^alan$/).closest('li')).toHaveTextContent(/\(QUIT\)/)
    await expect(canvas.getByText(/^grace$/).closest('li')).toHaveTextContent(/\(DROPPED\)/)

    // T4: the network drops; the store shows amber once the dip has lasted 1 s
    await click(canvasElement, 'Drop the network')
    await expect(field(canvasElement, 'state')).toBe('RECONNECTING')
    await expectShown(canvasElement, 'OPEN', 'good')
    await waitFor(() => expectShown(canvasElement, 'RECONNECTING', 'neutral'), SETTLE)
    await expect(field(canvasElement, 'attempt')).toBe('1')
    // T5: lost after lostAfter, still retrying
    await waitFor(() => expect(field(canvasElement, 'lost')).toBe('yes'), { timeout: 5000 })
    await expect(field(canvasElement, 'reason')).toBe('LOST')

    // back: a rejoin
    await click(canvasElement, 'Recover')
    await waitFor(() => expectShown(canvasElement, 'OPEN', 'good'), SETTLE)
    await expect(field(canvasElement, 'reason')).toBe('REJOIN_SUCCESS')
    await expect(field(canvasElement, 'lost')).toBe('no')

    // the token expires: red at once, not a "Disconnected" on the way
    await click(canvasElement, 'Token expires')
    await waitFor(() => expectShown(canvasElement, 'ERROR', 'bad'), { timeout: 500 })
    await expect(field(canvasElement, 'reason')).toBe('TOKEN_EXPIRED')
    await expect(field(canvasElement, 'error')).toMatch(/token expired.*\(TOKEN_EXPIRE\)$/)

    // join again, then a ban
    await click(canvasElement, 'Join')
    await waitFor(() => expectShown(canvasElement, 'OPEN', 'good'), SETTLE)
    await click(canvasElement, 'Ban (UID_BANNED)')
    await waitFor(() => expectShown(canvasElement, 'ERROR', 'bad'), { timeout: 500 })
    await expect(field(canvasElement, 'reason')).toBe('BANNED_BY_SERVER')

    await expect(changes(canvasElement)).toEqual([
      change('CLOSED', null),
      change('AWAITING_CONNECTION', 'CONNECTING'),
      change('OPEN', 'JOIN_SUCCESS'),
      change('RECONNECTING', 'INTERRUPTED'),
      change('RECONNECTING', 'LOST'),
      change('OPEN', 'REJOIN_SUCCESS'),
      change('ERROR', 'TOKEN_EXPIRED'),
      change('AWAITING_CONNECTION', 'CONNECTING'),
      change('OPEN', 'JOIN_SUCCESS'),
      change('ERROR', 'BANNED_BY_SERVER'),
    ])
    await expectNoAxeViolations(canvasElement, [
      'button-name',
      'color-contrast',
      'list',
      'listitem',
    ])
  },
}
