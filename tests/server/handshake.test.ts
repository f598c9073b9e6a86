import { describe, expect, test, vi } from 'vitest'
import { PROTOCOL_VERSION, type AuthRejection } from '../../src/core/protocol.js'
import {
  defaultAuthenticate,
  type Authenticate,
  type AuthRejectionReason,
} from '../../src/server/index.js'
import { useServers } from './rawClient.js'

const { start, connect, handshake, join } = useServers()

describe('handshake (protocol steps 1-3)', () => {
  test('step 1-3: challenge → accept → welcome, in that order', async () => {
    const server = await start()
    const { client, session, welcome } = await join(server, { credentials: {} })
    expect(client.frames.map((f) => f.t)).toEqual(['challenge', 'accept', 'welcome'])
    expect(client.frames[1]).toEqual({ t: 'accept', maxPayload: 1_048_576 })
    expect(welcome).toEqual({
      t: 'welcome',
      id: expect.stringMatching(/^peer-[0-9a-f]{10}$/),
      lastSeq: 0,
      peers: [],
    })
    // The default id tells nothing of the session, which is a bearer secret.
    expect(welcome.id).not.toContain(session.slice(0, 8))
  })

  test('default authenticate: id from credentials.id, else credentials.username', async () => {
    const server = await start()
    const byId = await join(server, { credentials: { id: 'ada', username: 'lovelace' } })
    const byName = await join(server, { credentials: { username: 'grace' } })
    expect(byId.welcome.id).toBe('ada')
    expect(byName.welcome.id).toBe('grace')
  })

  test('step 2: another protocol version is fatal (UNSUPPORTED_VERSION, close 1002)', async () => {
    const server = await start()
    const client = await connect(server.url)
    await client.waitFor('challenge')
    client.send({ t: 'hello', v: 1, url: server.url, session: 's-1' })
    const error = await client.waitFor('error')
    expect(error).toMatchObject({ code: 'UNSUPPORTED_VERSION', fatal: true })
    expect(error.message).toMatch(/version 2, not 1/)
    expect((await client.closed).code).toBe(1002)
  })

  test('step 4: ping is answered before hello and before auth', async () => {
    const server = await start()
    const client = await connect(server.url)
    client.send({ t: 'ping' })
    await client.waitFor('pong')
    client.send({ t: 'hello', v: PROTOCOL_VERSION, url: server.url, session: 's-ping' })
    await client.waitFor('accept')
    const mark = client.frames.length
    client.send({ t: 'ping' })
    await client.waitFor('pong', { since: mark })
  })

  test('step 7: frames out of place get an error and are ignored; the socket stays usable', async () => {
    const server = await start()
    const client = await connect(server.url)
    client.send({ t: 'auth', credentials: {} })
    await client.waitFor('error', { where: (e) => e.code === 'UNEXPECTED_FRAME' })
    client.send({ t: 'msg', seq: 1, data: 'too early' })
    const notAuthenticated = await client.waitFor('error', {
      where: (e) => e.code === 'NOT_AUTHENTICATED',
    })
    expect(notAuthenticated.message).toMatch(/"msg" is only allowed after "welcome"/)
    client.send({ t: 'hello', v: PROTOCOL_VERSION, url: server.url, session: 's-order' })
    await client.waitFor('accept')
    client.send({ t: 'hello', v: PROTOCOL_VERSION, url: server.url, session: 's-order' })
    await client.waitFor('error', { where: (e) => /already received/.test(e.message) })
    client.send({ t: 'auth', credentials: { id: 'late' } })
    expect((await client.waitFor('welcome')).id).toBe('late')
    expect(server.stats().messages).toBe(0)
  })
})

describe('authentication (step 3)', () => {
  const reasons: [AuthRejectionReason, AuthRejection][] = [
    ['INVALID_TOKEN', 'INVALID_TOKEN'],
    ['TOKEN_EXPIRED', 'TOKEN_EXPIRED'],
    ['BANNED', 'BANNED'],
    ['REJECTED', 'REJECTED'],
    ['BANNED_BY_SERVER', 'BANNED'],
    ['REJECTED_BY_SERVER', 'REJECTED'],
  ]

  test.each(reasons)(
    'authenticate rejects with %s → rejected %s, close 4001',
    async (given, sent) => {
      const server = await start({ authenticate: async () => ({ reject: given, message: 'nope' }) })
      const { client } = await handshake(server)
      client.send({ t: 'auth', credentials: { token: 'x' } })
      expect(await client.waitFor('rejected')).toEqual({
        t: 'rejected',
        reason: sent,
        message: 'nope',
      })
      expect((await client.closed).code).toBe(4001)
      expect(server.peers()).toEqual([])
    },
  )

  test('authenticate returning false → REJECTED with a default message', async () => {
    const server = await start({ authenticate: () => false })
    const { client } = await handshake(server)
    client.send({ t: 'auth' })
    expect(await client.waitFor('rejected')).toEqual({
      t: 'rejected',
      reason: 'REJECTED',
      message: 'rejected by the server',
    })
  })

  test('authenticate that throws or returns garbage → REJECTED, the server keeps serving', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    let calls = 0
    const server = await start({
      // plain JavaScript could return anything: the server must not trust the shape
      authenticate: ((credentials: unknown) => {
        calls++
        if (calls === 1) throw new Error('database down')
        if (calls === 2) return { nonsense: true }
        return defaultAuthenticate(credentials, { session: 'x', origin: undefined })
      }) as Authenticate,
    })
    for (let i = 0; i < 2; i++) {
      const { client } = await handshake(server)
      client.send({ t: 'auth' })
      expect((await client.waitFor('rejected')).reason).toBe('REJECTED')
    }
    expect(logged).toHaveBeenCalledTimes(2)
    logged.mockRestore()
    const { welcome } = await join(server)
    expect(welcome.t).toBe('welcome')
  })

  test('authenticate sees the session and origin; its data wins over the presence sent', async () => {
    const authenticate = vi.fn((credentials: unknown) => ({
      id: (credentials as { id: string }).id,
      data: { role: 'admin' },
    }))
    const server = await start({ authenticate })
    await join(server, {
      session: 'session-a',
      credentials: { id: 'a' },
      presence: { role: 'self-declared' },
      connect: { origin: 'https://app.example' },
    })
    const { welcome } = await join(server, { credentials: { id: 'b' }, presence: { mood: 'ok' } })
    expect(authenticate).toHaveBeenCalledWith(
      { id: 'a' },
      { session: 'session-a', origin: 'https://app.example' },
    )
    expect(welcome.peers).toEqual([expect.objectContaining({ id: 'a', data: { role: 'admin' } })])
  })

  test.each(reasons)(
    'faults.rejectAuth(%s) → rejected %s until turned off',
    async (given, sent) => {
      const server = await start()
      server.faults.rejectAuth(given)
      for (let i = 0; i < 2; i++) {
        const { client } = await handshake(server)
        client.send({ t: 'auth', credentials: { id: `u${i}` } })
        expect((await client.waitFor('rejected')).reason).toBe(sent)
        expect((await client.closed).code).toBe(4001)
      }
      server.faults.rejectAuth(null)
      expect((await join(server)).welcome.t).toBe('welcome')
    },
  )

  test('faults.rejectAuth() defaults to REJECTED; false turns it off', async () => {
    const server = await start()
    server.faults.rejectAuth()
    const { client } = await handshake(server)
    client.send({ t: 'auth' })
    expect((await client.waitFor('rejected')).reason).toBe('REJECTED')
    server.faults.rejectAuth(false)
    expect((await join(server)).welcome.t).toBe('welcome')
  })

  test('an id held by a live socket of another session is refused', async () => {
    const server = await start()
    await join(server, { credentials: { id: 'ada' } })
    const { client } = await handshake(server)
    client.send({ t: 'auth', credentials: { id: 'ada' } })
    expect(await client.waitFor('rejected')).toEqual({
      t: 'rejected',
      reason: 'REJECTED',
      message: 'id already connected',
    })
    expect(server.peers().map((p) => p.id)).toEqual(['ada'])
  })
})
