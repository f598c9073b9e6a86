/** linklight's own client against its reference server: connected means `OPEN`. */
import { WebSocket } from 'ws'
import { createClient, type ClientOptions } from '../../../src/index.js'
import { changes, type Driver } from './driver.js'

let ids = 0

export function linklightDriver(url: string, options: ClientOptions): Driver {
  const client = createClient(url, { ...options, WebSocket })
  const change = changes()
  client.on('connectionStateChanged', change.emit)
  client.login({ id: `bench-${++ids}` }).catch(() => {})
  return {
    connected: () => client.getConnectionState() === 'OPEN',
    onChange: change.on,
    // send() resolves on the server's ack; a rejection (close() with messages queued) is expected.
    send: (n) => void client.send(n).catch(() => {}),
    close: async () => client.close(),
  }
}
