import { useEffect, useState } from 'react'
import { faultControls, type FaultAction, type FaultState } from './faultControls.js'

// Another tab may press a button too: look at the server's state now and then.
const POLL_MS = 1000

async function request(action?: FaultAction): Promise<FaultState> {
  const response = await fetch(action ? `/api/faults/${action}` : '/api/faults', {
    method: action ? 'POST' : 'GET',
  })
  const body = (await response.json()) as FaultState | { error: string }
  if ('error' in body) throw new Error(body.error)
  return body
}

function describe(state: FaultState | null): string {
  if (!state) return 'asking the server…'
  return [
    state.listening ? 'listening' : 'killed',
    `blackhole ${state.blackhole ? 'on' : 'off'}`,
    `delay ${state.delayMs} ms`,
    state.rejectAuth ? 'sign-in refused' : 'sign-in accepted',
  ].join(' · ')
}

/** Buttons that break the reference server on purpose, each with what it does. */
export function FaultsPanel() {
  const [state, setState] = useState<FaultState | null>(null)
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

  const perform = (action: FaultAction) => {
    request(action).then(
      (next) => {
        setState(next)
        setError(null)
      },
      (failure: Error) => setError(`${action}: ${failure.message}`),
    )
  }

  return (
    <section className="demo-panel demo-faults" aria-labelledby="faults-heading">
      <h2 id="faults-heading">Server faults</h2>
      <p>
        These act on the reference server every tab is connected to. Server:{' '}
        <span data-testid="fault-state">{describe(state)}</span>
      </p>
      {error && <p role="alert">{error}</p>}
      <ul className="demo-fault-list">
        {faultControls.map(({ action, label, description }) => {
          const id = `fault-${action.replace('/', '-')}`
          return (
            <li key={action}>
              <button
                type="button"
                aria-describedby={id}
                data-action={action}
                onClick={() => perform(action)}
              >
                {label}
              </button>
              <span id={id}>{description}</span>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
