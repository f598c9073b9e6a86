/**
 * The harness a source is proven with, and the session one contract test runs: the harness,
 * the record of what the source does, and the steps (online, drop, restore…) each bounded by
 * the harness's timeout and followed by a wait for what they must lead to.
 */
import type { ConnectionState } from '../../core/states.js'
import type { ConnectionSource } from '../../core/types.js'
import { SOURCE_METHODS } from '../../core/check.js'
import { check, show } from './assert.js'
import { record, within, type Recorder } from './recorder.js'

/**
 * What a harness may do to the peers of the source: other users of the same service. The suite
 * names each peer it makes (`'contract-ann'`, `'contract-bob'`) and passes that name to every
 * lever. Where the service lets a user choose its id, the harness uses the name as the id and
 * `join` returns nothing. Where the service assigns the id itself (a Yjs client id, a socket
 * id), `join` returns that id, or a promise of it: the suite then looks for the peer under it in
 * `getPeers()` and in the peer events, and still calls `update` and `leave` with the name.
 *
 * @example
 * ```ts
 * // A service whose users choose their ids: the name is the id.
 * const others = new Map<string, MyClient>()
 * const peers: SourceHarnessPeers = {
 *   async join(name, data) {
 *     const other = new MyClient(server.url)
 *     others.set(name, other)
 *     await other.login({ user: name, presence: data })
 *   },
 *   update: (name, data) => others.get(name)?.setPresence(data),
 *   leave: (name) => others.get(name)?.close(),
 * }
 *
 * // A service that assigns ids: join returns the one the source will see.
 * const sockets = new Map<string, Socket>()
 * const assigned: SourceHarnessPeers = {
 *   async join(name, data) {
 *     const socket = io(server.url, { auth: { presence: data } })
 *     sockets.set(name, socket)
 *     await new Promise((connected) => socket.once('connect', connected))
 *     return socket.id
 *   },
 *   update: (name, data) => void sockets.get(name)?.emit('presence', data),
 *   leave: (name) => void sockets.get(name)?.disconnect(),
 * }
 * ```
 */
export interface SourceHarnessPeers {
  /**
   * Another user, the suite's `name` for it, comes online (with `data` as its presence data
   * when the service has any). Returns nothing when `name` is the peer's id in the source, or
   * the id the service gave the peer (a non-empty string: `String(id)` for a number). May
   * resolve before the source has heard of the peer: the suite waits for its `peerJoined`.
   */
  join(name: string, data?: unknown): void | string | Promise<void | string>
  /**
   * The peer joined as `name` changes its presence data. Leave it out when the service has no
   * per-user data; then `join` may ignore `data`, and the tests of peer data are skipped with
   * `'peerData'`.
   */
  update?(name: string, data: unknown): void | Promise<void>
  /** The peer joined as `name` leaves (quits, closes its connection). */
  leave(name: string): void | Promise<void>
}

/**
 * A source under test and the levers that move it, made afresh for every contract test by
 * the `makeHarness` given to `describeConnectionSource`. Each lever may return a promise; the
 * suite waits for it (within `timeout`), then for the state it must lead to.
 *
 * @example
 * ```ts
 * const makeHarness = (): SourceHarness => {
 *   const source = createMockSource()
 *   return {
 *     source,
 *     goOnline: () => source.login(),
 *     drop: () => source.drop(),
 *     restore: () => source.restore(),
 *   }
 * }
 * ```
 */
export interface SourceHarness {
  /** The source under test, freshly made, not yet connected. */
  readonly source: ConnectionSource
  /** Brings the source to OPEN: `connect()`, `login()`, whatever it needs. */
  goOnline(): void | Promise<void>
  /**
   * Breaks the link from outside while the source is OPEN (the server is killed, the socket
   * cut): the source must leave OPEN and keep trying.
   */
  drop(): void | Promise<void>
  /**
   * Lets the link come back. A source that is still trying returns to OPEN by itself; one that
   * gave up waits for `reconnect()`.
   */
  restore(): void | Promise<void>
  /**
   * Makes the source give up (→ ERROR) while the link is down after `drop()`: run out its
   * attempts or its time. Without it, pass `without: ['giveUp']`.
   */
  giveUp?(): void | Promise<void>
  /**
   * Keeps the link down past the source's `lostAfter` while it is down after `drop()` (a
   * source with a short `lostAfter` needs to do nothing here). Without it, pass
   * `without: ['lose']`.
   */
  lose?(): void | Promise<void>
  /**
   * Other users coming and going, each under a name the suite gives it; `join` returns the
   * peer's id when the service assigns one. Without it, pass `without: ['peers']`.
   */
  readonly peers?: SourceHarnessPeers
  /** The id the source's own user has in the service, when it has one: never one of its peers. */
  readonly selfId?: string
  /** `false` for a source that cannot send: its `send()` must reject, saying what to use instead. */
  readonly canSend?: boolean
  /** Milliseconds one step may take (default 5000, at most 60000). */
  readonly timeout?: number
  /** Stops what the harness started (servers, other clients). The suite closes the source. */
  dispose?(): void | Promise<void>
}

/**
 * What a harness may lack, and the tests that need it are then skipped:
 * - `'giveUp'` — no `giveUp()`: the tests of ERROR and of `reconnect()` after it;
 * - `'lose'` — no `lose()`: the test of `lost`;
 * - `'peers'` — no `peers`: every peer test;
 * - `'peerData'` — no `peers.update()`: the test of `peerUpdated`.
 *
 * @example
 * ```ts
 * // a client without presence data, that never gives up by itself
 * const without: SourceCapability[] = ['giveUp', 'peerData']
 * describeConnectionSource('my source', makeHarness, { describe, it, afterEach, without })
 * ```
 */
export type SourceCapability = 'giveUp' | 'lose' | 'peers' | 'peerData'

/** Every capability, for checking what a user passes. */
export const CAPABILITIES: readonly SourceCapability[] = ['giveUp', 'lose', 'peers', 'peerData']

/** Default and ceiling of `SourceHarness.timeout`. */
export const DEFAULT_STEP_TIMEOUT = 5000
export const MAX_STEP_TIMEOUT = 60_000

/** One contract test's harness, its record, and the steps it takes. */
export interface Session {
  readonly harness: SourceHarness
  readonly source: ConnectionSource
  readonly rec: Recorder
  /** Milliseconds each step and wait may take. */
  readonly timeout: number
  /** Whether the harness has `capability` and the user did not opt out of it. */
  can(capability: SourceCapability): boolean
  /**
   * Runs `harness.peers.join(name, data)` within the timeout; resolves with the peer's id in the
   * source: what `join` returned, or `name` when it returned nothing.
   */
  joinPeer(name: string, data?: unknown): Promise<string>
  /** The id in the source of the peer joined as `name` (`name` itself before it joined). */
  peerId(name: string): string
  /** How a failure message names the peer joined as `name`: its id, and the name if another. */
  peerLabel(name: string): string
  /** Runs `harness[lever]()` within the timeout. */
  lever(name: 'goOnline' | 'drop' | 'restore' | 'giveUp' | 'lose'): Promise<void>
  /** Waits until the source's snapshot has `state` (within the timeout). */
  waitForState(state: ConnectionState, after: string): Promise<void>
  /** `harness.goOnline()`, then OPEN. */
  online(): Promise<void>
  /** `harness.drop()` while OPEN, then any state but OPEN. */
  drop(): Promise<void>
  /** `harness.restore()`, then OPEN. */
  restore(): Promise<void>
  /** `harness.giveUp()`, then ERROR. */
  giveUp(): Promise<void>
  /** `harness.lose()`, then a snapshot with `lost: true`. */
  lose(): Promise<void>
  /** `source.close()`, then CLOSED. */
  close(): Promise<void>
  /** Stops recording, closes the source and disposes of the harness. */
  dispose(): Promise<void>
}

const has = (harness: SourceHarness, capability: SourceCapability) =>
  capability == 'peers'
    ? harness.peers !== undefined
    : capability == 'peerData'
      ? typeof harness.peers?.update == 'function'
      : typeof harness[capability] == 'function'

/**
 * Checks what `makeHarness()` returned and starts recording its source. `needs` are the
 * capabilities the test cannot run without; `without` those the user opted out of.
 */
export function startSession(
  harness: SourceHarness,
  needs: readonly SourceCapability[],
  without: ReadonlySet<SourceCapability>,
): Session {
  const where = 'describeConnectionSource: makeHarness() must return'
  if (typeof harness != 'object' || harness === null)
    throw new TypeError(`${where} a harness object (got ${show(harness)})`)
  const { source } = harness
  check(
    typeof source == 'object' && source !== null,
    () => `${where} { source, goOnline, drop, restore, … } (source is ${show(source)})`,
  )
  for (const method of SOURCE_METHODS)
    if (typeof source[method] != 'function')
      throw new TypeError(
        `${where} a ConnectionSource as source: source.${method} is not a function`,
      )
  for (const lever of ['goOnline', 'drop', 'restore'] as const)
    if (typeof harness[lever] != 'function')
      throw new TypeError(`${where} ${lever}(): it is ${show(harness[lever])}`)
  const timeout = harness.timeout ?? DEFAULT_STEP_TIMEOUT
  if (!(typeof timeout == 'number' && timeout > 0 && timeout <= MAX_STEP_TIMEOUT))
    throw new TypeError(
      `${where} a timeout in ms between 1 and ${MAX_STEP_TIMEOUT}, or none (got ${show(timeout)})`,
    )
  for (const need of needs) {
    const lacks = need == 'peerData' ? 'peers.update()' : need == 'peers' ? 'peers' : `${need}()`
    if (!has(harness, need))
      throw new TypeError(
        `This test needs the harness's ${lacks}. Add it to the harness, or pass { without: ['${need}'] } to describeConnectionSource to skip the tests that need it.`,
      )
  }

  const rec = record(source)
  /** The suite's name of each peer the harness joined → its id in the source. */
  const peerIds = new Map<string, string>()
  const stateIs = (state: ConnectionState) => () => source.getSnapshot().state == state

  const session: Session = {
    harness,
    source,
    rec,
    timeout,
    can: (capability) => !without.has(capability) && has(harness, capability),
    async joinPeer(name, data) {
      const peers = harness.peers
      if (!peers) throw new TypeError('The harness has no peers')
      const call = `harness.peers.join(${show(name)}${data === undefined ? '' : `, ${show(data)}`})`
      const returned: unknown = await within(
        Promise.resolve().then(() =>
          data === undefined ? peers.join(name) : peers.join(name, data),
        ),
        timeout,
        call,
      )
      if (returned !== undefined && !(typeof returned == 'string' && returned.length > 0))
        throw new TypeError(
          `${call} returned ${show(returned)}. Return nothing when the peer's id in the source is the name given to join, or the id the service gave the peer as a non-empty string (String(id) for a number).`,
        )
      const id = typeof returned == 'string' ? returned : name
      for (const [other, otherId] of peerIds)
        if (other != name && otherId == id)
          throw new Error(
            `${call} returned ${show(id)}, which harness.peers.join(${show(other)}) returned too: each peer is another user, with an id of its own`,
          )
      peerIds.set(name, id)
      return id
    },
    peerId: (name) => peerIds.get(name) ?? name,
    peerLabel(name) {
      const id = session.peerId(name)
      return id == name ? show(id) : `${show(id)} (joined as ${show(name)})`
    },
    lever(name) {
      const run = harness[name]
      if (typeof run != 'function') throw new TypeError(`The harness has no ${name}()`)
      return within(
        Promise.resolve().then(() => run.call(harness)),
        timeout,
        `harness.${name}()`,
      )
    },
    waitForState: (state, after) => rec.waitFor(`state ${state} ${after}`, stateIs(state), timeout),
    async online() {
      await session.lever('goOnline')
      await session.waitForState('OPEN', 'after harness.goOnline()')
    },
    async drop() {
      check(
        source.getSnapshot().state == 'OPEN',
        () => `drop() is a step from OPEN; the source is ${source.getSnapshot().state}`,
      )
      await session.lever('drop')
      await rec.waitFor(
        'the source to leave OPEN after harness.drop()',
        () => source.getSnapshot().state != 'OPEN',
        timeout,
      )
    },
    async restore() {
      await session.lever('restore')
      await session.waitForState('OPEN', 'after harness.restore()')
    },
    async giveUp() {
      await session.lever('giveUp')
      await session.waitForState('ERROR', 'after harness.giveUp()')
    },
    async lose() {
      await session.lever('lose')
      await rec.waitFor(
        'a snapshot with lost: true after harness.lose()',
        () => source.getSnapshot().lost,
        timeout,
      )
    },
    async close() {
      source.close()
      await session.waitForState('CLOSED', 'after close()')
    },
    async dispose() {
      rec.stop()
      try {
        source.close()
      } finally {
        if (harness.dispose)
          await within(
            Promise.resolve().then(() => harness.dispose?.()),
            timeout,
            'harness.dispose()',
          )
      }
    },
  }
  return session
}
