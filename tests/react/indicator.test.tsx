import { within } from '@testing-library/dom'
import { Profiler, StrictMode } from 'react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConnectionState, type Tone } from '../../src/core/states.js'
import type { ConnectionSnapshot, ConnectionSource } from '../../src/core/types.js'
import {
  ConnectionIndicator,
  type ConnectionIndicatorProps,
} from '../../src/react/ConnectionIndicator.js'
import { ConnectionProvider } from '../../src/react/ConnectionProvider.js'
import type { IndicatorStatus } from '../../src/react/useIndicator.js'
import { createConnectionStore } from '../../src/store/createConnectionStore.js'
import { createMockSource, type MockSource } from '../../src/testing/createMockSource.js'
import { createFakeClock } from '../helpers/fakeClock.js'
// Testing Library bound to the project's React (react18 or react19): see rtl.ts.
import { act, render, screen } from './rtl.js'

const STATES = Object.values(ConnectionState)
const VARIANTS = ['traffic-light', 'dot', 'badge'] as const
const SIZES = ['sm', 'md', 'lg'] as const

// Written out rather than computed with toneOf, so a wrong mapping cannot agree with itself.
const TONE: Record<ConnectionState, Tone> = {
  CLOSED: 'neutral',
  AWAITING_CONNECTION: 'neutral',
  CHALLENGING: 'neutral',
  AWAITING_AUTHENTICATION: 'neutral',
  AUTHENTICATING: 'neutral',
  OPEN: 'good',
  RECONNECTING: 'neutral',
  ERROR: 'bad',
}
const LABEL: Record<ConnectionState, string> = {
  CLOSED: 'Disconnected',
  AWAITING_CONNECTION: 'Connecting…',
  CHALLENGING: 'Connecting…',
  AWAITING_AUTHENTICATION: 'Waiting to sign in',
  AUTHENTICATING: 'Signing in…',
  OPEN: 'Connected',
  RECONNECTING: 'Reconnecting…',
  ERROR: 'Connection failed',
}

/** A store whose display follows the source at once: no smoothing timers in the way. */
const instantStore = (source: ConnectionSource) =>
  createConnectionStore(source, { enterDelay: 0, minVisible: 0 })

/** The mock with a retry scheduled at `at` while RECONNECTING (the mock itself never sets one). */
function withRetryAt(source: MockSource, at: number): ConnectionSource {
  const seen = new WeakMap<ConnectionSnapshot, ConnectionSnapshot>()
  const map = (snapshot: ConnectionSnapshot) => {
    let mapped = seen.get(snapshot)
    if (!mapped) {
      const nextRetryAt = snapshot.state === 'RECONNECTING' ? at : null
      mapped = Object.freeze({ ...snapshot, nextRetryAt })
      seen.set(snapshot, mapped)
    }
    return mapped
  }
  return {
    getSnapshot: () => map(source.getSnapshot()),
    subscribe: (listener) => source.subscribe((snapshot) => listener(map(snapshot))),
    on: (event, handler) => source.on(event, handler),
    getPeers: () => source.getPeers(),
    connect: () => source.connect(),
    login: (credentials) => source.login(credentials),
    send: (data) => source.send(data),
    reconnect: () => source.reconnect(),
    close: () => source.close(),
  }
}

function renderIndicator(props: ConnectionIndicatorProps) {
  const view = render(<ConnectionIndicator {...props} />)
  return { ...view, root: screen.getByRole('status') }
}

const linklightClasses = (element: Element) =>
  [element, ...element.querySelectorAll('*')].flatMap((el) =>
    [...el.classList].filter((name) => name.startsWith('linklight')),
  )

/** No `<style>` element and no `style` attribute anywhere in what was rendered. */
function expectNoInlineStyles(container: HTMLElement) {
  expect(container.querySelectorAll('style, [style]')).toHaveLength(0)
  expect(container.innerHTML).not.toMatch(/<style|\sstyle=/)
  expect(document.querySelectorAll('style')).toHaveLength(0)
}

afterEach(() => {
  vi.useRealTimers()
})

describe.each(VARIANTS)('variant %s', (variant) => {
  it.each(STATES)('%s: tone, lamps, label and data attributes in every size', (state) => {
    const store = instantStore(createMockSource(state))
    const { root, container, rerender } = renderIndicator({ variant, store })
    for (const size of SIZES) {
      rerender(<ConnectionIndicator variant={variant} size={size} store={store} />)
      expect(screen.getByRole('status')).toBe(root)
      expect(root.dataset).toMatchObject({
        state,
        tone: TONE[state],
        variant,
        size,
      })
      expect(root.classList.contains('linklight-indicator')).toBe(true)
      expect(root.getAttribute('aria-live')).toBe('polite')
      expect(root.getAttribute('aria-atomic')).toBe('true')

      // The label is the live region's only text.
      expect(root.textContent).toBe(LABEL[state])
      const label = within(root).getByText(LABEL[state])
      expect(label.classList.contains('linklight-indicator__label')).toBe(true)
      expect(label.classList.contains('linklight-visually-hidden')).toBe(variant !== 'badge')
      expect(label.closest('[aria-hidden]')).toBeNull()

      const lamps = root.querySelectorAll('.linklight-indicator__lamp')
      const lit = root.querySelectorAll('[data-lit]')
      const dots = root.querySelectorAll('.linklight-indicator__dot')
      if (variant === 'traffic-light') {
        expect([...lamps].map((lamp) => lamp.getAttribute('data-lamp'))).toEqual([
          'bad',
          'neutral',
          'good',
        ])
        expect(lit).toHaveLength(1)
        expect(lit[0]?.getAttribute('data-lamp')).toBe(TONE[state])
        expect(lamps[0]?.parentElement?.getAttribute('aria-hidden')).toBe('true')
        expect(dots).toHaveLength(0)
      } else {
        expect(lamps).toHaveLength(0)
        expect(lit).toHaveLength(0)
        expect(dots).toHaveLength(1)
        expect(dots[0]?.getAttribute('aria-hidden')).toBe('true')
      }
      expectNoInlineStyles(container)
    }
  })
})

describe('ConnectionIndicator props', () => {
  it('follows the store: the tone, the lit lamp and the label change with the state', () => {
    const source = createMockSource('OPEN')
    const { root } = renderIndicator({ store: instantStore(source) })
    expect(root.querySelector('[data-lit]')?.getAttribute('data-lamp')).toBe('good')
    act(() => source.fail())
    expect(root.dataset).toMatchObject({ state: 'ERROR', tone: 'bad' })
    expect(root.querySelector('[data-lit]')?.getAttribute('data-lamp')).toBe('bad')
    expect(root.textContent).toBe('Connection failed')
    act(() => source.drop())
    expect(root.dataset).toMatchObject({ state: 'RECONNECTING', tone: 'neutral' })
    expect(root.querySelector('[data-lit]')?.getAttribute('data-lamp')).toBe('neutral')
    expect(root.textContent).toBe('Reconnecting…')
  })

  it('reads the store from ConnectionProvider when none is passed', () => {
    const store = instantStore(createMockSource('OPEN'))
    render(
      <ConnectionProvider store={store}>
        <ConnectionIndicator variant="badge" />
      </ConnectionProvider>,
    )
    expect(screen.getByRole('status').textContent).toBe('Connected')
  })

  it.each(VARIANTS)('tones remaps a state: RECONNECTING shown as bad (%s)', (variant) => {
    const source = createMockSource('RECONNECTING')
    const { root } = renderIndicator({
      variant,
      tones: { RECONNECTING: 'bad' },
      store: instantStore(source),
    })
    expect(root.dataset).toMatchObject({ state: 'RECONNECTING', tone: 'bad' })
    if (variant === 'traffic-light')
      expect(
        [...root.querySelectorAll('[data-lit]')].map((l) => l.getAttribute('data-lamp')),
      ).toEqual(['bad'])
    // states left out keep their usual tone
    act(() => source.set('OPEN'))
    expect(root.dataset.tone).toBe('good')
  })

  it('labels translates some states and leaves the others in English', () => {
    const source = createMockSource('OPEN')
    const labels = { OPEN: 'En ligne', ERROR: 'Échec de la connexion' }
    const { root } = renderIndicator({ variant: 'badge', labels, store: instantStore(source) })
    expect(root.textContent).toBe('En ligne')
    expect(screen.getByText('En ligne').classList.contains('linklight-indicator__label')).toBe(true)
    act(() => source.fail())
    expect(root.textContent).toBe('Échec de la connexion')
    act(() => source.drop())
    expect(root.textContent).toBe('Reconnecting…')
  })

  it.each(VARIANTS)(
    'unstyled drops every linklight class, keeps data and label (%s)',
    (variant) => {
      const store = instantStore(createMockSource('ERROR'))
      const { root, container } = renderIndicator({ variant, unstyled: true, store })
      expect(linklightClasses(container)).toEqual([])
      expect(root.hasAttribute('class')).toBe(false)
      expect(root.dataset).toMatchObject({ state: 'ERROR', tone: 'bad', variant, size: 'md' })
      expect(root.textContent).toBe('Connection failed')
      if (variant === 'traffic-light') {
        expect(root.querySelectorAll('[data-lamp]')).toHaveLength(3)
        expect(root.querySelector('[data-lit]')?.getAttribute('data-lamp')).toBe('bad')
      }
      expectNoInlineStyles(container)
    },
  )

  it('unstyled keeps the className it is given', () => {
    const store = instantStore(createMockSource('OPEN'))
    const { root } = renderIndicator({ unstyled: true, className: 'mine', store })
    expect(root.className).toBe('mine')
  })

  it('className is added to linklight’s own', () => {
    const store = instantStore(createMockSource('OPEN'))
    const { root } = renderIndicator({ className: 'toolbar-status wide', store })
    expect(root.className).toBe('linklight-indicator toolbar-status wide')
  })

  it('spreads other HTML attributes onto the root, without letting them replace its data', () => {
    const store = instantStore(createMockSource('OPEN'))
    render(
      <ConnectionIndicator
        store={store}
        id="net"
        title="Realtime connection"
        data-testid="indicator"
        data-state="bogus"
        onClick={() => {}}
      />,
    )
    const root = screen.getByTestId('indicator')
    expect(root).toBe(screen.getByRole('status'))
    expect(root.id).toBe('net')
    expect(root.title).toBe('Realtime connection')
    expect(root.dataset.state).toBe('OPEN')
  })

  it('a children node replaces the lamps and the label', () => {
    const store = instantStore(createMockSource('OPEN'))
    const { root, container } = renderIndicator({
      store,
      children: <em>all good</em>,
    })
    expect(root.innerHTML).toBe('<em>all good</em>')
    expect(root.dataset).toMatchObject({ state: 'OPEN', tone: 'good', variant: 'traffic-light' })
    expectNoInlineStyles(container)
  })

  it('children that render nothing leave the default look', () => {
    const store = instantStore(createMockSource('OPEN'))
    const { root } = renderIndicator({ store, variant: 'dot', children: false })
    expect(root.textContent).toBe('Connected')
    expect(root.querySelector('.linklight-indicator__dot')).not.toBeNull()
  })

  it('a children function receives { tone, state, label, retryIn } and renders in place', () => {
    vi.useFakeTimers()
    const source = createMockSource('OPEN')
    const calls: IndicatorStatus[] = []
    const { root } = renderIndicator({
      store: instantStore(withRetryAt(source, Date.now() + 5000)),
      labels: { RECONNECTING: 'Reconnexion…' },
      children: (status) => {
        calls.push(status)
        return <b>{status.label}</b>
      },
    })
    expect(calls.at(-1)).toEqual({ tone: 'good', state: 'OPEN', label: 'Connected', retryIn: null })
    act(() => source.drop())
    expect(calls.at(-1)).toEqual({
      tone: 'neutral',
      state: 'RECONNECTING',
      label: 'Reconnexion…',
      retryIn: 5,
    })
    act(() => vi.advanceTimersByTime(2000))
    expect(calls.at(-1)?.retryIn).toBe(3)
    expect(root.innerHTML).toBe('<b>Reconnexion…</b>')
  })

  it('smooth={false} shows the raw state while the smoothed one still hides the dip', () => {
    vi.useFakeTimers()
    const source = createMockSource('OPEN')
    const store = createConnectionStore(source) // default enterDelay 1000, minVisible 1500
    render(
      <>
        <ConnectionIndicator store={store} data-testid="smooth" />
        <ConnectionIndicator store={store} smooth={false} data-testid="raw" />
      </>,
    )
    const smooth = screen.getByTestId('smooth')
    const raw = screen.getByTestId('raw')
    const litLamp = (root: HTMLElement) =>
      root.querySelector('[data-lit]')?.getAttribute('data-lamp')

    act(() => source.drop())
    expect(smooth.dataset).toMatchObject({ state: 'OPEN', tone: 'good' })
    expect(smooth.textContent).toBe('Connected')
    expect(litLamp(smooth)).toBe('good')
    expect(raw.dataset).toMatchObject({ state: 'RECONNECTING', tone: 'neutral' })
    expect(raw.textContent).toBe('Reconnecting…')
    expect(litLamp(raw)).toBe('neutral')

    act(() => vi.advanceTimersByTime(999))
    expect(smooth.dataset.tone).toBe('good')
    act(() => vi.advanceTimersByTime(1))
    expect(smooth.dataset).toMatchObject({ state: 'RECONNECTING', tone: 'neutral' })
    expect(litLamp(smooth)).toBe('neutral')
  })

  it('smooth={false} keeps the tones given to the store', () => {
    const source = createMockSource('OPEN')
    const store = createConnectionStore(source, {
      enterDelay: 0,
      minVisible: 0,
      tones: { RECONNECTING: 'bad' },
    })
    const { root } = renderIndicator({ store, smooth: false })
    act(() => source.drop())
    expect(root.dataset).toMatchObject({ state: 'RECONNECTING', tone: 'bad' })
    expect(root.querySelector('[data-lit]')?.getAttribute('data-lamp')).toBe('bad')
  })

  it('smooth={false} colours the raw state with the store’s tones while the smoothed one holds back', () => {
    vi.useFakeTimers()
    const source = createMockSource('OPEN')
    const store = createConnectionStore(source, { tones: { AWAITING_AUTHENTICATION: 'good' } })
    render(
      <>
        <ConnectionIndicator store={store} data-testid="smooth" />
        <ConnectionIndicator store={store} smooth={false} data-testid="raw" />
      </>,
    )
    act(() => source.drop())
    act(() => vi.advanceTimersByTime(1000)) // amber shows, and now stays minVisible
    act(() => source.set('AWAITING_AUTHENTICATION'))
    expect(screen.getByTestId('smooth').dataset).toMatchObject({
      state: 'RECONNECTING',
      tone: 'neutral',
    })
    expect(screen.getByTestId('raw').dataset).toMatchObject({
      state: 'AWAITING_AUTHENTICATION',
      tone: 'good',
    })
  })

  it('the tones prop is laid over the store’s: its own states win, the others keep the store’s', () => {
    const source = createMockSource('AWAITING_AUTHENTICATION')
    const store = createConnectionStore(source, {
      enterDelay: 0,
      minVisible: 0,
      tones: { AWAITING_AUTHENTICATION: 'good', RECONNECTING: 'bad' },
    })
    const { root } = renderIndicator({ store, tones: { RECONNECTING: 'good', CLOSED: 'bad' } })
    expect(root.dataset).toMatchObject({ state: 'AWAITING_AUTHENTICATION', tone: 'good' })
    act(() => source.drop())
    expect(root.dataset).toMatchObject({ state: 'RECONNECTING', tone: 'good' })
    act(() => source.close())
    expect(root.dataset).toMatchObject({ state: 'CLOSED', tone: 'bad' })
    act(() => source.fail())
    expect(root.dataset).toMatchObject({ state: 'ERROR', tone: 'bad' })
  })

  it('renders on the server as CLOSED, with no inline styles', () => {
    const store = instantStore(createMockSource('OPEN'))
    const html = renderToString(<ConnectionIndicator variant="badge" store={store} />)
    expect(html).toContain('role="status"')
    expect(html).toContain('data-state="CLOSED"')
    expect(html).toContain('Disconnected')
    expect(html).not.toMatch(/<style|\sstyle=/)
  })

  it('renders on the server in the tone the store’s tones give CLOSED', () => {
    const store = createConnectionStore(createMockSource('OPEN'), { tones: { CLOSED: 'bad' } })
    const html = renderToString(<ConnectionIndicator store={store} />)
    expect(html).toContain('data-state="CLOSED"')
    expect(html).toContain('data-tone="bad"')
    expect(html).toMatch(/data-lamp="bad" data-lit=""/)
  })

  it('works under StrictMode', () => {
    const source = createMockSource('AUTHENTICATING')
    render(
      <StrictMode>
        <ConnectionIndicator store={instantStore(source)} />
      </StrictMode>,
    )
    expect(screen.getByRole('status').textContent).toBe('Signing in…')
    act(() => source.set('OPEN'))
    expect(screen.getByRole('status').textContent).toBe('Connected')
  })
})

describe('the live region', () => {
  /** Everything that changes under `root`, text or attributes. */
  function watch(root: HTMLElement) {
    const observer = new MutationObserver(() => {})
    observer.observe(root, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    })
    return () => {
      const records = observer.takeRecords()
      observer.disconnect()
      return records
    }
  }

  it('does not change, nor re-render, while only the retry countdown ticks', () => {
    vi.useFakeTimers()
    const source = createMockSource('RECONNECTING')
    const store = instantStore(withRetryAt(source, Date.now() + 10_000))
    let commits = 0
    render(
      <Profiler id="indicators" onRender={() => commits++}>
        {VARIANTS.map((variant) => (
          <ConnectionIndicator key={variant} variant={variant} store={store} />
        ))}
      </Profiler>,
    )
    const roots = screen.getAllByRole('status')
    expect(roots.map((root) => root.textContent)).toEqual(VARIANTS.map(() => 'Reconnecting…'))
    const stops = roots.map(watch)
    const committed = commits

    act(() => vi.advanceTimersByTime(5000))
    expect(stops.flatMap((stop) => stop())).toEqual([])
    expect(commits).toBe(committed)
    expect(roots.map((root) => root.textContent)).toEqual(VARIANTS.map(() => 'Reconnecting…'))
  })

  it('the same clock does drive a countdown that asks for it (the check above can fail)', () => {
    vi.useFakeTimers()
    const source = createMockSource('RECONNECTING')
    const store = instantStore(withRetryAt(source, Date.now() + 10_000))
    render(<ConnectionIndicator store={store}>{({ retryIn }) => `${retryIn}`}</ConnectionIndicator>)
    const root = screen.getByRole('status')
    expect(root.textContent).toBe('10')
    act(() => vi.advanceTimersByTime(5000))
    expect(root.textContent).toBe('5')
  })

  it('counts down on the store’s clock, the one nextRetryAt is on, not on Date.now()', () => {
    // A fake clock far from Date.now(): a countdown that read Date.now() would show 0.
    const fake = createFakeClock(1_000_000)
    const source = createMockSource('OPEN')
    const store = createConnectionStore(withRetryAt(source, fake.now() + 5000), {
      clock: fake.clock,
      enterDelay: 0,
      minVisible: 0,
    })
    const view = render(
      <ConnectionIndicator store={store}>{({ retryIn }) => `${retryIn}`}</ConnectionIndicator>,
    )
    const root = screen.getByRole('status')
    expect(root.textContent).toBe('null')
    act(() => source.drop())
    expect(root.textContent).toBe('5')
    act(() => fake.advance(999))
    expect(root.textContent).toBe('5')
    act(() => fake.advance(1))
    expect(root.textContent).toBe('4')
    act(() => fake.advance(3500))
    expect(root.textContent).toBe('1')
    act(() => fake.advance(10_000))
    expect(root.textContent).toBe('0')
    expect(fake.pending()).toBe(0) // at 0 it stops looking
    act(() => source.drop())
    view.unmount()
    expect(fake.pending()).toBe(0)
  })

  it('stays silent through a dip the smoothing hides, and speaks once it shows', () => {
    vi.useFakeTimers()
    const source = createMockSource('OPEN')
    const store = createConnectionStore(source)
    const { root } = renderIndicator({ variant: 'badge', store })
    const stop = watch(root.querySelector('.linklight-indicator__label') as HTMLElement)

    act(() => source.drop())
    act(() => vi.advanceTimersByTime(500))
    act(() => source.restore())
    act(() => vi.advanceTimersByTime(5000))
    expect(stop()).toEqual([])
    expect(root.textContent).toBe('Connected')

    act(() => source.fail())
    expect(root.textContent).toBe('Connection failed')
  })

  it('keeps its text when the state changes but the label does not', () => {
    const source = createMockSource('AWAITING_CONNECTION')
    const { root } = renderIndicator({ store: instantStore(source) })
    const stop = watch(root.querySelector('.linklight-indicator__label') as HTMLElement)
    act(() => source.set('CHALLENGING'))
    expect(root.dataset.state).toBe('CHALLENGING')
    expect(stop()).toEqual([])
    expect(root.textContent).toBe('Connecting…')
  })
})
