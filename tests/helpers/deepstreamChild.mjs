// A real @deepstream/server 7 in a process of its own: the server leaves intervals running
// after stop() (TOOLCHAIN.md), so tests kill this process instead. It listens on 127.0.0.1 at
// the port given as argv[2], then says { started: port } to its parent.
import { Deepstream } from '@deepstream/server'

const port = Number(process.argv[2])
const server = new Deepstream({
  serverName: 'linklight-test',
  showLogo: false,
  logLevel: 3, // WARN: the tests read the client, not the server's info lines
  httpServer: { type: 'default', options: { host: '127.0.0.1', port } },
  connectionEndpoints: [{ type: 'ws-binary', options: { urlPath: '/deepstream' } }],
  telemetry: { type: 'deepstreamIO', options: { enabled: false } },
  auth: [{ type: 'none', options: {} }],
  permission: { type: 'none', options: {} },
})
server.on('started', () => process.send?.({ started: port }))
server.start()
