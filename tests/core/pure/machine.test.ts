import { describe, expect, it } from 'vitest'
import {
  deadlineOf,
  initialMachine,
  timersOf,
  transition,
  type Machine,
  type MachineEvent,
  type TimerName,
} from '../../../src/core/machine.js'
import {
  presets,
  resolveOptions,
  type ClientOptions,
  type ResolvedOptions,
  type WebSocketConstructor,
} from '../../../src/core/options.js'
import { plainProtocol } from '../../../src/core/protocol.js'
import type { ConnectionState } from '../../../src/core/states.js'

const FakeSocket = class {} as unknown as WebSocketConstructor
const options = (extra: ClientOptions = {}) => resolveOptions({ WebSocket: FakeSocket, ...extra })

// Short, distinct numbers so each expectation can only come from the right option.
const o = options({
  reconnectIntervalIncrement: 2000,
  maxReconnectInterval: 5000,
  maxReconnectAttempts: 4,
  connectTimeout: 1000,
})
const agora = options({ ...presets.agora })

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/** One transition on a deep-frozen input, checking the input is left exactly as it was. */
function step(m: Machine, event: MachineEvent, opts: ResolvedOptions = o): Machine {
  const input = deepFreeze(m)
  const before = structuredClone(input)
  const next = transition(input, event, opts)
  expect(input).toEqual(before)
  return next
}

const failed = (socket: number, now: number, silentSince?: number): MachineEvent =>
  silentSince === undefined
    ? { type: 'failed', socket, now, reason: 'SERVER_CLOSED', message: 'closed' }
    : { type: 'failed', socket, now, reason: 'SERVER_CLOSED', message: 'closed', silentSince }

/** One machine in each state, reached the way a client reaches it; OPEN at t = 1040. */
function machines(opts: ResolvedOptions = o) {
  const CLOSED = initialMachine
  const AWAITING_CONNECTION = step(CLOSED, { type: 'connect', now: 1000 }, opts)
  const s = AWAITING_CONNECTION.socket
  const CHALLENGING = step(AWAITING_CONNECTION, { type: 'challenge', socket: s, now: 1010 }, opts)
  const AWAITING_AUTHENTICATION = step(CHALLENGING, { type: 'accept', socket: s, now: 1020 }, opts)
  const AUTHENTICATING = step(AWAITING_AUTHENTICATION, { type: 'login', now: 1030 }, opts)
  const OPEN = step(AUTHENTICATING, { type: 'welcome', socket: s, now: 1040 }, opts)
  const RECONNECTING = step(OPEN, failed(s, 2000, 1900), opts)
  const ERROR = step(
    OPEN,
    { type: 'fatal', socket: s, now: 2000, reason: 'PROTOCOL_ERROR', message: 'boom' },
    opts,
  )
  const all: Record<ConnectionState, Machine> = {
    CLOSED,
    AWAITING_CONNECTION,
    CHALLENGING,
    AWAITING_AUTHENTICATION,
    AUTHENTICATING,
    OPEN,
    RECONNECTING,
    ERROR,
  }
  for (const [state, m] of Object.entries(all)) expect(m.state).toBe(state)
  return all
}

/** Runs the handshake of the machine's current socket through to OPEN. */
function handshake(m: Machine, now: number, opts: ResolvedOptions = o): Machine {
  const socket = m.socket
  let next = step(m, { type: 'opened', socket, now }, opts)
  next = step(next, { type: 'challenge', socket, now: now + 1 }, opts)
  next = step(next, { type: 'accept', socket, now: now + 2 }, opts)
  return step(next, { type: 'welcome', socket, now: now + 3 }, opts)
}

describe('transition', () => {
  it('never mutates the machine it is given (deep-frozen inputs, a long scenario)', () => {
    const all = machines(agora)
    let m = all.RECONNECTING
    let now = 3000
    for (let k = 0; k < 6; k++) {
      m = step(m, failed(m.socket, (now += 10)), agora)
      m = step(m, { type: 'tick', now: (now = m.nextRetryAt ?? now) }, agora)
      m = step(m, { type: 'opened', socket: m.socket, now: (now += 10) }, agora)
      m = step(m, { type: 'challenge', socket: m.socket, now: (now += 10) }, agora)
      m = step(m, { type: 'redirect', socket: m.socket, url: 'ws://b', now: (now += 10) }, agora)
    }
    m = step(m, { type: 'tick', now: (now += 10) }, agora)
    m = step(m, { type: 'reconnect', now: (now += 10) }, agora)
    m = step(m, { type: 'tick', now: (now += 10) }, agora)
    m = step(m, { type: 'reconnect', now: (now += 10) }, agora)
    m = handshake(m, (now += 10), agora)
    m = step(m, { type: 'heartbeatFailed', silentSince: now, now: (now += 5000) }, agora)
    m = step(m, { type: 'close', now: (now += 10) }, agora)
    expect(m.state).toBe('CLOSED')
    // Every state the scenarios went through was a frozen input at least once.
    for (const machine of Object.values(all)) {
      step(machine, { type: 'close', now: 99_999 }, agora)
      step(machine, { type: 'reconnect', now: 99_999 }, agora)
      step(machine, { type: 'login', now: 99_999 }, agora)
    }
  })

  it.each<[ConnectionState, string, (m: Machine) => MachineEvent]>([
    ['OPEN', 'challenge', (m) => ({ type: 'challenge', socket: m.socket, now: 5000 })],
    ['OPEN', 'accept', (m) => ({ type: 'accept', socket: m.socket, now: 5000 })],
    ['OPEN', 'connect', () => ({ type: 'connect', now: 5000 })],
    ['OPEN', 'online', () => ({ type: 'online', now: 5000 })],
    [
      'OPEN',
      'rejected',
      (m) => ({
        type: 'rejected',
        socket: m.socket,
        now: 5000,
        reason: 'INVALID_TOKEN',
        message: '',
      }),
    ],
    ['AWAITING_CONNECTION', 'welcome', (m) => ({ type: 'welcome', socket: m.socket, now: 1005 })],
    ['AWAITING_CONNECTION', 'opened', (m) => ({ type: 'opened', socket: m.socket, now: 1005 })],
    ['AWAITING_CONNECTION', 'reconnect', () => ({ type: 'reconnect', now: 1005 })],
    ['RECONNECTING', 'connect', () => ({ type: 'connect', now: 2001 })],
    [
      'RECONNECTING',
      'heartbeatFailed',
      () => ({ type: 'heartbeatFailed', silentSince: 0, now: 2001 }),
    ],
    ['CLOSED', 'close', () => ({ type: 'close', now: 5000 })],
  ])('in %s, %s changes nothing and returns the same object', (state, _, event) => {
    const m = machines()[state]
    expect(step(m, event(m))).toBe(m)
  })

  it('events of a socket the machine no longer wants are ignored', () => {
    const { OPEN, RECONNECTING } = machines()
    const old = OPEN.socket
    expect(RECONNECTING.socket).not.toBe(old)
    const staleEvents: MachineEvent[] = [
      { type: 'opened', socket: old, now: 2001 },
      { type: 'challenge', socket: old, now: 2001 },
      { type: 'accept', socket: old, now: 2001 },
      { type: 'welcome', socket: old, now: 2001 },
      { type: 'redirect', socket: old, url: 'ws://elsewhere', now: 2001 },
      failed(old, 2001),
      { type: 'fatal', socket: old, now: 2001, reason: 'PROTOCOL_ERROR', message: 'old' },
    ]
    for (const event of staleEvents) expect(step(RECONNECTING, event)).toBe(RECONNECTING)
    // The same events on the current socket do change it.
    expect(step(RECONNECTING, failed(RECONNECTING.socket, 2001))).not.toBe(RECONNECTING)
    expect(step(OPEN, failed(OPEN.socket + 1, 2001))).toBe(OPEN)
  })

  it('after a reconnection an old socket closing late does not start another outage', () => {
    const { RECONNECTING, OPEN } = machines()
    const back = handshake(RECONNECTING, 2100)
    expect(step(back, failed(OPEN.socket, 3000))).toBe(back)
  })

  it('connect from CLOSED opens a socket: AWAITING_CONNECTION/CONNECTING with a connect deadline', () => {
    const m = step(initialMachine, { type: 'connect', now: 1000 })
    expect(m).toMatchObject({
      state: 'AWAITING_CONNECTION',
      reason: 'CONNECTING',
      attempt: 0,
      nextRetryAt: null,
      connectDeadline: 2000,
    })
    expect(m.socket).toBeGreaterThan(0)
    expect(timersOf(m, o)).toEqual({ connect: 2000 })
  })

  it('connect from ERROR starts over as a first connection', () => {
    const { ERROR } = machines()
    const m = step(ERROR, { type: 'connect', now: 3000 })
    expect(m).toMatchObject({
      state: 'AWAITING_CONNECTION',
      reason: 'CONNECTING',
      attempt: 0,
      error: null,
      rejoin: false,
    })
    expect(m.socket).toBeGreaterThan(0)
  })

  it.each<ConnectionState>([
    'AWAITING_CONNECTION',
    'CHALLENGING',
    'AWAITING_AUTHENTICATION',
    'AUTHENTICATING',
    'OPEN',
    'RECONNECTING',
    'ERROR',
  ])('close() from %s → CLOSED/LEAVE_CHANNEL with no socket and no timer', (state) => {
    for (const opts of [o, agora]) {
      const m = machines(opts)[state]
      const closed = step(m, { type: 'close', now: 3000 }, opts)
      expect(closed).toMatchObject({
        state: 'CLOSED',
        reason: 'LEAVE_CHANNEL',
        socket: 0,
        attempt: 0,
        nextRetryAt: null,
        connectDeadline: null,
        error: null,
      })
      expect(timersOf(closed, opts)).toEqual({})
    }
  })

  it('close() while waiting for a retry leaves no timer either', () => {
    const { RECONNECTING } = machines(agora)
    const waiting = step(RECONNECTING, failed(RECONNECTING.socket, 2100), agora)
    expect(timersOf(waiting, agora).retry).toBeDefined()
    const closed = step(waiting, { type: 'close', now: 2200 }, agora)
    expect(timersOf(closed, agora)).toEqual({})
  })

  it('deepstream: an open link that fails is RECONNECTING with attempt 1 on a new socket at once', () => {
    const { OPEN } = machines()
    const m = step(OPEN, failed(OPEN.socket, 5000))
    expect(m).toMatchObject({
      state: 'RECONNECTING',
      reason: 'SERVER_CLOSED',
      attempt: 1,
      nextRetryAt: null,
      error: { code: 'SERVER_CLOSED', message: 'closed' },
    })
    expect(m.socket).not.toBe(0)
    expect(m.socket).not.toBe(OPEN.socket)
    expect(timersOf(m, o)).toEqual({ connect: 6000 })
  })

  it('deepstream: a first connection that fails also retries at once', () => {
    const { AWAITING_CONNECTION } = machines()
    const m = step(AWAITING_CONNECTION, failed(AWAITING_CONNECTION.socket, 1500))
    expect(m).toMatchObject({ state: 'RECONNECTING', attempt: 1, nextRetryAt: null })
    expect(m.socket).not.toBe(AWAITING_CONNECTION.socket)
    expect(m.socket).not.toBe(0)
  })

  it("deepstream: heartbeatFailure 'error' → ERROR/KEEP_ALIVE_TIMEOUT with no timer", () => {
    const { OPEN } = machines()
    const m = step(OPEN, { type: 'heartbeatFailed', silentSince: 1040, now: 61_040 })
    expect(m).toMatchObject({ state: 'ERROR', reason: 'KEEP_ALIVE_TIMEOUT', socket: 0 })
    expect(timersOf(m, o)).toEqual({})
  })

  it("agora: heartbeatFailure 'reconnect' → RECONNECTING/KEEP_ALIVE_TIMEOUT, attempt 1 at once", () => {
    const { OPEN } = machines(agora)
    const m = step(OPEN, { type: 'heartbeatFailed', silentSince: 1040, now: 6040 }, agora)
    expect(m).toMatchObject({ state: 'RECONNECTING', reason: 'KEEP_ALIVE_TIMEOUT', attempt: 1 })
    expect(m.socket).not.toBe(OPEN.socket)
  })

  it('deepstream: with an increment of 2000 the waits are 0, 2 s, 4 s, 6 s', () => {
    const opts = options({ reconnectIntervalIncrement: 2000 })
    let m = machines(opts).OPEN
    let now = 10_000
    const starts: number[] = []
    m = step(m, failed(m.socket, now), opts)
    starts.push(now)
    for (let k = 1; k <= 3; k++) {
      m = step(m, failed(m.socket, now), opts)
      now = m.nextRetryAt!
      m = step(m, { type: 'tick', now }, opts)
      expect(m.attempt).toBe(k + 1)
      starts.push(now)
    }
    const waits = starts.map((t, i) => t - (i === 0 ? 10_000 : starts[i - 1]!))
    expect(waits).toEqual([0, 2000, 4000, 6000])
  })

  it('deepstream: failed attempt k waits min(maxReconnectInterval, increment × k), then gives up after the last', () => {
    let m = machines().RECONNECTING
    let now = 2000
    for (const [k, wait] of [
      [1, 2000],
      [2, 4000],
      [3, 5000],
    ] as const) {
      expect(m.attempt).toBe(k)
      now += 300
      const attemptSocket = m.socket
      m = step(m, failed(attemptSocket, now))
      expect(m).toMatchObject({ state: 'RECONNECTING', attempt: k, socket: 0 })
      expect(m.nextRetryAt).toBe(now + wait)
      expect(timersOf(m, o)).toEqual({ retry: now + wait })
      now += wait
      m = step(m, { type: 'tick', now })
      expect(m).toMatchObject({ state: 'RECONNECTING', attempt: k + 1, nextRetryAt: null })
      expect(m.socket).not.toBe(0)
      expect(m.socket).not.toBe(attemptSocket)
      expect(timersOf(m, o)).toEqual({ connect: now + 1000 })
    }
    // The 4th (last) attempt fails.
    m = step(m, failed(m.socket, now + 300))
    expect(m).toMatchObject({
      state: 'ERROR',
      reason: 'MAX_RECONNECT_ATTEMPTS',
      socket: 0,
      nextRetryAt: null,
      error: { code: 'MAX_RECONNECT_ATTEMPTS' },
    })
    expect(m.error?.message).toContain('4 failed reconnection attempts')
    expect(timersOf(m, o)).toEqual({})
  })

  it('deepstream: maxReconnectAttempts 1 gives up when the single attempt fails', () => {
    const opts = options({ maxReconnectAttempts: 1 })
    const { RECONNECTING } = machines(opts)
    const m = step(RECONNECTING, failed(RECONNECTING.socket, 2100), opts)
    expect(m).toMatchObject({ state: 'ERROR', reason: 'MAX_RECONNECT_ATTEMPTS' })
  })

  it('deepstream: a retry timer that fires while the attempt is still running changes nothing', () => {
    const { RECONNECTING } = machines()
    expect(step(RECONNECTING, { type: 'tick', now: 2500 })).toBe(RECONNECTING)
  })

  it('reconnect() skips the wait with RETRY_REQUESTED', () => {
    const { RECONNECTING } = machines()
    const waiting = step(RECONNECTING, failed(RECONNECTING.socket, 2100))
    const m = step(waiting, { type: 'reconnect', now: 2200 })
    expect(m).toMatchObject({ state: 'RECONNECTING', reason: 'RETRY_REQUESTED', attempt: 2 })
    expect(m.socket).not.toBe(0)
    expect(timersOf(m, o).retry).toBeUndefined()
  })

  it('coming back online skips the wait with NETWORK_ONLINE', () => {
    const { RECONNECTING } = machines()
    const waiting = step(RECONNECTING, failed(RECONNECTING.socket, 2100))
    const m = step(waiting, { type: 'online', now: 2200 })
    expect(m).toMatchObject({ state: 'RECONNECTING', reason: 'NETWORK_ONLINE', attempt: 2 })
    expect(m.socket).not.toBe(0)
    // While an attempt is already running, online changes nothing.
    expect(step(m, { type: 'online', now: 2300 })).toBe(m)
  })

  it('reconnect() from ERROR tries again at once', () => {
    const { ERROR } = machines()
    const m = step(ERROR, { type: 'reconnect', now: 3000 })
    expect(m).toMatchObject({ state: 'RECONNECTING', reason: 'RETRY_REQUESTED', attempt: 1 })
    expect(m.socket).not.toBe(0)
  })

  it('agora: the first OPEN is JOIN_SUCCESS', () => {
    expect(machines().OPEN).toMatchObject({
      reason: 'JOIN_SUCCESS',
    })
  })

  it('deepstream / agora: welcome after reconnecting → OPEN/REJOIN_SUCCESS with attempt 0', () => {
    let m = machines().RECONNECTING
    m = step(m, failed(m.socket, 2100))
    m = step(m, { type: 'tick', now: m.nextRetryAt! })
    expect(m.attempt).toBe(2)
    const socket = m.socket
    m = step(m, { type: 'opened', socket, now: 4200 })
    expect(m).toMatchObject({ state: 'AWAITING_CONNECTION', reason: 'CONNECTING' })
    m = step(m, { type: 'challenge', socket, now: 4210 })
    // Credentials given to login() earlier are sent again without the app doing anything.
    m = step(m, { type: 'accept', socket, now: 4220 })
    expect(m.state).toBe('AUTHENTICATING')
    m = step(m, { type: 'welcome', socket, now: 4230 })
    expect(m).toMatchObject({
      state: 'OPEN',
      reason: 'REJOIN_SUCCESS',
      attempt: 0,
      nextRetryAt: null,
      error: null,
      connectDeadline: null,
    })
    expect(timersOf(m, o)).toEqual({})
  })

  it('a plain WebSocket server is OPEN as soon as the socket opens, when logged in', () => {
    const plain = options({ protocol: plainProtocol(), autoLogin: true })
    let m = step(initialMachine, { type: 'connect', now: 0 }, plain)
    m = step(m, { type: 'opened', socket: m.socket, now: 10 }, plain)
    expect(m).toMatchObject({ state: 'OPEN', reason: 'JOIN_SUCCESS' })
  })
})

/** One timer: a machine that runs it (due before any other), and machines where it was stopped. */
interface TimerRow {
  readonly name: string
  readonly timer: TimerName
  readonly opts: ResolvedOptions
  /** When it is due. */
  readonly at: number
  /** What a tick at `at` makes of `armed`. */
  readonly fired: Partial<Machine>
  readonly build: () => { armed: Machine; disarmed: Record<string, Machine> }
}

// Each timer with an option of its own, so each deadline is a number only that option gives.
const lostOnly = options({ lostAfter: 4000 })
const giveUpOnly = options({ giveUpAfter: 7000 })

const timerRows: TimerRow[] = [
  {
    name: 'connectTimeout: an attempt with no answer fails at its connect deadline (2000) and the next starts at once; not once OPEN',
    timer: 'connect',
    opts: o,
    at: 2000,
    fired: { state: 'RECONNECTING', reason: 'INTERRUPTED', attempt: 1, connectDeadline: 3000 },
    build: () => {
      const { AWAITING_CONNECTION, OPEN } = machines()
      return { armed: AWAITING_CONNECTION, disarmed: { 'OPEN at 1040': OPEN } }
    },
  },
  {
    name: 'deepstream: the retry after failed attempt 1 starts attempt 2 at its time (4100); not once reconnect() got the link back, nor after close()',
    timer: 'retry',
    opts: o,
    at: 4100,
    fired: { state: 'RECONNECTING', attempt: 2, nextRetryAt: null, connectDeadline: 5100 },
    build: () => {
      const { RECONNECTING } = machines()
      const waiting = step(RECONNECTING, failed(RECONNECTING.socket, 2100))
      const retried = step(waiting, { type: 'reconnect', now: 2200 })
      return {
        armed: waiting,
        disarmed: {
          'OPEN after reconnect()': handshake(retried, 2300),
          'CLOSED by close()': step(waiting, { type: 'close', now: 2200 }),
        },
      }
    },
  },
  {
    name: 'agora T5: lostAfter 4 s after the last data (1900) the outage is LOST (5900), still RECONNECTING; not once OPEN again',
    timer: 'lost',
    opts: lostOnly,
    at: 5900,
    fired: { state: 'RECONNECTING', reason: 'LOST', lost: true, attempt: 1 },
    build: () => {
      const { RECONNECTING } = machines(lostOnly)
      return {
        armed: RECONNECTING,
        disarmed: { 'OPEN again': handshake(RECONNECTING, 2100, lostOnly) },
      }
    },
  },
  {
    name: 'agora T7: giveUpAfter 7 s after the last data (1900) the outage ends in ERROR/JOIN_FAILED (8900); not once OPEN again, nor in an ERROR reached before',
    timer: 'giveUp',
    opts: giveUpOnly,
    at: 8900,
    fired: { state: 'ERROR', reason: 'JOIN_FAILED', socket: 0, connectDeadline: null },
    build: () => {
      const { RECONNECTING } = machines(giveUpOnly)
      const fatal: MachineEvent = {
        type: 'fatal',
        socket: RECONNECTING.socket,
        now: 2100,
        reason: 'PROTOCOL_ERROR',
        message: 'boom',
      }
      return {
        armed: RECONNECTING,
        disarmed: {
          'OPEN again': handshake(RECONNECTING, 2100, giveUpOnly),
          'ERROR by a fatal frame': step(RECONNECTING, fatal, giveUpOnly),
        },
      }
    },
  },
]

describe('each timer at its own deadline', () => {
  for (const { name, timer, opts, at, fired, build } of timerRows)
    it(name, () => {
      const { armed, disarmed } = build()
      // Due first: a tick at `at` can only be this timer's.
      expect(timersOf(armed, opts)[timer]).toBe(at)
      expect(deadlineOf(armed, opts)).toBe(at)
      expect(step(armed, { type: 'tick', now: at - 1 }, opts)).toBe(armed)
      expect(step(armed, { type: 'tick', now: at }, opts)).toMatchObject(fired)
      // A timer the machine stopped may still fire in a client: at its old time it changes nothing.
      for (const [how, m] of Object.entries(disarmed)) {
        expect(timersOf(m, opts)[timer], how).toBeUndefined()
        expect(step(m, { type: 'tick', now: at }, opts), how).toBe(m)
      }
    })
})

describe('timersOf (the deadlines a tick checks)', () => {
  it('agora: lost and giveUp count from the last data, only while not OPEN, CLOSED or ERROR', () => {
    const { OPEN } = machines(agora)
    expect(timersOf(OPEN, agora)).toEqual({})
    // Last data at 1500, the socket closes at 3000.
    let m = step(OPEN, failed(OPEN.socket, 3000, 1500), agora)
    expect(timersOf(m, agora)).toEqual({ connect: 7000, lost: 16_500, giveUp: 1_201_500 })
    const socket = m.socket
    m = step(m, { type: 'opened', socket, now: 3100 }, agora)
    expect(timersOf(m, agora)).toMatchObject({ lost: 16_500, giveUp: 1_201_500 })
    m = step(m, { type: 'challenge', socket, now: 3200 }, agora)
    expect(m.state).toBe('CHALLENGING')
    expect(timersOf(m, agora)).toMatchObject({ lost: 16_500, giveUp: 1_201_500 })
    expect(timersOf(handshake(m, 3300, agora), agora)).toEqual({})
  })

  it('agora T5: once lost, the lost timer is gone, the reason is LOST and giveUp remains', () => {
    const { RECONNECTING } = machines(agora)
    const waiting = step(RECONNECTING, failed(RECONNECTING.socket, 2100), agora)
    // The retry, long overdue at 16.9 s, is taken by the same tick: every due deadline is.
    const lost = step(waiting, { type: 'tick', now: 16_900 }, agora)
    expect(lost).toMatchObject({ state: 'RECONNECTING', reason: 'LOST', lost: true, attempt: 2 })
    const timers = timersOf(lost, agora)
    expect(timers.lost).toBeUndefined()
    expect(timers.giveUp).toBe(1_201_900)
    expect(timers.retry).toBeUndefined()
    expect(timers.connect).toBe(16_900 + agora.connectTimeout)
  })

  it('agora T7: giveUp → ERROR/JOIN_FAILED with no timer left, before a retry due as well', () => {
    const { RECONNECTING } = machines(agora)
    const waiting = step(RECONNECTING, failed(RECONNECTING.socket, 2100), agora)
    const m = step(waiting, { type: 'tick', now: 1_201_900 }, agora)
    expect(m).toMatchObject({ state: 'ERROR', reason: 'JOIN_FAILED', socket: 0 })
    expect(timersOf(m, agora)).toEqual({})
  })

  it('deepstream: with lostAfter and giveUpAfter off, an outage has no lost or giveUp timer', () => {
    const { RECONNECTING } = machines()
    const timers = timersOf(RECONNECTING, o)
    expect(timers.lost).toBeUndefined()
    expect(timers.giveUp).toBeUndefined()
    expect(Object.keys(timers)).toEqual(['connect'])
  })

  it('each of lostAfter and giveUpAfter enables its own timer only', () => {
    const onlyLost = options({ lostAfter: 5000 })
    const lostTimers = timersOf(machines(onlyLost).RECONNECTING, onlyLost)
    expect(lostTimers.lost).toBe(1900 + 5000)
    expect(lostTimers.giveUp).toBeUndefined()
    const onlyGiveUp = options({ giveUpAfter: 9000 })
    const giveUpTimers = timersOf(machines(onlyGiveUp).RECONNECTING, onlyGiveUp)
    expect(giveUpTimers.giveUp).toBe(1900 + 9000)
    expect(giveUpTimers.lost).toBeUndefined()
  })

  it('agora: a first connection has no lost or giveUp timer until it fails', () => {
    const { AWAITING_CONNECTION } = machines(agora)
    expect(timersOf(AWAITING_CONNECTION, agora)).toEqual({ connect: 5000 })
    const failedOnce = step(AWAITING_CONNECTION, failed(AWAITING_CONNECTION.socket, 1500), agora)
    expect(timersOf(failedOnce, agora)).toMatchObject({ lost: 16_500, giveUp: 1_201_500 })
  })
})
