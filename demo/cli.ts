/**
 * The terminal view of linklight (`npm start`, later `npm run demo:cli`): a reference server on
 * 127.0.0.1 and one client, while a script kills, blackholes and restarts the server. Every
 * change of the client's snapshot prints as one line, so all eight states and the final ERROR
 * appear within a minute.
 *
 *   --port <n>    port of the reference server (default 8787; 0 picks a free one)
 *   --speed <x>   run the schedule x times faster (tests use 5)
 */
import { parseArgs } from 'node:util'
import { WebSocket } from 'ws'
import { createClient, type ConnectionSnapshot } from '../src/index.js'
import { createServer } from '../src/server/index.js'

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8787' }, speed: { type: 'string', default: '1' } },
})
const port = Number(values.port)
const speed = Number(values.speed)
if (!Number.isInteger(port) || port < 0 || !(speed > 0)) {
  console.error('usage: npm start -- [--port 8787] [--speed 1]')
  process.exit(2)
}
const ms = (n: number) => Math.round(n / speed)

const color = process.stdout.isTTY
  ? { good: '\x1b[32m●\x1b[0m', neutral: '\x1b[33m●\x1b[0m', bad: '\x1b[31m●\x1b[0m' }
  : { good: '●', neutral: '●', bad: '●' }
const started = Date.now()
const stamp = () => `+${((Date.now() - started) / 1000).toFixed(3).padStart(7)}s`
const say = (text: string) => console.log(`${stamp()}  ${text}`)

function line(s: ConnectionSnapshot) {
  const retry =
    s.nextRetryAt === null
      ? ''
      : `  next retry in ${((s.nextRetryAt - Date.now()) / 1000).toFixed(1)}s`
  say(
    `${color[s.tone]} ${s.state.padEnd(23)} phase=${s.phase.padEnd(12)} tone=${s.tone.padEnd(7)} ` +
      `reason=${(s.reason ?? '—').padEnd(22)} attempt=${s.attempt}${retry}`,
  )
}

const server = await createServer({ port, host: '127.0.0.1' })
console.log(`linklight reference server listening on ${server.url}`)
console.log('One client connects; the server is killed, restarted and blackholed on a schedule.\n')

const client = createClient(server.url, {
  WebSocket,
  lazyConnect: true,
  reconnectIntervalIncrement: ms(1000),
  maxReconnectInterval: ms(3000),
  maxReconnectAttempts: 4,
  heartbeatInterval: ms(1000),
  heartbeatFailure: 'reconnect',
  connectTimeout: ms(2000),
})
const seen = new Set<string>()
let last: ConnectionSnapshot | null = null
const show = (s: ConnectionSnapshot) => {
  // a line per change of what the view shows: state, reason, attempt or retry time
  if (
    last &&
    last.state === s.state &&
    last.reason === s.reason &&
    last.attempt === s.attempt &&
    last.nextRetryAt === s.nextRetryAt
  )
    return
  last = s
  seen.add(s.state)
  line(s)
}
show(client.getSnapshot())
const stop = client.subscribe(show)

const wait = (n: number) => new Promise((resolve) => setTimeout(resolve, ms(n)))
const fault = (text: string) => say(`⚡ ${text}`)

client.connect()
await wait(1500)
fault('login()')
void client.login({ id: 'terminal-demo' })
await wait(3500)
fault('server killed')
await server.faults.kill()
await wait(3500)
fault('server restarted')
await server.faults.restart()
await wait(4000)
fault('server blackholed: sockets stay open, nothing comes back')
server.faults.blackhole(true)
await wait(7000)
fault('blackhole lifted')
server.faults.blackhole(false)
await wait(5000)
fault('server killed for good: the client will give up')
await server.faults.kill()

const deadline = Date.now() + ms(30_000)
while (client.getConnectionState() !== 'ERROR' && Date.now() < deadline) await wait(250)

stop()
client.close()
await server.close()
const all = [
  'CLOSED',
  'AWAITING_CONNECTION',
  'CHALLENGING',
  'AWAITING_AUTHENTICATION',
  'AUTHENTICATING',
  'OPEN',
  'RECONNECTING',
  'ERROR',
]
const missing = all.filter((state) => !seen.has(state))
const final = client.getSnapshot().previousState // close() just moved it on from here
console.log(
  `\nSeen ${all.length - missing.length} of ${all.length} states${missing.length ? ` (missing: ${missing.join(', ')})` : ''}; ended in ${final}.`,
)
process.exit(missing.length || final !== 'ERROR' ? 1 : 0)
