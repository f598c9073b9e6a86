/**
 * The contract harness of `createMockSource`, shared by the Vitest run (mock.test.ts) and the
 * Jest run (jest/, through a bundle). The mock is driven by hand; the harness plays the link
 * around it, so the mock behaves as a real source would: while it retries and the link is up,
 * it gets back in by itself.
 */
import { createMockSource, type MockSource, type SourceHarness } from '../../src/testing/index.js'

/**
 * Makes `source` behave like a client whose next attempt succeeds: a moment after it starts
 * retrying while `linkUp()`, it is back. Returns what stops it (and its pending retry).
 */
export function autoRestore(source: MockSource, linkUp: () => boolean): () => void {
  let retry: ReturnType<typeof setTimeout> | undefined
  const stop = source.subscribe((snapshot) => {
    if (!linkUp() || !snapshot.retrying || retry) return
    retry = setTimeout(() => {
      retry = undefined
      if (linkUp() && source.getSnapshot().retrying) source.restore()
    }, 1)
  })
  return () => {
    clearTimeout(retry)
    stop()
  }
}

/**
 * The link levers of a mock source for the contract suite: `drop` cuts the link (the mock stays
 * retrying), `restore` brings it back (and the mock with it, if it is retrying), `giveUp` and
 * `lose` move the mock there. While the link is up, a retrying mock gets back in by itself.
 */
export function mockLink(source: MockSource) {
  let linkUp = true
  return {
    stop: autoRestore(source, () => linkUp),
    drop() {
      linkUp = false
      source.drop()
    },
    restore() {
      linkUp = true
      if (source.getSnapshot().retrying) source.restore()
    },
    giveUp: () => source.fail(),
    lose: () => source.lose(),
  }
}

/** A fresh mock source, not connected, and the levers the contract suite pulls. */
export function makeMockHarness(): SourceHarness {
  const source = createMockSource()
  const { stop, ...link } = mockLink(source)
  return {
    source,
    goOnline() {
      source.connect()
      return source.login()
    },
    ...link,
    peers: {
      join: (id, data) => source.peerJoin(id, data),
      update: (id, data) => source.peerUpdate(id, data),
      leave: (id) => source.peerLeave(id),
    },
    dispose: stop,
  }
}
