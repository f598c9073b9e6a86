import { useConnectionState, usePeers } from '../src/react/index.js'

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)

/** The other tabs: every one logged in to the same server is a peer of this one. */
export function PeersPanel() {
  const peers = usePeers()
  const stale = useConnectionState() !== 'OPEN'
  return (
    <section className="demo-panel" aria-labelledby="peers-heading">
      <h2 id="peers-heading">
        Peers <span className="demo-count">({peers.length})</span>
      </h2>
      {stale && (
        <p className="demo-muted" data-testid="peers-stale">
          Last known list: this tab is not connected, so it may be out of date.
        </p>
      )}
      {peers.length > 0 ? (
        <ul className="demo-peers" data-testid="peers">
          {[...peers].sort(byId).map((peer) => (
            <li key={peer.id} data-peer-id={peer.id}>
              {peer.id}
            </li>
          ))}
        </ul>
      ) : (
        <p data-testid="no-peers">No one else is here. Open this page in another tab.</p>
      )}
    </section>
  )
}
