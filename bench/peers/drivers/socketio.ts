/** socket.io-client against a socket.io server: connected means `socket.connected`. */
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client'
import { changes, type Driver } from './driver.js'

export type SocketIoOptions = Partial<ManagerOptions & SocketOptions>

export function socketIoDriver(url: string, options: SocketIoOptions): Driver {
  // forceNew: one Manager per client, or every client of a URL would share one socket.
  const socket = io(url, { transports: ['websocket'], forceNew: true, ...options })
  const change = changes()
  socket.on('connect', change.emit)
  socket.on('disconnect', change.emit)
  return {
    connected: () => socket.connected,
    onChange: change.on,
    send: (n) => void socket.emit('n', n),
    close: async () => void socket.close(),
  }
}
