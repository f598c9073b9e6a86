import {
  ConnectionIndicator,
  useConnection,
  useConnectionStore,
  useIndicator,
  useLinkQuality,
} from '../src/react/index.js'
import type { SocketIOSource } from '../src/adapters/socketio.js'
import { SOCKETIO_CONNECT_TIMEOUT } from './demoConnection.js'
import type { DemoTimings } from './settings.js'
import { SOCKETIO_HEARTBEAT } from './socketioHeartbeat.js'

const seconds = (ms: number) => `${ms / 1000} s`

/**
 * The traffic light, the raw state behind it, and the retry countdown with "Retry now"; over
 * Socket.IO (`socketio`), whether the last connection resumed its session too.
 */
export function ConnectionPanel({
  timings,
  socketio = null,
}: {
  timings: DemoTimings
  socketio?: SocketIOSource | null
}) {
  const { state, reason, attempt } = useConnection(
    (s) => ({ state: s.state, reason: s.reason, attempt: s.attempt }),
    (a, b) => a.state === b.state && a.reason === b.reason && a.attempt === b.attempt,
  )
  return (
    <section className="demo-panel" aria-labelledby="connection-heading">
      <h2 id="connection-heading">Connection</h2>
      <div className="demo-connection">
        {/* The header's badge already announces changes: this one stays quiet. */}
        <ConnectionIndicator size="lg" aria-live="off" data-testid="traffic-light" />
        <dl className="demo-facts">
          <div>
            <dt>State</dt>
            <dd data-testid="state">{state}</dd>
          </div>
          <div>
            <dt>Reason</dt>
            <dd data-testid="reason">{reason ?? '—'}</dd>
          </div>
          <div>
            <dt>Failed attempts</dt>
            <dd data-testid="attempt">{attempt}</dd>
          </div>
          <LinkQualityRow />
          {socketio && (
            <div>
              <dt>Recovered</dt>
              {/* read at each render: it changes only on connect, which changes the state */}
              <dd data-testid="recovered">{socketio.recovered ? 'yes' : 'no'}</dd>
            </div>
          )}
        </dl>
      </div>
      <Retry />
      {socketio ? (
        <p className="demo-muted">
          Socket.IO retries after about 1 s, doubling up to 5 s, and never gives up; an attempt
          fails after {seconds(SOCKETIO_CONNECT_TIMEOUT)}. The server pings every{' '}
          {seconds(SOCKETIO_HEARTBEAT.pingInterval)}; none for{' '}
          {seconds(SOCKETIO_HEARTBEAT.pingInterval + SOCKETIO_HEARTBEAT.pingTimeout)} ends the link.
          After a kick it waits for Retry now.
        </p>
      ) : (
        <p className="demo-muted">
          Retries at once, then after {seconds(timings.reconnectIntervalIncrement)} more each time
          (at most {seconds(timings.maxReconnectInterval)}); gives up after{' '}
          {timings.maxReconnectAttempts} failed attempts. A ping every{' '}
          {seconds(timings.heartbeatInterval)}; two without an answer start a reconnection.
        </p>
      )}
    </section>
  )
}

/**
 * The countdown to the next attempt. It lives outside the indicator's live region on purpose:
 * a number that changes every second would be read out every second.
 */
function Retry() {
  const store = useConnectionStore()
  const { tone, state, retryIn } = useIndicator()
  // The countdown follows the smoothed tone: a dip the badge does not show is not shown here.
  const text =
    state === 'ERROR'
      ? 'The client gave up and will not try again until you ask it to.'
      : tone === 'good'
        ? 'Nothing to retry.'
        : retryIn !== null
          ? null
          : 'Trying to connect…'
  return (
    <div className="demo-retry">
      <p data-testid="retry-status">
        {text ?? (
          <>
            Next attempt in{' '}
            <span data-testid="retry-countdown" data-volatile="">
              {retryIn} s
            </span>
          </>
        )}
      </p>
      <button
        type="button"
        onClick={() => store.getState().reconnect()}
        disabled={state !== 'RECONNECTING' && state !== 'ERROR'}
      >
        Retry now
      </button>
    </div>
  )
}

/**
 * The link's quality (`useLinkQuality()`): its own component, so that only this row re-renders
 * at every heartbeat. The round trip is marked volatile for the screenshots.
 */
function LinkQualityRow() {
  const { level, rtt } = useLinkQuality()
  return (
    <div>
      <dt>Link</dt>
      <dd data-testid="link-quality" data-quality={level}>
        {level}
        {rtt !== null && <span data-volatile=""> · {Math.round(rtt)} ms</span>}
      </dd>
    </div>
  )
}
