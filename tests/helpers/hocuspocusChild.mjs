// A real @hocuspocus/server 4 in a process of its own, so a test can SIGKILL it and start it
// again on the same port. argv[2] is the port, argv[3] a JSON object of options:
//   token  — when set, onAuthenticate rejects any other token with the reason 'invalid token',
//            and the magic token 'expired' with 'token expired';
//   redis  — { port }: the @hocuspocus/extension-redis extension on 127.0.0.1 at that port;
//   name   — the instance name (Hocuspocus uses it in its logs).
// It listens on 127.0.0.1 only, then says { started: port } to its parent.
import { Redis } from '@hocuspocus/extension-redis'
import { Server } from '@hocuspocus/server'

const port = Number(process.argv[2])
const options = JSON.parse(process.argv[3] ?? '{}')

// The parent is gone (its IPC channel closed): leave no orphan behind.
process.on('disconnect', () => process.exit(0))

/** Hocuspocus sends `error.reason` to the provider, which emits it as `authenticationFailed`. */
const rejection = (reason) => Object.assign(new Error(reason), { reason })

const extensions = []
if (options.redis) {
  extensions.push(
    new Redis({
      host: '127.0.0.1',
      port: options.redis.port,
      // ioredis retries forever by default, which is what a cluster node should do while its
      // Redis is away; a short ceiling on the retry delay makes it come back soon after Redis.
      options: { retryStrategy: (times) => Math.min(times * 100, 500) },
    }),
  )
}

const server = new Server({
  name: options.name ?? `hocuspocus-${port}`,
  address: '127.0.0.1',
  port,
  quiet: true,
  // The parent stops this process with SIGKILL; no graceful-shutdown handlers are wanted.
  stopOnSignals: false,
  extensions,
  async onAuthenticate({ token }) {
    if (options.token === undefined) return
    if (token === 'expired') throw rejection('token expired')
    if (token !== options.token) throw rejection('invalid token')
  },
})

await server.listen()
process.send?.({ started: port, pid: process.pid })
