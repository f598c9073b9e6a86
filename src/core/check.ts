/**
 * Option checking shared by the client, the store, the adapters and the reference server: one
 * rule per option, one error format —
 * `createClient: heartbeatInterval must be a positive number of milliseconds (got -1)`.
 */

/** A test a valid value passes, and how to describe a valid value in the error. */
export type Rule = readonly [test: (value: unknown) => boolean, expected: string]

/** How a bad value appears in an error message. */
export type ShowValue = (value: unknown) => string

/** Strings quoted, objects and functions by their kind: for options that take objects with methods. */
export const showKind: ShowValue = (value) =>
  typeof value == 'string'
    ? JSON.stringify(value)
    : (typeof value == 'object' && value) || typeof value == 'function'
      ? typeof value
      : String(value)

const isPlainData = (value: unknown) =>
  Array.isArray(value) ||
  (isObject(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value)))

/** Arrays and plain objects as JSON, the rest as {@link showKind}: for options that take data. */
export const showData: ShowValue = (value) => {
  if (!isPlainData(value)) return showKind(value)
  try {
    return JSON.stringify(value)
  } catch {
    return showKind(value)
  }
}

/** Throws `TypeError('<where>: <name> must be <expected> (got <value>)')`. */
export function invalid(
  where: string,
  name: string,
  expected: string,
  value: unknown,
  show: ShowValue = showKind,
): never {
  throw new TypeError(`${where}: ${name} must be ${expected} (got ${show(value)})`)
}

/** Checks every option that is not `undefined` against its rule; throws on the first bad one. */
export function checkOptions(
  where: string,
  options: unknown,
  rules: Record<string, Rule>,
  show: ShowValue = showKind,
) {
  if (options !== undefined && !isObject(options))
    invalid(where, 'options', 'an object', options, show)
  for (const name in rules) {
    const value = (options as Record<string, unknown> | undefined)?.[name]
    const [test, expected] = rules[name]!
    if (value !== undefined && !test(value)) invalid(where, name, expected, value, show)
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value == 'object' && value !== null

/** A rule for an object with these methods. */
export const methods = (...names: string[]): Rule => [
  (value) => isObject(value) && names.every((name) => typeof value[name] == 'function'),
  `an object with ${names.join(', ')}`,
]

/** A rule for a function; `expected` says which (default `'a function'`). */
export const func = (expected = 'a function'): Rule => [
  (value) => typeof value == 'function',
  expected,
]

/** A rule for a string that is not empty. */
export const nonEmptyString: Rule = [
  (value) => typeof value == 'string' && value !== '',
  'a non-empty string',
]

/** A rule for an array of strings; `what` names them in the error (default `'strings'`). */
export const stringList = (what = 'strings'): Rule => [
  (value) => Array.isArray(value) && value.every((item) => typeof item == 'string'),
  `an array of ${what}`,
]

/** `rule`, with `Infinity` allowed too; `meaning` says what `Infinity` does (e.g. `'off'`). */
export const orInfinity = ([test, expected]: Rule, meaning?: string): Rule => [
  (value) => value === Infinity || test(value),
  `${expected} or Infinity${meaning ? ` (${meaning})` : ''}`,
]

/** A rule for a finite number of milliseconds, `> 0` (`min` 1) or `>= 0` (`min` 0). */
const finiteMs = (min: 0 | 1): Rule => [
  (value) => typeof value == 'number' && (min ? value > 0 : value >= 0) && Number.isFinite(value),
  `a ${min ? 'positive' : 'non-negative'} number`,
]

/**
 * A rule for a number of milliseconds, `> 0` (`min` 1) or `>= 0` (`min` 0), finite unless `off`
 * allows `Infinity` to turn the option off.
 */
export const ms = (min: 0 | 1, off?: boolean): Rule => {
  const rule = finiteMs(min)
  return off ? orInfinity(rule, 'off') : [rule[0], `${rule[1]} of milliseconds`]
}

/**
 * A rule for a safe integer from `min` to `max`; `unit` names what it counts (`'bytes'`), for
 * the error: `a positive integer number of bytes`, `an integer from 8 to 64`.
 */
export const integer = (min: number, max = Infinity, unit?: string): Rule => {
  const whole = unit ? `integer number of ${unit}` : 'integer'
  return [
    (value) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
    max < Infinity
      ? `an ${whole} from ${min} to ${max}`
      : min == 0
        ? `a non-negative ${whole}`
        : min == 1
          ? `a positive ${whole}`
          : `an ${whole} >= ${min}`,
  ]
}

/** A rule for an integer at least `min`, or `Infinity`. */
export const count = (min: 0 | 1): Rule => orInfinity(integer(min))

/** A rule for one of a few literal values. */
export const oneOf = (...values: unknown[]): Rule => [
  (value) => values.includes(value),
  values.map((v) => (typeof v == 'string' ? `'${v}'` : String(v))).join(' or '),
]

/** The methods every `ConnectionSource` has, for checking what a user passes as one. */
export const SOURCE_METHODS = [
  'getSnapshot',
  'subscribe',
  'on',
  'getPeers',
  'connect',
  'login',
  'send',
  'reconnect',
  'close',
] as const
