import { nestsDeeperThan } from '../core/protocol.js'

/**
 * Close codes of the reference server, besides the standard 1000 (bye, redirect), 1002
 * (protocol version) and 1009 (frame over `maxPayload`). Each is documented in
 * docs/security.md.
 */
export const CloseCode = Object.freeze({
  /** After `rejected`: authentication refused; do not retry with the same credentials. */
  REJECTED: 4001,
  /** `hello` and `auth` were not done within `handshakeTimeout`. */
  HANDSHAKE_TIMEOUT: 4002,
  /** The client read slower than the server wrote: more than `maxBufferedBytes` waited. */
  SLOW_CONSUMER: 4003,
  /** The client sent more than `maxFramesPerSecond`. */
  RATE_LIMITED: 4004,
})

// Presence data travels deepest inside a `batch`: the frame, its list, a change, its peer.
const PRESENCE_NESTING = 4

/** The limits presence data is checked against. */
export interface PresenceLimits {
  readonly maxPresenceBytes: number
  readonly maxDepth: number
}

/** Presence data as JSON text ready to store and forward, or why it cannot be stored. */
export type PresenceJson = { ok: true; json: string | undefined } | { ok: false; message: string }

/**
 * Serialises presence data once, on arrival, and checks it: whatever is stored can always be
 * sent again (no cycles, no BigInt, no nesting that would overflow a serialiser), fits the
 * frames every client accepts, and costs at most `maxPresenceBytes` per peer.
 */
export function presenceJson(data: unknown, limits: PresenceLimits): PresenceJson {
  if (data === undefined) return { ok: true, json: undefined }
  let json: string | undefined
  try {
    json = JSON.stringify(data)
  } catch (error) {
    return { ok: false, message: `presence data cannot be serialised (${String(error)})` }
  }
  // Functions and symbols serialise to nothing: the same as no data.
  if (json === undefined) return { ok: true, json: undefined }
  const bytes = Buffer.byteLength(json)
  if (bytes > limits.maxPresenceBytes)
    return {
      ok: false,
      message: `presence data is limited to ${limits.maxPresenceBytes} bytes of JSON (got ${bytes})`,
    }
  const depth = limits.maxDepth - PRESENCE_NESTING
  if (nestsDeeperThan(json, depth))
    return { ok: false, message: `presence data may nest at most ${depth} levels` }
  return { ok: true, json }
}
