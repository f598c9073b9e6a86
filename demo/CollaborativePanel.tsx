import { ConnectionIndicator, ConnectionProvider, useConnection } from '../src/react/index.js'
import { AwarenessList } from './AwarenessList.js'
import { FaultButtons } from './FaultButtons.js'
import { yjsFaultControls, type YjsFaultAction } from './faultControls.js'
import { SharedText } from './SharedText.js'
import type { YjsFaultState } from './yjsServer.js'
import type { YjsRoom } from './yjsRoom.js'
import { useFaultEndpoint } from './useFaultEndpoint.js'

const describe = (state: YjsFaultState | null) =>
  !state
    ? 'asking the server…'
    : `${state.listening ? 'listening' : 'killed'} · ${state.silenced ? 'silenced' : 'passing messages on'}`

function YjsState() {
  const { state, reason } = useConnection(
    (s) => ({ state: s.state, reason: s.reason }),
    (a, b) => a.state === b.state && a.reason === b.reason,
  )
  return (
    <p className="demo-muted" data-testid="yjs-state">
      {state} · {reason ?? '—'}
    </p>
  )
}

/** The y-websocket server's fault buttons, each with what it does. */
function YjsFaults() {
  const { state, error, perform } = useFaultEndpoint<YjsFaultState, YjsFaultAction>('/api/yjs')
  return (
    <>
      <p className="demo-muted">
        y-websocket server: <span data-testid="yjs-fault-state">{describe(state)}</span>
      </p>
      <FaultButtons
        controls={yjsFaultControls}
        idPrefix="yjs-fault"
        dataAttribute="data-yjs-action"
        error={error}
        onPerform={(action) => void perform(action)}
      />
    </>
  )
}

/**
 * A shared text over y-websocket, with its own `ConnectionProvider` over `fromYjs(provider)`:
 * its light says whether the document is live, whatever the reference server is doing.
 */
export function CollaborativePanel({ room }: { room: YjsRoom }) {
  return (
    <ConnectionProvider source={room.source}>
      <section className="demo-panel demo-collab" aria-labelledby="collab-heading">
        <h2 id="collab-heading">Collaborative</h2>
        <div className="demo-collab-grid">
          <div>
            <div className="demo-connection">
              {/* Its own live region: this is another connection than the header's. */}
              <ConnectionIndicator variant="badge" data-testid="yjs-indicator" />
              <YjsState />
            </div>
            <SharedText
              text={room.text}
              label="Shared text"
              className="demo-shared-text"
              rows={5}
              placeholder="Type here; every tab on this page edits the same text."
              data-testid="shared-text"
            />
          </div>
          <div>
            <h3 className="demo-subheading">In this document</h3>
            <AwarenessList self={room.user} />
          </div>
        </div>
        <YjsFaults />
      </section>
    </ConnectionProvider>
  )
}
