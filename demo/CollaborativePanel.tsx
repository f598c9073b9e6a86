import { useEffect, useState } from 'react'
import { ConnectionIndicator, ConnectionProvider, useConnection } from '../src/react/index.js'
import { AwarenessList } from './AwarenessList.js'
import { yjsFaultControls, type YjsFaultAction } from './faultControls.js'
import { SharedText } from './SharedText.js'
import type { YjsFaultState } from './yjsServer.js'
import type { YjsRoom } from './yjsRoom.js'

// Another tab may press a button too: look at the server's state now and then.
const POLL_MS = 1000

async function request(action?: YjsFaultAction): Promise<YjsFaultState> {
  const response = await fetch(action ? `/api/yjs/${action}` : '/api/yjs', {
    method: action ? 'POST' : 'GET',
  })
  const body = (await response.json()) as YjsFaultState | { error: string }
  if ('error' in body) throw new Error(body.error)
  return body
}

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
  const [state, setState] = useState<YjsFaultState | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    const poll = () =>
      request().then(
        (next) => live && setState(next),
        () => {},
      )
    void poll()
    const timer = setInterval(poll, POLL_MS)
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [])
  const perform = (action: YjsFaultAction) =>
    request(action).then(
      (next) => {
        setState(next)
        setError(null)
      },
      (failure: Error) => setError(`${action}: ${failure.message}`),
    )
  return (
    <>
      <p className="demo-muted">
        y-websocket server: <span data-testid="yjs-fault-state">{describe(state)}</span>
      </p>
      {error && <p role="alert">{error}</p>}
      <ul className="demo-fault-list">
        {yjsFaultControls.map(({ action, label, description }) => {
          const id = `yjs-fault-${action.replace('/', '-')}`
          return (
            <li key={action}>
              <button
                type="button"
                aria-describedby={id}
                data-yjs-action={action}
                onClick={() => void perform(action)}
              >
                {label}
              </button>
              <span id={id}>{description}</span>
            </li>
          )
        })}
      </ul>
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
