/**
 * The connection-source contract, proven for `combineSources` over two mock parts, `chat` and
 * `doc`. The link of `doc` is the one the suite cuts (drop, give up, lose); its peers are split
 * between the parts, so their ids carry both prefixes.
 */
import { afterEach, describe, it } from 'vitest'
import { combineSources } from '../../src/core/combineSources.js'
import {
  createMockSource,
  describeConnectionSource,
  type SourceHarness,
} from '../../src/testing/index.js'
import { autoRestore, mockLink } from './mockHarness.js'

/** Two mock parts behind one combined source, and the levers the contract suite pulls. */
function makeCombinedHarness(): SourceHarness {
  const chat = createMockSource()
  const doc = createMockSource()
  const source = combineSources({ chat, doc })
  // Like clients whose next attempt succeeds: a moment after one starts retrying with its link
  // up, it is back. The chat's link never goes down.
  const { stop: stopDoc, ...docLink } = mockLink(doc)
  const stops = [autoRestore(chat, () => true), stopDoc]
  // contract-ann joins the chat, contract-bob the document.
  const partOf = (name: string) =>
    name.endsWith('bob') ? (['doc', doc] as const) : (['chat', chat] as const)
  return {
    source,
    goOnline() {
      source.connect()
      return source.login()
    },
    ...docLink,
    peers: {
      join(name, data) {
        const [prefix, part] = partOf(name)
        part.peerJoin(name, data)
        return `${prefix}:${name}`
      },
      update: (name, data) => partOf(name)[1].peerUpdate(name, data),
      leave: (name) => partOf(name)[1].peerLeave(name),
    },
    // The combined source sends through its parts only: its own send() rejects.
    canSend: false,
    dispose() {
      for (const stop of stops) stop()
    },
  }
}

describeConnectionSource('combineSources({ chat, doc })', makeCombinedHarness, {
  describe,
  it,
  afterEach,
})
