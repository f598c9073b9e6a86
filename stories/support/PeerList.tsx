import { useId } from 'react'
import { usePeer, usePeers } from '../../src/react/index.js'

/** What the stories' peers carry as `data`. */
export interface PeerData {
  name?: string
}

const nameOf = (data: unknown, id: string) =>
  (typeof data === 'object' && data !== null && (data as PeerData).name) || id

const clock = (at: number) => new Date(at).toLocaleTimeString('en-GB')

/** One row: reads its own peer, so it renders only when that peer changes. */
function PeerRow({ id }: { id: string }) {
  const peer = usePeer(id)
  if (!peer) return null
  return (
    <li className="ll-peer" data-online={peer.online}>
      <span className="ll-peer__name">{nameOf(peer.data, id)}</span>{' '}
      <span className="ll-muted">
        {peer.online
          ? `online since ${clock(peer.joinedAt)}`
          : `left ${clock(peer.lastSeenAt)} (${peer.leftReason ?? 'gone'})`}
      </span>
    </li>
  )
}

/**
 * The peers, as a heading with the online count and a list of `usePeer` rows; with
 * `includeOffline`, the ones that left recently too (with why they left).
 */
export function PeerList({ includeOffline = false }: { includeOffline?: boolean }) {
  const heading = useId()
  const online = usePeers()
  const shown = usePeers({ includeOffline })
  return (
    <section className="ll-panel" aria-labelledby={heading}>
      <h2 id={heading}>
        Peers <span className="ll-muted">({online.length.toLocaleString('en-US')} online)</span>
      </h2>
      {shown.length === 0 ? (
        <p className="ll-muted">No one else is here.</p>
      ) : (
        // Focusable, so a keyboard can scroll a long list (axe: scrollable-region-focusable).
        <div className="ll-scroll" role="region" aria-label="Peer list" tabIndex={0}>
          <ul className="ll-peers">
            {shown.map((peer) => (
              <PeerRow key={peer.id} id={peer.id} />
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}
