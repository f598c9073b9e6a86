import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { ConnectionState, type Tone } from '../src/index.js'
import {
  ConnectionIndicator,
  defaultLabels,
  type ConnectionIndicatorProps,
} from '../src/react/index.js'
import { MockConnection } from './support/MockConnection.js'
import './support/stories.css'

const STATES = Object.values(ConnectionState)
const VARIANTS = ['traffic-light', 'dot', 'badge'] as const
const SIZES = ['sm', 'md', 'lg'] as const

/** The component's props, plus the state of the story's mock connection. */
type IndicatorArgs = ConnectionIndicatorProps & { state: ConnectionState }

const meta = {
  title: 'ConnectionIndicator',
  component: ConnectionIndicator,
  tags: ['autodocs'],
  args: { state: 'OPEN', variant: 'traffic-light', size: 'md', smooth: true },
  argTypes: {
    state: {
      control: 'select',
      options: STATES,
      description:
        'State of the story’s mock connection (not a prop: the indicator reads its store).',
      table: { category: 'Story' },
    },
    variant: { control: 'inline-radio', options: VARIANTS },
    size: { control: 'inline-radio', options: SIZES },
    smooth: { control: 'boolean' },
    unstyled: { control: 'boolean' },
    labels: { control: 'object' },
    tones: { control: 'object' },
    store: { control: false },
    children: { control: false },
  },
  render: ({ state: _state, ...props }) => <ConnectionIndicator {...props} />,
  parameters: {
    docs: {
      description: {
        component:
          'Green when `OPEN`, red on `ERROR`, amber in between, with a text label besides colour. ' +
          'Every story has its own mock connection and store; the `state` control moves it.',
      },
    },
  },
} satisfies Meta<IndicatorArgs>

export default meta
type Story = StoryObj<typeof meta>

/** What an indicator in `canvas` must show: its attributes, its label and its lit lamp. */
async function expectIndicator(
  canvasElement: HTMLElement,
  expected: { state: ConnectionState; tone: Tone; label?: string },
) {
  const indicator = within(canvasElement).getByRole('status')
  await expect(indicator).toHaveAttribute('data-state', expected.state)
  await expect(indicator).toHaveAttribute('data-tone', expected.tone)
  await expect(indicator).toHaveTextContent(expected.label ?? defaultLabels[expected.state])
  const lit = indicator.querySelectorAll('[data-lit]')
  if (indicator.dataset.variant === 'traffic-light') {
    await expect(lit).toHaveLength(1)
    await expect(lit[0]).toHaveAttribute('data-lamp', expected.tone)
  } else await expect(lit).toHaveLength(0)
}

const indicatorIn = (canvasElement: HTMLElement) => within(canvasElement).getByRole('status')

// One story per state.

export const Open: Story = {
  args: { state: 'OPEN' },
  play: ({ canvasElement }) => expectIndicator(canvasElement, { state: 'OPEN', tone: 'good' }),
}

export const AwaitingConnection: Story = { args: { state: 'AWAITING_CONNECTION' } }
export const Challenging: Story = { args: { state: 'CHALLENGING' } }
export const AwaitingAuthentication: Story = { args: { state: 'AWAITING_AUTHENTICATION' } }
export const Authenticating: Story = { args: { state: 'AUTHENTICATING' } }

export const Reconnecting: Story = {
  args: { state: 'RECONNECTING' },
  play: ({ canvasElement }) =>
    expectIndicator(canvasElement, { state: 'RECONNECTING', tone: 'neutral' }),
}

export const ErrorState: Story = {
  name: 'Error',
  args: { state: 'ERROR' },
  play: ({ canvasElement }) => expectIndicator(canvasElement, { state: 'ERROR', tone: 'bad' }),
}

export const Closed: Story = {
  args: { state: 'CLOSED' },
  play: ({ canvasElement }) => expectIndicator(canvasElement, { state: 'CLOSED', tone: 'neutral' }),
}

// Variants, sizes, themes and options.

export const Dot: Story = {
  args: { state: 'RECONNECTING', variant: 'dot' },
  play: async ({ canvasElement }) => {
    await expectIndicator(canvasElement, { state: 'RECONNECTING', tone: 'neutral' })
    // the label is for screen readers only
    const label = within(indicatorIn(canvasElement)).getByText('Reconnecting…')
    await expect(label).toHaveClass('linklight-visually-hidden')
  },
}

export const Badge: Story = {
  args: { state: 'ERROR', variant: 'badge' },
  play: async ({ canvasElement }) => {
    await expectIndicator(canvasElement, { state: 'ERROR', tone: 'bad' })
    const badge = indicatorIn(canvasElement)
    await expect(within(badge).getByText('Connection failed')).toBeVisible()
    await expect(badge.querySelector('.linklight-indicator__dot')).not.toBeNull()
  },
}

export const Small: Story = { args: { size: 'sm', variant: 'badge' } }
export const Large: Story = { args: { size: 'lg' } }

export const Dark: Story = {
  args: { state: 'OPEN' },
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expectIndicator(canvasElement, { state: 'OPEN', tone: 'good' })
    // styles.css gives the dark green under a [data-theme="dark"] ancestor
    const lit = indicatorIn(canvasElement).querySelector('[data-lit]') as HTMLElement
    await expect(getComputedStyle(lit).backgroundColor).toBe('rgb(74, 222, 128)')
  },
}

export const Translated: Story = {
  args: {
    state: 'RECONNECTING',
    variant: 'badge',
    labels: { OPEN: 'Verbunden', RECONNECTING: 'Verbindung wird wiederhergestellt…' },
  },
  play: ({ canvasElement }) =>
    expectIndicator(canvasElement, {
      state: 'RECONNECTING',
      tone: 'neutral',
      label: 'Verbindung wird wiederhergestellt…',
    }),
}

export const RemappedTones: Story = {
  name: 'Remapped tones (reconnecting is red)',
  args: { state: 'RECONNECTING', tones: { RECONNECTING: 'bad' } },
  play: ({ canvasElement }) =>
    expectIndicator(canvasElement, { state: 'RECONNECTING', tone: 'bad' }),
}

// Every state × variant × size, each state over a mock (and store) of its own.

function AllStatesGrid({ theme }: { theme: string }) {
  return (
    <div className="ll-story">
      <table className="ll-grid">
        <caption>Every state, variant and size ({theme})</caption>
        <thead>
          <tr>
            <th scope="col">State</th>
            {VARIANTS.flatMap((variant) =>
              SIZES.map((size) => (
                <th scope="col" key={`${variant}-${size}`}>
                  {variant} {size}
                </th>
              )),
            )}
          </tr>
        </thead>
        <tbody>
          {STATES.map((state) => (
            <MockConnection key={state} init={state}>
              <tr data-row={state}>
                <th scope="row">{state}</th>
                {VARIANTS.flatMap((variant) =>
                  SIZES.map((size) => (
                    <td key={`${variant}-${size}`}>
                      <ConnectionIndicator variant={variant} size={size} />
                    </td>
                  )),
                )}
              </tr>
            </MockConnection>
          ))}
        </tbody>
      </table>
    </div>
  )
}

async function expectGrid(canvasElement: HTMLElement) {
  const indicators = within(canvasElement).getAllByRole('status')
  await expect(indicators).toHaveLength(STATES.length * VARIANTS.length * SIZES.length)
  for (const state of STATES) {
    const row = canvasElement.querySelector(`[data-row="${state}"]`) as HTMLElement
    const shown = within(row).getAllByRole('status')
    await expect(shown.map((el) => el.dataset.state)).toEqual(shown.map(() => state))
    await expect(shown.map((el) => `${el.dataset.variant} ${el.dataset.size}`)).toEqual(
      VARIANTS.flatMap((variant) => SIZES.map((size) => `${variant} ${size}`)),
    )
  }
}

export const AllStates: Story = {
  name: 'All states × variants × sizes',
  parameters: { theme: 'light', controls: { disable: true } },
  render: () => <AllStatesGrid theme="light" />,
  play: ({ canvasElement }) => expectGrid(canvasElement),
}

export const AllStatesDark: Story = {
  name: 'All states × variants × sizes (dark)',
  parameters: { theme: 'dark', controls: { disable: true } },
  render: () => <AllStatesGrid theme="dark" />,
  play: ({ canvasElement }) => expectGrid(canvasElement),
}
