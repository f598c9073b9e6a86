/**
 * `createClient`: linklight's client with every feature — messages, presence and link quality
 * over the base client's states, reconnection and heartbeats.
 */
import { createBaseClient, type BaseClient } from './baseClient.js'
import { withMessages } from './client/withMessages.js'
import { withLinkQuality } from './client/withLinkQuality.js'
import { withPresence } from './client/withPresence.js'
import type { ClientOptions } from './options.js'
import type { ConnectionError, LinklightClient } from './types.js'

/**
 * Creates a connection to a linklight server (or, with `protocol: plainProtocol()`, any
 * WebSocket server) that reconnects with a growing, capped wait, checks the link with
 * heartbeats, and queues messages while offline, resending what the server did not acknowledge.
 * An app that only shows the connection's state can ship less with `createBaseClient`.
 *
 * @example
 * ```ts
 * import { createClient, presets } from 'linklight'
 * const client = createClient('ws://127.0.0.1:8787', { ...presets.deepstream })
 * client.on('connectionStateChanged', (state, reason) => console.log(state, reason))
 * await client.login({ id: 'ada' })
 * client.send({ text: 'hello' })
 * ```
 */
export function createClient(url: string, options?: ClientOptions): LinklightClient {
  return createBaseClient(url, {
    ...options,
    features: [withLinkQuality, withPresence, withMessages],
  }) as BaseClient as LinklightClient
}

export type { ConnectionError, LinklightClient }
