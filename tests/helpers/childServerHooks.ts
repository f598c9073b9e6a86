/**
 * The lifecycles the describe blocks over real servers repeat: start before the block, start
 * again after a test that killed it, stop after the block — for one child-process server, a
 * silent proxy in front of one, and a two-node Hocuspocus cluster on Redis.
 */
import { afterAll, afterEach, beforeAll } from 'vitest'
import { startRedis, type RedisServer } from './redisServer.js'
import { startSilentProxy, type SilentProxy } from './silentProxy.js'
import { startHocuspocusServer, type ChildServer } from './yjsServers.js'

/** A server a test may kill (`pid` is -1 while it is down) and start again. */
export interface RestartableServer {
  readonly pid: number
  restart(): Promise<void>
  stop(): Promise<void>
}

/**
 * Starts `start()` before the enclosing describe block's tests, restarts it after any test
 * that left it killed, and stops it after the block; returns the function that gives it.
 *
 * @example
 * ```ts
 * const server = useChildServer(() => startYWebsocketServer())
 * test('…', () => connect(server().url))
 * ```
 */
export function useChildServer<S extends RestartableServer>(start: () => Promise<S>): () => S {
  let server: S | undefined
  beforeAll(async () => {
    server = await start()
  })
  afterEach(async () => {
    if (server?.pid === -1) await server.restart()
  })
  afterAll(() => server?.stop())
  return () => {
    if (!server) throw new Error('useChildServer: the server is read before its beforeAll ran')
    return server
  }
}

/**
 * A silent proxy (silentProxy.ts) in front of `target()` for the enclosing describe block:
 * started before its tests, speaking again after each one, closed after the block.
 *
 * @example
 * ```ts
 * const proxy = useSilentProxy(server)
 * test('…', () => proxy().silence(true))
 * ```
 */
export function useSilentProxy(target: () => { readonly port: number }): () => SilentProxy {
  let proxy: SilentProxy | undefined
  beforeAll(async () => {
    proxy = await startSilentProxy({ port: target().port })
  })
  afterEach(() => proxy?.silence(false))
  afterAll(() => proxy?.close())
  return () => {
    if (!proxy) throw new Error('useSilentProxy: the proxy is read before its beforeAll ran')
    return proxy
  }
}

/** Two Hocuspocus nodes, A and B, sharing one Redis. */
export interface HocuspocusCluster {
  readonly redis: RedisServer
  readonly nodeA: ChildServer
  readonly nodeB: ChildServer
}

/**
 * Two Hocuspocus nodes on one redis-server for the enclosing describe block: started before
 * its tests, whichever a test killed (Redis first, then the nodes) started again after it,
 * all stopped after the block.
 *
 * @example
 * ```ts
 * const cluster = useHocuspocusCluster()
 * test('…', () => connect(cluster.nodeA.url))
 * ```
 */
export function useHocuspocusCluster(): HocuspocusCluster {
  let started: HocuspocusCluster | undefined
  const get = () => {
    if (!started) throw new Error('useHocuspocusCluster: read before its beforeAll ran')
    return started
  }
  beforeAll(async () => {
    const redis = await startRedis()
    const [nodeA, nodeB] = await Promise.all(
      (['A', 'B'] as const).map((name) =>
        startHocuspocusServer({ redis: { port: redis.port }, name }),
      ),
    )
    started = { redis, nodeA: nodeA!, nodeB: nodeB! }
  })
  afterEach(async () => {
    for (const server of started ? [started.redis, started.nodeA, started.nodeB] : [])
      if (server.pid === -1) await server.restart()
  })
  afterAll(async () => {
    await Promise.all([started?.nodeA.stop(), started?.nodeB.stop()])
    await started?.redis.stop()
  })
  return {
    get redis() {
      return get().redis
    },
    get nodeA() {
      return get().nodeA
    },
    get nodeB() {
      return get().nodeB
    },
  }
}
