/**
 * The client's effects as a table (src/core/client/effects.ts), and what the client does with
 * them: the OPEN effect's disposer, a welcome's data applied only once the machine accepts it,
 * and a tick that takes every deadline due at once.
 */
import { describe, expect, it } from 'vitest'
import { createEffects, entryEffects, type EffectContext } from '../../src/core/client/effects.js'
import { createLogins } from '../../src/core/client/logins.js'
import { initialMachine } from '../../src/core/machine.js'
import { setup } from '../helpers/setup.js'

function context() {
  const calls: string[] = []
  const c: EffectContext = {
    machine: () => initialMachine,
    logins: createLogins(),
    hello: () => calls.push('hello'),
    auth: () => calls.push('auth'),
    watch: () => {
      calls.push('watch')
      return () => calls.push('unwatch')
    },
    endSession: () => calls.push('endSession'),
    onNetwork: () => {},
  }
  return { c, calls }
}

describe('entry effects, state by state', () => {
  it('only the states that do something on entry have an effect', () => {
    expect(Object.keys(entryEffects).sort()).toEqual([
      'AUTHENTICATING',
      'CHALLENGING',
      'CLOSED',
      'ERROR',
      'OPEN',
    ])
  })

  it.each([
    ['CHALLENGING', ['hello']],
    ['AUTHENTICATING', ['auth']],
    ['OPEN', ['watch']],
    ['CLOSED', ['endSession']],
  ] as const)('entering %s runs %j', (state, expected) => {
    const { c, calls } = context()
    createEffects(c).enter(state)
    expect(calls).toEqual(expected)
  })

  it('leaving OPEN stops the watchdog', () => {
    const { c, calls } = context()
    const effects = createEffects(c)
    effects.enter('OPEN')
    calls.length = 0
    effects.enter('RECONNECTING')
    expect(calls).toEqual(['unwatch'])
  })

  it('OPEN resolves waiting logins; ERROR and CLOSED reject them', async () => {
    for (const [state, settles] of [
      ['OPEN', 'resolves'],
      ['ERROR', 'rejects'],
      ['CLOSED', 'rejects'],
    ] as const) {
      const { c } = context()
      const login = c.logins.wait()
      createEffects(c).enter(state)
      if (settles == 'resolves') await expect(login).resolves.toBeUndefined()
      else await expect(login).rejects.toThrow(state == 'CLOSED' ? /close\(\)/ : /login/)
    }
  })
})

describe('what the client does with the effects and frames', () => {
  it('a welcome the machine does not accept changes nothing: no peers, no id', () => {
    const { client, net, fake } = setup()
    client.connect()
    fake.advance(0) // CHALLENGING → AWAITING_AUTHENTICATION (no credentials yet)
    expect(client.getConnectionState()).toBe('AWAITING_AUTHENTICATION')
    net.last.push({
      t: 'welcome',
      id: 'me',
      lastSeq: 0,
      peers: [{ id: 'ghost', joinedAt: 1, lastSeenAt: 1 }],
    })
    expect(client.getConnectionState()).toBe('AWAITING_AUTHENTICATION')
    expect(client.getPeers().size).toBe(0)
    client.close()
  })

  it('an accepted welcome applies its peers before OPEN is published', () => {
    const { client, net, open } = setup()
    net.peers = [{ id: 'ada', joinedAt: 1, lastSeenAt: 1 }]
    const seen: number[] = []
    client.on('connectionStateChanged', (state) => {
      if (state == 'OPEN') seen.push(client.getPeers().size)
    })
    void open()
    expect(seen).toEqual([1])
    client.close()
  })

  it('a tick takes every deadline due: lost and the overdue retry at once, one wake-up', () => {
    const { client, net, fake, events, attemptTimes } = setup({
      lostAfter: 5000,
      reconnectIntervalIncrement: 3000,
      maxReconnectAttempts: Infinity,
    })
    void client.login({ id: 'me' })
    fake.advance(0)
    net.up = false
    net.killAll()
    fake.advance(0) // attempt 1 fails at once; attempt 2 is due 3 s later
    // The process sleeps past both the retry (3 s) and lost (5 s): one wake-up takes both.
    fake.sleep(6000)
    fake.advance(0)
    // Both at the wake-up, 6 s in: the lost event, and the second attempt's socket.
    expect(events).toEqual([[6000, 'lost']])
    expect(attemptTimes()).toEqual([0, 6000])
    expect(client.getSnapshot()).toMatchObject({ lost: true, attempt: 2, retrying: true })
    client.close()
  })
})
