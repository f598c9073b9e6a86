import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { PROTOCOL_VERSION } from '../../src/protocol/index.js'
import { figures } from '../helpers/figures.js'
import { fuzzClient, fuzzServer, type FuzzResult } from './fuzz.js'
import { createEpisodes, createRng, serverFrame, type GeneratedFrame } from './generate.js'

// A fixed seed, so a failure here is the same failure on every machine; `npm run fuzz` tries
// new seeds at length.
const SEED = 20_251_122
// A few thousand frames per end keeps each run well under 20 s on a 2-core machine.
const FRAMES = 3000

const clientCtx = { url: 'ws://127.0.0.1:1', version: PROTOCOL_VERSION, knownIds: ['ada', 'bob'] }
const serverCtx = {
  selfId: 'me',
  knownIds: ['ada', 'bob'],
  redirectUrls: ['ws://127.0.0.1:1'],
}

function clientFrames(seed: number, episodes: number): GeneratedFrame[] {
  const next = createEpisodes(createRng(seed), clientCtx)
  return Array.from({ length: episodes }, () => next(() => true)).flatMap((e) => [
    ...(e.auth ? [e.auth] : []),
    ...e.frames,
  ])
}
const serverFrames = (seed: number, count: number) => {
  const rng = createRng(seed)
  return Array.from({ length: count }, () => serverFrame(rng, serverCtx))
}
const digest = (frames: GeneratedFrame[]) => {
  const hash = createHash('sha256')
  for (const f of frames) hash.update(`${f.kind}|${f.binary}|`).update(f.data)
  return hash.digest('hex')
}
const groups = (frames: GeneratedFrame[]) => new Set(frames.map((f) => f.kind.split('/')[0]))

/** The figures, then every failed check at once (an empty list is the pass). */
function expectClean(result: FuzzResult) {
  const { checks: _checks, failures, ...rest } = result
  figures({ test: `fuzz ${result.side}`, ...rest })
  expect(failures).toEqual([])
  expect(result.crashes).toBe(0)
  expect(result.framesSent).toBe(result.frames)
}

describe('fuzz: the generators', () => {
  test('the same seed gives the same frames; another seed, others', () => {
    expect(digest(clientFrames(7, 20))).toBe(digest(clientFrames(7, 20)))
    expect(digest(clientFrames(7, 20))).not.toBe(digest(clientFrames(8, 20)))
    expect(digest(serverFrames(7, 200))).toBe(digest(serverFrames(7, 200)))
    expect(digest(serverFrames(7, 200))).not.toBe(digest(serverFrames(8, 200)))
  })

  test('every frame type of docs/protocol.md is generated, valid and broken', () => {
    const client = groups(clientFrames(SEED, 120))
    for (const kind of [
      'hello',
      'auth',
      'ping',
      'msg',
      'presence',
      'bye',
      'replay',
      'mutated',
      'garbage',
      'binary',
      'huge',
      'bad-utf8',
    ])
      expect(client, kind).toContain(kind)
    const generated = serverFrames(SEED, 1500)
    const server = groups(generated)
    for (const kind of [
      'challenge',
      'accept',
      'redirect',
      'welcome',
      'rejected',
      'pong',
      'ack',
      'msg',
      'joined',
      'updated',
      'left',
      'error',
      'resend',
      'missed',
      'batch',
      'mutated',
      'garbage',
      'binary',
      'huge',
    ])
      expect(server, kind).toContain(kind)
    const shapes = [...new Set(generated.map((f) => f.kind))]
    for (const shape of ['deep', 'long', 'special', 'large', 'duplicates', 'unicode', 'storm'])
      expect(
        shapes.some((kind) => kind.includes(shape)),
        shape,
      ).toBe(true)
  })
})

// Sending stops after 15 s whatever happens (≈ 5–11 s when all is well); the checks and their
// bounded waits take at most ≈ 15 s more when things are broken, so a broken end fails with its
// findings, not with a timeout.
const timeLimitMs = 15_000
const testTimeout = 40_000

describe('fuzz: hostile frames at both ends (docs/protocol.md)', () => {
  test(
    `server: ${FRAMES} hostile client frames; the server never crashes, healthy clients stay OPEN and get every message once, in order, and a new client logs in`,
    async () => {
      expectClean(await fuzzServer({ seed: SEED, frames: FRAMES, timeLimitMs }))
    },
    testTimeout,
  )

  test(
    `client: ${FRAMES} hostile server frames; the client never throws, reports bad frames, recovers, delivers a final message and leaves nothing open after close()`,
    async () => {
      expectClean(await fuzzClient({ seed: SEED, frames: FRAMES, timeLimitMs }))
    },
    testTimeout,
  )
})
