/**
 * The connection-source contract, proven for `createMockSource`.
 */
import { afterEach, describe, it } from 'vitest'
import { describeConnectionSource } from '../../src/testing/index.js'
import { makeMockHarness } from './mockHarness.js'

describeConnectionSource('createMockSource', makeMockHarness, { describe, it, afterEach })
