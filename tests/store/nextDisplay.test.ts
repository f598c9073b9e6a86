import { describe, expect, it } from 'vitest'
import type { DisplayStatus } from '../../src/store/display.js'
import { nextDisplay, type SmoothingOptions } from '../../src/store/nextDisplay.js'

// Short, distinct numbers so each expectation can only come from the right option.
const timing: SmoothingOptions = { enterDelay: 1000, minVisible: 1500 }

const status = (
  state: DisplayStatus['state'],
  tone: DisplayStatus['tone'],
  since: number,
): DisplayStatus => Object.freeze({ state, tone, since })

// What is shown, each since a time of its own.
const GREEN = status('OPEN', 'good', -Infinity)
const AMBER = status('RECONNECTING', 'neutral', 1000)
const AMBER_FROM_START = status('RECONNECTING', 'neutral', -Infinity)
const RED = status('ERROR', 'bad', 100)

type Expected = { display: DisplayStatus | 'unchanged'; recheckAt: number | null }
type Row = [
  name: string,
  display: DisplayStatus,
  raw: DisplayStatus,
  now: number,
  expected: Expected,
  options?: SmoothingOptions,
]

const rows: Row[] = [
  [
    'a dip from green is held back until it has lasted enterDelay',
    GREEN,
    status('RECONNECTING', 'neutral', 5000),
    5200,
    { display: 'unchanged', recheckAt: 6000 },
  ],
  [
    'a dip from green shows once it has lasted enterDelay',
    GREEN,
    status('RECONNECTING', 'neutral', 5000),
    6000,
    { display: status('RECONNECTING', 'neutral', 6000), recheckAt: null },
  ],
  [
    'a dip from green looked at late (a timer that fired late) shows since now',
    GREEN,
    status('CHALLENGING', 'neutral', 5000),
    9000,
    { display: status('CHALLENGING', 'neutral', 9000), recheckAt: null },
  ],
  [
    'a dip that ended before it showed leaves green as it was',
    GREEN,
    status('OPEN', 'good', 5500),
    5500,
    { display: 'unchanged', recheckAt: null },
  ],
  [
    'ERROR (red) shows at once from green, within enterDelay',
    GREEN,
    status('ERROR', 'bad', 5000),
    5000,
    { display: status('ERROR', 'bad', 5000), recheckAt: null },
  ],
  [
    'red shows at once from amber shown a moment ago, within minVisible',
    AMBER,
    status('ERROR', 'bad', 1100),
    1100,
    { display: status('ERROR', 'bad', 1100), recheckAt: null },
  ],
  [
    'amber, once shown, stays minVisible before green',
    AMBER,
    status('OPEN', 'good', 1200),
    1200,
    { display: 'unchanged', recheckAt: 2500 },
  ],
  [
    'amber gives way to green once minVisible is served',
    AMBER,
    status('OPEN', 'good', 1200),
    2500,
    { display: status('OPEN', 'good', 2500), recheckAt: null },
  ],
  [
    'red, once shown, stays minVisible before green',
    RED,
    status('OPEN', 'good', 200),
    200,
    { display: 'unchanged', recheckAt: 1600 },
  ],
  [
    'red, once shown, stays minVisible before amber',
    RED,
    status('RECONNECTING', 'neutral', 300),
    1599,
    { display: 'unchanged', recheckAt: 1600 },
  ],
  [
    'the status shown from the start has served minVisible: green shows at once',
    AMBER_FROM_START,
    status('OPEN', 'good', 10),
    10,
    { display: status('OPEN', 'good', 10), recheckAt: null },
  ],
  [
    'within a tone the shown state follows the raw one at once, and keeps its since',
    AMBER,
    status('CHALLENGING', 'neutral', 900),
    1100,
    { display: status('CHALLENGING', 'neutral', 1000), recheckAt: null },
  ],
  [
    'within a tone, while green: a state remapped to good follows at once',
    GREEN,
    status('AWAITING_AUTHENTICATION', 'good', 4000),
    4000,
    { display: status('AWAITING_AUTHENTICATION', 'good', -Infinity), recheckAt: null },
  ],
  [
    'nothing to change: the same object, nothing to recheck',
    AMBER,
    status('RECONNECTING', 'neutral', 900),
    1100,
    { display: 'unchanged', recheckAt: null },
  ],
  [
    'the rules follow the tone, not the state: a dip from a state remapped to good waits too',
    status('AWAITING_AUTHENTICATION', 'good', 300),
    status('AUTHENTICATING', 'neutral', 400),
    500,
    { display: 'unchanged', recheckAt: 1400 },
  ],
  [
    'enterDelay 0: a dip shows at once',
    GREEN,
    status('RECONNECTING', 'neutral', 5000),
    5000,
    { display: status('RECONNECTING', 'neutral', 5000), recheckAt: null },
    { enterDelay: 0 },
  ],
  [
    'minVisible 0: green comes back at once',
    AMBER,
    status('OPEN', 'good', 1001),
    1001,
    { display: status('OPEN', 'good', 1001), recheckAt: null },
    { minVisible: 0 },
  ],
  [
    'enterDelay option: held until its own delay',
    GREEN,
    status('RECONNECTING', 'neutral', 5000),
    5100,
    { display: 'unchanged', recheckAt: 5200 },
    { enterDelay: 200 },
  ],
]

describe('nextDisplay', () => {
  it.each(rows)('%s', (_name, display, raw, now, expected, options = timing) => {
    const next = nextDisplay(display, raw, now, options)
    if (expected.display === 'unchanged') expect(next.display).toBe(display)
    else expect(next.display).toEqual(expected.display)
    expect(next.recheckAt).toBe(expected.recheckAt)
  })

  it('defaults to enterDelay 1000 ms and minVisible 1500 ms', () => {
    const dip = status('RECONNECTING', 'neutral', 0)
    expect(nextDisplay(GREEN, dip, 0).recheckAt).toBe(1000)
    expect(nextDisplay(AMBER, status('OPEN', 'good', 1000), 1000).recheckAt).toBe(2500)
  })

  it('called again at recheckAt with the same raw status, it shows that status', () => {
    const raw = status('RECONNECTING', 'neutral', 5000)
    const first = nextDisplay(GREEN, raw, 5000, timing)
    expect(first.recheckAt).toBe(6000)
    const second = nextDisplay(first.display, raw, first.recheckAt!, timing)
    expect(second).toEqual({ display: status('RECONNECTING', 'neutral', 6000), recheckAt: null })
  })
})
