import type { ReactNode } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createConnectionStore } from '../../src/index.js'
import {
  ConnectionIndicator,
  ConnectionProvider,
  useConnection,
  useConnectionState,
  usePeer,
  usePeerIds,
  usePeers,
} from '../../src/react/index.js'
import { createMockSource, type MockSource } from '../../src/testing/index.js'
import { act } from './rtl.js'

function Status() {
  const state = useConnectionState()
  const phase = useConnection((s) => s.phase)
  const peers = usePeers().length
  const all = usePeers({ includeOffline: true }).length
  const ids = usePeerIds().join(',')
  const ada = usePeer('ada')?.id ?? 'nobody'
  return <p id="status">{[state, phase, peers, all, ids, ada].join(' | ')}</p>
}

const providers: [string, (source: MockSource, children: ReactNode) => ReactNode][] = [
  [
    'source=',
    (source, children) => <ConnectionProvider source={source}>{children}</ConnectionProvider>,
  ],
  [
    'store=',
    (source, children) => (
      <ConnectionProvider store={createConnectionStore(source)}>{children}</ConnectionProvider>
    ),
  ],
]

let root: Root | undefined
afterEach(() => {
  act(() => root?.unmount())
  root = undefined
  document.body.innerHTML = ''
  vi.restoreAllMocks()
})

describe.each(providers)('SSR with ConnectionProvider %s', (_name, provide) => {
  test('renderToString shows CLOSED/neutral for a live OPEN source; hydration matches, then the live state shows', async () => {
    const source = createMockSource({ state: 'OPEN', peers: ['ada', 'bob'] })
    const app = provide(
      source,
      <>
        <Status />
        <ConnectionIndicator />
      </>,
    )

    const html = renderToString(app)
    expect(html).toContain('data-state="CLOSED"')
    expect(html).toContain('data-tone="neutral"')
    expect(html).toContain('CLOSED | DISCONNECTED | 0 | 0 |  | nobody')
    expect(html).not.toContain('OPEN')

    const container = document.createElement('div')
    container.innerHTML = html
    document.body.append(container)
    const errors = vi.spyOn(console, 'error')
    const recoverable: unknown[] = []
    await act(async () => {
      root = hydrateRoot(container, app, { onRecoverableError: (error) => recoverable.push(error) })
    })

    expect(errors.mock.calls).toEqual([])
    expect(recoverable).toEqual([])
    const indicator = container.querySelector('[role="status"]')!
    expect(indicator.getAttribute('data-state')).toBe('OPEN')
    expect(indicator.getAttribute('data-tone')).toBe('good')
    expect(container.querySelector('#status')!.textContent).toBe(
      'OPEN | CONNECTED | 2 | 2 | ada,bob | ada',
    )
    // and it stays live
    act(() => source.fail())
    expect(indicator.getAttribute('data-state')).toBe('ERROR')
    expect(indicator.getAttribute('data-tone')).toBe('bad')
  })
})

test('rendering on the server subscribes to nothing', () => {
  const source = createMockSource('OPEN')
  renderToString(
    <ConnectionProvider source={source}>
      <Status />
    </ConnectionProvider>,
  )
  expect(source.listenerCount()).toBe(0)
})
