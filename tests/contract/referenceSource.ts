/**
 * A connection source written by hand, with no linklight parts, that obeys the contract — and
 * can be told to break one rule at a time. suite.test.ts runs the contract suite against it to
 * show that every test passes for a source that obeys and fails for one that breaks its rule.
 */
import type { Peer } from '../../src/core/peers.js'
import type { ConnectionReason, ConnectionState } from '../../src/core/states.js'
import type { SourceHarness } from '../../src/testing/index.js'
import type {
  ConnectionEvents,
  ConnectionSnapshot,
  ConnectionSource,
} from '../../src/core/types.js'

/** One broken rule each. */
export type Defect =
  | 'copySnapshot' // getSnapshot() makes a new object every call
  | 'republish' // every snapshot is published twice, the second a copy
  | 'eventBeforeSnapshot' // connectionStateChanged before subscribers get the snapshot
  | 'notifyLate' // getSnapshot() changes, events fire, subscribers hear of it last
  | 'firstSubscriberOnly' // only the first subscriber gets snapshots
  | 'unsubscribeSplice' // unsubscribe() twice removes another listener
  | 'toneWrong' // RECONNECTING is red
  | 'phaseIgnoresRejoin' // the handshake of a rejoin reads CONNECTING
  | 'attemptZero' // RECONNECTING with attempt 0, so not retrying
  | 'sinceOnEverySnapshot' // since moves on a snapshot that keeps the state
  | 'doubleStateEvent' // connectionStateChanged twice per change
  | 'offSplice' // off() twice removes another handler
  | 'handlerThrowsThrough' // a throwing handler stops the rest
  | 'restoredOnJoin' // a first OPEN emits restored
  | 'lostAtDrop' // lost: true at the drop, reason INTERRUPTED
  | 'noRestored' // no restored after a rejoin
  | 'rejoinOnce' // only the first outage ends in REJOIN_SUCCESS
  | 'lostWrongReason' // lost turns true with reason INTERRUPTED
  | 'errorWithoutMessage' // ERROR with an empty error message
  | 'reconnectFresh' // reconnect() from ERROR starts a fresh connection, not retrying
  | 'reconnectJoins' // the OPEN after reconnect() from ERROR is JOIN_SUCCESS
  | 'listsSelf' // the source's own user among its peers
  | 'joinedBeforeAdded' // peerJoined before getPeers() has the peer
  | 'peersShared' // getPeers() returns the source's own Map
  | 'updateInPlace' // peerUpdated gives the same object, changed
  | 'leftBeforeRemoved' // peerLeft before getPeers() lets the peer go
  | 'rejoinAnnouncesAgain' // every peer joins again after a rejoin
  | 'sendRejects' // send() rejects while OPEN
  | 'closeKeepsPeers' // close() keeps the peers
  | 'loginHangs' // close() leaves a pending login() pending
  | 'closeTwiceEmits' // a second close() emits connectionStateChanged again
  | 'timerAfterClose' // close() leaves the retry timer running

type Handler = (...args: never[]) => void
type Extra = Partial<Pick<ConnectionSnapshot, 'attempt' | 'lost' | 'error'>>

// Each attempt, and the handshake step of one, takes this long.
const STEP_MS = 2
// An attempt while the link is down fails after this long.
const RETRY_MS = 20
const SELF = 'me'

const phaseFor = (state: ConnectionState, rejoin: boolean) =>
  state == 'CLOSED'
    ? 'DISCONNECTED'
    : state == 'OPEN'
      ? 'CONNECTED'
      : state == 'ERROR'
        ? 'FAILED'
        : state == 'RECONNECTING' || rejoin
          ? 'RECONNECTING'
          : 'CONNECTING'

/** A source over an imaginary link the harness cuts and restores, with `defects`. */
export function createReferenceSource(defects: ReadonlySet<Defect> = new Set()) {
  const has = (defect: Defect) => defects.has(defect)
  const listeners: ((snapshot: ConnectionSnapshot) => void)[] = []
  const handlers = new Map<keyof ConnectionEvents, Handler[]>()
  const peers = new Map<string, Peer>()
  let snapshot: ConnectionSnapshot = Object.freeze({
    state: 'CLOSED',
    previousState: null,
    reason: null,
    phase: 'DISCONNECTED',
    tone: 'neutral',
    since: Date.now(),
    attempt: 0,
    nextRetryAt: null,
    retrying: false,
    lost: false,
    queued: 0,
    error: null,
  })
  // The next OPEN ends an outage of a link that had been OPEN.
  let rejoin = false
  let rejoins = 0
  let linkUp = true
  let timer: ReturnType<typeof setTimeout> | undefined
  const waiting: { resolve: () => void; reject: (error: Error) => void }[] = []

  function emit<K extends keyof ConnectionEvents>(
    event: K,
    ...args: Parameters<ConnectionEvents[K]>
  ) {
    for (const handler of [...(handlers.get(event) ?? [])]) {
      const call = () => (handler as (...a: Parameters<ConnectionEvents[K]>) => void)(...args)
      if (has('handlerThrowsThrough')) call()
      else
        try {
          call()
        } catch {
          // a handler's failure is its own
        }
    }
  }

  function publish(next: ConnectionSnapshot) {
    snapshot = Object.freeze(next)
    if (has('notifyLate')) return
    notify()
  }

  function notify() {
    const audience = has('firstSubscriberOnly') ? listeners.slice(0, 1) : [...listeners]
    for (const listener of audience) listener(snapshot)
    if (has('republish')) {
      snapshot = Object.freeze({ ...snapshot })
      for (const listener of [...listeners]) listener(snapshot)
    }
  }

  function moveTo(state: ConnectionState, reason: ConnectionReason, extra: Extra = {}) {
    const before = snapshot
    const changed = state != before.state
    if (changed) {
      if (state == 'OPEN') rejoin = true
      if (state == 'CLOSED' || (before.state == 'ERROR' && state != 'RECONNECTING')) rejoin = false
      if (has('reconnectJoins') && state == 'ERROR') rejoin = false
    }
    const settled = state == 'OPEN' || state == 'CLOSED' || state == 'ERROR'
    const attempt = extra.attempt ?? (state == 'OPEN' || state == 'CLOSED' ? 0 : before.attempt)
    const clean = state == 'OPEN' || state == 'CLOSED'
    const lost = clean ? false : (extra.lost ?? before.lost)
    const next: ConnectionSnapshot = {
      state,
      previousState: changed ? before.state : before.previousState,
      reason,
      phase: has('phaseIgnoresRejoin')
        ? phaseFor(state, state == 'RECONNECTING')
        : phaseFor(state, rejoin && !settled),
      tone:
        state == 'OPEN'
          ? 'good'
          : state == 'ERROR' || (has('toneWrong') && state == 'RECONNECTING')
            ? 'bad'
            : 'neutral',
      since: changed ? Date.now() : before.since + (has('sinceOnEverySnapshot') ? 1 : 0),
      attempt,
      nextRetryAt: null,
      retrying: attempt > 0 && !settled,
      lost,
      queued: 0,
      error: clean ? null : (extra.error ?? (state == 'ERROR' ? before.error : null)),
    }
    if (changed && has('eventBeforeSnapshot')) emit('connectionStateChanged', state, reason)
    publish(next)
    if (changed && !has('eventBeforeSnapshot')) {
      emit('connectionStateChanged', state, reason)
      if (has('doubleStateEvent')) emit('connectionStateChanged', state, reason)
    }
    if (has('notifyLate')) notify()
    if (lost && !before.lost) emit('lost')
    if (changed && (reason == 'REJOIN_SUCCESS' || (has('restoredOnJoin') && state == 'OPEN')))
      if (!has('noRestored')) emit('restored')
    if (changed && state == 'OPEN') {
      for (const w of waiting.splice(0)) w.resolve()
      if (reason == 'REJOIN_SUCCESS' && has('rejoinAnnouncesAgain'))
        for (const peer of peers.values()) emit('peerJoined', peer)
    }
  }

  const schedule = (step: () => void, ms: number) => {
    clearTimeout(timer)
    timer = setTimeout(step, ms)
  }

  /** One attempt: a handshake, then OPEN if the link is up, else back to waiting. */
  function attempt() {
    const attempts = snapshot.attempt
    moveTo('AWAITING_CONNECTION', 'CONNECTING', { attempt: attempts })
    schedule(() => {
      if (linkUp) {
        const rejoined = rejoin && !(has('rejoinOnce') && rejoins > 0)
        if (rejoined) rejoins++
        return moveTo('OPEN', rejoined ? 'REJOIN_SUCCESS' : 'JOIN_SUCCESS')
      }
      moveTo('RECONNECTING', 'INTERRUPTED', { attempt: attempts + 1 })
      schedule(attempt, RETRY_MS)
    }, STEP_MS)
  }

  function peerOnline(id: string, data?: unknown) {
    const before = peers.get(id)
    if (before && has('updateInPlace')) {
      ;(before as { data?: unknown }).data = data
      return emit('peerUpdated', before)
    }
    const now = Date.now()
    const peer: Peer = {
      id,
      online: true,
      joinedAt: before?.joinedAt ?? now,
      lastSeenAt: now,
      ...(data !== undefined && { data }),
    }
    if (has('joinedBeforeAdded') && !before) emit('peerJoined', peer)
    peers.set(id, peer)
    if (!has('joinedBeforeAdded') || before) emit(before ? 'peerUpdated' : 'peerJoined', peer)
  }

  function peerOffline(id: string, reason?: 'QUIT') {
    const peer = peers.get(id)
    if (!peer) return
    const left: Peer = { ...peer, online: false, ...(reason && { leftReason: reason }) }
    if (has('leftBeforeRemoved')) emit('peerLeft', left)
    peers.delete(id)
    if (!has('leftBeforeRemoved')) emit('peerLeft', left)
  }

  const connect = () => {
    if (snapshot.state != 'CLOSED' && snapshot.state != 'ERROR') return
    moveTo('AWAITING_CONNECTION', 'CONNECTING', { attempt: 0 })
    schedule(() => (linkUp ? moveTo('OPEN', 'JOIN_SUCCESS') : attempt()), STEP_MS)
    if (has('listsSelf')) peerOnline(SELF)
  }

  const source: ConnectionSource = {
    getSnapshot: () => (has('copySnapshot') ? { ...snapshot } : snapshot),
    subscribe(listener) {
      listeners.push(listener)
      let done = false
      return () => {
        if (done && !has('unsubscribeSplice')) return
        done = true
        listeners.splice(listeners.indexOf(listener), 1)
      }
    },
    on(event, handler) {
      const list = handlers.get(event) ?? []
      handlers.set(event, list)
      list.push(handler)
      let done = false
      return () => {
        if (done && !has('offSplice')) return
        done = true
        list.splice(list.indexOf(handler), 1)
      }
    },
    getPeers: () => (has('peersShared') ? peers : new Map(peers)),
    connect,
    login() {
      if (snapshot.state == 'OPEN') return Promise.resolve()
      const done = new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }))
      done.catch(() => {}) // awaiting it is optional
      connect()
      return done
    },
    async send() {
      if (has('sendRejects')) throw new Error('reference source: refused')
      if (snapshot.state != 'OPEN') {
        const sent = new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }))
        sent.catch(() => {}) // awaiting it is optional
        return sent
      }
    },
    reconnect() {
      if (snapshot.state == 'CLOSED') return connect()
      if (snapshot.state != 'ERROR') return
      if (has('reconnectFresh')) return connect()
      moveTo('RECONNECTING', 'RETRY_REQUESTED', { attempt: 1 })
      schedule(attempt, STEP_MS)
    },
    close() {
      if (snapshot.state == 'CLOSED') {
        if (has('closeTwiceEmits')) emit('connectionStateChanged', 'CLOSED', 'LEAVE_CHANNEL')
        return
      }
      if (!has('timerAfterClose')) clearTimeout(timer)
      const gone = new Error('reference source: closed')
      if (!has('loginHangs')) for (const w of waiting.splice(0)) w.reject(gone)
      moveTo('CLOSED', 'LEAVE_CHANNEL')
      if (!has('closeKeepsPeers')) for (const id of [...peers.keys()]) peerOffline(id)
    },
  }

  /** What the harness does to the link and the other users. */
  const levers = {
    drop() {
      linkUp = false
      moveTo('RECONNECTING', 'INTERRUPTED', {
        attempt: has('attemptZero') ? 0 : 1,
        ...(has('lostAtDrop') && { lost: true }),
      })
      schedule(attempt, RETRY_MS)
    },
    restore() {
      linkUp = true
      if (snapshot.state == 'RECONNECTING') schedule(attempt, STEP_MS)
    },
    lose() {
      moveTo(snapshot.state, has('lostWrongReason') ? snapshot.reason! : 'LOST', { lost: true })
    },
    giveUp() {
      clearTimeout(timer)
      moveTo('ERROR', 'MAX_RECONNECT_ATTEMPTS', {
        error: {
          code: 'MAX_RECONNECT_ATTEMPTS',
          message: has('errorWithoutMessage') ? '' : 'Gave up: the link stayed down',
        },
      })
    },
    peerOnline,
    peerOffline,
  }
  return { source, levers }
}

/**
 * How the reference harness's peers get their ids: `'names'` — the suite's names are the ids;
 * `'assigned'` — the source gives each peer an id of its own (`user-1`, `user-2`…), which
 * `join` returns, as for a Yjs or Socket.IO source; `'misreported'` — ids are assigned, but
 * `join` returns another one.
 */
export type ReferencePeerIds = 'names' | 'assigned' | 'misreported'

/** A harness for the reference source with `defects`, its peers' ids made as `peerIds` says. */
export function makeReferenceHarness(
  defects: readonly Defect[] = [],
  peerIds: ReferencePeerIds = 'names',
): SourceHarness {
  const { source, levers } = createReferenceSource(new Set(defects))
  const ids = new Map<string, string>()
  const idOf = (name: string) => (peerIds == 'names' ? name : ids.get(name)!)
  return {
    source,
    selfId: SELF,
    timeout: 1000,
    goOnline: () => source.login(),
    drop: levers.drop,
    restore: levers.restore,
    giveUp: levers.giveUp,
    lose: levers.lose,
    peers: {
      join(name, data) {
        if (peerIds == 'names') return levers.peerOnline(name, data)
        const id = `user-${ids.size + 1}`
        ids.set(name, id)
        levers.peerOnline(id, data)
        return peerIds == 'assigned' ? id : `user-${ids.size + 100}`
      },
      update: (name, data) => levers.peerOnline(idOf(name), data),
      leave: (name) => levers.peerOffline(idOf(name), 'QUIT'),
    },
  }
}
