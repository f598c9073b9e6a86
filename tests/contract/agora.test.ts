/**
 * The connection-source contract, proven for `fromAgora` over the event-faithful fake of
 * agora-rtc-sdk-ng's client (a real one contacts Agora's servers): the network dropped and
 * recovered by the fake, remote users joining and leaving its channel.
 */
import { afterEach, describe, it } from 'vitest'
import { fromAgora } from '../../src/adapters/agora.js'
import { describeConnectionSource, type SourceHarness } from '../../src/testing/index.js'
import { FakeAgoraClient } from '../fakes/agoraClient.js'

function makeAgoraHarness(): SourceHarness {
  const client = new FakeAgoraClient()
  // Lost soon after a drop; the give-up comes from the SDK (NETWORK_ERROR), not from the clock.
  const source = fromAgora(client, { lostAfter: 200, giveUpAfter: Infinity })
  return {
    source,
    selfId: 'me',
    canSend: false,
    goOnline: () =>
      source.login({ appid: 'contract', channel: 'contract', token: null, uid: 'me' }),
    drop: () => client.dropNetwork(),
    // The SDK gets back in while it retries; after giving up, the next join works.
    restore() {
      if (client.connectionState === 'RECONNECTING') client.recover()
    },
    giveUp: () => client.networkError(),
    // The fake stays RECONNECTING: lostAfter passes.
    lose() {},
    // Agora has no per-user data: no update.
    peers: {
      join: (id) => client.userJoin(id),
      leave: (id) => client.userLeave(id, 'Quit'),
    },
  }
}

describeConnectionSource('fromAgora over a faithful fake client', makeAgoraHarness, {
  describe,
  it,
  afterEach,
  without: ['peerData'],
})
