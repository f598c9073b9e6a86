/**
 * The libraries compared and the exact settings of each profile. A contender starts its own
 * loopback server and fault proxy, then its client through the proxy, so every fault is the
 * same fault for everyone.
 */
import { presets, type ClientOptions } from '../../src/index.js'
import type { Driver } from './drivers/driver.js'
import { linklightDriver } from './drivers/linklight.js'
import { reactUseWebsocketDriver, type UseWebSocketOptions } from './drivers/reactUseWebsocket.js'
import { socketIoDriver, type SocketIoOptions } from './drivers/socketio.js'
import {
  partysocketDriver,
  reconnectingWebSocketDriver,
  type WrapperOptions,
} from './drivers/socketWrappers.js'
import { startFaultProxy, type FaultProxy } from './proxy.js'
import {
  startEchoServer,
  startLinklightServer,
  startSocketIoServer,
  type BenchServer,
  type EchoServer,
} from './servers.js'

/**
 * - `defaults`: what you get without configuring anything (beyond what Node needs).
 * - `heartbeat1s`: a 1 s heartbeat where the library has one; otherwise the defaults.
 * - `fast`: the quickest reconnection the documented options give, the retry wait capped at 500 ms.
 */
export type Profile = 'defaults' | 'heartbeat1s' | 'fast'
export const profiles: readonly Profile[] = ['defaults', 'heartbeat1s', 'fast']

/** One client, its server and the proxy between them. */
export interface Instance {
  readonly driver: Driver
  readonly server: BenchServer
  readonly proxy: FaultProxy
  stop(): Promise<void>
}

export interface Contender {
  readonly name: string
  /** Whether the library has a heartbeat of its own (no: dead links go unnoticed). */
  readonly heartbeat: boolean
  /** The options of each profile, as written in the report. */
  readonly settings: Readonly<Record<Profile, string>>
  start(profile: Profile): Promise<Instance>
}

const show = (value: unknown) =>
  JSON.stringify(value, (_, v: unknown) =>
    v === Infinity ? 'Infinity' : typeof v === 'function' ? String(v) : v,
  )
    .replace(/"Infinity"/g, 'Infinity')
    .replace(/"([^"]+)":/g, '$1: ')
    .replace(/,/g, ', ')

async function assemble(
  server: BenchServer,
  makeDriver: (url: string) => Driver,
): Promise<Instance> {
  const proxy = await startFaultProxy(server.port)
  const driver = makeDriver(`ws://127.0.0.1:${proxy.port}`)
  return {
    driver,
    server,
    proxy,
    async stop() {
      await driver.close()
      await proxy.close()
      await server.close()
    },
  }
}

/** Retry settings shared by the `fast` profile of linklight's presets. */
const linklightFast = {
  reconnectIntervalIncrement: 250,
  maxReconnectInterval: 500,
  maxReconnectAttempts: Infinity,
} satisfies ClientOptions

function linklight(name: string, preset: ClientOptions): Contender {
  const options: Record<Profile, ClientOptions> = {
    defaults: preset,
    heartbeat1s: { ...preset, heartbeatInterval: 1000 },
    fast: { ...preset, ...linklightFast },
  }
  const label = (extra: ClientOptions) =>
    `{ ...presets.${name}${show(extra).slice(1, -1) ? `, ${show(extra).slice(1, -1)}` : ''} }`
  return {
    name: `linklight (${name})`,
    heartbeat: true,
    settings: {
      defaults: `{ ...presets.${name} }`,
      heartbeat1s: label({ heartbeatInterval: 1000 }),
      fast: label(linklightFast),
    },
    async start(profile) {
      const server = await startLinklightServer()
      return assemble(server, (url) => linklightDriver(url, options[profile]))
    },
  }
}

const wrapperFast: WrapperOptions = {
  minReconnectionDelay: 100,
  maxReconnectionDelay: 500,
  connectionTimeout: 1000,
}

function wrapper(
  name: string,
  makeDriver: (url: string, options: WrapperOptions) => Driver,
): Contender {
  const options: Record<Profile, WrapperOptions> = {
    defaults: {},
    heartbeat1s: {},
    fast: wrapperFast,
  }
  return {
    name,
    heartbeat: false,
    settings: {
      defaults: '{ WebSocket } (ws)',
      heartbeat1s: 'no heartbeat option: the defaults',
      fast: `${show(wrapperFast)}`,
    },
    async start(profile) {
      const server: EchoServer = await startEchoServer()
      return assemble(server, (url) => makeDriver(url, options[profile]))
    },
  }
}

const rwsHeartbeat = { message: 'ping', returnMessage: 'pong', interval: 1000, timeout: 2000 }
const rwsFast: UseWebSocketOptions = {
  shouldReconnect: () => true,
  reconnectInterval: 500,
  reconnectAttempts: Infinity,
}

const reactUseWebsocket: Contender = {
  name: 'react-use-websocket',
  heartbeat: true,
  settings: {
    defaults: '{} (no shouldReconnect: it never reconnects)',
    heartbeat1s: `{ heartbeat: ${show(rwsHeartbeat)} }`,
    fast: '{ shouldReconnect: () => true, reconnectInterval: 500, reconnectAttempts: Infinity }',
  },
  async start(profile) {
    const options: Record<Profile, UseWebSocketOptions> = {
      defaults: {},
      heartbeat1s: { heartbeat: rwsHeartbeat },
      fast: rwsFast,
    }
    const server = await startEchoServer()
    return assemble(server, (url) => reactUseWebsocketDriver(url, options[profile]))
  },
}

const ioFast: SocketIoOptions = { reconnectionDelay: 100, reconnectionDelayMax: 500 }
const ioHeartbeat = { pingInterval: 1000, pingTimeout: 1000 }

function socketIo(name: string, extra: SocketIoOptions): Contender {
  const base = `transports: ['websocket']${show(extra).slice(1, -1) ? `, ${show(extra).slice(1, -1)}` : ''}`
  return {
    name,
    heartbeat: true,
    settings: {
      defaults: `client { ${base} }; server defaults (pingInterval 25000, pingTimeout 20000)`,
      heartbeat1s: `client { ${base} }; server ${show(ioHeartbeat)}`,
      fast: `client { ${base}, ${show(ioFast).slice(1, -1)} }; server defaults`,
    },
    async start(profile) {
      const server = await startSocketIoServer(profile === 'heartbeat1s' ? ioHeartbeat : {})
      const options = profile === 'fast' ? { ...extra, ...ioFast } : extra
      return assemble(server, (url) => socketIoDriver(url, options))
    },
  }
}

/** `presets.resilient`, when the tree has it (another change is adding it). */
const resilient = (presets as Readonly<Record<string, ClientOptions | undefined>>).resilient

/** The libraries every measure compares. */
export const contenders: readonly Contender[] = [
  linklight('deepstream', presets.deepstream),
  linklight('agora', presets.agora),
  ...(resilient ? [linklight('resilient', resilient)] : []),
  reactUseWebsocket,
  wrapper('partysocket', partysocketDriver),
  wrapper('reconnecting-websocket', reconnectingWebSocketDriver),
  socketIo('socket.io-client', {}),
]

/** socket.io with acknowledged, retried emits: only the delivery measure uses it. */
export const socketIoWithRetries = socketIo('socket.io-client (retries)', {
  retries: 10,
  ackTimeout: 1000,
})
