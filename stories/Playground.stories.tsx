import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useId, useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import type { ConnectionReason, ConnectionState, Tone } from '../src/index.js'
import {
  ConnectionIndicator,
  defaultLabels,
  useConnection,
  useConnectionStore,
  useIndicator,
  usePeers,
} from '../src/react/index.js'
import { expectNoAxeViolations } from './support/axe.js'
import { useMockSource } from './support/MockConnection.js'
import { Button } from './support/Button.js'
import { PeerList } from './support/PeerList.js'
import { click, expectShown, field, SETTLE } from './support/play.js'
import './support/stories.css'

/** How long the mock says it waits before its next attempt, for the countdown. */
const RETRY_IN = 5000
const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'John']

/** One line of the timeline: a raw `(state, reason)` change, or a change of what is shown. */
type Entry =
  | { kind: 'state'; at: number; state: ConnectionState; reason: ConnectionReason | null }
  | { kind: 'shown'; at: number; state: ConnectionState; tone: Tone }

/** Every change of `(state, reason)` and of the smoothed display, from the store. */
function useTimeline(): Entry[] {
  const store = useConnectionStore()
  const [entries, setEntries] = useState<Entry[]>(() => {
    const { connection, display } = store.getState()
    const { state, reason, since } = connection
    return [
      { kind: 'state', at: since, state, reason },
      { kind: 'shown', at: since, state: display.state, tone: display.tone },
    ]
  })
  useEffect(
    () =>
      store.subscribe((next, before) => {
        const added: Entry[] = []
        const { state, reason, since } = next.connection
        if (state !== before.connection.state || reason !== before.connection.reason)
          added.push({ kind: 'state', at: since, state, reason })
        if (
          next.display.tone !== before.display.tone ||
          next.display.state !== before.display.state
        )
          added.push({ kind: 'shown', at: Date.now(), ...next.display })
        if (added.length) setEntries((list) => [...list, ...added])
      }),
    [store],
  )
  return entries
}

function Timeline() {
  const heading = useId()
  const entries = useTimeline()
  const start = entries[0]?.at ?? 0
  return (
    <section className="ll-panel" aria-labelledby={heading}>
      <h2 id={heading}>Timeline</h2>
      <ol className="ll-timeline" data-testid="timeline">
        {entries.map((entry, i) => (
          <li key={i} data-kind={entry.kind}>
            <time dateTime={new Date(entry.at).toISOString()}>
              +{((entry.at - start) / 1000).toFixed(3)} s
            </time>{' '}
            {entry.kind === 'state'
              ? `${entry.state} · ${entry.reason ?? '—'}`
              : `shown: ${defaultLabels[entry.state]} (${entry.tone})`}
          </li>
        ))}
      </ol>
    </section>
  )
}

/** The raw snapshot next to what the indicator shows, with the retry countdown. */
function Facts({ smooth }: { smooth: boolean }) {
  const { state, reason, attempt } = useConnection(
    (s) => ({ state: s.state, reason: s.reason, attempt: s.attempt }),
    (a, b) => a.state === b.state && a.reason === b.reason && a.attempt === b.attempt,
  )
  // Outside the indicator's live region: it ticks every second.
  const { retryIn } = useIndicator({ smooth })
  return (
    <dl className="ll-facts">
      <dt>Raw state</dt>
      <dd data-field="state">{state}</dd>
      <dt>Reason</dt>
      <dd data-field="reason">{reason ?? '—'}</dd>
      <dt>Attempt</dt>
      <dd data-field="attempt">{attempt}</dd>
      <dt>Next retry</dt>
      <dd data-field="retry">{retryIn === null ? 'none scheduled' : `in ${retryIn} s`}</dd>
    </dl>
  )
}

function ConnectionControls() {
  const source = useMockSource()
  const store = useConnectionStore()
  return (
    <div className="ll-controls" role="group" aria-label="Connection">
      <Button onClick={() => source.drop({ retryIn: RETRY_IN })}>Drop the network</Button>
      <Button onClick={() => source.restore()}>Restore</Button>
      <Button
        onClick={() =>
          source.set('RECONNECTING', 'KEEP_ALIVE_TIMEOUT', { attempt: 1, retryIn: RETRY_IN })
        }
      >
        Heartbeat fails: reconnect
      </Button>
      <Button onClick={() => source.fail('KEEP_ALIVE_TIMEOUT')}>Heartbeat fails: error</Button>
      <Button onClick={() => source.fail()}>Give up</Button>
      <Button onClick={() => store.getState().reconnect()}>Retry now</Button>
    </div>
  )
}

function PeerControls() {
  const source = useMockSource()
  const online = usePeers()
  const [joined, setJoined] = useState(0)
  const last = online.at(-1)
  const join = () => {
    const name = `${NAMES[joined % NAMES.length]}${joined >= NAMES.length ? ` ${Math.floor(joined / NAMES.length) + 1}` : ''}`
    source.peerJoin(`peer-${joined + 1}`, { name })
    setJoined(joined + 1)
  }
  return (
    <div className="ll-controls" role="group" aria-label="Peers">
      <Button onClick={join}>A peer joins</Button>
      <Button onClick={() => last && source.peerLeave(last.id, 'QUIT')} disabled={!last}>
        Last peer leaves (QUIT)
      </Button>
      <Button onClick={() => last && source.peerLeave(last.id, 'DROPPED')} disabled={!last}>
        Last peer drops (DROPPED)
      </Button>
    </div>
  )
}

interface PlaygroundArgs {
  /** Show the smoothed status (short dips hidden) or the raw state. */
  smooth: boolean
  variant: 'traffic-light' | 'dot' | 'badge'
}

function Playground({ smooth, variant }: PlaygroundArgs) {
  const heading = useId()
  return (
    <div className="ll-story">
      <section className="ll-panel" aria-labelledby={heading}>
        <h2 id={heading}>Connection</h2>
        <div className="ll-row">
          <ConnectionIndicator variant={variant} size="lg" smooth={smooth} />
          <p className="ll-muted">
            {smooth
              ? 'Smoothed: a dip from green shorter than 1 s is not shown; amber or red stays at least 1.5 s; red shows at once.'
              : 'Raw: every change shows at once.'}
          </p>
        </div>
        <Facts smooth={smooth} />
        <ConnectionControls />
        <PeerControls />
      </section>
      <PeerList includeOffline />
      <Timeline />
    </div>
  )
}

const meta = {
  title: 'Playground',
  component: Playground,
  args: { smooth: true, variant: 'traffic-light' },
  argTypes: { variant: { control: 'inline-radio', options: ['traffic-light', 'dot', 'badge'] } },
  parameters: {
    mock: { init: { state: 'OPEN', reason: 'JOIN_SUCCESS' } },
    docs: {
      description: {
        component:
          'Buttons drive a mock connection source; the indicator shows what the store makes of it. ' +
          'The timeline lists every `(state, reason)` and every change of what is shown.',
      },
    },
  },
} satisfies Meta<PlaygroundArgs>

export default meta
type Story = StoryObj<typeof meta>

// What the plays check after each control.

const timeline = (canvasElement: HTMLElement) =>
  within(within(canvasElement).getByTestId('timeline'))
    .getAllByRole('listitem')
    .filter((item) => item.dataset.kind === 'state')
    .map((item) => item.textContent?.replace(/^\+[\d.]+ s /, ''))

/** The default story; its play runs axe-core on the whole playground, before and after trouble. */
export const Default: Story = {
  name: 'Playground',
  play: async ({ canvasElement }) => {
    await expectShown(canvasElement, 'OPEN', 'good')
    await expectNoAxeViolations(canvasElement, ['button-name', 'color-contrast', 'list'])
    await click(canvasElement, 'A peer joins')
    await click(canvasElement, 'A peer joins')
    await click(canvasElement, 'Last peer drops (DROPPED)')
    await click(canvasElement, 'Heartbeat fails: error')
    await waitFor(() => expectShown(canvasElement, 'ERROR', 'bad'))
    await expectNoAxeViolations(canvasElement, [
      'button-name',
      'color-contrast',
      'list',
      'listitem',
    ])
  },
}

export const Dark: Story = {
  name: 'Playground (dark)',
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await click(canvasElement, 'A peer joins')
    await click(canvasElement, 'Drop the network')
    await waitFor(() => expectShown(canvasElement, 'RECONNECTING', 'neutral'), SETTLE)
    await expectNoAxeViolations(canvasElement, ['button-name', 'color-contrast', 'list'])
  },
}

export const DropAndRestore: Story = {
  name: 'Drop the network, then restore',
  play: async ({ canvasElement }) => {
    await click(canvasElement, 'Drop the network')
    // the store holds green back for enterDelay (1 s): a short dip never blinks
    await expect(field(canvasElement, 'state')).toBe('RECONNECTING')
    await expectShown(canvasElement, 'OPEN', 'good')
    await waitFor(() => expectShown(canvasElement, 'RECONNECTING', 'neutral'), SETTLE)
    // the mock scheduled the next attempt 5 s out; the countdown reads it
    await expect(field(canvasElement, 'retry')).toMatch(/^in [1-5] s$/)
    await expect(field(canvasElement, 'attempt')).toBe('1')

    await click(canvasElement, 'Restore')
    await waitFor(() => expectShown(canvasElement, 'OPEN', 'good'), SETTLE)
    await expect(field(canvasElement, 'retry')).toBe('none scheduled')
    await expect(timeline(canvasElement)).toEqual([
      'OPEN · JOIN_SUCCESS',
      'RECONNECTING · INTERRUPTED',
      'OPEN · REJOIN_SUCCESS',
    ])
  },
}

export const HeartbeatFails: Story = {
  name: 'The heartbeat fails: reconnect, then error',
  play: async ({ canvasElement }) => {
    await click(canvasElement, 'Heartbeat fails: reconnect')
    await waitFor(() => expectShown(canvasElement, 'RECONNECTING', 'neutral'), SETTLE)
    await expect(field(canvasElement, 'reason')).toBe('KEEP_ALIVE_TIMEOUT')
    await expect(field(canvasElement, 'retry')).toMatch(/^in [1-5] s$/)

    // red shows at once, without waiting for amber's minimum time
    await click(canvasElement, 'Heartbeat fails: error')
    await waitFor(() => expectShown(canvasElement, 'ERROR', 'bad'), { timeout: 500 })
    await expect(field(canvasElement, 'reason')).toBe('KEEP_ALIVE_TIMEOUT')
    await expect(field(canvasElement, 'retry')).toBe('none scheduled')
    await expect(timeline(canvasElement)).toEqual([
      'OPEN · JOIN_SUCCESS',
      'RECONNECTING · KEEP_ALIVE_TIMEOUT',
      'ERROR · KEEP_ALIVE_TIMEOUT',
    ])
  },
}

export const GiveUpAndRetry: Story = {
  name: 'Give up, then retry now',
  play: async ({ canvasElement }) => {
    await click(canvasElement, 'Give up')
    await waitFor(() => expectShown(canvasElement, 'ERROR', 'bad'), { timeout: 500 })
    await expect(field(canvasElement, 'reason')).toBe('MAX_RECONNECT_ATTEMPTS')

    await click(canvasElement, 'Retry now')
    await expect(field(canvasElement, 'state')).toBe('RECONNECTING')
    await waitFor(() => expectShown(canvasElement, 'RECONNECTING', 'neutral'), SETTLE)
    await expect(field(canvasElement, 'reason')).toBe('RETRY_REQUESTED')

    await click(canvasElement, 'Restore')
    await waitFor(() => expectShown(canvasElement, 'OPEN', 'good'), SETTLE)
    await expect(timeline(canvasElement)).toEqual([
      'OPEN · JOIN_SUCCESS',
      'ERROR · MAX_RECONNECT_ATTEMPTS',
      'RECONNECTING · RETRY_REQUESTED',
      'OPEN · REJOIN_SUCCESS',
    ])
  },
}

export const PeersComeAndGo: Story = {
  name: 'Peers join, leave and drop',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByText('No one else is here.')).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'Last peer leaves (QUIT)' })).toBeDisabled()
    for (let i = 0; i < 3; i++) await click(canvasElement, 'A peer joins')
    const rows = () =>
      within(canvas.getByRole('region', { name: 'Peer list' }))
        .getAllByRole('listitem')
        .map((row) => row.textContent)
    await waitFor(() => expect(rows()).toHaveLength(3))
    await expect(canvas.getByRole('heading', { name: /Peers/ })).toHaveTextContent('3 online')

    await click(canvasElement, 'Last peer leaves (QUIT)')
    await click(canvasElement, 'Last peer drops (DROPPED)')
    await waitFor(() =>
      expect(canvas.getByRole('heading', { name: /Peers/ })).toHaveTextContent('1 online'),
    )
    const [ada, alan, grace] = rows()
    await expect(ada).toMatch(/^Ada online since/)
    await expect(alan).toMatch(/^Alan left .* \(QUIT\)$/)
    await expect(grace).toMatch(/^Grace left .* \(DROPPED\)$/)
    // the connection was never touched
    await expectShown(canvasElement, 'OPEN', 'good')
  },
}

export const Raw: Story = {
  name: 'Raw (smooth off)',
  args: { smooth: false },
  play: async ({ canvasElement }) => {
    await click(canvasElement, 'Drop the network')
    // no smoothing: amber at once
    await waitFor(() => expectShown(canvasElement, 'RECONNECTING', 'neutral'), { timeout: 500 })
    await click(canvasElement, 'Restore')
    await waitFor(() => expectShown(canvasElement, 'OPEN', 'good'), { timeout: 500 })
  },
}
