import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, spyOn, waitFor, within } from 'storybook/test'
import { HistoryPanel } from '../demo/HistoryPanel.js'
import { expectNoAxeViolations } from './support/axe.js'
import { Button } from './support/Button.js'
import type { MockParameters } from './support/MockConnection.js'
import { useMockSource } from './support/MockConnection.js'
import { click } from './support/play.js'
import { StateLine } from './support/StateLine.js'
import './support/stories.css'

// Planted in the mock's peers: the copied diagnostics must not carry them.
const SECRET = 'peer-secret-4711'
const mock: MockParameters = {
  init: {
    state: 'OPEN',
    reason: 'JOIN_SUCCESS',
    peers: [{ id: 'ada@example.com', data: { name: 'Ada', token: SECRET } }],
  },
}

function Controls() {
  const source = useMockSource()
  const attempt = () => source.getSnapshot().attempt
  return (
    <div className="ll-controls" role="group" aria-label="Connection">
      <Button onClick={() => source.drop({ retryIn: 5000 })}>Drop the network</Button>
      <Button
        onClick={() =>
          source.set('RECONNECTING', 'INTERRUPTED', { attempt: attempt() + 1, retryIn: 5000 })
        }
      >
        Next attempt
      </Button>
      <Button onClick={() => source.lose()}>Lost</Button>
      <Button onClick={() => source.restore()}>Restore</Button>
      <Button onClick={() => source.fail('TOKEN_EXPIRED')}>Fail: token expired</Button>
    </div>
  )
}

function HistoryStory() {
  return (
    <div className="ll-story">
      <StateLine />
      <Controls />
      <HistoryPanel />
    </div>
  )
}

const meta = {
  title: 'History',
  component: HistoryStory,
  parameters: {
    mock,
    docs: {
      description: {
        component:
          'The demo’s History panel over a mock source: `useConnectionHistory(10)` lists the ' +
          'transitions the store recorded (a new state, reason or attempt), and "Copy diagnostics" ' +
          'copies `formatDiagnostics(connectionDiagnostics(store))` — peer counts, never peer ids, ' +
          'data, messages or credentials.',
      },
    },
  },
} satisfies Meta<typeof HistoryStory>

export default meta
type Story = StoryObj<typeof meta>

/** Drop, a second attempt, LOST, back: the rows the panel must then list. */
const FLAP = [
  ['RECONNECTING', 'INTERRUPTED', '1'],
  ['RECONNECTING', 'INTERRUPTED', '2'],
  ['RECONNECTING', 'LOST', '2'],
  ['OPEN', 'REJOIN_SUCCESS', '0'],
]

/** Drives the mock through {@link FLAP} and expects the panel to list it, time first. */
async function flap(canvasElement: HTMLElement) {
  const canvas = within(canvasElement)
  await expect(canvas.getByTestId('no-history')).toBeInTheDocument()
  for (const name of ['Drop the network', 'Next attempt', 'Lost', 'Restore'])
    await click(canvasElement, name)
  const table = within(canvas.getByRole('table'))
  const rows = table.getAllByRole<HTMLTableRowElement>('row').slice(1) // the header row first
  await expect(rows.map((row) => [...row.cells].slice(1).map((cell) => cell.textContent))).toEqual(
    FLAP,
  )
  for (const row of rows)
    await expect(row.cells[0]?.textContent).toMatch(/^\d\d:\d\d:\d\d[.,]\d{3}$/)
}

/** What the copied text must hold, and must not. */
async function expectDiagnostics(text: string) {
  await expect(text).toMatch(/^linklight diagnostics, \d{4}-\d\d-\d\dT/)
  await expect(text).toContain('Connection: OPEN (REJOIN_SUCCESS), phase CONNECTED, attempt 0')
  await expect(text).toContain('Peers: 1 online, 0 departed')
  await expect(text).toContain('History (4, oldest first):')
  await expect(text).toMatch(/RECONNECTING +LOST +attempt 2 \(from OPEN\)/)
  await expect(text).toMatch(/^Browser: Mozilla\/5\.0 .*\((online|offline)\)$/m)
  for (const leak of [SECRET, 'ada@example.com', 'Ada']) await expect(text).not.toContain(leak)
}

export const Copied: Story = {
  name: 'Copy diagnostics',
  play: async ({ canvasElement }) => {
    await flap(canvasElement)
    const writeText = spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined)
    try {
      await click(canvasElement, 'Copy diagnostics')
      await waitFor(() =>
        expect(within(canvasElement).getByRole('status')).toHaveTextContent(
          'Diagnostics copied to the clipboard.',
        ),
      )
      await expect(writeText).toHaveBeenCalledTimes(1)
      await expectDiagnostics(writeText.mock.calls[0]![0])
      await expect(within(canvasElement).queryByRole('textbox')).toBeNull()
    } finally {
      writeText.mockRestore()
    }
  },
}

export const ClipboardRefused: Story = {
  name: 'Copy diagnostics: clipboard refused',
  play: async ({ canvasElement }) => {
    await flap(canvasElement)
    const refused = new DOMException('Write permission denied.', 'NotAllowedError')
    const writeText = spyOn(navigator.clipboard, 'writeText').mockRejectedValue(refused)
    try {
      await click(canvasElement, 'Copy diagnostics')
      const textarea = await within(canvasElement).findByRole<HTMLTextAreaElement>('textbox', {
        name: 'Diagnostics',
      })
      await expectDiagnostics(textarea.value)
      // selected, ready for Ctrl+C
      await waitFor(() =>
        expect([textarea.selectionStart, textarea.selectionEnd]).toEqual([
          0,
          textarea.value.length,
        ]),
      )
      await expect(within(canvasElement).getByRole('status')).toHaveTextContent(
        'the text below is selected',
      )
      // the demo page's axe check will see this panel: the table, the textarea, the button
      await expectNoAxeViolations(canvasElement, ['button-name', 'label', 'th-has-data-cells'])
    } finally {
      writeText.mockRestore()
    }
  },
}
