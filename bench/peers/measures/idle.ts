/**
 * Idle cost: `count` clients of one library at its defaults, connected to a loopback server in
 * this process, idling for `seconds`; CPU time and RSS growth measured in the child that holds
 * the clients. One library at a time.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Contender } from '../contenders.js'
import { startEchoServer, startLinklightServer, startSocketIoServer } from '../servers.js'
import type { IdleRequest, IdleResult } from './idleChild.js'

const child = fileURLToPath(new URL('./idleChild.ts', import.meta.url))

function serverFor(name: string) {
  if (name.startsWith('linklight')) return startLinklightServer()
  if (name.startsWith('socket.io')) return startSocketIoServer({})
  return startEchoServer()
}

export async function measureIdle(
  contender: Contender,
  count: number,
  seconds: number,
): Promise<IdleResult | null> {
  const server = await serverFor(contender.name)
  const worker = fork(child, [], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: 'inherit' })
  const request: IdleRequest = {
    library: contender.name,
    url: `ws://127.0.0.1:${server.port}`,
    count,
    seconds,
  }
  try {
    return await new Promise<IdleResult | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), (seconds + 120) * 1000)
      worker.once('message', (result) => {
        clearTimeout(timer)
        resolve(result as IdleResult)
      })
      worker.once('exit', () => {
        clearTimeout(timer)
        resolve(null)
      })
      worker.send(request)
    })
  } finally {
    if (worker.exitCode === null) worker.kill()
    await server.close()
  }
}
