import { parseFrame } from '../core/protocol.js'
import { ProtocolError, type ClientFrame } from '../protocol/index.js'

/** Longest session id a client may send in `hello`; ids are keys of a long-lived table. */
export const MAX_SESSION_LENGTH = 100

// Visible ASCII only: a session id is part of a table key and may be logged.
const sessionPattern = new RegExp(`^[\\x21-\\x7e]{1,${MAX_SESSION_LENGTH}}$`)
const isSessionId = (value: unknown): value is string =>
  typeof value === 'string' && sessionPattern.test(value)
const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0

// What each client frame must carry beyond its `t` (the mirror of `serverFrameChecks` in
// core/protocol.ts). Optional payloads (`credentials`, `presence`, presence `data`) may be
// absent because `JSON.stringify` drops `undefined`; a message's `data` may not, since the
// relayed frame must carry it for clients to accept it.
const clientFrameChecks: Record<ClientFrame['t'], (f: Record<string, unknown>) => boolean> = {
  hello: (f) =>
    typeof f.v === 'number' &&
    typeof f.url === 'string' &&
    isSessionId(f.session) &&
    (f.received === undefined || isCount(f.received)),
  auth: () => true,
  ping: () => true,
  msg: (f) => Number.isSafeInteger(f.seq) && (f.seq as number) >= 1 && 'data' in f,
  presence: () => true,
  bye: () => true,
  replay: (f) => isCount(f.after),
}

// Shown with a malformed frame so whoever writes a client sees what was expected.
const clientFrameShapes: Record<ClientFrame['t'], string> = {
  hello: `{"t":"hello","v":number,"url":string,"session":1-${MAX_SESSION_LENGTH} visible ASCII characters,"received"?:integer >= 0}`,
  auth: '{"t":"auth","credentials"?:any,"presence"?:any}',
  ping: '{"t":"ping"}',
  msg: '{"t":"msg","seq":integer >= 1,"data":any}',
  presence: '{"t":"presence","data":any}',
  bye: '{"t":"bye"}',
  replay: '{"t":"replay","after":integer >= 0}',
}

function hintFor(raw: string): string | undefined {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return undefined
  }
  const t = typeof value === 'object' && value !== null ? (value as { t?: unknown }).t : undefined
  if (typeof t !== 'string') return undefined
  return Object.hasOwn(clientFrameShapes, t)
    ? `expected ${clientFrameShapes[t as ClientFrame['t']]}`
    : `expected one of ${Object.keys(clientFrameShapes).join(', ')}`
}

/**
 * Parses a text frame from a client with the shared {@link parseFrame}; throws a
 * `ProtocolError` whose message says what was wrong and what was expected.
 */
export function parseClientFrame(
  raw: string,
  limits: { readonly maxPayload: number; readonly maxDepth: number },
): ClientFrame {
  const maxLength = limits.maxPayload
  try {
    return parseFrame<ClientFrame>(raw, clientFrameChecks, maxLength, limits.maxDepth)
  } catch (error) {
    // Re-parsing is only paid on the error path, and never for oversized text.
    const hint =
      error instanceof ProtocolError && raw.length <= maxLength ? hintFor(raw) : undefined
    throw hint === undefined ? error : new ProtocolError(`${(error as Error).message}; ${hint}`)
  }
}
