import type { ConnectionStoreState } from '../store/createConnectionStore.js'

const noop = () => {}
const resolved = () => Promise.resolve()

/**
 * What every hook reads on the server and while hydrating: a connection that is CLOSED, with
 * no peers. Server and first client render agree, whatever the live connection is doing.
 */
export const serverState: ConnectionStoreState = Object.freeze({
  connection: Object.freeze({
    state: 'CLOSED',
    previousState: null,
    reason: null,
    phase: 'DISCONNECTED',
    tone: 'neutral',
    since: 0,
    attempt: 0,
    nextRetryAt: null,
    retrying: false,
    lost: false,
    queued: 0,
    error: null,
  }),
  peers: new Map(),
  peerList: [],
  onlinePeers: [],
  peersStale: true,
  display: Object.freeze({ state: 'CLOSED', tone: 'neutral', since: 0 }),
  connect: noop,
  login: resolved,
  send: resolved,
  reconnect: noop,
  close: noop,
  destroy: noop,
})
