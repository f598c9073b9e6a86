/**
 * A real `@deepstream/server` 7 on 127.0.0.1, in a child process (its intervals outlive
 * `stop()`; a killed process leaves nothing behind). `kill()` is a crash: the process dies
 * without closing its sockets; `freeze()` makes it a black hole; `restart()` starts a new one on
 * the same port.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './yjsServers.js'

// A path built without `URL`: under jsdom the global `URL` is jsdom's, not Node's.
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'deepstreamChild.mjs')

export interface DeepstreamServer {
  /** `ws://127.0.0.1:<port>/deepstream` */
  readonly url: string
  readonly running: boolean
  kill(): Promise<void>
  /** Stops (`SIGSTOP`) or continues (`SIGCONT`) the process: sockets stay open, nothing answers. */
  freeze(on: boolean): void
  restart(): Promise<void>
  close(): Promise<void>
}

function spawnServer(port: number): Promise<ChildProcess> {
  const child = fork(CHILD, [String(port)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`@deepstream/server did not start on 127.0.0.1:${port} within 15 s`))
    }, 15_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`@deepstream/server exited with code ${code} before it started`))
    })
    child.on('message', (message: { started?: number }) => {
      if (message.started !== port) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve(child)
    })
  })
}

/** Starts the server and resolves once it listens. */
export async function startDeepstream(): Promise<DeepstreamServer> {
  const port = await freePort()
  let child: ChildProcess | null = await spawnServer(port)
  const kill = async () => {
    const dying = child
    child = null
    if (!dying || dying.exitCode !== null || dying.signalCode !== null) return
    const exited = new Promise((resolve) => dying.once('exit', resolve))
    dying.kill('SIGKILL')
    await exited
  }
  return {
    url: `ws://127.0.0.1:${port}/deepstream`,
    get running() {
      return child !== null
    },
    kill,
    freeze(on) {
      child?.kill(on ? 'SIGSTOP' : 'SIGCONT')
    },
    async restart() {
      await kill()
      child = await spawnServer(port)
    },
    close: kill,
  }
}
