import { afterEach, describe, expect, test, vi } from 'vitest'
import { PROTOCOL_VERSION } from '../../src/core/protocol.js'
import { roundTrip } from '../helpers/roundTrip.js'
import { connectRaw, useServers } from './rawClient.js'

const { start, connect, handshake, join } = useServers()

afterEach(() => void vi.useRealTimers())

describe('faults', () => {
  test('redirect: a hello for another url is redirected and closed with 1000', async () => {
    const server = await start()
    const target = 'ws://127.0.0.1:1/elsewhere'
    server.faults.redirect(target)
    const client = await connect(server.url)
    await client.waitFor('challenge')
    client.send({ t: 'hello', v: PROTOCOL_VERSION, url: server.url, session: 's-r' })
    expect(await client.waitFor('redirect')).toEqual({ t: 'redirect', url: target })
    expect((await client.closed).code).toBe(1000)
    expect(client.frames.some((f) => f.t === 'accept')).toBe(false)
  })

  test('redirect: a client already at the target is accepted, so a redirect to itself cannot loop', async () => {
    const server = await start()
    server.faults.redirect(`${server.url}/`) // trailing slash: the same address
    const { welcome } = await join(server)
    expect(welcome.t).toBe('welcome')
    server.faults.redirect('ws://127.0.0.1:1')
    server.faults.redirect(null)
    expect((await join(server)).welcome.t).toBe('welcome')
  })

  test('kill: clients see 1006, new connections are refused, peers wait out their grace period', async () => {
    const server = await start({ peerTimeout: 300 })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    const { client: lurker } = await handshake(server)
    await server.faults.kill()
    expect((await ada.client.closed).code).toBe(1006)
    expect((await bob.client.closed).code).toBe(1006)
    expect((await lurker.closed).code).toBe(1006)
    expect(ada.client.frames.some((f) => f.t === 'left')).toBe(false)
    await expect(connectRaw(server.url)).rejects.toThrow(/ECONNREFUSED/)
    // A kill is a network failure: like any drop, each peer keeps its place for peerTimeout, so
    // whoever is back in time resumes unseen (and is replayed what was sent meanwhile).
    expect(server.stats()).toMatchObject({ connections: 0, peers: 2 })
    expect(server.peers().map((p) => p.id)).toEqual(['ada', 'bob'])
    await server.faults.kill() // twice is harmless

    await server.faults.restart()
    const back = await join(server, { session: ada.session, credentials: { id: 'ada' } })
    expect(back.welcome.peers.map((p) => p.id)).toEqual(['bob'])
    expect(await back.client.waitFor('left', { timeoutMs: 1000 })).toMatchObject({
      id: 'bob',
      reason: 'DROPPED',
    })
    expect(server.peers().map((p) => p.id)).toEqual(['ada'])
  })

  test('restart: the same port accepts again and sessions (seq de-dup) survived', async () => {
    const onMessage = vi.fn()
    const server = await start({ onMessage })
    const ada = await join(server, { credentials: { id: 'ada' } })
    for (let seq = 1; seq <= 3; seq++) ada.client.send({ t: 'msg', seq, data: seq })
    await ada.client.waitFor('ack', { where: (a) => a.seq === 3 })
    await server.faults.kill()
    await server.faults.restart()

    const again = await join(server, { session: ada.session, credentials: { id: 'ada' } })
    expect(again.welcome).toMatchObject({ id: 'ada', lastSeq: 3, peers: [] })
    again.client.send({ t: 'msg', seq: 3, data: 3 })
    again.client.send({ t: 'msg', seq: 4, data: 4 })
    await again.client.waitFor('ack', { where: (a) => a.seq === 4 })
    expect(onMessage).toHaveBeenCalledTimes(4)
    expect(server.stats()).toMatchObject({ messages: 4, duplicates: 1 })
  })

  test('restart while running kills first; after close it refuses', async () => {
    const server = await start()
    const ada = await join(server)
    await server.faults.restart()
    expect((await ada.client.closed).code).toBe(1006)
    expect((await join(server)).welcome.t).toBe('welcome')
    await server.close()
    await expect(server.faults.restart()).rejects.toThrow(/closed/)
  })

  test('blackhole: nothing comes back (no pong, no challenge); lifting it answers again', async () => {
    const server = await start()
    const ada = await join(server, { credentials: { id: 'ada' } })
    server.faults.blackhole()
    const mark = ada.client.frames.length
    ada.client.send({ t: 'ping' })
    ada.client.send({ t: 'msg', seq: 1, data: 'lost' })
    // The newcomer's socket opening takes the server several turns of its event loop, in which
    // it has read what ada sent before it.
    const newcomer = await connect(server.url)
    expect(server.stats().connections).toBe(2)

    server.faults.blackhole(false)
    // Whatever the server answered while blackholed would arrive before these answers.
    ada.client.send({ t: 'ping' })
    await ada.client.waitFor('pong', { since: mark })
    newcomer.send({ t: 'hello', v: PROTOCOL_VERSION, url: server.url, session: 's-b' })
    await newcomer.waitFor('accept')
    expect(ada.client.frames.slice(mark).map((f) => f.t)).toEqual(['pong'])
    expect(newcomer.frames.map((f) => f.t)).toEqual(['accept']) // no challenge
    expect(server.stats().messages).toBe(0) // incoming frames were ignored too
  })

  test('blackhole freezes the peer-timeout sweep; lifting it drops nobody', async () => {
    const peerTimeout = 200
    const sweep = peerTimeout / 4
    // The server's clock and sweep move only when the test says (sockets run as usual).
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] })
    const server = await start({ peerTimeout })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const mute = await join(server, { credentials: { id: 'mute' }, connect: { autoPong: false } })
    await ada.client.waitFor('joined')
    const ids = () =>
      server
        .peers()
        .map((p) => p.id)
        .sort()
    server.faults.blackhole()
    vi.advanceTimersByTime(peerTimeout * 3) // twelve sweeps, each of which would drop both
    server.faults.blackhole(false)
    // Half a timeout of sweeps after lifting it, with ada heard after each: both still there.
    for (let i = 0; i < 2; i++) {
      vi.advanceTimersByTime(sweep)
      await roundTrip(ada.client)
    }
    expect(ids()).toEqual(['ada', 'mute'])
    expect(ada.client.frames.some((f) => f.t === 'left')).toBe(false)
    // …but the silent one is still dropped one timeout after the lift, at the sweep that ends it.
    for (let i = 0; i < 2; i++) {
      vi.advanceTimersByTime(sweep)
      await roundTrip(ada.client)
    }
    expect(ids()).toEqual(['ada'])
    expect(await ada.client.waitFor('left')).toMatchObject({ id: 'mute', reason: 'DROPPED' })
    expect((await mute.client.closed).code).toBe(1006)
  })

  test('delay(200): a pong arrives at least 200 ms later, frames keep their order; delay(0) ends it', async () => {
    const server = await start()
    const ada = await join(server, { credentials: { id: 'ada' } })
    server.faults.delay(200)
    const mark = ada.client.frames.length
    const sent = Date.now()
    ada.client.send({ t: 'msg', seq: 1, data: 'a' })
    ada.client.send({ t: 'ping' })
    ada.client.send({ t: 'msg', seq: 2, data: 'b' })
    await ada.client.waitFor('pong', { since: mark })
    expect(Date.now() - sent).toBeGreaterThanOrEqual(200)
    await ada.client.waitFor('ack', { since: mark, where: (a) => a.seq === 2 })
    expect(ada.client.frames.slice(mark)).toEqual([
      { t: 'ack', seq: 1 },
      { t: 'pong' },
      { t: 'ack', seq: 2 },
    ])

    server.faults.delay(0)
    const quick = Date.now()
    ada.client.send({ t: 'ping' })
    await ada.client.waitFor('pong', { since: mark + 3 })
    expect(Date.now() - quick).toBeLessThan(100)
  })

  test('sendRaw: reaches authenticated sockets only, or one peer; binary stays binary', async () => {
    const server = await start()
    const { client: lurker } = await handshake(server)
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })

    expect(server.faults.sendRaw('{"t":"ack"')).toBe(2)
    expect(await ada.client.waitForRaw((r) => r === '{"t":"ack"')).toBe('{"t":"ack"')
    expect(await bob.client.waitForRaw((r) => r === '{"t":"ack"')).toBe('{"t":"ack"')

    expect(server.faults.sendRaw(Buffer.from([1, 2, 3]), 'bob')).toBe(1)
    const binary = await bob.client.waitForRaw((r) => Buffer.isBuffer(r))
    expect([...(binary as Buffer)]).toEqual([1, 2, 3])

    expect(server.faults.sendRaw('x', 'nobody')).toBe(0)
    // A last raw frame to everyone: what the server sent ada before it has arrived by then.
    expect(server.faults.sendRaw('"last"')).toBe(2)
    await ada.client.waitForRaw((r) => r === '"last"')
    expect(ada.client.raw.filter((r) => r === '{"t":"ack"' || r === '"last"')).toHaveLength(2)
    expect(ada.client.raw.some((r) => Buffer.isBuffer(r) || r === 'x')).toBe(false)
    // The lurker (not authenticated) is answered, and had nothing of sendRaw's before.
    await roundTrip(lurker)
    expect(lurker.frames.map((f) => f.t)).toEqual(['challenge', 'accept', 'pong'])
    expect(lurker.raw).toHaveLength(3)
  })

  test('fault arguments are checked', async () => {
    const server = await start()
    expect(() => server.faults.delay(-1)).toThrow(
      new TypeError('faults.delay: ms must be a non-negative number of milliseconds (got -1)'),
    )
    expect(() => server.faults.rejectAuth('NOPE' as never)).toThrow(/faults.rejectAuth: reason/)
    expect(() => server.faults.redirect('http://x')).toThrow(/faults.redirect: url/)
    expect(() => server.faults.blackhole('yes' as never)).toThrow(/faults.blackhole/)
    expect(() => server.faults.sendRaw(42 as never)).toThrow(/faults.sendRaw/)
  })
})
