import { useConnection } from '../../src/react/index.js'

/** The raw state and the reason of its last change, re-rendering only when either changes. */
export const useStateAndReason = () =>
  useConnection(
    (s) => ({ state: s.state, reason: s.reason }),
    (a, b) => a.state === b.state && a.reason === b.reason,
  )
