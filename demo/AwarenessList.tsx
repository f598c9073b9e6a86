import { useConnectionState, usePeers } from '../src/react/index.js'
import type { YjsAwarenessState, YjsUser } from './yjsRoom.js'

const userOf = (data: unknown): YjsUser | null => {
  const user = (data as Partial<YjsAwarenessState> | null | undefined)?.user
  return user && typeof user.name === 'string' && typeof user.color === 'string' ? user : null
}

function Swatch({ color }: { color: string }) {
  return <span className="demo-swatch" style={{ background: color }} aria-hidden="true" />
}

/**
 * Who is in the document: this tab, then every other client's awareness state as `usePeers()`
 * gives it (`data` is the state, `{ user: { name, color } }`). Peers kept through an outage
 * show as stale.
 */
export function AwarenessList({ self }: { self: YjsUser }) {
  const peers = usePeers()
  const stale = useConnectionState() !== 'OPEN'
  const others = peers
    .map((peer) => ({ id: peer.id, user: userOf(peer.data) }))
    .sort((a, b) => (a.user?.name ?? a.id).localeCompare(b.user?.name ?? b.id))
  return (
    <>
      {stale && others.length > 0 && (
        <p className="demo-muted" data-testid="awareness-stale">
          Last known list: not connected, so it may be out of date.
        </p>
      )}
      <ul className="demo-awareness" data-testid="awareness">
        <li data-self="">
          <Swatch color={self.color} />
          {self.name} <span className="demo-muted">(this tab)</span>
        </li>
        {others.map(({ id, user }) => (
          <li key={id} data-awareness-name={user?.name ?? id}>
            <Swatch color={user?.color ?? 'transparent'} />
            {user?.name ?? `client ${id}`}
          </li>
        ))}
      </ul>
    </>
  )
}
