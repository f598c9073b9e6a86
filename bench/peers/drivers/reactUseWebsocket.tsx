/**
 * react-use-websocket: its reconnection and heartbeat live in the hook, so it runs for real —
 * one React root per client under react-dom in jsdom (see ../dom.ts), on React's own scheduler.
 * Connected means the hook's `readyState === ReadyState.OPEN`, as a component would see it.
 */
import { useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import * as hookModule from 'react-use-websocket'
import { ReadyState, type Options } from 'react-use-websocket'
import { changes, type Driver } from './driver.js'

/**
 * The hook. The package is CommonJS with `exports.default`: under Node's ESM loader the default
 * import is the whole `module.exports`, under a bundler it is the hook; take whichever is callable.
 */
type UseWebSocket = typeof hookModule.default
const imported = hookModule.default as UseWebSocket | { default: UseWebSocket }
export const useWebSocket: UseWebSocket =
  typeof imported === 'function' ? imported : imported.default

// The hook warns every 100 ms from a timed-out heartbeat until its socket's close event (up to
// 30 s with ws), and once when it stops reconnecting: expected here, so kept off the report.
const warn = console.warn.bind(console)
console.warn = (...args: unknown[]) => {
  const text = String(args[0])
  if (text.startsWith('Heartbeat timed out') || text.startsWith('Max reconnect attempts')) return
  warn(...args)
}

export type { Options as UseWebSocketOptions } from 'react-use-websocket'

interface Link {
  readyState: ReadyState
  send: ((message: string) => void) | null
  emit: () => void
}

function Probe({ url, options, link }: { url: string; options: Options; link: Link }) {
  const { readyState, sendMessage } = useWebSocket(url, options)
  useEffect(() => {
    link.send = sendMessage
    link.readyState = readyState
    link.emit()
  }, [link, readyState, sendMessage])
  return null
}

export function reactUseWebsocketDriver(url: string, options: Options): Driver {
  const change = changes()
  const link: Link = { readyState: ReadyState.UNINSTANTIATED, send: null, emit: change.emit }
  const root = createRoot(document.createElement('div'))
  root.render(<Probe url={url} options={options} link={link} />)
  return {
    connected: () => link.readyState === ReadyState.OPEN,
    onChange: change.on,
    // keep = true (the default): queued while the socket is not open.
    send: (n) => link.send?.(`n:${n}`),
    close: async () => root.unmount(),
  }
}
