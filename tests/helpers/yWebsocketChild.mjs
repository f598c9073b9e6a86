// A y-websocket server (@y/websocket-server 0.1.1) in a process of its own, so a test can
// SIGKILL it and start it again on the same port. It serves setupWSConnection on an http + ws
// server bound to 127.0.0.1 at the port given as argv[2], then says { started: port } to its
// parent. Documents live in this process's memory only: a killed server forgets them.
import http from 'node:http'
import { setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'

const port = Number(process.argv[2])

// The parent is gone (its IPC channel closed): leave no orphan behind.
process.on('disconnect', () => process.exit(0))

const wss = new WebSocketServer({ noServer: true })
wss.on('connection', setupWSConnection)

const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
})
server.listen(port, '127.0.0.1', () => process.send?.({ started: port, pid: process.pid }))
