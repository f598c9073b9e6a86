/**
 * The hand-written source of docs/sources.md, for Beacon (an imaginary client), proven with the
 * contract suite as the docs show — over a stand-in for Beacon whose link a test can cut.
 */
import { afterEach, describe, it } from 'vitest'
import { describeConnectionSource } from '../../src/testing/index.js'
import { fromBeacon, type Beacon } from './beacon.js'

type Status = 'idle' | 'connecting' | 'up' | 'retrying'

/** Beacon as the docs describe it: it tries every few ms until the link is there. */
class FakeBeacon implements Beacon {
  private status: Status = 'idle'
  private linkUp = true
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly listeners: ((status: Status) => void)[] = []
  private readonly presence: ((user: string, online: boolean) => void)[] = []
  private waiting: { resolve: () => void; reject: (error: Error) => void }[] = []

  on(event: 'status', listener: (status: Status) => void): void
  on(event: 'presence', listener: (user: string, online: boolean) => void): void
  on(event: 'status' | 'presence', listener: never) {
    if (event == 'status') this.listeners.push(listener)
    else this.presence.push(listener)
  }
  /** Another user comes online or goes (Beacon tells only while up). */
  user(id: string, online: boolean) {
    for (const listener of [...this.presence]) listener(id, online)
  }
  open() {
    if (this.status == 'up') return Promise.resolve()
    const opened = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }))
    if (this.status == 'idle') {
      this.set('connecting')
      this.attempt()
    }
    return opened
  }
  close() {
    clearTimeout(this.timer)
    for (const { reject } of this.waiting.splice(0)) reject(new Error('Beacon closed'))
    this.set('idle')
  }
  /** The link breaks: Beacon retries until `heal()`. */
  cut() {
    this.linkUp = false
    this.set('retrying')
    this.attempt()
  }
  heal() {
    this.linkUp = true
  }

  private set(status: Status) {
    if (status == this.status) return
    this.status = status
    for (const listener of [...this.listeners]) listener(status)
    if (status == 'up') for (const { resolve } of this.waiting.splice(0)) resolve()
  }
  private attempt() {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      if (this.linkUp) return this.set('up')
      this.set('retrying')
      this.attempt()
    }, 5)
  }
}

// The test of the docs' example, as the docs show it.
describeConnectionSource(
  'fromBeacon',
  () => {
    const beacon = new FakeBeacon()
    const source = fromBeacon(beacon)
    return {
      source,
      goOnline: () => source.login(),
      drop: () => beacon.cut(),
      restore: () => beacon.heal(),
      peers: {
        join: (id: string) => beacon.user(id, true),
        leave: (id: string) => beacon.user(id, false),
      },
      canSend: false,
    }
  },
  { describe, it, afterEach, without: ['giveUp', 'lose', 'peerData'] },
)
