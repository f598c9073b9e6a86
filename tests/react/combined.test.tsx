/**
 * `<ConnectionIndicator>` and `useIndicator` over `combineSources`: the label and `data-part`
 * name the part that is not OPEN, the live region says it, and other sources show as before.
 */
import { StrictMode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { combineSources, type CombinedSource } from '../../src/core/combineSources.js'
import type { ConnectionSource } from '../../src/core/types.js'
import { ConnectionIndicator } from '../../src/react/ConnectionIndicator.js'
import { ConnectionProvider } from '../../src/react/ConnectionProvider.js'
import { defaultPartLabel } from '../../src/react/labels.js'
import { useIndicator } from '../../src/react/useIndicator.js'
import { createConnectionStore } from '../../src/store/createConnectionStore.js'
import { createMockSource, type MockSource } from '../../src/testing/createMockSource.js'
import { createFakeClock } from '../helpers/fakeClock.js'
import { act, render, renderHook, screen } from './rtl.js'

/** A store whose display follows the source at once: no smoothing timers in the way. */
const instantStore = (source: ConnectionSource) =>
  createConnectionStore(source, { enterDelay: 0, minVisible: 0 })

function combined(): { chat: MockSource; doc: MockSource; source: CombinedSource } {
  const chat = createMockSource('OPEN')
  const doc = createMockSource('OPEN')
  return { chat, doc, source: combineSources({ chat, doc }) }
}

afterEach(() => vi.useRealTimers())

describe('the indicator names the part that is not OPEN', () => {
  it('Reconnecting… (doc), Connection failed: chat, then Connected without a part', () => {
    const { chat, doc, source } = combined()
    render(<ConnectionIndicator variant="badge" store={instantStore(source)} />)
    const status = screen.getByRole('status')
    expect(status.textContent).toBe('Connected')
    expect(status.hasAttribute('data-part')).toBe(false)

    act(() => doc.drop())
    expect(status.textContent).toBe('Reconnecting… (doc)')
    expect(status.getAttribute('data-part')).toBe('doc')
    expect(status.getAttribute('data-state')).toBe('RECONNECTING')

    act(() => chat.fail())
    expect(status.textContent).toBe('Connection failed: chat')
    expect(status.getAttribute('data-part')).toBe('chat')
    expect(status.getAttribute('data-tone')).toBe('bad')

    act(() => {
      chat.restore()
      doc.restore()
    })
    expect(status.textContent).toBe('Connected')
    expect(status.hasAttribute('data-part')).toBe(false)
  })

  it('the live region’s text names the part, in every variant (hidden label included)', () => {
    const { doc, source } = combined()
    const store = instantStore(source)
    render(
      <>
        <ConnectionIndicator variant="traffic-light" store={store} />
        <ConnectionIndicator variant="dot" store={store} />
      </>,
    )
    act(() => doc.fail())
    for (const status of screen.getAllByRole('status')) {
      expect(status.getAttribute('aria-live')).toBe('polite')
      expect(status.textContent).toBe('Connection failed: doc')
    }
  })

  it('every part in the same state: no part is singled out', () => {
    const { chat, doc, source } = combined()
    render(<ConnectionIndicator variant="badge" store={instantStore(source)} />)
    act(() => {
      chat.drop()
      doc.drop()
    })
    const status = screen.getByRole('status')
    expect(status.textContent).toBe('Reconnecting…')
    expect(status.hasAttribute('data-part')).toBe(false)
  })

  it('labels and partLabel word it otherwise; a children function gets the part', () => {
    const { doc, source } = combined()
    const store = instantStore(source)
    const seen: (string | undefined)[] = []
    render(
      <>
        <ConnectionIndicator
          variant="badge"
          store={store}
          labels={{ RECONNECTING: 'Reconnexion…' }}
          partLabel={(label, part, state) => `${label} [${part}, ${state}]`}
        />
        <ConnectionIndicator store={store}>
          {({ label, part }) => {
            seen.push(part)
            return <b>{label}</b>
          }}
        </ConnectionIndicator>
      </>,
    )
    act(() => doc.drop())
    const [badge, custom] = screen.getAllByRole('status')
    expect(badge!.textContent).toBe('Reconnexion… [doc, RECONNECTING]')
    expect(custom!.innerHTML).toBe('<b>Reconnecting… (doc)</b>')
    expect(seen.at(-1)).toBe('doc')
  })

  it('smoothed: a short dip never names a part; a held amber whose part is back names none', () => {
    const fake = createFakeClock()
    const { doc, source } = combined()
    const store = createConnectionStore(source, { clock: fake.clock })
    render(<ConnectionIndicator variant="badge" store={store} />)
    const status = screen.getByRole('status')
    act(() => doc.drop())
    expect(status.textContent).toBe('Connected')
    act(() => fake.advance(1000)) // enterDelay
    expect(status.textContent).toBe('Reconnecting… (doc)')
    act(() => doc.restore())
    // amber stays for minVisible; the snapshot is OPEN again, its part no longer down
    expect(status.getAttribute('data-state')).toBe('RECONNECTING')
    expect(status.textContent).toBe('Reconnecting…')
    expect(status.hasAttribute('data-part')).toBe(false)
    act(() => fake.advance(1500))
    expect(status.textContent).toBe('Connected')
  })

  it('smooth={false} names the part of the raw state at once', () => {
    const { doc, source } = combined()
    render(
      <ConnectionIndicator variant="badge" smooth={false} store={createConnectionStore(source)} />,
    )
    act(() => doc.drop())
    expect(screen.getByRole('status').textContent).toBe('Reconnecting… (doc)')
  })

  it('other sources show as before: no part, no data-part', () => {
    const mock = createMockSource('OPEN')
    render(<ConnectionIndicator variant="badge" store={instantStore(mock)} />)
    act(() => mock.drop())
    const status = screen.getByRole('status')
    expect(status.textContent).toBe('Reconnecting…')
    expect(status.hasAttribute('data-part')).toBe(false)
  })
})

describe('useIndicator over a combined source', () => {
  it('returns the part with the label, and none once OPEN', () => {
    const { doc, source } = combined()
    const { result } = renderHook(() => useIndicator({}, instantStore(source)))
    expect(result.current).not.toHaveProperty('part')
    act(() => doc.fail('BANNED_BY_SERVER'))
    expect(result.current).toMatchObject({
      state: 'ERROR',
      tone: 'bad',
      label: 'Connection failed: doc',
      part: 'doc',
    })
    act(() => doc.restore())
    expect(result.current).toEqual({
      state: 'OPEN',
      tone: 'good',
      label: 'Connected',
      retryIn: null,
    })
  })

  it('defaultPartLabel: "label: part" for ERROR, "label (part)" otherwise', () => {
    expect(defaultPartLabel('Connection failed', 'doc', 'ERROR')).toBe('Connection failed: doc')
    expect(defaultPartLabel('Signing in…', 'chat', 'AUTHENTICATING')).toBe('Signing in… (chat)')
  })
})

describe('ConnectionProvider source={combineSources(…)}', () => {
  it('under StrictMode, unmounting closes every part and leaves no listener on them', () => {
    const { chat, doc, source } = combined()
    const view = render(
      <StrictMode>
        <ConnectionProvider source={source}>
          <ConnectionIndicator variant="badge" smooth={false} />
        </ConnectionProvider>
      </StrictMode>,
    )
    act(() => doc.drop())
    expect(screen.getByRole('status').getAttribute('data-part')).toBe('doc')
    vi.useFakeTimers()
    view.unmount()
    act(() => vi.runAllTimers()) // the provider's store lets go at the end of the task
    expect([chat.getSnapshot().state, doc.getSnapshot().state]).toEqual(['CLOSED', 'CLOSED'])
    expect([chat.listenerCount(), doc.listenerCount(), source.listenerCount()]).toEqual([0, 0, 0])
  })
})
