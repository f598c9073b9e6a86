/**
 * The presence feature: the peers the server announces (the full list with every welcome, then
 * each join, update and leave) and this client's own presence data, sent with every login.
 */
import { peerLevers } from '../peerLevers.js'
import { peerFrom } from '../peers.js'
import type { PresenceFrame } from '../protocol.js'
import type { ClientFeature } from './feature.js'

/**
 * Presence, for `createBaseClient`: the other peers (`getPeers()` and the `peerJoined`,
 * `peerLeft`, `peerUpdated` events; after a reconnect the server's list replaces the held one)
 * and `setPresence(data)`, kept and sent again after every reconnect. `createClient` always has it.
 *
 * @example
 * ```ts
 * import { createBaseClient, withPresence } from 'linklight'
 * const client = createBaseClient('ws://127.0.0.1:8787', { features: [withPresence] })
 * client.on('peerJoined', (peer) => console.log('joined', peer.id))
 * client.setPresence({ name: 'Ada' })
 * ```
 */
export const withPresence: ClientFeature = (host) => {
  const { kit, options } = host
  const levers = peerLevers(kit, options.clock)
  let presence: unknown

  function changed(frame: PresenceFrame) {
    if (frame.t == 'left') kit.peerOffline(frame.id, frame.reason, frame.at)
    else if (frame.peer.id != host.session().selfId) levers.putPeer(peerFrom(frame.peer))
  }

  return {
    methods: {
      setPresence(data) {
        presence = data
        if (host.state() == 'OPEN' && options.protocol.handshake)
          host.write({ t: 'presence', data })
      },
    },
    auth: () => ({ presence }),
    took(frame) {
      if (frame.t == 'welcome') levers.replacePeers(frame.peers)
    },
    frame(frame) {
      switch (frame.t) {
        case 'joined':
        case 'updated':
        case 'left':
          changed(frame)
          return true
        case 'batch':
          frame.frames.forEach(changed)
          return true
      }
    },
  }
}
