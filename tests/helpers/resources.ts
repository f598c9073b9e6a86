import { waitForStable } from './wait.js'

/** Timers and TCP sockets alive in this process right now. */
export function activeResources() {
  const info = process.getActiveResourcesInfo()
  return {
    timeouts: info.filter((kind) => kind === 'Timeout').length,
    sockets: info.filter((kind) => kind === 'TCPSocketWrap').length,
  }
}

export type ActiveResources = ReturnType<typeof activeResources>

/**
 * The counts once they have stayed the same for 200 ms: Vitest itself holds a timer for a
 * moment when a test starts, which would otherwise be counted in a baseline and gone by the end.
 */
export const quietResources = (): Promise<ActiveResources> =>
  waitForStable(activeResources, 200, { timeout: 3000, what: 'the active resources' })
