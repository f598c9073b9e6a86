import { useCallback, useEffect, useState } from 'react'

// Another tab may press a button too: look at the server's state now and then.
const POLL_MS = 1000

async function request<S>(endpoint: string, action?: string): Promise<S> {
  const response = await fetch(action ? `${endpoint}/${action}` : endpoint, {
    method: action ? 'POST' : 'GET',
  })
  const body = (await response.json()) as S | { error: string }
  if (typeof body === 'object' && body !== null && 'error' in body) throw new Error(body.error)
  return body as S
}

/**
 * One of the demo's fault endpoints (`/api/faults`, `/api/yjs`, `/api/socketio`): the server's
 * fault state, polled every second; `perform(action)` POSTs an action and shows the state it
 * answers, or the error.
 */
export function useFaultEndpoint<S, A extends string>(endpoint: string) {
  const [state, setState] = useState<S | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    const poll = () =>
      request<S>(endpoint).then(
        (next) => live && setState(next),
        () => {},
      )
    void poll()
    const timer = setInterval(poll, POLL_MS)
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [endpoint])
  const perform = useCallback(
    (action: A) =>
      request<S>(endpoint, action).then(
        (next) => {
          setState(next)
          setError(null)
        },
        (failure: Error) => setError(`${action}: ${failure.message}`),
      ),
    [endpoint],
  )
  return { state, error, perform }
}
