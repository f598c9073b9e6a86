/**
 * What a demo tab reads from its URL and page: who it is, where the server is, and the
 * client's timings — short ones, so every state shows within seconds.
 *
 *   ?id=ada          log in as `ada` (default: a random name such as `otter-417`)
 *   ?attempts=2      maxReconnectAttempts            (default 5)
 *   ?increment=300   reconnectIntervalIncrement, ms  (default 1000)
 *   ?max=5000        maxReconnectInterval, ms        (default 5000)
 *   ?heartbeat=2000  heartbeatInterval, ms           (default 2000)
 *   ?timeout=3000    connectTimeout, ms              (default 3000)
 *   ?ws=ws://…       the server (default: the URL `npm start` puts in the page)
 *   ?yjs=ws://…      the y-websocket server of the Collaborative panel (default: likewise)
 *   ?yjsgiveup=8000  fromYjs's giveUpAfter, ms: red after this long down (default 20 minutes)
 *   ?socketio=http://…  the Socket.IO server (default: the URL `npm start` puts in the page)
 *   ?via=socketio    start connected to the Socket.IO server (default: the reference server)
 */
import type { ClientOptions } from '../src/index.js'

/** Which server the page's connection goes to: the switch in its header. */
export type DemoVia = 'linklight' | 'socketio'

/** The client options a tab uses. */
export interface DemoTimings {
  readonly reconnectIntervalIncrement: number
  readonly maxReconnectInterval: number
  readonly maxReconnectAttempts: number
  readonly heartbeatInterval: number
  readonly heartbeatFailure: 'reconnect'
  readonly connectTimeout: number
}

export interface DemoSettings {
  readonly id: string
  readonly wsUrl: string
  /** The y-websocket server of the Collaborative panel. */
  readonly yjsUrl: string
  /** The Socket.IO server the page can switch to. */
  readonly socketioUrl: string
  /** The connection the page starts with. */
  readonly via: DemoVia
  /** `fromYjs`'s `giveUpAfter` when `?yjsgiveup=` sets one. */
  readonly yjsGiveUpAfter?: number
  readonly timings: DemoTimings
}

/**
 * The demo's timings: a retry at once, then 1 s, 2 s, 3 s, 4 s later (capped at 5 s), giving up
 * after 5 failed attempts (about 10 s after a kill); a ping every 2 s, and two missed answers
 * (4 s) reconnect rather than fail, so a blackhole shows amber before red.
 */
export const demoTimings: DemoTimings = {
  reconnectIntervalIncrement: 1000,
  maxReconnectInterval: 5000,
  maxReconnectAttempts: 5,
  heartbeatInterval: 2000,
  heartbeatFailure: 'reconnect',
  connectTimeout: 3000,
} satisfies ClientOptions

const overrides = {
  attempts: 'maxReconnectAttempts',
  increment: 'reconnectIntervalIncrement',
  max: 'maxReconnectInterval',
  heartbeat: 'heartbeatInterval',
  timeout: 'connectTimeout',
} as const

const animals = ['otter', 'heron', 'lynx', 'ibex', 'wren', 'marten', 'newt', 'puffin']

/** A name for a tab that did not ask for one. */
export const randomId = (): string =>
  `${animals[Math.floor(Math.random() * animals.length)]}-${100 + Math.floor(Math.random() * 900)}`

/**
 * Reads the settings from `?…` and the `<meta name="linklight-ws-url">`,
 * `<meta name="linklight-yjs-url">` and `<meta name="linklight-socketio-url">` tags `npm start`
 * adds.
 */
export function readSettings(
  search: string,
  metaWsUrl: string | null | undefined,
  metaYjsUrl?: string | null,
  metaSocketIOUrl?: string | null,
): DemoSettings {
  const params = new URLSearchParams(search)
  const id = params.get('id')?.trim()
  const timings: Record<string, unknown> = { ...demoTimings }
  for (const [param, option] of Object.entries(overrides)) {
    const text = params.get(param)
    if (text === null) continue
    const value = Number(text)
    // createClient would throw on a bad value; a demo would rather keep its default and say so.
    if (Number.isInteger(value) && value > 0) timings[option] = value
    else console.warn(`linklight demo: ignoring ?${param}=${text} (expected a positive integer)`)
  }
  const giveUp = params.get('yjsgiveup')
  const yjsGiveUpAfter = giveUp === null ? undefined : Number(giveUp)
  if (yjsGiveUpAfter !== undefined && !(Number.isInteger(yjsGiveUpAfter) && yjsGiveUpAfter > 0))
    console.warn(`linklight demo: ignoring ?yjsgiveup=${giveUp} (expected a positive integer)`)
  return {
    id: id && id.length <= 40 ? id : randomId(),
    wsUrl: params.get('ws') ?? metaWsUrl ?? 'ws://127.0.0.1:8787',
    yjsUrl: params.get('yjs') ?? metaYjsUrl ?? 'ws://127.0.0.1:1234',
    socketioUrl: params.get('socketio') ?? metaSocketIOUrl ?? 'http://127.0.0.1:3001',
    via: params.get('via') === 'socketio' ? 'socketio' : 'linklight',
    timings: timings as unknown as DemoTimings,
    ...(yjsGiveUpAfter !== undefined &&
      Number.isInteger(yjsGiveUpAfter) &&
      yjsGiveUpAfter > 0 && { yjsGiveUpAfter }),
  }
}
