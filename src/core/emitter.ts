/** Handler signatures by event name. */
export type EventMap<E> = { [K in keyof E]: (...args: never[]) => void }

/** A minimal typed event emitter: `on` returns its own `off`, which only works once. */
export interface Emitter<E extends EventMap<E>> {
  on<K extends keyof E>(event: K, handler: E[K]): () => void
  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void
  /** Handlers registered now. */
  count(): number
}

export function createEmitter<E extends EventMap<E>>(
  onHandlerError: (error: unknown) => void,
): Emitter<E> {
  // One entry per registration: the same function registered twice is called twice.
  const handlers = new Map<keyof E, Set<{ f: E[keyof E] }>>()
  let count = 0
  return {
    on(event, f) {
      let set = handlers.get(event)
      if (!set) handlers.set(event, (set = new Set()))
      const entry = { f }
      set.add(entry)
      count++
      return () => void (set.delete(entry) && count--)
    },
    emit(event, ...args) {
      for (const { f } of [...(handlers.get(event) ?? [])]) {
        // One throwing handler must not stop the others, nor the source.
        try {
          ;(f as (...a: Parameters<E[typeof event]>) => void)(...args)
        } catch (error) {
          onHandlerError(error)
        }
      }
    },
    count: () => count,
  }
}
