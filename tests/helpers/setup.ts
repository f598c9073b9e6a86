import { createClient } from '../../src/core/client.js'
import type { ClientOptions } from '../../src/core/options.js'
import { createFakeClock } from './fakeClock.js'
import { createFakeNetwork } from './fakeNetwork.js'

/**
 * A client on a fake clock and a fake network, recording every `(time, state, reason)` with the
 * time relative to the start. `lazyConnect` is on unless given, so the first change is recorded.
 */
export function setup(options: ClientOptions = {}) {
  const fake = createFakeClock()
  const net = createFakeNetwork(fake)
  const t0 = fake.now()
  const client = createClient('ws://127.0.0.1:1/', {
    lazyConnect: true,
    ...options,
    WebSocket: net.WebSocket,
    clock: fake.clock,
  })
  const log: [number, string, string][] = []
  const events: [number, string][] = []
  client.on('connectionStateChanged', (state, reason) => log.push([fake.now() - t0, state, reason]))
  client.on('lost', () => events.push([fake.now() - t0, 'lost']))
  client.on('restored', () => events.push([fake.now() - t0, 'restored']))
  const errors: { code: string; message: string }[] = []
  client.on('error', (error) => errors.push(error))
  /** Logs in and runs the clock until the handshake is through. */
  const open = (credentials: unknown = { id: 'me' }) => {
    const done = client.login(credentials)
    fake.advance(0)
    return done
  }
  const at = () => fake.now() - t0
  /** Sockets created after the first, with their creation time relative to the start. */
  const attemptTimes = () => net.sockets.slice(1).map((s) => s.createdAt - t0)
  return { fake, net, client, log, events, errors, open, at, t0, attemptTimes }
}
