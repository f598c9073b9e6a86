// @vitest-environment jsdom
/**
 * Two browser-like apps on a real `@deepstream/server`: each renders linklight's provider over
 * `fromDeepstream(client)` and lists `usePeers()`; they see each other, and one leaving.
 */
import { DeepstreamClient } from '@deepstream/client'
import { cleanup, render, screen, waitFor } from '@testing-library/react'
import { useEffect, useState } from 'react'
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'
import { fromDeepstream } from '../../src/adapters/deepstream.js'
import { ConnectionIndicator, ConnectionProvider, usePeers } from '../../src/react/index.js'
import { startDeepstream, type DeepstreamServer } from '../helpers/deepstreamServer.js'

// deepstream picks the global WebSocket when its module loads. jsdom's mixes jsdom and Node
// events and fails; give it `ws` in the browser's place, as a page would give it the browser's.
await vi.hoisted(async () => {
  const { WebSocket } = await import('ws')
  Object.assign(globalThis, { WebSocket })
})

let server: DeepstreamServer
beforeAll(async () => {
  server = await startDeepstream()
})
afterEach(cleanup)
afterAll(() => server.close())

function Online({ who }: { who: string }) {
  const peers = usePeers()
  return (
    <ul aria-label={`${who} sees`}>
      {peers.map((peer) => (
        <li key={peer.id}>{peer.id}</li>
      ))}
    </ul>
  )
}

function App({ who }: { who: string }) {
  const [source] = useState(() => fromDeepstream(new DeepstreamClient(server.url)))
  useEffect(() => void source.login({ username: who }), [source, who])
  return (
    <ConnectionProvider source={source}>
      <ConnectionIndicator variant="badge" smooth={false} labels={{ OPEN: `${who} connected` }} />
      <Online who={who} />
    </ConnectionProvider>
  )
}

const seen = (who: string) =>
  Array.from(screen.getByRole('list', { name: `${who} sees` }).children, (li) => li.textContent)

test('two apps see each other through usePeers; one unmounts → the other sees it leave', async () => {
  render(<App who="ada" />)
  const bob = render(<App who="bob" />)
  await waitFor(() => expect(screen.getByText('ada connected')).toBeTruthy(), { timeout: 5000 })
  await waitFor(() => expect(seen('ada')).toEqual(['bob']), { timeout: 5000 })
  await waitFor(() => expect(seen('bob')).toEqual(['ada']), { timeout: 5000 })
  bob.unmount() // the provider closes its source, which closes bob's client
  await waitFor(() => expect(seen('ada')).toEqual([]), { timeout: 5000 })
})
