/**
 * The lifecycle every describe block over a child-process server repeats: start it before the
 * block, start it again after a test that killed it, stop it after the block.
 */
import { afterAll, afterEach, beforeAll } from 'vitest'

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
