/**
 * Type-level checks, compiled by `npm run typecheck`: the real `@deepstream/client` fits the
 * structural type the adapter asks for, and the state names are exactly deepstream's.
 */
import type { C, DeepstreamClient } from '@deepstream/client'
import type { DeepstreamClientLike, DeepstreamState } from '../../src/adapters/deepstream.js'

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const assertTrue = <T extends true>(value: T) => value

export const realClientFits: DeepstreamClientLike = null as unknown as DeepstreamClient
export const everyState = assertTrue<Same<`${C.CONNECTION_STATE}`, DeepstreamState>>(true)
