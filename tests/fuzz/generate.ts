/**
 * Seeded generators of hostile linklight frames, for the fuzzers in fuzz.ts. Everything comes
 * from one 32-bit seed through mulberry32, so a run that found something is replayed by its seed.
 *
 * Frames are built as JSON *text*, never as values: a value nested 100,000 levels deep cannot go
 * through `JSON.stringify` (V8 overflows its stack at a few thousand levels), and the text is
 * what goes on the wire anyway. The frame tables follow docs/protocol.md (protocol version 2).
 */

/** A seeded source of randomness. */
export interface Rng {
  readonly seed: number
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max]. */
  int(min: number, max: number): number
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** One of the values, with a probability proportional to its weight. */
  weighted<T>(table: readonly (readonly [weight: number, value: T])[]): T
  /** `length` lowercase hex digits. */
  hex(length: number): string
  /** An independent stream named `label`: the same for the same seed and label. */
  fork(label: string): Rng
}

// FNV-1a: turns a fork's label into a seed.
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/**
 * A mulberry32 generator: tiny, fast and good enough to pick frames (not for secrets).
 *
 * @example
 * ```ts
 * const rng = createRng(42)
 * rng.int(1, 6) // the same number on every run with seed 42
 * ```
 */
export function createRng(seed: number): Rng {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick: no items to pick from')
    return items[int(0, items.length - 1)]!
  }
  return {
    seed: seed >>> 0,
    next,
    int,
    chance: (p) => next() < p,
    pick,
    weighted(table) {
      const total = table.reduce((sum, [weight]) => sum + weight, 0)
      let roll = next() * total
      for (const [weight, value] of table) {
        roll -= weight
        if (roll < 0) return value
      }
      return table[table.length - 1]![1]
    },
    hex: (length) => {
      let text = ''
      while (text.length < length) text += int(0, 15).toString(16)
      return text
    },
    fork: (label) => createRng(hash(`${seed >>> 0}:${label}`)),
  }
}

/** One frame to put on a socket. */
export interface GeneratedFrame {
  /** What was generated, e.g. `msg/deep-object` or `garbage/truncated`; figures count by it. */
  readonly kind: string
  /** Text of a text frame; a Buffer for a binary frame, or for a text frame of invalid UTF-8. */
  readonly data: string | Buffer
  /** Sent as a binary frame. */
  readonly binary: boolean
}

const text = (kind: string, data: string): GeneratedFrame => ({ kind, data, binary: false })

// ── JSON text ────────────────────────────────────────────────────────────────────
/** A JSON string literal (lone surrogates come out escaped, as `\udXXX`). */
const q = (value: string) => JSON.stringify(value)
type Fields = [key: string, json: string][]
/** A JSON object from already-encoded values; keys may repeat (the last one wins in JSON.parse). */
const obj = (fields: Fields) => `{${fields.map(([k, v]) => `${q(k)}:${v}`).join(',')}}`
const arr = (items: readonly string[]) => `[${items.join(',')}]`

const ASCII = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:/'
// Characters that break naive code: multi-unit, invisible, direction marks, line separators,
// NUL, a BOM, lone surrogates, quotes and backslashes.
const UNICODE = [
  'é',
  'ß',
  'Ω',
  'Ж',
  '中',
  'ع',
  'ש',
  '👋',
  '🏳️‍🌈',
  'e\u0301',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u0000',
  '\u001f',
  '\ud800',
  '\udfff',
  '"',
  '\\',
  '\n',
  '\t',
]
/** Keys that mean something to JavaScript objects. */
export const SPECIAL_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  '',
]
// Extra fields never use `n`: linklight's client numbers relays with it.
const EXTRA_KEYS = ['x', 'extra', 'type', 'T', 'v2', 'meta', ...SPECIAL_KEYS]
const EDGE_NUMBERS = [
  '0',
  '-0',
  '-1',
  '1.5',
  '9007199254740991', // 2^53 - 1, the largest safe integer
  '9007199254740992',
  '-9007199254740991',
  '1e308',
  '-1e308',
  '1e309', // JSON.parse turns it into Infinity
  '5e-324',
  '123456789012345678901234567890',
  '0.1',
  '1E2',
]

function randomString(rng: Rng, length: number, unicode: boolean): string {
  let s = ''
  for (let i = 0; i < length; i++)
    s += unicode && rng.chance(0.4) ? rng.pick(UNICODE) : ASCII[rng.int(0, ASCII.length - 1)]!
  return s
}

/** A string of about `length` UTF-16 units, built from a repeated random chunk (fast at 1 MB). */
function longString(rng: Rng, length: number, unicode: boolean): string {
  const chunk = randomString(rng, rng.int(16, 64), unicode)
  return chunk.repeat(Math.ceil(length / chunk.length)).slice(0, length)
}

function numberText(rng: Rng): string {
  return rng.weighted([
    [3, () => String(rng.int(-1000, 1_000_000))],
    [1, () => (rng.next() * 1000).toFixed(rng.int(0, 6))],
    [2, () => rng.pick(EDGE_NUMBERS)],
  ])()
}

/** Small JSON of every kind, nested at most a few levels. */
function smallText(rng: Rng, depth = 0): string {
  const kind = rng.int(0, depth >= 3 ? 4 : 7)
  switch (kind) {
    case 0:
      return 'null'
    case 1:
      return rng.chance(0.5) ? 'true' : 'false'
    case 2:
      return numberText(rng)
    case 3:
    case 4:
      return q(randomString(rng, rng.int(0, 24), rng.chance(0.5)))
    case 5:
      return arr(Array.from({ length: rng.int(0, 4) }, () => smallText(rng, depth + 1)))
    default:
      return obj(
        Array.from({ length: rng.int(0, 4) }, () => [
          rng.chance(0.15) ? rng.pick(SPECIAL_KEYS) : randomString(rng, rng.int(1, 8), false),
          smallText(rng, depth + 1),
        ]),
      )
  }
}

/** A small JSON value of any kind (unicode, edge numbers, special keys), for healthy traffic. */
export const smallValue = (rng: Rng): unknown => JSON.parse(smallText(rng))

/** JSON nested `depth` levels deep. */
export function deepText(depth: number, form: 'array' | 'object' | 'mixed'): string {
  switch (form) {
    case 'array':
      return '['.repeat(depth) + ']'.repeat(depth)
    case 'object':
      return '{"a":'.repeat(depth) + 'null' + '}'.repeat(depth)
    case 'mixed': {
      const pairs = Math.ceil(depth / 2)
      return '[{"a":'.repeat(pairs) + '1' + '}]'.repeat(pairs)
    }
  }
}

/** Depths: some a serialiser copes with, most it does not (V8 gives up at a few thousand). */
const depthOf = (rng: Rng) =>
  rng.weighted([
    // Around the limits a hardened end might set (a frame adds one to three levels of its own).
    [1, () => rng.pick([8, 16, 31, 32, 33, 60, 61, 62, 63, 64, 65, 66, 127, 128, 129, 255, 256])],
    [2, () => rng.int(100, 2500)],
    [3, () => rng.int(5000, 20_000)],
    [2, () => rng.int(20_000, 100_000)],
  ])()

/**
 * The times a server gives peer `id` while nothing about it changes. A client compares a
 * repeated peer's data only when its times are the same, so most generated peers keep these.
 */
export function stableTimes(id: string): { joinedAt: number; lastSeenAt: number } {
  const joinedAt = 1_763_786_000_000 + (hash(id) % 100_000)
  return { joinedAt, lastSeenAt: joinedAt + 5000 }
}

/** A peer as a server describes it (docs/protocol.md), as JSON text. */
function peerText(rng: Rng, id: string, data: string | null, times = 'random'): string {
  const stable = stableTimes(id)
  const time = (value: number) => {
    if (times === 'stable') return String(value)
    return rng.weighted<() => string>([
      [6, () => String(value)],
      [3, () => String(value + rng.int(1, 9999))],
      [1, () => numberText(rng)],
    ])()
  }
  const fields: Fields = [
    ['id', q(id)],
    ['joinedAt', time(stable.joinedAt)],
    ['lastSeenAt', time(stable.lastSeenAt)],
  ]
  if (data !== null) fields.push(['data', data])
  return obj(fields)
}

/** A plain peer, cheap to make by the thousand. */
const crowdPeer = (id: string) => {
  const { joinedAt, lastSeenAt } = stableTimes(id)
  return `{"id":${q(id)},"joinedAt":${joinedAt},"lastSeenAt":${lastSeenAt}}`
}

/** JSON text for a payload (`data`, `presence`, `credentials`) and the name of its shape. */
export interface Payload {
  readonly shape: string
  readonly json: string
}

/** Payload sizes stay under 1 MiB unless `huge` is asked for. */
export function payload(rng: Rng, options: { huge?: boolean } = {}): Payload {
  const shape = rng.weighted<string>([
    [40, 'small'],
    [8, 'special-keys'],
    [3, 'deep-array'],
    [3, 'deep-object'],
    [2, 'deep-mixed'],
    [4, 'long-string'],
    [3, 'large-array'],
    [2, 'peer-array'],
    [6, 'edge-number'],
    [6, 'unicode'],
  ])
  switch (shape) {
    case 'small':
      return { shape, json: smallText(rng) }
    case 'special-keys':
      return {
        shape,
        json: obj([
          ['__proto__', obj([['polluted', 'true']])],
          ['constructor', obj([['prototype', obj([['polluted', 'true']])]])],
          [rng.pick(SPECIAL_KEYS), smallText(rng)],
          ['toString', rng.chance(0.5) ? '1' : 'null'],
        ]),
      }
    case 'deep-array':
      return { shape, json: deepText(depthOf(rng), 'array') }
    case 'deep-object':
      return { shape, json: deepText(depthOf(rng), 'object') }
    case 'deep-mixed':
      return { shape, json: deepText(depthOf(rng), 'mixed') }
    case 'long-string': {
      const length = options.huge
        ? rng.int(1_050_000, 1_200_000)
        : rng.weighted([
            [3, rng.int(1000, 100_000)],
            [1, rng.int(500_000, 1_000_000)],
          ])
      return { shape, json: q(longString(rng, length, false)) }
    }
    case 'large-array': {
      const item = smallText(rng, 3)
      return { shape, json: arr(Array.from({ length: rng.int(10_000, 50_000) }, () => item)) }
    }
    case 'peer-array':
      return {
        shape,
        json: arr(Array.from({ length: rng.int(1000, 8000) }, (_, i) => crowdPeer(`p${i}`))),
      }
    case 'edge-number':
      return { shape, json: rng.pick(EDGE_NUMBERS) }
    default:
      return { shape, json: q(randomString(rng, rng.int(1, 200), true)) }
  }
}

// ── mutations shared by both directions ─────────────────────────────────────────
/** JSON text of a value of a random type: what a field holds when it has the wrong type. */
function wrongValue(rng: Rng): string {
  return rng.pick([
    'null',
    'true',
    '"1"',
    '""',
    '[]',
    '{}',
    '-1',
    '1.5',
    '1e309',
    '9007199254740992',
    '[1]',
    '{"id":"x"}',
    q(randomString(rng, 8, true)),
  ])
}

/** A well-formed frame made wrong: a field dropped, retyped, added, or `t` changed. */
function mutate(rng: Rng, kind: string, fields: Fields, types: readonly string[]): GeneratedFrame {
  const copy: Fields = fields.map(([k, v]) => [k, v])
  const op = rng.pick([
    'drop',
    'retype',
    'extra',
    'retype-t',
    'special-t',
    'duplicate-key',
    'other-t',
  ] as const)
  const field = copy.length > 1 ? rng.int(1, copy.length - 1) : 0
  switch (op) {
    case 'drop':
      copy.splice(field, 1)
      break
    case 'retype':
      copy[field] = [copy[field]![0], wrongValue(rng)]
      break
    case 'extra':
      for (let i = rng.int(1, 5); i > 0; i--)
        copy.push([rng.pick(EXTRA_KEYS), rng.chance(0.3) ? payload(rng).json : smallText(rng)])
      break
    case 'retype-t':
      copy[0] = ['t', wrongValue(rng)]
      break
    case 'special-t':
      copy[0] = ['t', q(rng.pick([...SPECIAL_KEYS, 'PING', ' ping', 'msg ', 'teleport', '\u0000']))]
      break
    case 'duplicate-key':
      copy.push(['t', q(rng.pick(types))])
      break
    case 'other-t':
      copy[0] = ['t', q(rng.pick(types))]
      break
  }
  return text(`mutated/${kind}/${op}`, obj(copy))
}

/** Text that is not a frame: broken JSON, JSON that is not an object, odd encodings. */
function garbage(rng: Rng, valid: string): GeneratedFrame {
  const op = rng.pick([
    'truncated',
    'not-json',
    'non-object',
    'array',
    'empty',
    'bom',
    'single-quotes',
    'trailing-comma',
    'nan',
    'raw-surrogate',
    'two-frames',
  ] as const)
  const data = (() => {
    switch (op) {
      case 'truncated':
        return valid.slice(0, rng.int(0, Math.max(0, valid.length - 1)))
      case 'not-json':
        return randomString(rng, rng.int(1, 64), true)
      case 'non-object':
        return rng.pick(['null', '1', '"ping"', 'true', '-0', '1e309'])
      case 'array':
        return arr([valid])
      case 'empty':
        return rng.pick(['', ' ', '\n', '{}', '{"t":null}'])
      case 'bom':
        return `\ufeff${valid}`
      case 'single-quotes':
        return valid.replaceAll('"', "'")
      case 'trailing-comma':
        return `${valid.slice(0, -1)},}`
      case 'nan':
        return '{"t":"ack","seq":NaN}'
      case 'raw-surrogate':
        // Not escaped: the sender's UTF-8 encoder turns it into U+FFFD.
        return `{"t":"msg","from":"\ud83d","data":"\udc4b"}`
      case 'two-frames':
        return valid + valid
    }
  })()
  return text(`garbage/${op}`, data)
}

function binary(rng: Rng, valid: string): GeneratedFrame {
  const data = rng.chance(0.5)
    ? Buffer.from(valid)
    : Buffer.from(Array.from({ length: rng.int(0, 2048) }, () => rng.int(0, 255)))
  return { kind: 'binary', data, binary: true }
}

/** A text frame whose bytes are not UTF-8: the receiving `ws` closes the socket with 1007. */
function badUtf8(rng: Rng): GeneratedFrame {
  const bytes = rng.pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]])
  return { kind: 'bad-utf8', data: Buffer.from([0x7b, ...bytes, 0x7d]), binary: false }
}

// ── client → server ─────────────────────────────────────────────────────────────
/** What the client-frame generators need to know. */
export interface ClientFrameContext {
  /** The server's URL, as a client sends it in `hello`. */
  readonly url: string
  /** The protocol version a client sends in `hello`. */
  readonly version: number
  /** Ids of peers that are online (the healthy clients): duplicates of them are generated. */
  readonly knownIds: readonly string[]
}

/** How far a hostile socket goes through the handshake before its fuzz frames. */
export type Stage = 'raw' | 'hello' | 'auth'

const CLIENT_TYPES = ['hello', 'auth', 'ping', 'msg', 'presence', 'bye', 'replay'] as const

/** A counter of message numbers, per session. */
export interface SeqCounter {
  next: number
}

/** A session id for `hello`: mostly 32 hex digits, sometimes at or past the 1–100 limit. */
function sessionOf(rng: Rng): string {
  return rng.weighted<() => string>([
    [8, () => rng.hex(32)],
    [1, () => 's'.repeat(rng.pick([1, 99, 100, 101, 1000]))],
    [1, () => randomString(rng, rng.int(1, 40), true)],
    [0.5, () => ''],
  ])()
}

function seqText(rng: Rng, seq: SeqCounter): string {
  if (rng.chance(0.85)) return String(seq.next++)
  return rng.pick([
    '9007199254740991',
    '9007199254740992',
    '0',
    '-1',
    '1.5',
    '1e308',
    '"1"',
    'null',
    String(Math.max(1, seq.next - 1)), // a duplicate
    String(seq.next + rng.int(2, 1000)), // a gap
  ])
}

/** A count (`after`, `received`, `n`, `upTo`, `lastSeq`): a safe integer ≥ 0, or not quite. */
function countText(rng: Rng): string {
  return rng.weighted<() => string>([
    [6, () => String(rng.int(0, 1000))],
    [
      2,
      () =>
        rng.pick([
          '0',
          '-1',
          '1.5',
          '9007199254740991',
          '9007199254740992',
          '1e309',
          '"3"',
          'null',
        ]),
    ],
  ])()
}

/** Credentials for `auth`: ids normal, long (up to 1 MB), duplicated, odd or missing. */
function credentials(rng: Rng, ctx: ClientFrameContext): Payload {
  const shape = rng.weighted<string>([
    [30, 'id'],
    [6, 'long-id'],
    [6, 'known-id'],
    [4, 'unicode-id'],
    [4, 'special-id'],
    [3, 'username'],
    [3, 'empty'],
    [3, 'proto'],
    [2, 'deep'],
    [2, 'non-object'],
    [2, 'wrong-type-id'],
  ])
  const id = (value: string) => obj([['id', q(value)]])
  switch (shape) {
    case 'id':
      return { shape, json: id(`hostile-${rng.hex(8)}`) }
    case 'long-id':
      return {
        shape,
        json: id(
          longString(
            rng,
            rng.weighted([
              [1, rng.pick([127, 128, 129, 255, 256, 257, 1024])],
              [2, rng.int(200, 5000)],
              [1, rng.int(100_000, 1_000_000)],
            ]),
            false,
          ),
        ),
      }
    case 'known-id':
      return { shape, json: id(rng.pick(ctx.knownIds)) }
    case 'unicode-id':
      return { shape, json: id(randomString(rng, rng.int(1, 40), true)) }
    case 'special-id':
      return { shape, json: id(rng.pick(SPECIAL_KEYS)) }
    case 'username':
      return { shape, json: obj([['username', q(`user-${rng.hex(6)}`)]]) }
    case 'empty':
      return { shape, json: '{}' }
    case 'proto':
      return {
        shape,
        json: obj([
          ['__proto__', id(`proto-${rng.hex(6)}`)],
          ['constructor', obj([['prototype', obj([['id', '"polluted"']])]])],
        ]),
      }
    case 'deep':
      return { shape, json: rng.chance(0.5) ? deepText(depthOf(rng), 'object') : id('x') }
    case 'non-object':
      return { shape, json: rng.pick(['null', '"ada"', '[]', '42', 'true']) }
    default:
      return { shape, json: obj([['id', wrongValue(rng)]]) }
  }
}

function authFrame(rng: Rng, ctx: ClientFrameContext): { kind: string; fields: Fields } {
  const creds = credentials(rng, ctx)
  const fields: Fields = [['t', '"auth"']]
  if (rng.chance(0.95)) fields.push(['credentials', creds.json])
  let presenceShape = 'none'
  if (rng.chance(0.7)) {
    const presence = payload(rng)
    presenceShape = presence.shape
    fields.push(['presence', presence.json])
  }
  return { kind: `auth/${creds.shape}/${presenceShape}`, fields }
}

function validClientFrame(
  rng: Rng,
  ctx: ClientFrameContext,
  t: (typeof CLIENT_TYPES)[number],
  seq: SeqCounter,
): { kind: string; fields: Fields } {
  switch (t) {
    case 'hello':
      return {
        kind: 'hello',
        fields: [
          ['t', '"hello"'],
          ['v', String(ctx.version)],
          ['url', q(ctx.url)],
          ['session', q(sessionOf(rng))],
          ...(rng.chance(0.5) ? ([['received', countText(rng)]] as Fields) : []),
        ],
      }
    case 'auth':
      return authFrame(rng, ctx)
    case 'ping':
      return { kind: 'ping', fields: [['t', '"ping"']] }
    case 'msg': {
      const data = payload(rng)
      return {
        kind: `msg/${data.shape}`,
        fields: [
          ['t', '"msg"'],
          ['seq', seqText(rng, seq)],
          ['data', data.json],
        ],
      }
    }
    case 'presence': {
      const data = payload(rng)
      return {
        kind: `presence/${data.shape}`,
        fields: [
          ['t', '"presence"'],
          ['data', data.json],
        ],
      }
    }
    case 'bye':
      return { kind: 'bye', fields: [['t', '"bye"']] }
    case 'replay':
      return {
        kind: 'replay',
        fields: [
          ['t', '"replay"'],
          ['after', countText(rng)],
        ],
      }
  }
}

type ClientPick = (typeof CLIENT_TYPES)[number] | 'mutated' | 'garbage' | 'binary' | 'huge' | 'utf8'

const clientWeights: Record<Stage, readonly (readonly [number, ClientPick])[]> = {
  raw: [
    [10, 'hello'],
    [5, 'auth'],
    [5, 'ping'],
    [8, 'msg'],
    [5, 'presence'],
    [3, 'bye'],
    [2, 'replay'],
    [30, 'mutated'],
    [25, 'garbage'],
    [5, 'binary'],
    [0.5, 'huge'],
    [0.5, 'utf8'],
  ],
  hello: [
    [10, 'auth'],
    [5, 'hello'],
    [5, 'ping'],
    [6, 'msg'],
    [5, 'presence'],
    [2, 'bye'],
    [2, 'replay'],
    [30, 'mutated'],
    [25, 'garbage'],
    [5, 'binary'],
    [0.5, 'huge'],
    [0.5, 'utf8'],
  ],
  auth: [
    [32, 'msg'],
    [12, 'presence'],
    [5, 'ping'],
    [2, 'hello'],
    [2, 'auth'],
    [0.7, 'bye'],
    [6, 'replay'],
    [22, 'mutated'],
    [12, 'garbage'],
    [3, 'binary'],
    [0.4, 'huge'],
    [0.3, 'utf8'],
  ],
}

/**
 * One hostile client → server frame for a socket at `stage`: a valid frame of any type
 * (`hello`, `auth`, `ping`, `msg`, `presence`, `bye`, `replay`) with hostile payloads, or a mutated,
 * garbled, binary, oversized (> 1 MiB) or non-UTF-8 one.
 */
export function clientFrame(
  rng: Rng,
  ctx: ClientFrameContext,
  stage: Stage,
  seq: SeqCounter,
): GeneratedFrame {
  const pick = rng.weighted(clientWeights[stage])
  switch (pick) {
    case 'mutated': {
      const base = validClientFrame(rng, ctx, rng.pick(CLIENT_TYPES), seq)
      return mutate(rng, base.kind.split('/')[0]!, base.fields, CLIENT_TYPES)
    }
    case 'garbage':
      return garbage(rng, obj(validClientFrame(rng, ctx, rng.pick(CLIENT_TYPES), seq).fields))
    case 'binary':
      return binary(rng, obj(validClientFrame(rng, ctx, rng.pick(CLIENT_TYPES), seq).fields))
    case 'utf8':
      return badUtf8(rng)
    case 'huge': {
      const data = payload(rng, { huge: true })
      const fields: Fields = [
        ['t', '"msg"'],
        ['seq', String(seq.next++)],
        ['data', data.shape === 'long-string' ? data.json : q('x'.repeat(1_100_000))],
      ]
      return text('huge/msg', obj(fields))
    }
    default: {
      const frame = validClientFrame(rng, ctx, pick, seq)
      return text(frame.kind, obj(frame.fields))
    }
  }
}

/** One connection of a hostile client, planned up front so that it depends on the seed only. */
export interface Episode {
  /** A named scenario, or `random`. */
  readonly label: string
  readonly stage: Stage
  /** The `hello` text, for stages `hello` and `auth`. */
  readonly hello: string | null
  /** The `auth` frame, for stage `auth`. */
  readonly auth: GeneratedFrame | null
  readonly frames: readonly GeneratedFrame[]
  /** What the socket does afterwards: close with 1000, cut (1006), or stay open to the end. */
  readonly end: 'close' | 'terminate' | 'linger'
}

/** Builds episodes for one hostile client; keeps its session between them (to resume it). */
export function createEpisodes(rng: Rng, ctx: ClientFrameContext) {
  let session = rng.hex(32)
  const seqs = new Map<string, SeqCounter>()
  const helloFor = (s: string) =>
    obj([
      ['t', '"hello"'],
      ['v', String(ctx.version)],
      ['url', q(ctx.url)],
      ['session', q(s)],
    ])
  const seqOf = (s: string) => {
    let counter = seqs.get(s)
    if (!counter) seqs.set(s, (counter = { next: 1 }))
    return counter
  }

  function build(
    label: string,
    stage: Stage,
    auth: GeneratedFrame | null,
    frames: (seq: SeqCounter) => GeneratedFrame[],
    end: Episode['end'],
  ): Episode {
    // A fresh session most of the time; the same one again to exercise resuming.
    if (rng.chance(0.7)) session = rng.hex(32)
    const seq = seqOf(session)
    return {
      label,
      stage,
      hello: stage === 'raw' ? null : helloFor(session),
      auth,
      frames: frames(seq),
      end,
    }
  }

  const authWith = (kind: string, credentialsJson: string, presenceJson: string | null) =>
    text(
      kind,
      obj([
        ['t', '"auth"'],
        ['credentials', credentialsJson],
        ...(presenceJson === null ? [] : ([['presence', presenceJson]] as Fields)),
      ]),
    )
  const someFrames = (stage: Stage, count: number) => (seq: SeqCounter) =>
    Array.from({ length: count }, () => clientFrame(rng, ctx, stage, seq))
  const presenceFrame = (json: string, shape: string) =>
    text(
      `presence/${shape}`,
      obj([
        ['t', '"presence"'],
        ['data', json],
      ]),
    )
  const msgFrame = (seq: SeqCounter, json: string, shape: string) =>
    text(
      `msg/${shape}`,
      obj([
        ['t', '"msg"'],
        ['seq', String(seq.next++)],
        ['data', json],
      ]),
    )

  /**
   * Scenarios every run goes through, whatever the seed, before the random episodes: the cases
   * known to have broken linklight, with their sizes drawn from the seed.
   */
  const scenarios: (() => Episode)[] = [
    // Deep presence at auth, and the peer stays online to the end.
    () =>
      build(
        'deep-presence-at-auth',
        'auth',
        authWith(
          'auth/id/deep-object',
          obj([['id', q(`deep-${rng.hex(6)}`)]]),
          deepText(rng.int(20_000, 100_000), 'object'),
        ),
        someFrames('auth', 10),
        'linger',
      ),
    // A normal login, then a deep `presence` frame: the announced case.
    () =>
      build(
        'deep-presence-frame',
        'auth',
        authWith('auth/id/small', obj([['id', q(`typist-${rng.hex(6)}`)]]), '{"typing":false}'),
        (seq) => [
          presenceFrame(deepText(rng.int(5000, 100_000), 'array'), 'deep-array'),
          msgFrame(seq, '"after the deep presence"', 'small'),
          ...someFrames('auth', 8)(seq),
        ],
        'linger',
      ),
    // A healthy peer's id again, with deep data: refused, since that id is connected.
    () =>
      build(
        'known-id-deep-presence',
        'auth',
        authWith(
          'auth/known-id/deep-mixed',
          obj([['id', q(rng.pick(ctx.knownIds))]]),
          deepText(rng.int(5000, 50_000), 'mixed'),
        ),
        someFrames('auth', 5),
        'close',
      ),
    // A 1 MB id.
    () =>
      build(
        'long-id',
        'auth',
        authWith(
          'auth/long-id/none',
          obj([['id', q(longString(rng, rng.int(900_000, 1_000_000), false))]]),
          null,
        ),
        someFrames('auth', 10),
        'linger',
      ),
    // `__proto__` and `constructor` everywhere.
    () =>
      build(
        'proto-keys',
        'auth',
        authWith(
          'auth/proto/special-keys',
          obj([
            ['__proto__', obj([['id', '"evil"']])],
            ['id', q('__proto__')],
          ]),
          obj([
            ['__proto__', obj([['polluted', 'true']])],
            ['constructor', obj([['prototype', obj([['polluted', 'true']])]])],
          ]),
        ),
        (seq) => [
          msgFrame(seq, obj([['__proto__', obj([['polluted', 'true']])]]), 'special-keys'),
          ...someFrames('auth', 5)(seq),
        ],
        'linger',
      ),
    // The largest safe seq, then everything after it is a duplicate.
    () =>
      build(
        'max-seq',
        'auth',
        authWith('auth/id/none', obj([['id', q(`seq-${rng.hex(6)}`)]]), null),
        (seq) => [
          text(
            'msg/max-seq',
            obj([
              ['t', '"msg"'],
              ['seq', '9007199254740991'],
              ['data', '"max"'],
            ]),
          ),
          msgFrame(seq, '"after max"', 'small'),
          ...someFrames('auth', 5)(seq),
        ],
        'close',
      ),
    () => build('garbage-before-hello', 'raw', null, someFrames('raw', 30), 'terminate'),
    () => build('garbage-after-hello', 'hello', null, someFrames('hello', 30), 'terminate'),
  ]
  let next = 0

  /** The next episode: a scenario while any is left, then random ones. */
  return function nextEpisode(scenarioSlot: (index: number) => boolean): Episode {
    while (next < scenarios.length) {
      const index = next++
      if (scenarioSlot(index)) return scenarios[index]!()
    }
    const stage = rng.weighted<Stage>([
      [3, 'raw'],
      [2, 'hello'],
      [5, 'auth'],
    ])
    const auth = stage === 'auth' ? authFrame(rng, ctx) : null
    return build(
      'random',
      stage,
      auth && text(auth.kind, obj(auth.fields)),
      someFrames(stage, rng.int(5, 60)),
      rng.weighted<Episode['end']>([
        [4, 'close'],
        [3, 'terminate'],
        [2, 'linger'],
      ]),
    )
  }
}

// ── server → client ─────────────────────────────────────────────────────────────
/** What the server-frame generators need to know. */
export interface ServerFrameContext {
  /** The id the client was welcomed as. */
  readonly selfId: string
  /** Peers the client was told about at `welcome`. */
  readonly knownIds: readonly string[]
  /** Where a generated `redirect` may point: 127.0.0.1 addresses only. */
  readonly redirectUrls: readonly string[]
}

const SERVER_TYPES = [
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
] as const
type ServerType = (typeof SERVER_TYPES)[number]

/** An id for a peer: mostly a known one, sometimes new, long, odd or special. */
function peerId(rng: Rng, ctx: ServerFrameContext): { shape: string; id: string } {
  const shape = rng.weighted<string>([
    [12, 'known'],
    [4, 'new'],
    [1, 'long'],
    [2, 'unicode'],
    [2, 'special'],
    [1, 'self'],
    [1, 'empty'],
  ])
  switch (shape) {
    case 'known':
      return { shape, id: rng.pick(ctx.knownIds) }
    case 'new':
      return { shape, id: `peer-${rng.hex(6)}` }
    case 'long':
      return { shape, id: longString(rng, rng.int(1000, 900_000), false) }
    case 'unicode':
      return { shape, id: randomString(rng, rng.int(1, 30), true) }
    case 'special':
      return { shape, id: rng.pick(SPECIAL_KEYS) }
    case 'self':
      return { shape, id: ctx.selfId }
    default:
      return { shape, id: '' }
  }
}

function peerWithData(rng: Rng, ctx: ServerFrameContext): { kind: string; json: string } {
  const { shape, id } = peerId(rng, ctx)
  const data = rng.chance(0.7) ? payload(rng) : null
  return {
    kind: `${shape}/${data?.shape ?? 'no-data'}`,
    json: peerText(rng, id, data?.json ?? null),
  }
}

function peersList(rng: Rng, ctx: ServerFrameContext): { kind: string; json: string } {
  const shape = rng.weighted<string>([
    [6, 'known'],
    [2, 'known-deep'],
    [2, 'large'],
    [2, 'duplicates'],
    [1, 'empty'],
    [2, 'mixed'],
  ])
  switch (shape) {
    case 'known':
      return {
        kind: shape,
        json: arr(
          ctx.knownIds.map((id) => peerText(rng, id, rng.chance(0.5) ? smallText(rng) : null)),
        ),
      }
    case 'known-deep':
      return {
        kind: shape,
        json: arr(
          ctx.knownIds.map((id, i) =>
            peerText(
              rng,
              id,
              i === 0 || rng.chance(0.3)
                ? deepText(depthOf(rng), rng.pick(['array', 'object', 'mixed'] as const))
                : null,
            ),
          ),
        ),
      }
    case 'large':
      return {
        kind: shape,
        json: arr(Array.from({ length: rng.int(1000, 12_000) }, (_, i) => crowdPeer(`crowd-${i}`))),
      }
    case 'duplicates': {
      const id = rng.pick(ctx.knownIds)
      return {
        kind: shape,
        json: arr(
          Array.from({ length: rng.int(2, 50) }, () =>
            peerText(
              rng,
              id,
              rng.chance(0.3) ? deepText(rng.int(100, 20_000), 'object') : smallText(rng),
            ),
          ),
        ),
      }
    }
    case 'empty':
      return { kind: shape, json: '[]' }
    default:
      return {
        kind: shape,
        json: arr(Array.from({ length: rng.int(1, 8) }, () => peerWithData(rng, ctx).json)),
      }
  }
}

function validServerFrame(
  rng: Rng,
  ctx: ServerFrameContext,
  t: ServerType,
): { kind: string; fields: Fields } {
  const timeText = (): string =>
    rng.chance(0.8) ? String(Date.UTC(2025, 10, 22) + rng.int(0, 1e6)) : numberText(rng)
  switch (t) {
    case 'challenge':
    case 'pong':
      return { kind: t, fields: [['t', q(t)]] }
    case 'accept':
      return {
        kind: t,
        fields: [
          ['t', '"accept"'],
          ...(rng.chance(0.7) ? ([['maxPayload', numberText(rng)]] as Fields) : []),
        ],
      }
    case 'redirect':
      return {
        kind: t,
        fields: [
          ['t', '"redirect"'],
          ['url', q(rng.pick(ctx.redirectUrls))],
        ],
      }
    case 'welcome': {
      const peers = peersList(rng, ctx)
      return {
        kind: `welcome/${peers.kind}`,
        fields: [
          ['t', '"welcome"'],
          ['id', q(rng.chance(0.8) ? ctx.selfId : peerId(rng, ctx).id)],
          ['lastSeq', rng.chance(0.7) ? '0' : numberText(rng)],
          ['peers', peers.json],
        ],
      }
    }
    case 'rejected':
      return {
        kind: t,
        fields: [
          ['t', '"rejected"'],
          [
            'reason',
            q(
              rng.pick([
                'INVALID_TOKEN',
                'TOKEN_EXPIRED',
                'BANNED',
                'REJECTED',
                '__proto__',
                'NOPE',
              ]),
            ),
          ],
          ...(rng.chance(0.5) ? ([['message', q(randomString(rng, 20, true))]] as Fields) : []),
        ],
      }
    case 'ack':
      return {
        kind: t,
        fields: [
          ['t', '"ack"'],
          ['seq', numberText(rng)],
        ],
      }
    case 'msg': {
      const data = payload(rng)
      const from = rng.weighted<string>([
        [6, q(rng.pick(ctx.knownIds))],
        [1, 'null'],
        [1, q(peerId(rng, ctx).id)],
      ])
      return {
        kind: `msg/${data.shape}`,
        fields: [
          ['t', '"msg"'],
          // Numbered relays (docs/protocol.md): a gap makes the client ask for a replay.
          ...(rng.chance(0.4) ? ([['n', countText(rng)]] as Fields) : []),
          ['from', from],
          ['data', data.json],
        ],
      }
    }
    case 'joined':
    case 'updated': {
      const peer = peerWithData(rng, ctx)
      return {
        kind: `${t}/${peer.kind}`,
        fields: [
          ['t', q(t)],
          ['peer', peer.json],
        ],
      }
    }
    case 'left':
      return {
        kind: t,
        fields: [
          ['t', '"left"'],
          ['id', q(peerId(rng, ctx).id)],
          ['reason', q(rng.pick(['QUIT', 'DROPPED']))],
          ['at', timeText()],
        ],
      }
    case 'error':
      return {
        kind: t,
        fields: [
          ['t', '"error"'],
          [
            'code',
            q(
              rng.pick([
                'BAD_FRAME',
                'UNEXPECTED_FRAME',
                'NOT_AUTHENTICATED',
                '__proto__',
                randomString(rng, 10, true),
              ]),
            ),
          ],
          ['message', q(randomString(rng, rng.int(0, 80), true))],
          ...(rng.chance(0.3) ? ([['fatal', 'false']] as Fields) : []),
        ],
      }
    case 'resend':
      return {
        kind: t,
        fields: [
          ['t', '"resend"'],
          ['after', countText(rng)],
        ],
      }
    case 'missed':
      return {
        kind: t,
        fields: [
          ['t', '"missed"'],
          ['upTo', countText(rng)],
          ['count', rng.chance(0.3) ? 'null' : countText(rng)],
        ],
      }
    case 'batch': {
      // Presence changes at once: a few, or a join storm; now and then one that is not one.
      const shape = rng.weighted<string>([
        [6, 'few'],
        [2, 'storm'],
        [2, 'odd-entry'],
        [1, 'empty'],
      ])
      const change = () =>
        obj(validServerFrame(rng, ctx, rng.pick(['joined', 'updated', 'left'] as const)).fields)
      const frames =
        shape === 'storm'
          ? Array.from({ length: rng.int(1000, 8000) }, (_, i) =>
              obj([
                ['t', '"joined"'],
                ['peer', crowdPeer(`storm-${i}`)],
              ]),
            )
          : shape === 'empty'
            ? []
            : Array.from({ length: rng.int(1, 12) }, change)
      if (shape === 'odd-entry')
        frames.splice(
          rng.int(0, frames.length),
          0,
          rng.pick(['null', '{"t":"msg","from":"x","data":1}', '{"t":"batch","frames":[]}', '[]']),
        )
      return {
        kind: `batch/${shape}`,
        fields: [
          ['t', '"batch"'],
          ['frames', arr(frames)],
        ],
      }
    }
  }
}

type ServerPick = ServerType | 'fatal' | 'mutated' | 'garbage' | 'binary' | 'huge' | 'utf8'

const serverWeights: readonly (readonly [number, ServerPick])[] = [
  [2, 'challenge'],
  [2, 'accept'],
  [1, 'redirect'],
  [4, 'welcome'],
  [1, 'rejected'],
  [3, 'pong'],
  [4, 'ack'],
  [14, 'msg'],
  [8, 'joined'],
  [8, 'updated'],
  [5, 'left'],
  [3, 'error'],
  [2, 'resend'],
  [1, 'missed'],
  [6, 'batch'],
  [0.15, 'fatal'],
  [22, 'mutated'],
  [14, 'garbage'],
  [4, 'binary'],
  [0.6, 'huge'],
  [0.2, 'utf8'],
]

/**
 * One hostile server → client frame: a valid frame of any type (`challenge` … `error`) with
 * hostile contents — deep data, 1 MB ids, thousands of peers, duplicates of known peers — or a
 * mutated, garbled, binary, oversized (> 1 MiB) or non-UTF-8 one. A fatal `error` is rare.
 */
export function serverFrame(rng: Rng, ctx: ServerFrameContext): GeneratedFrame {
  const pick = rng.weighted(serverWeights)
  switch (pick) {
    case 'fatal':
      return text(
        'error/fatal',
        obj([
          ['t', '"error"'],
          ['code', '"FUZZ_FATAL"'],
          ['message', '"a fatal error, on purpose"'],
          ['fatal', 'true'],
        ]),
      )
    case 'mutated': {
      const base = validServerFrame(rng, ctx, rng.pick(SERVER_TYPES))
      return mutate(rng, base.kind.split('/')[0]!, base.fields, SERVER_TYPES)
    }
    case 'garbage':
      return garbage(rng, obj(validServerFrame(rng, ctx, rng.pick(SERVER_TYPES)).fields))
    case 'binary':
      return binary(rng, obj(validServerFrame(rng, ctx, rng.pick(SERVER_TYPES)).fields))
    case 'utf8':
      return badUtf8(rng)
    case 'huge':
      return text(
        'huge/msg',
        obj([
          ['t', '"msg"'],
          ['from', q(rng.pick(ctx.knownIds))],
          ['data', q(longString(rng, rng.int(1_050_000, 1_200_000), false))],
        ]),
      )
    default: {
      const frame = validServerFrame(rng, ctx, pick)
      return text(frame.kind, obj(frame.fields))
    }
  }
}

/**
 * Frames every client run sends, whatever the seed, spread over the run: the cases known to
 * have broken linklight's client. Each scenario is a few frames sent back to back, built when
 * it is sent.
 */
export function serverScenarios(rng: Rng, ctx: ServerFrameContext): (() => GeneratedFrame[])[] {
  const known = ctx.knownIds[0]!
  const peer = (id: string, data: string | null) => peerText(rng, id, data, 'stable')
  const frame = (kind: string, fields: Fields) => text(`scenario/${kind}`, obj(fields))
  const welcomeWith = (kind: string, peers: string) =>
    frame(kind, [
      ['t', '"welcome"'],
      ['id', q(ctx.selfId)],
      ['lastSeq', '0'],
      ['peers', peers],
    ])
  // Makes sure the client holds the known peer before the frame that matters.
  const joinedKnown = () =>
    frame('joined-known', [
      ['t', '"joined"'],
      ['peer', peer(known, '{"fresh":true}')],
    ])
  return [
    // A known peer comes back in a repeated `welcome`, with deep data.
    () => [
      joinedKnown(),
      welcomeWith(
        'welcome-repeat-deep-known-peer',
        arr([peer(known, deepText(rng.int(20_000, 100_000), 'object'))]),
      ),
    ],
    () => [
      frame('joined-new-deep', [
        ['t', '"joined"'],
        ['peer', peer(`deep-${rng.hex(4)}`, deepText(rng.int(5000, 50_000), 'array'))],
      ]),
    ],
    () => [
      welcomeWith(
        'welcome-large',
        arr(Array.from({ length: 10_000 }, (_, i) => crowdPeer(`crowd-${i}`))),
      ),
    ],
    () => [
      joinedKnown(),
      welcomeWith(
        'welcome-duplicates',
        arr([peer(known, '1'), peer(known, '2'), peer(known, deepText(3000, 'array'))]),
      ),
    ],
    () => [
      frame('msg-proto', [
        ['t', '"msg"'],
        ['from', q(known)],
        ['data', obj([['__proto__', obj([['polluted', 'true']])]])],
      ]),
    ],
    () => [
      frame('joined-long-id', [
        ['t', '"joined"'],
        ['peer', peer(longString(rng, 1_000_000, false), null)],
      ]),
    ],
    () => [text('scenario/huge', 'x'.repeat(1_100_000))],
    () => [{ kind: 'scenario/binary', data: Buffer.from('{"t":"pong"}'), binary: true }],
    () => [text('scenario/ack-max', '{"t":"ack","seq":9007199254740991}')],
    // A batch whose peer data sits exactly at the 64-level limit, then one level past it.
    () =>
      [60, 61].map((depth) =>
        frame(`batch-depth-${depth + 4}`, [
          ['t', '"batch"'],
          [
            'frames',
            arr([
              obj([
                ['t', '"updated"'],
                ['peer', peer(known, deepText(depth, 'array'))],
              ]),
            ]),
          ],
        ]),
      ),
    // Numbered relays: one far ahead (the client asks for a replay), then `missed` past it.
    () => [
      frame('msg-gap', [
        ['t', '"msg"'],
        ['n', String(rng.int(1000, 1_000_000))],
        ['from', q(known)],
        ['data', '"gap"'],
      ]),
      frame('missed', [
        ['t', '"missed"'],
        ['upTo', '9007199254740991'],
        ['count', 'null'],
      ]),
    ],
    // Last: a known peer's `updated` with deep data, then a `welcome` that has to compare it.
    () => [
      joinedKnown(),
      frame('updated-known-deep', [
        ['t', '"updated"'],
        ['peer', peer(known, deepText(rng.int(20_000, 100_000), 'mixed'))],
      ]),
      welcomeWith('welcome-after-deep-update', arr(ctx.knownIds.map((id) => peer(id, null)))),
    ],
  ]
}

// ── what docs/protocol.md says a client must make of a server frame ──────────────
/** Deepest nesting of arrays and objects a frame may have, itself included. */
const MAX_DEPTH = 64
/** Longest frame linklight's client decodes, in UTF-16 units. */
const MAX_LENGTH = 1 << 20

/** How deeply JSON text nests arrays and objects (strings skipped). */
export function nestingOf(json: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i)
    if (inString) {
      if (c === 92) i++
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) max = Math.max(max, ++depth)
    else if (c === 93 || c === 125) depth--
  }
  return max
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isNum = (v: unknown) => typeof v === 'number'
const isStr = (v: unknown) => typeof v === 'string'
const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0
const isId = (v: unknown) => isStr(v) && v.length >= 1 && v.length <= 128
const isPeer = (v: unknown) => isObject(v) && isId(v.id) && isNum(v.joinedAt) && isNum(v.lastSeenAt)
const presenceShapes = {
  joined: (f: Record<string, unknown>) => isPeer(f.peer),
  updated: (f: Record<string, unknown>) => isPeer(f.peer),
  left: (f: Record<string, unknown>) =>
    isId(f.id) && (f.reason === 'QUIT' || f.reason === 'DROPPED') && isNum(f.at),
}
const isPresenceFrame = (v: unknown) =>
  isObject(v) &&
  isStr(v.t) &&
  Object.hasOwn(presenceShapes, v.t) &&
  presenceShapes[v.t as keyof typeof presenceShapes](v)
const documentedShapes: Record<ServerType, (f: Record<string, unknown>) => boolean> = {
  challenge: () => true,
  accept: (f) => f.maxPayload === undefined || isNum(f.maxPayload),
  redirect: (f) => isStr(f.url),
  welcome: (f) =>
    isId(f.id) && isCount(f.lastSeq) && Array.isArray(f.peers) && f.peers.every(isPeer),
  rejected: (f) => isStr(f.reason) && (f.message === undefined || isStr(f.message)),
  pong: () => true,
  ack: (f) => isCount(f.seq),
  resend: (f) => isCount(f.after),
  msg: (f) =>
    f.data !== undefined &&
    (f.from === null || isStr(f.from)) &&
    (f.n === undefined || isCount(f.n)),
  missed: (f) => isCount(f.upTo) && (f.count === null || isCount(f.count)),
  ...presenceShapes,
  batch: (f) => Array.isArray(f.frames) && f.frames.every(isPresenceFrame),
  error: (f) =>
    isStr(f.code) && isStr(f.message) && (f.fatal === undefined || typeof f.fatal === 'boolean'),
}

/**
 * What a client must make of a frame by docs/protocol.md (version 2): `malformed` (report it),
 * `error` / `fatal` (a well-formed `error` frame), `drop` (not UTF-8: the socket closes), `ok`.
 */
export function documentedVerdict(
  frame: GeneratedFrame,
): 'malformed' | 'error' | 'fatal' | 'drop' | 'ok' {
  if (frame.binary) return 'malformed'
  if (typeof frame.data !== 'string') return 'drop'
  if (frame.data.length > MAX_LENGTH || nestingOf(frame.data) > MAX_DEPTH) return 'malformed'
  let value: unknown
  try {
    value = JSON.parse(frame.data)
  } catch {
    return 'malformed'
  }
  if (!isObject(value) || !isStr(value.t) || !Object.hasOwn(documentedShapes, value.t))
    return 'malformed'
  if (!documentedShapes[value.t as ServerType](value)) return 'malformed'
  if (value.t === 'error') return value.fatal === true ? 'fatal' : 'error'
  return 'ok'
}
