import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { ConnectionIndicator } from '../src/react/index.js'
import type { MockParameters } from './support/MockConnection.js'
import { PeerList } from './support/PeerList.js'
import './support/stories.css'

const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara']

/** `count` online peers for the mock to start with. */
const peers = (count: number): MockParameters => ({
  init: {
    state: 'OPEN',
    peers: Array.from({ length: count }, (_, i) => ({
      id: `peer-${i + 1}`,
      data: { name: count <= NAMES.length ? NAMES[i] : `Peer ${i + 1}` },
    })),
  },
})

function PeerListStory() {
  return (
    <div className="ll-story">
      <p>
        <ConnectionIndicator variant="badge" />
      </p>
      <PeerList />
    </div>
  )
}

const meta = {
  title: 'Peers',
  component: PeerListStory,
  parameters: {
    docs: {
      description: {
        component:
          '`usePeers()` for the count and the list, one `usePeer(id)` per row: a row renders only ' +
          'when its own peer changes.',
      },
    },
  },
} satisfies Meta<typeof PeerListStory>

export default meta
type Story = StoryObj<typeof meta>

/** Expects the heading to count `count` online, and as many rows. */
async function expectPeers(canvasElement: HTMLElement, count: number) {
  const canvas = within(canvasElement)
  await expect(canvas.getByRole('heading', { name: /Peers/ })).toHaveTextContent(
    `(${count.toLocaleString('en-US')} online)`,
  )
  if (count === 0) {
    await expect(canvas.getByText('No one else is here.')).toBeInTheDocument()
    await expect(canvas.queryByRole('list')).toBeNull()
    return
  }
  const rows = within(canvas.getByRole('region', { name: 'Peer list' })).getAllByRole('listitem')
  await expect(rows).toHaveLength(count)
  await expect(rows[0]).toHaveTextContent(count <= NAMES.length ? 'Ada' : 'Peer 1')
}

export const Empty: Story = {
  name: 'No peers',
  parameters: { mock: peers(0) },
  play: ({ canvasElement }) => expectPeers(canvasElement, 0),
}

export const Five: Story = {
  name: '5 peers',
  parameters: { mock: peers(5) },
  play: ({ canvasElement }) => expectPeers(canvasElement, 5),
}

export const Thousand: Story = {
  name: '1,000 peers',
  parameters: { mock: peers(1000) },
  play: ({ canvasElement }) => expectPeers(canvasElement, 1000),
}
