/**
 * Peers: `getPeers()` is a copy of the online peers, never the source's own user; each peer
 * event fires once the map says the same, and nobody joins twice.
 */
import type { Peer } from '../../core/peers.js'
import { check, checkEqual, checkSame, checkTime, show } from './assert.js'
import type { DefineTest } from './define.js'
import type { Session } from './harness.js'
import { within } from './recorder.js'

const ANN = 'contract-ann'
const BOB = 'contract-bob'

/** Runs `harness.peers[action](name, data)` within the timeout. */
function peerLever(s: Session, action: 'update' | 'leave', name: string, data?: unknown) {
  const peers = s.harness.peers!
  const call = `harness.peers.${action}(${show(name)}${data === undefined ? '' : `, ${show(data)}`})`
  return within(
    Promise.resolve().then(() =>
      action == 'update' ? peers.update!(name, data) : peers.leave(name),
    ),
    s.timeout,
    call,
  )
}

const peerEvents = (
  s: Session,
  event: 'peerJoined' | 'peerLeft' | 'peerUpdated',
  name: string,
  from = 0,
) => {
  const id = s.peerId(name)
  return s.rec.events(event, from).filter(({ entry }) => entry.args[0].id === id)
}

/**
 * `harness.peers.join(name)`, then the `peerJoined` for the peer's id. When none comes and
 * other peers joined, the id `join` returned is likely not the one the source uses: say so.
 */
async function join(s: Session, name: string, data?: unknown) {
  const from = s.rec.mark()
  const id = await s.joinPeer(name, data)
  try {
    await s.rec.waitFor(
      `peerJoined for ${s.peerLabel(name)}`,
      () => peerEvents(s, 'peerJoined', name, from).length > 0,
      s.timeout,
    )
  } catch (error) {
    const others = s.rec
      .events('peerJoined', from)
      .map(({ entry }) => entry.args[0].id)
      .filter((other) => other !== id)
    if (!others.length) throw error
    throw new Error(
      `${(error as Error).message}. Meanwhile peerJoined came for ${others.map(show).join(', ')}: if the source gives peers ids of its own, harness.peers.join(${show(name)}) must return the id it gives this one (it ${id == name ? 'returned nothing, so the suite looked for the name' : `returned ${show(id)}`}).`,
      { cause: error },
    )
  }
  return peerEvents(s, 'peerJoined', name, from)[0]!
}

/** A peer as the contract describes it: `id`, `online`, times, and `leftReason` only when gone. */
function checkPeer(peer: Peer, id: string, online: boolean, what: string) {
  check(
    typeof peer == 'object' && peer !== null,
    () => `${what}: expected a peer object, got ${show(peer)}`,
  )
  checkSame(peer.id, id, `${what}: id`)
  checkSame(peer.online, online, `${what}: online`)
  checkTime(peer.joinedAt, `${what}: joinedAt`)
  checkTime(peer.lastSeenAt, `${what}: lastSeenAt`)
  if (online) checkSame(peer.leftReason, undefined, `${what}: leftReason of a peer online`)
  else
    check(
      peer.leftReason === undefined || peer.leftReason === 'QUIT' || peer.leftReason === 'DROPPED',
      () =>
        `${what}: leftReason should be 'QUIT', 'DROPPED' or absent, got ${show(peer.leftReason)}`,
    )
}

/** Every entry of `getPeers()` is an online peer under its own id, and not the source's user. */
function checkPeerMap(s: Session, peers: ReadonlyMap<string, Peer>, what: string) {
  for (const [key, peer] of peers)
    checkPeer(peer, key, true, `${what}: getPeers().get(${show(key)})`)
  const self = s.harness.selfId
  if (self !== undefined)
    check(
      !peers.has(self),
      () =>
        `${what}: getPeers() lists the source's own user ${show(self)}; it holds the other users only`,
    )
}

export function peerTests(test: DefineTest): void {
  test(
    'a peer that joins is in getPeers() when peerJoined fires; the source’s own user never is',
    async (s) => {
      await s.online()
      const { entry } = await join(s, ANN)
      const ann = s.peerId(ANN)
      const [peer] = entry.args
      checkPeer(peer, ann, true, 'the peer given to peerJoined')
      check(
        entry.peers?.get(ann)?.online === true,
        () =>
          `inside peerJoined, getPeers() should already hold ${s.peerLabel(ANN)}; it held ${show(entry.peers)}`,
      )
      checkPeerMap(s, entry.peers!, 'inside peerJoined')
      const now = s.source.getPeers()
      check(
        now.has(ann),
        () => `after peerJoined, getPeers() lacks ${s.peerLabel(ANN)}: ${show(now)}`,
      )
      checkPeerMap(s, now, 'after a join')
      const self = s.harness.selfId
      if (self !== undefined)
        checkSame(
          s.rec.entries.filter(
            (e) => e.kind == 'event' && e.peers && (e.args[0] as Peer).id === self,
          ).length,
          0,
          `peer events about the source's own user ${show(self)}`,
        )
    },
    { steps: 3, needs: ['peers'] },
  )

  test(
    'getPeers() returns a new Map each time: changing one changes nothing',
    async (s) => {
      await s.online()
      await join(s, ANN)
      const ann = s.peerId(ANN)
      const first = s.source.getPeers()
      check(first instanceof Map, () => `getPeers() should return a Map, got ${show(first)}`)
      check(
        first !== s.source.getPeers(),
        'two getPeers() calls returned the same Map; return a copy',
      )
      const copy = first as Map<string, Peer>
      try {
        copy.delete(ann)
        copy.set('contract-intruder', {
          id: 'contract-intruder',
          online: true,
          joinedAt: 0,
          lastSeenAt: 0,
        })
      } catch {
        // A read-only copy that refuses changes is a copy too.
      }
      const after = s.source.getPeers()
      check(
        after.has(ann),
        () =>
          `deleting from the Map getPeers() returned removed ${s.peerLabel(ANN)} from the source`,
      )
      check(
        !after.has('contract-intruder'),
        'adding to the Map getPeers() returned added a peer to the source',
      )
    },
    { steps: 3, needs: ['peers'] },
  )

  test(
    'peerUpdated gives a new peer object with the new data',
    async (s) => {
      await s.online()
      const joined = await join(s, ANN, { mood: 'calm' })
      checkEqual(
        joined.entry.args[0].data,
        { mood: 'calm' },
        'data of the peer given to peerJoined',
      )
      const ann = s.peerId(ANN)
      const held = s.source.getPeers().get(ann)!
      const from = s.rec.mark()
      await peerLever(s, 'update', ANN, { mood: 'busy' })
      await s.rec.waitFor(
        `peerUpdated for ${s.peerLabel(ANN)} with data {"mood":"busy"}`,
        () =>
          peerEvents(s, 'peerUpdated', ANN, from).some(
            ({ entry }) => show(entry.args[0].data) === show({ mood: 'busy' }),
          ),
        s.timeout,
      )
      const { entry } = peerEvents(s, 'peerUpdated', ANN, from).at(-1)!
      const [peer] = entry.args
      checkPeer(peer, ann, true, 'the peer given to peerUpdated')
      check(
        peer !== held,
        'peerUpdated gave the same object as before the update; a peer is immutable, give a new one',
      )
      checkEqual(
        held.data,
        { mood: 'calm' },
        'data of the peer object held before the update (a peer must not change in place)',
      )
      checkEqual(
        entry.peers?.get(ann)?.data,
        { mood: 'busy' },
        'inside peerUpdated, the data getPeers() holds for the peer',
      )
    },
    { steps: 4, needs: ['peers', 'peerData'] },
  )

  test(
    'a peer that leaves is gone from getPeers() when peerLeft fires, with online: false',
    async (s) => {
      await s.online()
      await join(s, ANN)
      const ann = s.peerId(ANN)
      const from = s.rec.mark()
      await peerLever(s, 'leave', ANN)
      await s.rec.waitFor(
        `peerLeft for ${s.peerLabel(ANN)}`,
        () => peerEvents(s, 'peerLeft', ANN, from).length > 0,
        s.timeout,
      )
      const left = peerEvents(s, 'peerLeft', ANN, from)
      checkSame(left.length, 1, `peerLeft events for ${s.peerLabel(ANN)}`)
      const { entry } = left[0]!
      checkPeer(entry.args[0], ann, false, 'the peer given to peerLeft')
      check(
        !entry.peers?.has(ann),
        () =>
          `inside peerLeft, getPeers() should no longer hold ${s.peerLabel(ANN)}; it held ${show(entry.peers)}`,
      )
      check(
        !s.source.getPeers().has(ann),
        () => `after peerLeft, getPeers() still holds ${s.peerLabel(ANN)}`,
      )
    },
    { steps: 4, needs: ['peers'] },
  )

  test(
    'no peer joins twice: across an outage the events match getPeers()',
    async (s) => {
      await s.online()
      await join(s, ANN)
      await join(s, BOB)
      await s.drop()
      await s.restore()
      const [ann, bob] = [s.peerId(ANN), s.peerId(BOB)]
      await s.rec.waitFor(
        `${s.peerLabel(ANN)} and ${s.peerLabel(BOB)} back in getPeers() after the rejoin`,
        () => {
          const peers = s.source.getPeers()
          return peers.has(ann) && peers.has(bob)
        },
        s.timeout,
      )
      // Replaying the peer events must give what getPeers() says, with no join of a peer online.
      const online = new Set<string>()
      for (const entry of s.rec.entries) {
        if (entry.kind != 'event' || (entry.name != 'peerJoined' && entry.name != 'peerLeft'))
          continue
        const { id } = entry.args[0] as Peer
        if (entry.name == 'peerJoined') {
          check(
            !online.has(id),
            () =>
              `peerJoined for ${show(id)}, which was already online (no peerLeft since its last peerJoined)`,
          )
          online.add(id)
        } else if (entry.name == 'peerLeft') {
          check(online.has(id), () => `peerLeft for ${show(id)}, which no peerJoined had announced`)
          online.delete(id)
        }
      }
      const held = [...s.source.getPeers().keys()].sort()
      checkEqual(held, [...online].sort(), 'getPeers() against the peers the events announced')
      checkPeerMap(s, s.source.getPeers(), 'after an outage')
    },
    { steps: 8, needs: ['peers'] },
  )
}
