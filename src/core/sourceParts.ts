/**
 * The parts of a combined source (combineSources.ts): checking what the app gave, and reading
 * credentials and errors part by part.
 */
import { showKind, SOURCE_METHODS } from './check.js'
import type { ConnectionSource } from './types.js'

/**
 * Named connection sources, as given to `combineSources`: each name is the `part` a
 * combined snapshot reports and the prefix of that part's peer ids.
 *
 * @example
 * ```ts
 * const parts: SourceParts = { chat: createClient(chatUrl), doc: fromYjs(provider) }
 * ```
 */
export type SourceParts = Readonly<Record<string, ConnectionSource>>

export const WHERE = 'combineSources'

export function checkParts(parts: unknown): asserts parts is SourceParts {
  if (typeof parts != 'object' || parts === null || Array.isArray(parts))
    throw new TypeError(
      `${WHERE}: parts must be an object of named connection sources, e.g. combineSources({ chat, doc }) (got ${Array.isArray(parts) ? 'an array' : showKind(parts)})`,
    )
  const entries = Object.entries(parts)
  if (entries.length == 0)
    throw new TypeError(
      `${WHERE}: parts is empty; give it at least one named connection source, e.g. combineSources({ chat, doc })`,
    )
  const seen = new Map<unknown, string>()
  for (const [name, part] of entries) {
    if (name == '' || name.includes(':'))
      throw new TypeError(
        `${WHERE}: part names must be non-empty and without ':', which separates the part from the peer id in "<part>:<id>" (got ${JSON.stringify(name)})`,
      )
    if (typeof part != 'object' || part === null)
      throw new TypeError(
        `${WHERE}: parts.${name} must be a ConnectionSource (got ${showKind(part)})`,
      )
    const missing = SOURCE_METHODS.filter(
      (method) => typeof (part as Partial<Record<string, unknown>>)[method] != 'function',
    )
    if (missing.length)
      throw new TypeError(
        `${WHERE}: parts.${name} must be a ConnectionSource, but it has no ${missing.map((method) => `${method}()`).join(', ')}`,
      )
    const other = seen.get(part)
    if (other !== undefined)
      throw new TypeError(
        `${WHERE}: parts.${other} and parts.${name} are the same source; give each connection once`,
      )
    seen.set(part, name)
  }
}

/** Whether `credentials` is an object keyed by part names: one entry per part. */
export function isKeyedByPart(credentials: unknown, names: readonly string[]): boolean {
  if (typeof credentials != 'object' || credentials === null) return false
  const proto: unknown = Object.getPrototypeOf(credentials)
  if (proto !== Object.prototype && proto !== null) return false
  const keys = Object.keys(credentials)
  return keys.length > 0 && keys.every((key) => names.includes(key))
}

export const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error)
