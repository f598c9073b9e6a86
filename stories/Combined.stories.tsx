import type { Meta, StoryObj } from '@storybook/react-vite'
import { useId, useState, useSyncExternalStore } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { combineSources } from '../src/core/combineSources.js'
import { ConnectionIndicator, ConnectionProvider } from '../src/react/index.js'
import { createMockSource, type MockSource } from '../src/testing/index.js'
import { expectNoAxeViolations } from './support/axe.js'
import { Button } from './support/Button.js'
import { click, expectShown, field, SETTLE } from './support/play.js'
import { StateLine } from './support/StateLine.js'
import './support/stories.css'

/** One part's own state, and the buttons that break and mend it. */
function PartControls({ name, part }: { name: string; part: MockSource }) {
  const { state, reason } = useSyncExternalStore(part.subscribe, part.getSnapshot)
  return (
    <div className="ll-controls" role="group" aria-label={`The ${name} connection`}>
      <span className="ll-muted" data-field={`${name}-state`}>
        {name}: {state} · {reason ?? '—'}
      </span>
      <Button onClick={() => part.drop()}>{`Drop ${name}`}</Button>
      <Button onClick={() => part.fail()}>{`Fail ${name}`}</Button>
      <Button onClick={() => part.restore()}>{`Restore ${name}`}</Button>
    </div>
  )
}

interface CombinedArgs {
  variant: 'traffic-light' | 'dot' | 'badge'
}

/** A chat socket and a document, both mocks, behind one badge. */
function SeveralConnections({ variant }: CombinedArgs) {
  const heading = useId()
  const [{ chat, doc, source }] = useState(() => {
    const parts = { chat: createMockSource('OPEN'), doc: createMockSource('OPEN') }
    return { ...parts, source: combineSources(parts) }
  })
  return (
    <div className="ll-story">
      <ConnectionProvider source={source}>
        <section className="ll-panel" aria-labelledby={heading}>
          <h2 id={heading}>Two connections, one badge</h2>
          <div className="ll-row">
            <ConnectionIndicator variant={variant} size="lg" />
            <p className="ll-muted">
              The worst part shows: red for a failed one, amber for one reconnecting — and the label
              says which.
            </p>
          </div>
          <StateLine />
          <PartControls name="chat" part={chat} />
          <PartControls name="doc" part={doc} />
          <div className="ll-controls" role="group" aria-label="Both connections">
            <Button onClick={() => source.reconnect()}>Retry now</Button>
          </div>
        </section>
      </ConnectionProvider>
    </div>
  )
}

const meta = {
  title: 'Recipes/Several connections',
  component: SeveralConnections,
  args: { variant: 'badge' },
  argTypes: { variant: { control: 'inline-radio', options: ['traffic-light', 'dot', 'badge'] } },
  parameters: {
    // The story makes its own two mocks and the source that combines them.
    mock: false,
    docs: {
      description: {
        component:
          '`combineSources({ chat, doc })` shows the worst of its parts and names it: ' +
          '"Reconnecting… (doc)", "Connection failed: chat", and `data-part` on the indicator.',
      },
    },
  },
} satisfies Meta<CombinedArgs>

export default meta
type Story = StoryObj<typeof meta>

/** The indicator names `part` (or none) in its text and its `data-part`. */
async function expectPart(canvasElement: HTMLElement, text: string, part: string | null) {
  const indicator = within(canvasElement).getByRole('status')
  await expect(indicator).toHaveTextContent(text)
  if (part === null) await expect(indicator).not.toHaveAttribute('data-part')
  else await expect(indicator).toHaveAttribute('data-part', part)
}

export const SeveralConnectionsStory: Story = {
  name: 'Several connections',
  play: async ({ canvasElement }) => {
    await expectShown(canvasElement, 'OPEN', 'good')
    await expectPart(canvasElement, 'Connected', null)

    await click(canvasElement, 'Drop doc')
    await waitFor(() => expectShown(canvasElement, 'RECONNECTING', 'neutral'), SETTLE)
    await expectPart(canvasElement, 'Reconnecting… (doc)', 'doc')

    // red shows at once, and names the other part
    await click(canvasElement, 'Fail chat')
    await waitFor(() => expectShown(canvasElement, 'ERROR', 'bad'), { timeout: 500 })
    await expectPart(canvasElement, 'Connection failed: chat', 'chat')
    await expectNoAxeViolations(canvasElement, ['button-name', 'color-contrast'])

    // "Retry now" retries the parts that are down, and leaves the rest alone
    await click(canvasElement, 'Retry now')
    await expect(field(canvasElement, 'chat-state')).toBe('chat: RECONNECTING · RETRY_REQUESTED')
    await click(canvasElement, 'Restore chat')
    await waitFor(() => expectPart(canvasElement, 'Reconnecting… (doc)', 'doc'), SETTLE)

    await click(canvasElement, 'Restore doc')
    await waitFor(() => expectShown(canvasElement, 'OPEN', 'good'), SETTLE)
    await expectPart(canvasElement, 'Connected', null)
    await expect(field(canvasElement, 'state')).toBe('OPEN · REJOIN_SUCCESS')
  },
}

export const Dark: Story = {
  name: 'Several connections (dark, traffic light)',
  args: { variant: 'traffic-light' },
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await click(canvasElement, 'Fail doc')
    await waitFor(() => expectShown(canvasElement, 'ERROR', 'bad'), { timeout: 500 })
    // the traffic light's label is visually hidden, and still names the part
    await expectPart(canvasElement, 'Connection failed: doc', 'doc')
    await expectNoAxeViolations(canvasElement, ['button-name', 'color-contrast'])
  },
}
