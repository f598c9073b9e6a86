/**
 * Link quality in React: `useLinkQuality()` follows the source's `quality` events, a component
 * that reads only the state never re-renders for them, and `<ConnectionIndicator>` shows the
 * level as `data-quality`, the round trip with `showQuality` (shown, not announced), and a poor
 * link amber only with `poorTone`.
 */
import { describe, expect, it } from 'vitest'
import {
  qualityAfterPing,
  qualityInState,
  unknownQuality,
  type LinkQuality,
} from '../../src/core/quality.js'
import { createSourceKit } from '../../src/core/sourceKit.js'
import type { ConnectionSource } from '../../src/core/types.js'
import { ConnectionIndicator } from '../../src/react/ConnectionIndicator.js'
import { ConnectionProvider } from '../../src/react/ConnectionProvider.js'
import { useConnectionState } from '../../src/react/useConnectionState.js'
import { useLinkQuality } from '../../src/react/useLinkQuality.js'
import { createConnectionStore } from '../../src/store/createConnectionStore.js'
import { act, render, screen } from './rtl.js'

/** An OPEN source that measures its link: `ping(ms)` reports one more round trip. */
function measuringSource() {
  const kit = createSourceKit({ state: 'OPEN', reason: 'JOIN_SUCCESS' })
  let quality: LinkQuality = unknownQuality
  const source: ConnectionSource = {
    ...kit.methods,
    getLinkQuality: () => quality,
    connect() {},
    login: async () => {},
    send: async () => {},
    reconnect() {},
    close() {},
  }
  const report = (next: LinkQuality) => {
    quality = next
    kit.emit('quality', next)
  }
  return {
    source,
    ping: (rtt: number) => report(qualityAfterPing(quality, rtt)),
    drop() {
      kit.moveTo('RECONNECTING', 'INTERRUPTED')
      report(qualityInState(quality, 'RECONNECTING'))
    },
  }
}
const storeOver = (source: ConnectionSource) =>
  createConnectionStore(source, { enterDelay: 0, minVisible: 0 })

describe('useLinkQuality', () => {
  it('follows every measurement; a state-only component does not re-render for them', () => {
    const link = measuringSource()
    let stateRenders = 0
    const seen: string[] = []
    function State() {
      stateRenders++
      return <i>{useConnectionState()}</i>
    }
    function Quality() {
      const { level, rtt } = useLinkQuality()
      seen.push(`${level} ${String(rtt)}`)
      return null
    }
    render(
      <ConnectionProvider store={storeOver(link.source)}>
        <State />
        <Quality />
      </ConnectionProvider>,
    )
    const before = stateRenders
    for (const rtt of [40, 40, 600, 600]) act(() => link.ping(rtt))
    expect(seen).toEqual(['unknown null', 'excellent 40', 'excellent 40', 'good 180', 'good 285'])
    expect(stateRenders).toBe(before)
  })
})

describe('the indicator and link quality', () => {
  it('data-quality carries the level; showQuality adds the round trip, hidden from the live region', () => {
    const link = measuringSource()
    render(
      <ConnectionIndicator
        variant="badge"
        showQuality
        smooth={false}
        store={storeOver(link.source)}
      />,
    )
    const indicator = screen.getByRole('status')
    expect(indicator.getAttribute('data-quality')).toBeNull()
    act(() => link.ping(38))
    expect(indicator.getAttribute('data-quality')).toBe('excellent')
    expect(indicator.textContent).toBe('Connected · 38 ms')
    const shown = indicator.querySelector('[aria-hidden="true"]:not(.linklight-indicator__dot)')
    expect(shown?.textContent).toBe(' · 38 ms')
    act(() => link.drop())
    expect(indicator.getAttribute('data-quality')).toBe('lost')
    expect(indicator.textContent).not.toMatch(/ms/)
  })

  it('a poor link stays green by default, and shows amber with poorTone="neutral"', () => {
    const link = measuringSource()
    const store = storeOver(link.source)
    render(
      <>
        <ConnectionIndicator data-testid="default" store={store} />
        <ConnectionIndicator data-testid="strict" poorTone="neutral" store={store} />
      </>,
    )
    act(() => link.ping(900))
    expect(screen.getByTestId('default').getAttribute('data-tone')).toBe('good')
    expect(screen.getByTestId('strict').getAttribute('data-tone')).toBe('neutral')
    expect(screen.getByTestId('strict').getAttribute('data-quality')).toBe('poor')
    act(() => link.ping(10)) // 900 → 677.5: still poor
    act(() => {
      for (let i = 0; i < 10; i++) link.ping(10)
    })
    expect(screen.getByTestId('strict').getAttribute('data-tone')).toBe('good')
  })
})
