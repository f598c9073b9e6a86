/**
 * linklight/testing: a hand-driven connection source for tests and stories, and the contract
 * suite every connection source passes.
 */
export {
  createMockSource,
  type MockSource,
  type MockSourceInit,
  type MockTransitionOptions,
} from './createMockSource.js'
export {
  describeConnectionSource,
  type ContractTestFunctions,
  type DescribeConnectionSourceOptions,
  type MakeSourceHarness,
  type SourceCapability,
  type SourceHarness,
  type SourceHarnessPeers,
} from './describeConnectionSource.js'
