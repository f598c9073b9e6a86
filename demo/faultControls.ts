/**
 * The demo's fault buttons, shared by the page (labels, descriptions, endpoints) and by the
 * dev server that answers them (demo/faultApi.ts). The README's Demo section quotes the
 * descriptions; tests/e2e/demo.e2e.test.ts checks that it still does.
 */

/** What the reference server is doing, as far as the demo's buttons have changed it. */
export interface FaultState {
  /** `false` after Kill server, until Restart server. */
  readonly listening: boolean
  /** Sockets stay open but the server sends nothing and reads nothing. */
  readonly blackhole: boolean
  /** Every frame from the server is held this long before it is sent. */
  readonly delayMs: number
  /** Every sign-in is refused. */
  readonly rejectAuth: boolean
}

/** The endpoints the page calls: `POST /api/faults/<action>`. */
export type FaultAction =
  | 'kill'
  | 'restart'
  | 'blackhole/on'
  | 'blackhole/off'
  | `delay/${number}`
  | 'reject-auth/on'
  | 'reject-auth/off'

/** One button of the demo page. */
export interface FaultControl {
  readonly action: FaultAction
  readonly label: string
  /** What it does, in a sentence or two: shown next to the button and in the README. */
  readonly description: string
}

export const faultControls: readonly FaultControl[] = [
  {
    action: 'kill',
    label: 'Kill server',
    description:
      'Cuts every socket and stops listening. Tabs turn amber after 1 s and count down to their next attempt; after 5 failed attempts (about 10 s) they turn red.',
  },
  {
    action: 'restart',
    label: 'Restart server',
    description:
      'Listens again on the same port. Tabs still retrying turn green at their next attempt; a red tab waits for Retry now.',
  },
  {
    action: 'blackhole/on',
    label: 'Blackhole on',
    description:
      'Keeps sockets open but answers nothing. After two unanswered pings (3–4 s) tabs reconnect, and every new attempt times out too: amber, then red after about 30 s.',
  },
  {
    action: 'blackhole/off',
    label: 'Blackhole off',
    description:
      'The server answers again. Tabs still retrying recover at their next attempt; a red tab waits for Retry now.',
  },
  {
    action: 'delay/0',
    label: 'No delay',
    description: 'Frames from the server go out at once again.',
  },
  {
    action: 'delay/500',
    label: 'Delay 500 ms',
    description:
      'Holds every frame from the server for 500 ms: slower answers, well within the heartbeat, so tabs stay green.',
  },
  {
    action: 'delay/3000',
    label: 'Delay 3000 ms',
    description:
      'Holds every frame for 3 s, as long as the connect timeout: pings go unanswered, tabs reconnect and every handshake times out: amber, then red after about 15 s.',
  },
  {
    action: 'reject-auth/on',
    label: 'Reject sign-in',
    description:
      'Refuses every following sign-in. Connected tabs stay green; a tab that signs in again (after Kill and Restart, or a reload) is refused and turns red at once.',
  },
  {
    action: 'reject-auth/off',
    label: 'Accept sign-in',
    description: 'Admits everyone again; a red tab recovers with Retry now.',
  },
]

/** Longest delay the endpoint accepts, in ms. */
export const MAX_DELAY_MS = 60_000

/** The Collaborative panel's endpoints: `POST /api/yjs/<action>`, acting on the y-websocket server. */
export type YjsFaultAction = 'kill' | 'restart' | 'silence/on' | 'silence/off'

/** One button of the Collaborative panel. */
export interface YjsFaultControl {
  readonly action: YjsFaultAction
  readonly label: string
  readonly description: string
}

// y-websocket retries 0.1 s, 0.2 s, 0.4 s… up to every 2.5 s, and closes a socket that has
// brought no message for 30 s; fromYjs turns a drop amber, and red only after 20 minutes.
export const yjsFaultControls: readonly YjsFaultControl[] = [
  {
    action: 'kill',
    label: 'Kill',
    description:
      'Cuts every socket and stops listening. The light turns amber after 1 s; y-websocket keeps retrying (every 2.5 s at most), and edits wait in the tab.',
  },
  {
    action: 'restart',
    label: 'Restart',
    description:
      'Listens again on the same port, with the documents it kept in memory: green at the next attempt, and the edits made meanwhile merge.',
  },
  {
    action: 'silence/on',
    label: 'Silence',
    description:
      'Keeps sockets open but passes nothing on, either way. y-websocket notices only after 30 s without a message, then turns amber and retries into the same silence.',
  },
  {
    action: 'silence/off',
    label: 'Speak again',
    description:
      'Passes on everything held meanwhile: a tab still connected is green at once, one that is retrying at its next attempt.',
  },
]

/** The Socket.IO server's endpoints: `POST /api/socketio/<action>`. */
export type SocketIOFaultAction =
  | 'kill'
  | 'restart'
  | 'silence/on'
  | 'silence/off'
  | 'kick'
  | 'refuse-logins/on'
  | 'refuse-logins/off'

/** One button of the faults panel while the page's connection is the Socket.IO server. */
export interface SocketIOFaultControl {
  readonly action: SocketIOFaultAction
  readonly label: string
  readonly description: string
}

// socket.io-client retries after about 1 s, doubling up to 5 s (±50 %), and never gives up;
// the demo server pings every 2 s and the page gives up on a link after 4 s without one, and
// on an attempt after 5 s (its `timeout`).
export const socketioFaultControls: readonly SocketIOFaultControl[] = [
  {
    action: 'kill',
    label: 'Kill server',
    description:
      'Cuts every connection without a goodbye and stops listening: "transport close". Tabs turn amber after 1 s; Socket.IO retries after about 1 s, then up to every 5 s, and never gives up.',
  },
  {
    action: 'restart',
    label: 'Restart server',
    description:
      'Listens again on the same port. Tabs turn green at their next attempt and resume their session, so "recovered" says yes.',
  },
  {
    action: 'silence/on',
    label: 'Silence on',
    description:
      'Keeps connections open but passes nothing on, either way. With no ping for 4 s tabs give up on the link ("ping timeout"), turn amber, and every new attempt times out in the same silence.',
  },
  {
    action: 'silence/off',
    label: 'Silence off',
    description:
      'Passes on everything held meanwhile: the attempt in flight connects and tabs turn green.',
  },
  {
    action: 'kick',
    label: 'Kick everyone',
    description:
      'Disconnects every socket from the server ("io server disconnect"). Socket.IO does not retry after a kick: tabs turn red at once and wait for Retry now.',
  },
  {
    action: 'refuse-logins/on',
    label: 'Refuse logins',
    description:
      'The middleware refuses every following handshake ("invalid token"). Connected tabs stay green; a tab that connects again (after a kill, a kick or a reload) is refused and turns red at once.',
  },
  {
    action: 'refuse-logins/off',
    label: 'Accept logins',
    description: 'Admits everyone again; a red tab recovers with Retry now.',
  },
]
