/**
 * A throwaway Redis for tests: Debian's `redis-server` on a free 127.0.0.1 port, storing
 * nothing on disk, stopped by PID. `scripts/ensure-redis.mjs` (pretest) installs it when missing.
 */
import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { forkChild, freePort, startChildServer } from './yjsServers.js'

const GUARDIAN = join(dirname(fileURLToPath(import.meta.url)), 'redisChild.mjs')
const REDIS_SERVER = '/usr/bin/redis-server'

/** A redis-server child process. */
export interface RedisServer {
  readonly port: number
  /** redis-server's PID (a new one after `restart()`); -1 while it is down. */
  readonly pid: number
  /** SIGKILLs redis-server; resolves when it has exited. Everything it held is lost. */
  kill(): Promise<void>
  /** Starts an empty redis-server again on the same port; resolves when it accepts connections. */
  restart(): Promise<void>
  /** Kills it if running; for afterAll. */
  stop(): Promise<void>
}

/** `redis-server --port <free> --bind 127.0.0.1 --save '' --appendonly no` as a child process. */
export async function startRedis(): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER))
    throw new Error(
      `startRedis: ${REDIS_SERVER} is missing. Run: sudo apt-get install -y redis-server (or node scripts/ensure-redis.mjs as root)`,
    )
  const port = await freePort()
  // A guardian process starts redis and kills it if this process dies (see redisChild.mjs).
  const server = await startChildServer(port, (p) =>
    forkChild(GUARDIAN, p, [REDIS_SERVER], 'redis-server'),
  )
  return {
    port,
    get pid() {
      return server.pid
    },
    kill: server.kill,
    restart: server.restart,
    stop: server.stop,
  }
}

/** A reply from Redis: a simple or bulk string, an integer, nil, or an array of those. */
export type RedisReply = string | number | null | RedisReply[]

/**
 * Parses one RESP reply from `text` at `at`; undefined while it is incomplete. Error replies
 * become an `Error` thrown.
 */
function parseReply(text: string, at = 0): { value: RedisReply; end: number } | undefined {
  const lineEnd = text.indexOf('\r\n', at)
  if (lineEnd === -1) return undefined
  const kind = text[at]
  const line = text.slice(at + 1, lineEnd)
  const next = lineEnd + 2
  switch (kind) {
    case '+':
      return { value: line, end: next }
    case '-':
      throw new Error(`redis: ${line}`)
    case ':':
      return { value: Number(line), end: next }
    case '$': {
      const length = Number(line)
      if (length < 0) return { value: null, end: next }
      // Loopback replies here are ASCII (channel names, numbers): characters are bytes.
      if (text.length < next + length + 2) return undefined
      return { value: text.slice(next, next + length), end: next + length + 2 }
    }
    case '*': {
      const count = Number(line)
      if (count < 0) return { value: null, end: next }
      const items: RedisReply[] = []
      let end = next
      for (let i = 0; i < count; i++) {
        const item = parseReply(text, end)
        if (!item) return undefined
        items.push(item.value)
        end = item.end
      }
      return { value: items, end }
    }
    default:
      throw new Error(`redis: unexpected reply ${JSON.stringify(text.slice(at, lineEnd))}`)
  }
}

/**
 * Sends one command to the Redis on 127.0.0.1:`port` over a connection of its own, and resolves
 * with the reply (within 2 s). For tests that need to see what Redis holds, e.g.
 * `await redisCommand(redis.port, ['PUBSUB', 'NUMSUB', 'hocuspocus:my-doc'])` → `['hocuspocus:my-doc', 2]`.
 */
export function redisCommand(port: number, args: readonly string[]): Promise<RedisReply> {
  const request = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const timer = setTimeout(
      () => finish(new Error(`redis: no reply to ${args[0]} within 2 s`)),
      2000,
    )
    let received = ''
    const finish = (error: Error | null, value?: RedisReply) => {
      clearTimeout(timer)
      socket.destroy()
      if (error) reject(error)
      else resolve(value ?? null)
    }
    socket.setEncoding('utf8')
    socket.on('error', (error) => finish(error))
    socket.on('connect', () => socket.write(request))
    socket.on('data', (chunk: string) => {
      received += chunk
      try {
        const reply = parseReply(received)
        if (reply) finish(null, reply.value)
      } catch (error) {
        finish(error as Error)
      }
    })
  })
}

/** How many clients are subscribed to `channel` on the Redis at `port` (`PUBSUB NUMSUB`). */
export async function subscriberCount(port: number, channel: string): Promise<number> {
  const reply = await redisCommand(port, ['PUBSUB', 'NUMSUB', channel])
  return Array.isArray(reply) && typeof reply[1] === 'number' ? reply[1] : 0
}
