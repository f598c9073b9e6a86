/**
 * linklight/testing: a hand-driven connection source for tests and stories.
 */
export {
  createMockSource,
  type MockSource,
  type MockSourceInit,
  type MockTransitionOptions,
} from './createMockSource.js'
