// A real Socket.IO 4 server with linklight's attachPresence, in a process of its own, so a test
// can SIGKILL it and start it again on the same port. argv[2] is the port, argv[3] a JSON object
// of options:
//   pingInterval, pingTimeout — Engine.IO's heartbeat (short values for dead-link tests);
//   token     — when set, a middleware accepts only handshake.auth.token === token: 'expired' is
//               refused with 'token expired' (data { reason: 'TOKEN_EXPIRED' }), any other with
//               'invalid token' (data { reason: 'INVALID_TOKEN' });
//   redis     — { port }: @socket.io/redis-adapter over ioredis on 127.0.0.1 at that port;
//   recovery  — connectionStateRecovery on (single node: the plain Redis adapter cannot);
//   presence  — { beatInterval, peerTimeout }: attachPresence's options.
// A socket is identified by handshake.auth.name (a string) with handshake.auth.data as its
// presence data; without a name it is an observer. It listens on 127.0.0.1 only, then says
// { started: port, pid } to its parent. IPC requests { request: n, kick: peerId } (disconnect
// that peer's sockets here, as `socket.disconnect(true)`) and { request: n, peers: true }
// (presence.peers()) are answered with { reply: n, … }.
import { createServer } from 'node:http'
import { register } from 'tsx/esm/api'
import { Server } from 'socket.io'

// The parent is gone (its IPC channel closed): leave no orphan behind.
process.on('disconnect', () => process.exit(0))

// attachPresence is TypeScript source: tsx compiles it on import.
register()
const { attachPresence } = await import('../../src/adapters/socketioServer.ts')

const port = Number(process.argv[2])
const options = JSON.parse(process.argv[3] ?? '{}')

const http = createServer()
const io = new Server(http, {
  ...(options.pingInterval !== undefined && { pingInterval: options.pingInterval }),
  ...(options.pingTimeout !== undefined && { pingTimeout: options.pingTimeout }),
  ...(options.recovery && { connectionStateRecovery: {} }),
})

if (options.redis) {
  const [{ Redis }, { createAdapter }] = await Promise.all([
    import('ioredis'),
    import('@socket.io/redis-adapter'),
  ])
  const connection = {
    host: '127.0.0.1',
    port: options.redis.port,
    // a node whose Redis is away keeps trying, and comes back soon after it
    retryStrategy: (times) => Math.min(times * 100, 500),
  }
  const pub = new Redis(connection)
  const sub = new Redis(connection)
  io.adapter(createAdapter(pub, sub))
  // The adapter subscribed as it was made; a PING on each connection is answered after those
  // commands, so this node hears the others before its presence says hello to them.
  await Promise.all([pub.ping(), sub.ping()])
}

if (options.token !== undefined) {
  io.use((socket, next) => {
    const token = socket.handshake.auth?.token
    if (token === options.token) return next()
    const [message, reason] =
      token === 'expired' ? ['token expired', 'TOKEN_EXPIRED'] : ['invalid token', 'INVALID_TOKEN']
    next(Object.assign(new Error(message), { data: { reason } }))
  })
}

const presence = attachPresence(io, {
  ...options.presence,
  identify(socket) {
    const { name, data } = socket.handshake.auth ?? {}
    if (typeof name !== 'string') return null
    return data === undefined ? { id: name } : { id: name, data }
  },
})

process.on('message', (message) => {
  if (typeof message?.request !== 'number') return
  if (typeof message.kick === 'string') {
    let kicked = 0
    for (const socket of io.of('/').sockets.values()) {
      if (socket.handshake.auth?.name !== message.kick) continue
      socket.disconnect(true)
      kicked++
    }
    process.send?.({ reply: message.request, kicked })
  } else if (message.peers) {
    process.send?.({ reply: message.request, peers: presence.peers(), node: presence.node })
  }
})

http.listen(port, '127.0.0.1', () => process.send?.({ started: port, pid: process.pid }))
