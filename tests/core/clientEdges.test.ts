/**
 * Edges of the client found in review of the base-client split: an OPEN's reason is decided
 * once, a close() queued behind a connect() still wins, a failing feature never stops the
 * client's own work, and what settles on CLOSED settles in the order it always did.
 */
import { describe, expect, it } from 'vitest'
import { createBaseClient } from '../../src/core/baseClient.js'
import type { ClientFeature } from '../../src/core/client/feature.js'
import { withMessages } from '../../src/core/client/withMessages.js'
import { createSourceKit } from '../../src/core/sourceKit.js'
import { createFakeClock } from '../helpers/fakeClock.js'
import { createFakeNetwork } from '../helpers/fakeNetwork.js'
import { setup } from '../helpers/setup.js'

describe("an OPEN's reason is decided when OPEN is reached", () => {
  it('a publish that stays OPEN (a send) keeps JOIN_SUCCESS; after a drop the rejoin keeps REJOIN_SUCCESS', async () => {
    const { fake, net, client, open } = setup({ reconnectIntervalIncrement: 100 })
    await open()
    expect(client.getSnapshot().reason).toBe('JOIN_SUCCESS')
    void client.send('a')
    fake.advance(0)
    expect(client.getSnapshot().reason).toBe('JOIN_SUCCESS')
    net.killAll()
    fake.advance(0)
    fake.advance(0)
    expect(client.getSnapshot().reason).toBe('REJOIN_SUCCESS')
    void client.send('b')
    fake.advance(0)
    expect(client.getSnapshot().reason).toBe('REJOIN_SUCCESS')
    client.close()
  })

  it('the kit: moveTo(OPEN, JOIN_SUCCESS) again while OPEN changes nothing', () => {
    const kit = createSourceKit()
    kit.moveTo('OPEN', 'JOIN_SUCCESS')
    const first = kit.methods.getSnapshot()
    kit.moveTo('OPEN', 'JOIN_SUCCESS')
    expect(kit.methods.getSnapshot()).toBe(first)
    kit.moveTo('RECONNECTING', 'INTERRUPTED')
    kit.moveTo('OPEN', 'JOIN_SUCCESS')
    kit.moveTo('OPEN', 'JOIN_SUCCESS', { queued: 2 })
    expect(kit.methods.getSnapshot()).toMatchObject({ reason: 'REJOIN_SUCCESS', queued: 2 })
  })
})

describe('close() after a connect() raised inside a transition', () => {
  it('a CLOSED listener that calls connect() then close() leaves the client CLOSED with no socket', async () => {
    const { fake, net, client, open } = setup()
    await open()
    let once = true
    client.on('connectionStateChanged', (state) => {
      if (state != 'CLOSED' || !once) return
      once = false
      client.connect()
      client.close()
    })
    client.close()
    fake.advance(1000)
    expect(client.getConnectionState()).toBe('CLOSED')
    expect(net.live).toEqual([])
  })
})

describe('a feature that throws', () => {
  const fake = createFakeClock()
  const net = createFakeNetwork(fake)
  const throwing =
    (hook: 'heard' | 'entered' | 'greeted' | 'auth'): ClientFeature =>
    () => ({
      [hook]: () => {
        throw new Error(`${hook} broke`)
      },
    })

  it.each(['heard', 'entered', 'greeted', 'auth'] as const)(
    'in %s: reported as FEATURE_ERROR; the client still logs in and its other features still run',
    async (hook) => {
      const client = createBaseClient('ws://127.0.0.1:1/', {
        lazyConnect: true,
        WebSocket: net.WebSocket,
        clock: fake.clock,
        features: [throwing(hook), withMessages],
      })
      const errors: string[] = []
      client.on('error', (error) => errors.push(`${error.code}: ${error.message}`))
      const sent = client.send('queued before login')
      const login = client.login({ id: 'me' })
      fake.advance(0)
      await login
      expect(client.getConnectionState()).toBe('OPEN')
      expect(errors[0]).toBe(
        `FEATURE_ERROR: A client feature failed on ${hook}: Error: ${hook} broke`,
      )
      expect(errors.every((e) => e.startsWith('FEATURE_ERROR'))).toBe(true)
      fake.advance(0)
      await sent
      client.close()
    },
  )
})

describe('what settles on CLOSED', () => {
  it('a pending login() is rejected before the queued sends, as before the split', async () => {
    const { fake, net, client } = setup()
    net.up = false
    const order: string[] = []
    client.login({ id: 'me' }).catch(() => order.push('login'))
    client.send('x').catch(() => order.push('send'))
    fake.advance(0)
    client.close()
    await Promise.resolve()
    await Promise.resolve()
    expect(order).toEqual(['login', 'send'])
  })
})
