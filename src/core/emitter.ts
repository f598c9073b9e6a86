/** Handler signatures by event name. */
export type EventMap<E> = { [K in keyof E]: (...args: never[]) => void }

/** A minimal typed event emitter: `on` returns its own `off`. */
export interface Emitter<E extends EventMap<E>> {
  on<K extends keyof E>(event: K, handler: E[K]): () => void
  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void
}

export function createEmitter<E extends EventMap<E>>(
  onHandlerError: (error: unknown) => void,
): Emitter<E> {
  const handlers = new Map<keyof E, Set<E[keyof E]>>()
  return {
    on(event, handler) {
      let set = handlers.get(event)
      if (!set) handlers.set(event, (set = new Set()))
      set.add(handler)
      return () => void set.delete(handler)
    },
    emit(event, ...args) {
      const set = handlers.get(event)
      if (!set) return
      for (const handler of [...set]) {
        // One throwing handler must not stop the others, nor the client.
        try {
          ;(handler as (...a: Parameters<E[typeof event]>) => void)(...args)
        } catch (error) {
          onHandlerError(error)
        }
      }
    },
  }
}
