/**
 * The example of the README and docs/sources.md ("Bring your own client"): a source for Beacon,
 * an imaginary client, built on the source kit `linklight` exports. beacon.test.ts proves it
 * with the contract suite, so the example in the docs is known to work.
 */
import { createSourceKit, type ConnectionSource } from '../../src/index.js'

/** Beacon, an imaginary realtime client: four statuses, who is online, `open()`, `close()`. */
export interface Beacon {
  on(event: 'status', listener: (status: 'idle' | 'connecting' | 'up' | 'retrying') => void): void
  on(event: 'presence', listener: (user: string, online: boolean) => void): void
  /** Connects (and reconnects by itself); resolves once up, rejects if closed first. */
  open(token?: string): Promise<void>
  close(): void
}

const states = {
  idle: ['CLOSED', 'LEAVE_CHANNEL'],
  connecting: ['AWAITING_CONNECTION', 'CONNECTING'],
  up: ['OPEN', 'JOIN_SUCCESS'], // the kit makes it REJOIN_SUCCESS after a drop
  retrying: ['RECONNECTING', 'INTERRUPTED'],
} as const

export function fromBeacon(beacon: Beacon): ConnectionSource {
  const kit = createSourceKit({ failurePrefix: 'Beacon' })
  beacon.on('status', (status) => kit.moveTo(states[status][0], states[status][1]))
  beacon.on('presence', (user, online) =>
    online ? kit.peerOnline(user) : kit.peerOffline(user, 'QUIT'),
  )
  const open = () => void beacon.open().catch(() => {}) // the state shows a failure
  return {
    ...kit.methods,
    connect: open,
    reconnect: open,
    login: (token) => beacon.open(token as string | undefined),
    send: () => Promise.reject(new Error('fromBeacon: Beacon cannot send; post to your API')),
    close: () => beacon.close(),
  }
}
