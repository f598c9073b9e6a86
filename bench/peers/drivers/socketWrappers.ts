/**
 * partysocket's `WebSocket` and reconnecting-websocket: both wrap a WebSocket, reconnect with a
 * growing delay and buffer `send()` while closed. Connected means `readyState === OPEN`.
 */
import { WebSocket as PartySocket } from 'partysocket'
import ReconnectingWebSocket from 'reconnecting-websocket'
import { WebSocket } from 'ws'
import { changes, type Driver } from './driver.js'

/** The options both accept (partysocket's is a fork of reconnecting-websocket's). */
export interface WrapperOptions {
  minReconnectionDelay?: number
  maxReconnectionDelay?: number
  reconnectionDelayGrowFactor?: number
  connectionTimeout?: number
}

interface Wrapper {
  readonly readyState: number
  addEventListener(type: 'open' | 'close', listener: () => void): void
  send(data: string): void
  close(): void
}

function wrapperDriver(socket: Wrapper): Driver {
  const change = changes()
  socket.addEventListener('open', change.emit)
  socket.addEventListener('close', change.emit)
  return {
    connected: () => socket.readyState === 1,
    onChange: change.on,
    send: (n) => socket.send(`n:${n}`),
    close: async () => socket.close(),
  }
}

export const partysocketDriver = (url: string, options: WrapperOptions): Driver =>
  wrapperDriver(new PartySocket(url, undefined, { ...options, WebSocket }))

export const reconnectingWebSocketDriver = (url: string, options: WrapperOptions): Driver =>
  wrapperDriver(new ReconnectingWebSocket(url, undefined, { ...options, WebSocket }))
