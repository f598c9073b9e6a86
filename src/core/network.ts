type Listen = (type: 'online' | 'offline', listener: () => void) => void

/**
 * Calls `onChange(true | false)` on the environment's `online` / `offline` events (window or
 * worker). Where there are none (Node) it does nothing. Returns the function that removes both.
 */
export function watchNetwork(onChange: (online: boolean) => void): () => void {
  const target = globalThis as { addEventListener?: Listen; removeEventListener?: Listen }
  const { addEventListener: add, removeEventListener: remove } = target
  if (typeof add !== 'function' || typeof remove !== 'function') return () => {}
  const online = () => onChange(true)
  const offline = () => onChange(false)
  add.call(target, 'online', online)
  add.call(target, 'offline', offline)
  return () => {
    remove.call(target, 'online', online)
    remove.call(target, 'offline', offline)
  }
}
