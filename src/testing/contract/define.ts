/**
 * How each area of the contract registers its tests, and the tour most of them take the
 * source on.
 */
import type { Session, SourceCapability } from './harness.js'

/** What a test needs besides its body. */
export interface ContractTestOptions {
  /** Capabilities of the harness it cannot run without (skipped when the user opts out). */
  readonly needs?: readonly SourceCapability[]
  /** About how many steps it takes: its runner timeout allows each the longest step timeout. */
  readonly steps?: number
}

/** Registers one contract test. */
export type DefineTest = (
  title: string,
  body: (session: Session) => Promise<void>,
  options?: ContractTestOptions,
) => void

/** What `tour` may add to online → drop → restore. */
export interface TourOptions {
  /** Keep the link down past `lostAfter` before restoring (when the harness can). */
  readonly lose?: boolean
  /** Then drop again, give up, and come back with `reconnect()` (when the harness can). */
  readonly giveUp?: boolean
  /** End with `close()`. */
  readonly close?: boolean
}

/**
 * Takes the source through the states a connection lives in: OPEN, a drop and its rejoin, and
 * as far as the harness can, `lost`, a give-up and `reconnect()`, and `close()`.
 */
export async function tour(s: Session, options: TourOptions = {}): Promise<void> {
  await s.online()
  await s.drop()
  if (options.lose && s.can('lose')) await s.lose()
  await s.restore()
  if (options.giveUp && s.can('giveUp')) {
    await s.drop()
    await s.giveUp()
    await s.lever('restore')
    s.source.reconnect()
    await s.waitForState('OPEN', 'after reconnect() from ERROR with the link back')
  }
  if (options.close) await s.close()
}

/** Steps `tour` takes at most. */
export const TOUR_STEPS = 11
