import {
  faultControls,
  socketioFaultControls,
  type FaultAction,
  type FaultState,
  type SocketIOFaultAction,
} from './faultControls.js'
import { FaultButtons } from './FaultButtons.js'
import type { DemoVia } from './settings.js'
import type { SocketIOFaultState } from './socketioServer.js'
import { useFaultEndpoint } from './useFaultEndpoint.js'

function describe(state: FaultState | null): string {
  if (!state) return 'asking the server…'
  return [
    state.listening ? 'listening' : 'killed',
    `blackhole ${state.blackhole ? 'on' : 'off'}`,
    `delay ${state.delayMs} ms`,
    state.rejectAuth ? 'sign-in refused' : 'sign-in accepted',
  ].join(' · ')
}

function describeSocketIO(state: SocketIOFaultState | null): string {
  if (!state) return 'asking the server…'
  return [
    state.listening ? 'listening' : 'killed',
    state.silenced ? 'silenced' : 'passing messages on',
    state.refusingLogins ? 'logins refused' : 'logins accepted',
    `${state.connected} connected`,
  ].join(' · ')
}

/** The reference server's faults. */
function ReferenceServerFaults() {
  const { state, error, perform } = useFaultEndpoint<FaultState, FaultAction>('/api/faults')
  return (
    <>
      <p>
        These act on the reference server every tab is connected to. Server:{' '}
        <span data-testid="fault-state">{describe(state)}</span>
      </p>
      <FaultButtons
        controls={faultControls}
        idPrefix="fault"
        dataAttribute="data-action"
        error={error}
        onPerform={(action) => void perform(action)}
      />
    </>
  )
}

/** The Socket.IO server's faults. */
function SocketIOFaults() {
  const { state, error, perform } = useFaultEndpoint<SocketIOFaultState, SocketIOFaultAction>(
    '/api/socketio',
  )
  return (
    <>
      <p>
        These act on the Socket.IO server every tab that switched to it is connected to. Server:{' '}
        <span data-testid="fault-state">{describeSocketIO(state)}</span>
      </p>
      <FaultButtons
        controls={socketioFaultControls}
        idPrefix="socketio-fault"
        dataAttribute="data-socketio-action"
        error={error}
        onPerform={(action) => void perform(action)}
      />
    </>
  )
}

/** Buttons that break the server this tab is connected to on purpose, each with what it does. */
export function FaultsPanel({ via }: { via: DemoVia }) {
  return (
    <section className="demo-panel demo-faults" aria-labelledby="faults-heading">
      <h2 id="faults-heading">Server faults</h2>
      {via === 'socketio' ? <SocketIOFaults /> : <ReferenceServerFaults />}
    </section>
  )
}
