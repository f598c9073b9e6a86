/**
 * Runs in a child process of its own (forked by idle.ts), so the CPU and memory it reports are
 * the clients' alone — the server stays in the parent. It opens `count` clients of one library
 * at their defaults, waits for all to connect, then measures `process.cpuUsage()` and RSS over
 * `seconds` of idling; memory is compared after a full GC on both sides.
 */
import type { Driver } from '../drivers/driver.js'
import { whenConnected } from '../drivers/driver.js'
import { installDom } from '../../dom.js'
import { sleep } from '../stats.js'

export interface IdleRequest {
  readonly library: string
  readonly url: string
  readonly count: number
  readonly seconds: number
}

export interface IdleResult {
  readonly library: string
  readonly clients: number
  readonly connected: number
  readonly connectMs: number
  readonly cpuMs: number
  readonly rssDeltaMb: number
  readonly heapDeltaMb: number
}

async function driverFactory(library: string): Promise<(url: string) => Driver> {
  const { presets } = await import('../../../src/index.js')
  const { linklightDriver } = await import('../drivers/linklight.js')
  const named = presets as unknown as Record<string, object | undefined>
  const preset = /^linklight \((.+)\)$/.exec(library)?.[1]
  if (preset && named[preset]) return (url) => linklightDriver(url, named[preset]!)
  if (library === 'react-use-websocket') {
    await installDom()
    const { reactUseWebsocketDriver } = await import('../drivers/reactUseWebsocket.js')
    return (url) => reactUseWebsocketDriver(url, {})
  }
  const wrappers = await import('../drivers/socketWrappers.js')
  if (library === 'partysocket') return (url) => wrappers.partysocketDriver(url, {})
  if (library === 'reconnecting-websocket')
    return (url) => wrappers.reconnectingWebSocketDriver(url, {})
  const { socketIoDriver } = await import('../drivers/socketio.js')
  if (library === 'socket.io-client') return (url) => socketIoDriver(url, {})
  throw new Error(`idleChild: no driver for ${library}`)
}

const mb = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10

/** Memory after a full collection (the child runs with --expose-gc), so garbage is not counted. */
function settledMemory() {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  gc?.()
  return process.memoryUsage()
}

async function run({ library, url, count, seconds }: IdleRequest): Promise<IdleResult> {
  const make = await driverFactory(library)
  const rssBefore = settledMemory()
  const started = performance.now()
  const drivers: Driver[] = []
  for (let i = 0; i < count; i++) {
    drivers.push(make(url))
    // A few at a time, so the server's accept queue never overflows.
    if (i % 50 === 49) await sleep(10)
  }
  const results = await Promise.all(drivers.map((d) => whenConnected(d, true, 60_000)))
  const connectMs = performance.now() - started
  await sleep(1000)
  const cpuBefore = process.cpuUsage()
  await sleep(seconds * 1000)
  const cpu = process.cpuUsage(cpuBefore)
  const after = settledMemory()
  const connected = drivers.filter((d) => d.connected()).length
  await Promise.all(drivers.map((d) => d.close()))
  return {
    library,
    clients: count,
    connected: Math.min(connected, results.filter((r) => r !== null).length),
    connectMs: Math.round(connectMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssDeltaMb: mb(after.rss - rssBefore.rss),
    heapDeltaMb: mb(after.heapUsed - rssBefore.heapUsed),
  }
}

process.once('message', (request: IdleRequest) => {
  run(request).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
})
