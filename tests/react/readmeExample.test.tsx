// The README's "Test your own components" example, as a user would write it: keep the two in step.
import { act, render, screen } from '@testing-library/react'
import { expect, test } from 'vitest'
import { ConnectionProvider, useConnectionState, usePeers } from '../../src/react/index.js'
import { createMockSource } from '../../src/testing/index.js'

function StatusBar() {
  const state = useConnectionState()
  const peers = usePeers()
  return (
    <p>
      {state === 'OPEN' ? 'Live' : 'Offline'} · {peers.length} here
    </p>
  )
}

test('StatusBar follows the connection and the people online', async () => {
  const source = createMockSource({ state: 'OPEN', peers: ['ada'] })
  render(
    <ConnectionProvider source={source}>
      <StatusBar />
    </ConnectionProvider>,
  )
  expect(screen.getByText('Live · 1 here')).toBeTruthy()

  await act(async () => {
    source.drop() // RECONNECTING/INTERRUPTED
    source.peerJoin('grace')
  })
  expect(screen.getByText('Offline · 2 here')).toBeTruthy()
})
