import type { RawClient } from '../server/rawClient.js'

/**
 * A round trip to the reference server (`ping` → `pong`) on a raw client: once it is back, the
 * server has read everything the client sent before, and has just heard from it.
 */
export async function roundTrip(client: RawClient): Promise<void> {
  const mark = client.frames.length
  client.send({ t: 'ping' })
  await client.waitFor('pong', { since: mark })
}
