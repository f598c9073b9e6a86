/**
 * Clients of the Redis-scaled Hocuspocus cluster tests (yjsCluster.test.ts): a real
 * `HocuspocusProvider` on a socket of its own, with awareness `{ user: { name, color } }`,
 * wrapped with `fromYjs`, and a record of everything its source said, with times.
 */
import type { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as Y from 'yjs'
import { fromYjs, type YjsSource } from '../../src/adapters/yjs.js'
import type { Peer } from '../../src/core/peers.js'
import { waitFor } from '../helpers/wait.js'
import { hocuspocusProvider } from '../helpers/yjsClients.js'

/** Milliseconds on a monotonic clock. */
export const now = () => performance.now()

/** The text of the doc's shared `t`. */
export const text = (doc: Y.Doc) => doc.getText('t').toString()

/** What a user shows of themselves in awareness. */
export interface User {
  readonly name: string
  readonly color: string
}

/** One thing a source said, `at` ms on the monotonic clock. */
export interface Said {
  readonly at: number
  readonly what: string
}

/** A cluster client: the provider, its source, and what the source said. */
export interface ClusterClient {
  readonly label: string
  readonly doc: Y.Doc
  readonly socket: HocuspocusProviderWebsocket
  readonly provider: HocuspocusProvider
  readonly source: YjsSource
  /** This client's awareness id as its peers see it: `String(clientID)`. */
  readonly id: string
  /** Every `state/reason` the source moved to, in order. */
  readonly states: string[]
  /** `lost` and `restored`, in order. */
  readonly events: string[]
  /** Every `peerJoined`, `peerLeft` and `peerUpdated`, in order. */
  readonly joined: Peer[]
  readonly left: Peer[]
  readonly updated: Peer[]
  /** Everything above, with times, in order. */
  readonly log: Said[]
  state(): string
  /** Resolves when `predicate` holds; the error names this client and its states. */
  until(predicate: () => boolean, timeout: number, what: string): Promise<number>
  /** Destroys the provider, its socket and closes the source (the doc is the caller's). */
  destroy(): void
}

/**
 * A `HocuspocusProvider` for document `room` at `url` (a socket of its own that retries every
 * 100–500 ms), announcing `user`, wrapped with `fromYjs` and connected. Pass `doc` to open the
 * same Y.Doc through another node.
 */
export function clusterClient(
  label: string,
  url: string,
  room: string,
  user: User,
  doc: Y.Doc = new Y.Doc(),
): ClusterClient {
  // The document is the caller's (it outlives a provider moved to another node): not destroyed.
  const { socket, provider } = hocuspocusProvider(url, room, { doc })
  provider.setAwarenessField('user', user)
  const source = fromYjs(provider)
  const states: string[] = []
  const events: string[] = []
  const joined: Peer[] = []
  const left: Peer[] = []
  const updated: Peer[] = []
  const log: Said[] = []
  const say = (what: string) => log.push({ at: now(), what })
  source.on('connectionStateChanged', (state, reason) => {
    states.push(`${state}/${reason}`)
    say(`${state}/${reason}`)
  })
  source.on('lost', () => (events.push('lost'), say('lost')))
  source.on('restored', () => (events.push('restored'), say('restored')))
  source.on('peerJoined', (peer) => (joined.push(peer), say(`peerJoined ${peer.id}`)))
  source.on('peerLeft', (peer) => (left.push(peer), say(`peerLeft ${peer.id} ${peer.leftReason}`)))
  source.on('peerUpdated', (peer) => (updated.push(peer), say(`peerUpdated ${peer.id}`)))
  let destroyed = false
  const client: ClusterClient = {
    label,
    doc,
    socket,
    provider,
    source,
    id: String(doc.clientID),
    states,
    events,
    joined,
    left,
    updated,
    log,
    state: () => source.getSnapshot().state,
    until: (predicate, timeout, what) =>
      waitFor(predicate, {
        timeout,
        what: () => `${label}: ${what} (states ${states.join(' → ')})`,
      }),
    destroy() {
      if (destroyed) return
      destroyed = true
      source.close()
      // ws emits 'error' on a socket closed while connecting once Hocuspocus took its
      // listeners off (a node killed for good): give it one.
      socket.webSocket?.addEventListener('error', () => {})
      provider.destroy()
      socket.destroy()
    },
  }
  // With a socket passed in, the provider is attached by connect().
  source.connect()
  return client
}

/** The ids of the source's peers now, sorted. */
export const peerIds = (client: ClusterClient) => [...client.source.getPeers().keys()].sort()

/** The `user` a peer announced. */
export const userOf = (peer: Peer | undefined) => (peer?.data as { user?: User } | undefined)?.user

/** The `cursor` the peer `id` of `client` announced. */
export const cursorOf = (client: ClusterClient, id: string) =>
  (client.source.getPeers().get(id)?.data as { cursor?: number } | undefined)?.cursor

/** How many of `peers` are `id`. */
export const countOf = (peers: readonly Peer[], id: string) =>
  peers.filter((peer) => peer.id === id).length

/** `log` as `+<ms since start> what` lines, for the figures. */
export const sequence = (client: ClusterClient, start: number) =>
  client.log
    .filter((said) => said.at >= start)
    .map(({ at, what }) => `+${Math.round(at - start)} ${what}`)
