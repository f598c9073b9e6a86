import { useStateAndReason } from './useStateAndReason.js'

/** The raw state and its reason as one muted line: `OPEN · JOIN_SUCCESS`. */
export function StateLine() {
  const { state, reason } = useStateAndReason()
  return (
    <p className="ll-muted" data-field="state">
      {state} · {reason ?? '—'}
    </p>
  )
}
