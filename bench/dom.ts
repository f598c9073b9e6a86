/**
 * The benches that render React need a DOM: a jsdom window whose globals are installed before
 * react-dom is first imported (react-dom decides at import time whether it runs in a browser).
 * react-use-websocket creates its sockets with the global `WebSocket` and checks
 * `instanceof WebSocket` before starting its heartbeat, so the global is `ws`'s WebSocket
 * (Node 20 has none).
 */
import { WebSocket } from 'ws'

interface JsdomModule {
  JSDOM: new (
    html: string,
    options: { pretendToBeVisual: boolean },
  ) => { window: Window & typeof globalThis }
}

/**
 * Installs the globals; returns the function that removes them and closes the window. `act`
 * says whether React runs in an act() environment (the render-count bench drives it with act).
 */
export async function installDom({ act = false } = {}): Promise<() => void> {
  // A variable, so TypeScript does not look for jsdom's (missing) types.
  const jsdomName = 'jsdom'
  const { JSDOM } = (await import(jsdomName)) as JsdomModule
  const { window } = new JSDOM('<!doctype html><html><body></body></html>', {
    pretendToBeVisual: true,
  })
  const globals = globalThis as Record<string, unknown>
  const added: string[] = []
  for (const name of [
    'window',
    'document',
    'navigator',
    'HTMLElement',
    'HTMLIFrameElement',
    'Node',
  ]) {
    if (name in globals) continue
    globals[name] = window[name as keyof typeof window]
    added.push(name)
  }
  if (!('WebSocket' in globals)) {
    globals.WebSocket = WebSocket
    added.push('WebSocket')
  }
  globals.IS_REACT_ACT_ENVIRONMENT = act
  return () => {
    for (const name of added) delete globals[name]
    delete globals.IS_REACT_ACT_ENVIRONMENT
    window.close()
  }
}
