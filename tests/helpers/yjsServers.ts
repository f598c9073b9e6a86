/**
 * Real Yjs servers on 127.0.0.1 for the `linklight/yjs` adapter's tests, each in a forked child
 * process that a test can SIGKILL (a crash: no goodbye to clients) and start again on the same
 * port: a y-websocket server (@y/websocket-server 0.1.1) and a Hocuspocus server
 * (@hocuspocus/server 4, optionally clustered through Redis).
 *
 * Every child exits when this process goes away (it watches its IPC channel), and any child
 * still running when this process exits is killed here as well.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// A path built without `URL`: under jsdom the global `URL` is jsdom's, not Node's.
const HERE = dirname(fileURLToPath(import.meta.url))
const Y_WEBSOCKET_CHILD = join(HERE, 'yWebsocketChild.mjs')
const HOCUSPOCUS_CHILD = join(HERE, 'hocuspocusChild.mjs')

/** How long a child may take to say it listens (Hocuspocus with Redis loads in ~0.5 s). */
const START_TIMEOUT_MS = 15_000

/** A server in a child process of this one. */
export interface ChildServer {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** The PID of the running process (a new one after `restart()`); -1 while it is down. */
  readonly pid: number
  /** SIGKILL the child (no goodbye to clients); resolves when it has exited. */
  kill(): Promise<void>
  /** Starts it again on the same port (after kill()); resolves when it accepts connections. */
  restart(): Promise<void>
  /** Kills it if running; for afterAll. */
  stop(): Promise<void>
}

/** A port nobody listens on now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', resolve)
  })
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/** PIDs this process started and has not seen exit: killed on exit, whatever the tests did. */
const livePids = new Set<number>()
process.once('exit', () => {
  for (const pid of livePids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
})

/** What a child says once it listens: its port, and the PID to kill (its own, or redis's). */
interface StartedMessage {
  readonly started: number
  readonly pid: number
}

/** A running child: the forked process, and the PID that `kill()` sends SIGKILL to. */
export interface ForkedChild {
  readonly process: ChildProcess
  readonly pid: number
}

/**
 * Forks `script` with `args`, and resolves once it sends `{ started: port, pid }`. Its stderr is
 * kept (last 4 KiB) for the error if it fails to start, and otherwise dropped: a Hocuspocus node
 * whose Redis was killed logs every reconnection attempt.
 */
export function forkChild(
  script: string,
  port: number,
  args: readonly string[],
  what: string,
): Promise<ForkedChild> {
  const child = fork(script, [String(port), ...args], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  if (child.pid !== undefined) livePids.add(child.pid)
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4096)
    if (process.env.LINKLIGHT_CHILD_LOGS) process.stderr.write(`[${what}] ${chunk}`)
  })
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`${message}${stderr ? `\n--- its stderr ---\n${stderr}` : ''}`))
    }
    const timer = setTimeout(
      () => fail(`${what} did not start on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    )
    const onEarlyExit = (code: number | null, signal: string | null) =>
      fail(`${what} exited (code ${code}, signal ${signal}) before it listened on port ${port}`)
    child.once('exit', onEarlyExit)
    child.once('exit', () => {
      if (child.pid !== undefined) livePids.delete(child.pid)
    })
    child.on('message', (message: StartedMessage) => {
      if (message.started !== port) return
      clearTimeout(timer)
      child.off('exit', onEarlyExit)
      livePids.add(message.pid)
      child.once('exit', () => livePids.delete(message.pid))
      resolve({ process: child, pid: message.pid })
    })
  })
}

/** SIGKILLs `pid` (the child itself or the process it guards) and waits for the child to exit. */
async function killChild({ process: child, pid }: ForkedChild): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
  await exited
}

/**
 * A `ChildServer` around `start(port)`. Used for the y-websocket and Hocuspocus children here,
 * and for the Redis guardian in redisServer.ts.
 */
export async function startChildServer(
  port: number,
  start: (port: number) => Promise<ForkedChild>,
): Promise<ChildServer> {
  let current: ForkedChild | null = await start(port)
  const kill = async () => {
    const dying = current
    current = null
    if (dying) await killChild(dying)
  }
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    get pid() {
      return current?.pid ?? -1
    },
    kill,
    async restart() {
      await kill()
      current = await start(port)
    },
    stop: kill,
  }
}

/** A y-websocket server (@y/websocket-server 0.1.1's setupWSConnection on http + ws) in a forked child. */
export async function startYWebsocketServer(options: { port?: number } = {}): Promise<ChildServer> {
  const port = options.port ?? (await freePort())
  return startChildServer(port, (p) => forkChild(Y_WEBSOCKET_CHILD, p, [], 'y-websocket server'))
}

/** Options of {@link startHocuspocusServer}. */
export interface HocuspocusServerOptions {
  port?: number
  /** Accept only this token; 'expired' is rejected with 'token expired', others with 'invalid token'. */
  token?: string
  /** Cluster through the Redis on 127.0.0.1 at this port (@hocuspocus/extension-redis). */
  redis?: { port: number }
  /** The instance name, for Hocuspocus's logs. */
  name?: string
}

/**
 * A Hocuspocus server (@hocuspocus/server) in a forked child. `token`: when given, a connection
 * whose token differs is rejected in onAuthenticate (with reason text 'invalid token', and a
 * second magic token 'expired' rejected with 'token expired'). `redis`: when given, the
 * @hocuspocus/extension-redis extension on that 127.0.0.1 port (two such nodes form a cluster).
 */
export async function startHocuspocusServer(
  options: HocuspocusServerOptions = {},
): Promise<ChildServer> {
  const port = options.port ?? (await freePort())
  const childOptions = JSON.stringify({
    ...(options.token !== undefined && { token: options.token }),
    ...(options.redis && { redis: { port: options.redis.port } }),
    ...(options.name !== undefined && { name: options.name }),
  })
  const what = `Hocuspocus server${options.name ? ` "${options.name}"` : ''}`
  return startChildServer(port, (p) => forkChild(HOCUSPOCUS_CHILD, p, [childOptions], what))
}
