type Listen = (type: string, listener: () => void) => void
interface EventTarget {
  addEventListener?: Listen
  removeEventListener?: Listen
  visibilityState?: string
}

/** Adds `listeners` to `target` when it takes listeners; returns what removes them. */
function listen(target: EventTarget | undefined, listeners: Record<string, () => void>) {
  const { addEventListener: add, removeEventListener: remove } = target ?? {}
  if (typeof add !== 'function' || typeof remove !== 'function') return () => {}
  for (const type in listeners) add.call(target, type, listeners[type]!)
  return () => {
    for (const type in listeners) remove.call(target, type, listeners[type]!)
  }
}

/**
 * Calls `onChange(true | false)` on the environment's `online` / `offline` events (window or
 * worker), and `onChange(true)` when the page becomes visible again: a tab coming back to the
 * front is a moment to check the link at once (a sleeping laptop, a phone's background tab).
 * Where there are none (Node) it does nothing. Returns the function that removes them all.
 */
export function watchNetwork(onChange: (online: boolean) => void): () => void {
  const doc = (globalThis as { document?: EventTarget }).document
  const stopNetwork = listen(globalThis as EventTarget, {
    online: () => onChange(true),
    offline: () => onChange(false),
  })
  const stopVisibility = listen(doc, {
    visibilitychange: () => {
      if (doc?.visibilityState === 'visible') onChange(true)
    },
  })
  return () => {
    stopNetwork()
    stopVisibility()
  }
}
