/**
 * Option checking shared by the client and the store: one rule per option, one error format —
 * `createClient: heartbeatInterval must be a number > 0 (got -1)`.
 */

/** A test a valid value passes, and how to describe a valid value in the error. */
export type Rule = readonly [test: (value: unknown) => boolean, expected: string]

const show = (value: unknown) =>
  typeof value == 'string'
    ? JSON.stringify(value)
    : (typeof value == 'object' && value) || typeof value == 'function'
      ? typeof value
      : String(value)

/** Throws `TypeError('<where>: <name> must be <expected> (got <value>)')`. */
export function invalid(where: string, name: string, expected: string, value: unknown): never {
  throw new TypeError(`${where}: ${name} must be ${expected} (got ${show(value)})`)
}

/** Checks every option that is not `undefined` against its rule; throws on the first bad one. */
export function checkOptions(where: string, options: unknown, rules: Record<string, Rule>) {
  if (options !== undefined && !isObject(options)) invalid(where, 'options', 'an object', options)
  for (const name in rules) {
    const value = (options as Record<string, unknown> | undefined)?.[name]
    const [test, expected] = rules[name]!
    if (value !== undefined && !test(value)) invalid(where, name, expected, value)
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value == 'object' && value !== null

/** A rule for an object with these methods. */
export const methods = (...names: string[]): Rule => [
  (value) => isObject(value) && names.every((name) => typeof value[name] == 'function'),
  `an object with ${names.join(', ')}`,
]

/** A rule for a number of milliseconds at least `min` (and `Infinity` when `off`). */
export const ms = (min: 0 | 1, off?: boolean): Rule => [
  (value) =>
    typeof value == 'number' && (min ? value > 0 : value >= 0) && (value < Infinity || !!off),
  `a ${min ? 'positive' : 'non-negative'} number${off ? ' or Infinity (off)' : ''}`,
]

/** A rule for an integer at least `min`, or `Infinity`. */
export const count = (min: 0 | 1): Rule => [
  (value) => value === Infinity || (Number.isInteger(value) && (value as number) >= min),
  `a ${min ? 'positive' : 'non-negative'} integer or Infinity`,
]

/** A rule for one of a few literal values. */
export const oneOf = (...values: unknown[]): Rule => [
  (value) => values.includes(value),
  values.map((v) => (typeof v == 'string' ? `'${v}'` : String(v))).join(' or '),
]
