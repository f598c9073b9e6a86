/**
 * What a source did during one contract test, in the order it did it: every snapshot it
 * published and every event it emitted, each with what `getSnapshot()` (and, for peer events,
 * `getPeers()`) returned at that moment. The checks read this record; the waits are woken by it.
 */
import type { Peer } from '../../core/peers.js'
import type { ConnectionEvents, ConnectionSnapshot, ConnectionSource } from '../../core/types.js'
import { describeSnapshot } from './assert.js'

// The timers of the moment the module loads: a test that fakes timers must not stall the waits.
const { setTimeout: startTimer, clearTimeout: stopTimer } = globalThis

/** The name of a source event. */
export type EventName = keyof ConnectionEvents

/** Every event a `ConnectionSource` can emit. */
export const EVENT_NAMES: readonly EventName[] = [
  'connectionStateChanged',
  'lost',
  'restored',
  'peerJoined',
  'peerLeft',
  'peerUpdated',
  'message',
  'missed',
  'error',
]

const PEER_EVENTS: readonly EventName[] = ['peerJoined', 'peerLeft', 'peerUpdated']

/** A snapshot the source published to its subscribers. */
export interface SnapshotEntry {
  readonly kind: 'snapshot'
  readonly snapshot: ConnectionSnapshot
  /** `getSnapshot()` inside the listener. */
  readonly current: ConnectionSnapshot
}

/** An event the source emitted. */
export interface EventEntry<K extends EventName = EventName> {
  readonly kind: 'event'
  readonly name: K
  readonly args: Parameters<ConnectionEvents[K]>
  /** `getSnapshot()` inside the handler. */
  readonly current: ConnectionSnapshot
  /** `getPeers()` inside the handler, for peer events (`null` for the others). */
  readonly peers: ReadonlyMap<string, Peer> | null
}

export type Entry = SnapshotEntry | EventEntry

/** A recorded source, and waits that wake up on what it does. */
export interface Recorder {
  /** `getSnapshot()` when recording started. */
  readonly initial: ConnectionSnapshot
  /** Everything recorded, oldest first. */
  readonly entries: readonly Entry[]
  /** Where the record ends now: pass it as `from` to read only what came after. */
  mark(): number
  /** The initial snapshot (when `from` is 0) and every published one, from `from` on. */
  snapshots(from?: number): ConnectionSnapshot[]
  /** The published snapshots from `from` on, with their positions in `entries`. */
  published(from?: number): { readonly at: number; readonly entry: SnapshotEntry }[]
  /** The `name` events from `from` on, with their positions in `entries`. */
  events<K extends EventName>(
    name: K,
    from?: number,
  ): { readonly at: number; readonly entry: EventEntry<K> }[]
  /**
   * Resolves once `holds()` is true, checking now and after everything the source does; rejects
   * after `timeout` ms with a message saying what was awaited and where the source is.
   */
  waitFor(what: string, holds: () => boolean, timeout: number): Promise<void>
  /** The state changes seen so far, for failure messages: `CLOSED → OPEN/JOIN_SUCCESS → …`. */
  history(): string
  /** Stops listening to the source. */
  stop(): void
}

interface Waiter {
  readonly holds: () => boolean
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/** Starts recording `source`. */
export function record(source: ConnectionSource): Recorder {
  const initial = source.getSnapshot()
  const entries: Entry[] = []
  const waiters = new Set<Waiter>()

  const wake = () => {
    for (const waiter of [...waiters]) {
      try {
        if (!waiter.holds()) continue
        waiters.delete(waiter)
        waiter.resolve()
      } catch (error) {
        waiters.delete(waiter)
        waiter.reject(error)
      }
    }
  }

  const stops = [
    source.subscribe((snapshot) => {
      entries.push({ kind: 'snapshot', snapshot, current: source.getSnapshot() })
      wake()
    }),
    ...EVENT_NAMES.map((name) =>
      source.on(name, (...args: unknown[]) => {
        entries.push({
          kind: 'event',
          name,
          args,
          current: source.getSnapshot(),
          peers: PEER_EVENTS.includes(name) ? source.getPeers() : null,
        } as EventEntry)
        wake()
      }),
    ),
  ]

  const published = (from = 0) =>
    entries.flatMap((entry, at) => (at >= from && entry.kind == 'snapshot' ? [{ at, entry }] : []))

  const recorder: Recorder = {
    initial,
    entries,
    mark: () => entries.length,
    snapshots: (from = 0) => [
      ...(from == 0 ? [initial] : []),
      ...published(from).map(({ entry }) => entry.snapshot),
    ],
    published,
    events: <K extends EventName>(name: K, from = 0) =>
      entries.flatMap((entry, at) =>
        at >= from && entry.kind == 'event' && entry.name == name
          ? [{ at, entry: entry as EventEntry<K> }]
          : [],
      ),
    waitFor(what, holds, timeout) {
      return new Promise<void>((resolve, reject) => {
        const timer = startTimer(() => {
          waiters.delete(waiter)
          let now: string
          try {
            now = describeSnapshot(source.getSnapshot())
          } catch (error) {
            now = `unknown (getSnapshot() threw ${String(error)})`
          }
          reject(
            new Error(
              `Waited ${timeout} ms for ${what}, in vain. The source is now ${now}; its states so far: ${recorder.history()}`,
            ),
          )
        }, timeout)
        const waiter: Waiter = {
          holds,
          resolve: () => {
            stopTimer(timer)
            resolve()
          },
          reject: (error) => {
            stopTimer(timer)
            reject(error)
          },
        }
        waiters.add(waiter)
        wake()
      })
    },
    history() {
      const steps = [`${initial.state}${initial.reason ? `/${initial.reason}` : ''}`]
      let state = initial.state
      let reason = initial.reason
      for (const { entry } of published()) {
        const { snapshot } = entry
        if (snapshot.state == state && snapshot.reason == reason) continue
        steps.push(
          snapshot.state == state
            ? `(${snapshot.reason})`
            : `${snapshot.state}/${snapshot.reason ?? 'null'}`,
        )
        state = snapshot.state
        reason = snapshot.reason
      }
      const shown = steps.length > 24 ? ['…', ...steps.slice(-23)] : steps
      return shown.join(' → ')
    },
    stop() {
      for (const stop of stops.splice(0)) stop()
    },
  }
  return recorder
}

/** Waits `ms` on the real timers (for the few "nothing more happens" checks). */
export const quiet = (ms: number) => new Promise<void>((resolve) => startTimer(resolve, ms))

/**
 * `promise`, or a rejection saying `what` did not finish within `timeout` ms. A rejection of
 * `promise` is rethrown with `what` in front of its message.
 */
export function within<T>(promise: Promise<T>, timeout: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = startTimer(
      () => reject(new Error(`${what} did not finish within ${timeout} ms`)),
      timeout,
    )
    promise.then(
      (value) => {
        stopTimer(timer)
        resolve(value)
      },
      (error: unknown) => {
        stopTimer(timer)
        reject(
          new Error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          }),
        )
      },
    )
  })
}
