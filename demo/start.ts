/**
 * `npm start`: the reference server, a y-websocket server, a Socket.IO server and the demo page,
 * all on 127.0.0.1. Open the printed URL in two tabs: each is a peer of the other. Ctrl-C stops
 * everything.
 *
 *   --port <n>           port of the reference server (default 8787; 0 picks a free one)
 *   --yjs-port <n>       port of the y-websocket server (default 1234; 0 picks a free one)
 *   --socketio-port <n>  port of the Socket.IO server (default 3001; 0 picks a free one)
 *   --web-port <n>       port of the page (default 5173; 0 picks a free one)
 *
 * The terminal view of one client is `npm run demo:cli`.
 */
import { parseArgs } from 'node:util'
import { startDemo } from './startDemo.js'

const usage =
  'usage: npm start -- [--port 8787] [--yjs-port 1234] [--socketio-port 3001] [--web-port 5173]\n'
let values: { port: string; 'yjs-port': string; 'socketio-port': string; 'web-port': string }
try {
  ;({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      'yjs-port': { type: 'string', default: '1234' },
      'socketio-port': { type: 'string', default: '3001' },
      'web-port': { type: 'string', default: '5173' },
    },
  }))
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}`)
  process.exit(2)
}
const port = (text: string) => {
  const n = Number(text)
  return Number.isInteger(n) && n >= 0 && n <= 65_535 ? n : null
}
const serverPort = port(values.port)
const yjsPort = port(values['yjs-port'])
const socketioPort = port(values['socketio-port'])
const webPort = port(values['web-port'])
if (serverPort === null || yjsPort === null || socketioPort === null || webPort === null) {
  process.stderr.write(usage)
  process.exit(2)
}

const demo = await startDemo({
  serverPort,
  yjsPort,
  socketioPort,
  webPort,
  logLevel: 'info',
}).catch((error: unknown) => {
  const { code, port: busy } = error as NodeJS.ErrnoException & { port?: number }
  const flag =
    busy === yjsPort ? '--yjs-port' : busy === socketioPort ? '--socketio-port' : '--port'
  process.stderr.write(
    code === 'EADDRINUSE'
      ? `linklight demo: port ${busy ?? serverPort} is in use; pick another with ${flag} <n> (0 picks a free one)\n`
      : `linklight demo: could not start: ${String(error)}\n`,
  )
  process.exit(1)
})
process.stdout.write(
  `\nlinklight demo: ${demo.url}\n` +
    `reference server: ${demo.wsUrl}\n` +
    `y-websocket server: ${demo.yjsUrl} (room linklight-demo)\n` +
    `Socket.IO server: ${demo.socketioUrl}\n\n` +
    'Open the page in two tabs (or add ?id=<name>): each tab is a peer of the other.\n' +
    'The page connects to the reference server, or to the Socket.IO server when you switch\n' +
    'its connection; the fault buttons act on the one it uses, the Collaborative panel’s on\n' +
    'the y-websocket server. Ctrl-C stops everything.\n',
)

let stopping = false
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return
  stopping = true
  process.stdout.write(`\n${signal}: closing the demo…\n`)
  // A socket that will not close must not keep the process alive.
  setTimeout(() => process.exit(1), 5000).unref()
  demo.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`)
      process.exit(1)
    },
  )
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
