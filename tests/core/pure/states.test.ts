import { describe, expect, it } from 'vitest'
import {
  ConnectionReason,
  ConnectionState,
  PhaseCode,
  phaseOf,
  reasonCode,
  toneOf,
  type Phase,
  type Tone,
} from '../../../src/core/states.js'

const STATES = [
  'CLOSED',
  'AWAITING_CONNECTION',
  'CHALLENGING',
  'AWAITING_AUTHENTICATION',
  'AUTHENTICATING',
  'OPEN',
  'RECONNECTING',
  'ERROR',
] as const

const AGORA_REASONS = [
  ['CONNECTING', 0],
  ['JOIN_SUCCESS', 1],
  ['INTERRUPTED', 2],
  ['BANNED_BY_SERVER', 3],
  ['JOIN_FAILED', 4],
  ['LEAVE_CHANNEL', 5],
  ['INVALID_TOKEN', 8],
  ['TOKEN_EXPIRED', 9],
  ['REJECTED_BY_SERVER', 10],
  ['KEEP_ALIVE_TIMEOUT', 14],
  ['REJOIN_SUCCESS', 15],
  ['LOST', 16],
] as const

const LINKLIGHT_REASONS = [
  'CHALLENGE',
  'REDIRECT',
  'AWAITING_LOGIN',
  'AUTHENTICATING',
  'MAX_RECONNECT_ATTEMPTS',
  'NETWORK_OFFLINE',
  'NETWORK_ONLINE',
  'SERVER_CLOSED',
  'PROTOCOL_ERROR',
  'RETRY_REQUESTED',
] as const

describe('ConnectionState', () => {
  it('holds exactly the eight deepstream states, each named after itself', () => {
    expect(Object.keys(ConnectionState).sort()).toEqual([...STATES].sort())
    for (const [key, value] of Object.entries(ConnectionState)) expect(value).toBe(key)
  })

  it('is frozen', () => {
    expect(Object.isFrozen(ConnectionState)).toBe(true)
  })
})

describe('ConnectionReason', () => {
  it('holds exactly the Agora reasons and the linklight-only reasons, each named after itself', () => {
    const expected = [...AGORA_REASONS.map(([name]) => name), ...LINKLIGHT_REASONS]
    expect(Object.keys(ConnectionReason).sort()).toEqual([...expected].sort())
    for (const [key, value] of Object.entries(ConnectionReason)) expect(value).toBe(key)
  })

  it('is frozen', () => {
    expect(Object.isFrozen(ConnectionReason)).toBe(true)
  })
})

describe('toneOf', () => {
  const tones: [ConnectionState, Tone][] = [
    ['CLOSED', 'neutral'],
    ['AWAITING_CONNECTION', 'neutral'],
    ['CHALLENGING', 'neutral'],
    ['AWAITING_AUTHENTICATION', 'neutral'],
    ['AUTHENTICATING', 'neutral'],
    ['OPEN', 'good'],
    ['RECONNECTING', 'neutral'],
    ['ERROR', 'bad'],
  ]

  it('the table covers all eight states', () => {
    expect(tones.map(([state]) => state).sort()).toEqual([...STATES].sort())
  })

  it.each(tones)('%s is %s', (state, tone) => {
    expect(toneOf(state)).toBe(tone)
  })
})

describe('phaseOf', () => {
  // [state, phase on a first connection, phase while re-establishing an open link]
  const phases: [ConnectionState, Phase, Phase][] = [
    ['CLOSED', 'DISCONNECTED', 'DISCONNECTED'],
    ['AWAITING_CONNECTION', 'CONNECTING', 'RECONNECTING'],
    ['CHALLENGING', 'CONNECTING', 'RECONNECTING'],
    ['AWAITING_AUTHENTICATION', 'CONNECTING', 'RECONNECTING'],
    ['AUTHENTICATING', 'CONNECTING', 'RECONNECTING'],
    ['OPEN', 'CONNECTED', 'CONNECTED'],
    ['RECONNECTING', 'RECONNECTING', 'RECONNECTING'],
    ['ERROR', 'FAILED', 'FAILED'],
  ]

  it('the table covers all eight states', () => {
    expect(phases.map(([state]) => state).sort()).toEqual([...STATES].sort())
  })

  it.each(phases)('%s on a first connection is %s', (state, first) => {
    expect(phaseOf(state)).toBe(first)
    expect(phaseOf(state, {})).toBe(first)
    expect(phaseOf(state, { reconnecting: false })).toBe(first)
  })

  it.each(phases)('%s while re-establishing an open link is %s', (state, _first, again) => {
    expect(phaseOf(state, { reconnecting: true })).toBe(again)
  })
})

describe('PhaseCode', () => {
  it("Agora's codes are DISCONNECTED 1, CONNECTING 2, CONNECTED 3, RECONNECTING 4, FAILED 5", () => {
    expect({ ...PhaseCode }).toEqual({
      DISCONNECTED: 1,
      CONNECTING: 2,
      CONNECTED: 3,
      RECONNECTING: 4,
      FAILED: 5,
    })
    expect(Object.isFrozen(PhaseCode)).toBe(true)
  })
})

describe('reasonCode', () => {
  it.each(AGORA_REASONS)("%s has Agora's code %i", (reason, code) => {
    expect(reasonCode(reason)).toBe(code)
  })

  it.each(LINKLIGHT_REASONS)('linklight-only %s has code null', (reason) => {
    expect(reasonCode(reason)).toBeNull()
  })
})
