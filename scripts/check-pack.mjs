// Packs linklight as `npm pack` would for a user, checks the tarball carries every file its
// `exports` and `bin` promise, installs it into a fresh project and uses it from there:
// a real server and client from the installed package, and the `linklight-server` command.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const dir = mkdtempSync(join(tmpdir(), 'linklight-pack-'))
const npm = (args, cwd = process.cwd()) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })

try {
  const [{ filename, files }] = JSON.parse(
    npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir]),
  )
  const inTarball = new Set(files.map((f) => f.path))
  const promised = []
  const collect = (target) =>
    typeof target === 'string'
      ? promised.push(target)
      : Object.values(target ?? {}).forEach(collect)
  collect(pkg.exports)
  collect(pkg.bin)
  const missing = promised.map((p) => p.replace(/^\.\//, '')).filter((p) => !inTarball.has(p))
  if (missing.length)
    throw new Error(`the tarball lacks files its package.json promises: ${missing.join(', ')}`)
  console.log(
    `pack: ${filename} carries all ${promised.length} promised files (${files.length} files)`,
  )

  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  )
  npm(
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      join(dir, filename),
      'ws@^8',
      'react@^19',
      'react-dom@^19',
    ],
    dir,
  )
  writeFileSync(
    join(dir, 'smoke.mjs'),
    `import { createClient, presets, ConnectionState, toneOf, phaseOf, reasonCode } from 'linklight'
import { createServer } from 'linklight/server'
import { WebSocket } from 'ws'
const server = await createServer()
const client = createClient(server.url, { ...presets.deepstream, WebSocket })
await client.login({ id: 'smoke' })
if (client.getConnectionState() !== ConnectionState.OPEN) throw new Error('not OPEN')
if (toneOf('OPEN') !== 'good' || phaseOf('ERROR') !== 'FAILED' || reasonCode('LOST') !== 16) throw new Error('mappings')
await client.send({ hello: 'from the tarball' })
client.close()
const { createBaseClient, withPresence } = await import('linklight')
const base = createBaseClient(server.url, { WebSocket, features: [withPresence] })
await base.login({ id: 'base' })
if (base.getConnectionState() !== 'OPEN' || base.getLinkQuality) throw new Error('base client')
base.close()
await server.close()
console.log('pack: the installed package connects, logs in, sends and closes, with and without features')

const { createElement: h } = await import('react')
const { renderToString } = await import('react-dom/server')
const { ConnectionProvider, ConnectionIndicator, useConnectionState } = await import('linklight/react')
const { createMockSource } = await import('linklight/testing')
const { existsSync } = await import('node:fs')
const { fileURLToPath } = await import('node:url')
const State = () => h('i', null, useConnectionState())
const html = renderToString(h(ConnectionProvider, { source: createMockSource('OPEN') }, h(ConnectionIndicator), h(State)))
if (!html.includes('data-state="CLOSED"') || !html.includes('<i>CLOSED</i>')) throw new Error('SSR: ' + html)
if (!existsSync(fileURLToPath(import.meta.resolve('linklight/styles.css')))) throw new Error('styles.css missing')
console.log('pack: linklight/react renders on the server, linklight/testing and linklight/styles.css resolve')

const { fromDeepstream } = await import('linklight/deepstream')
const on = new Map()
const fakeDeepstream = {
  getConnectionState: () => 'OPEN',
  on: (event, callback) => on.set(event, callback),
  off: (event) => on.delete(event),
  login: async () => ({}),
  close() {},
  resume() {},
  presence: { getAll: async () => [], subscribe() {}, unsubscribe() {} },
  event: { emit() {}, subscribe() {}, unsubscribe() {} },
}
const deepstream = fromDeepstream(fakeDeepstream)
on.get('connectionStateChanged')('REDIRECTING')
const { state, reason } = deepstream.getSnapshot()
if (state !== 'CHALLENGING' || reason !== 'REDIRECT') throw new Error('deepstream: ' + state + '/' + reason)
deepstream.close()
if (on.size) throw new Error('deepstream: listeners left after close()')
console.log('pack: linklight/deepstream maps a client and lets go of it on close()')

const { fromAgora } = await import('linklight/agora')
const agoraOn = new Map()
const agora = fromAgora({
  connectionState: 'CONNECTED',
  remoteUsers: [{ uid: 7 }],
  on: (event, listener) => agoraOn.set(event, listener),
  off: (event) => agoraOn.delete(event),
  join: async () => 1,
  leave: async () => {},
})
if (!agora.getPeers().has('7')) throw new Error('agora: remoteUsers are not peers')
agoraOn.get('connection-state-change')('DISCONNECTED', 'CONNECTED', 'UID_BANNED')
if (agora.getSnapshot().reason !== 'BANNED_BY_SERVER') throw new Error('agora: ' + agora.getSnapshot().reason)
agora.close()
if (agoraOn.size) throw new Error('agora: listeners left after close()')
console.log('pack: linklight/agora maps a client and lets go of it on close()')

const { fromSocketIO } = await import('linklight/socket.io')
const { attachPresence } = await import('linklight/socket.io/server')
const ioOn = new Map()
const managerOn = new Map()
const fakeSocket = {
  connected: false, active: true, recovered: false, auth: {},
  io: {
    on: (event, listener) => managerOn.set(event, listener),
    off: (event) => managerOn.delete(event),
    reconnection: () => true, reconnectionDelay: () => 1000, reconnectionDelayMax: () => 5000,
  },
  on: (event, listener) => ioOn.set(event, listener),
  off: (event) => ioOn.delete(event),
  emit() {}, timeout: () => ({ emit() {} }), connect() {}, disconnect() {},
}
const socketio = fromSocketIO(fakeSocket)
fakeSocket.connected = true
ioOn.get('connect')()
ioOn.get('disconnect')('ping timeout')
if (socketio.getSnapshot().reason !== 'KEEP_ALIVE_TIMEOUT') throw new Error('socket.io: ' + socketio.getSnapshot().reason)
socketio.close()
if (ioOn.size || managerOn.size) throw new Error('socket.io: listeners left after close()')
let refused = null
try { attachPresence({}, {}) } catch (error) { refused = error }
if (!(refused instanceof TypeError)) throw new Error('socket.io/server: attachPresence took no identify')
console.log('pack: linklight/socket.io maps a socket and lets go of it on close(); linklight/socket.io/server checks its options')
`,
  )
  execFileSync('node', ['smoke.mjs'], { cwd: dir, stdio: 'inherit', timeout: 20_000 })

  await new Promise((resolve, reject) => {
    const bin = spawn(join(dir, 'node_modules/.bin/linklight-server'), ['--port', '0'], {
      cwd: dir,
    })
    const timer = setTimeout(
      () => (bin.kill('SIGKILL'), reject(new Error('linklight-server printed nothing in 10 s'))),
      10_000,
    )
    bin.stdout.on('data', (chunk) => {
      const line = String(chunk)
      if (!/listening on ws:\/\/127\.0\.0\.1:\d+/.test(line)) return
      console.log(`pack: the linklight-server command says "${line.trim()}"`)
      bin.kill('SIGTERM')
    })
    bin.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0 || signal === 'SIGTERM') resolve()
      else reject(new Error(`linklight-server exited with ${code ?? signal}`))
    })
  })
} finally {
  rmSync(dir, { recursive: true, force: true })
}
