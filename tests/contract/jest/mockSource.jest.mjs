// The contract suite under Jest, on the mock source. jest.test.ts bundles linklight/testing and
// the mock's harness into .tmp/contract-jest/ first, then runs Jest on this file alone. The
// suite finds Jest's describe, it and afterEach among the globals.
import { describeConnectionSource } from '../../../.tmp/contract-jest/index.mjs'
import { makeMockHarness } from '../../../.tmp/contract-jest/mockHarness.mjs'

describeConnectionSource('createMockSource under Jest', makeMockHarness)
