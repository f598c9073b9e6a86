import { describe, expect, test, vi } from 'vitest'
import type { ServerMessage } from '../../src/server/index.js'
import { sleep } from '../helpers/wait.js'
import { useServers } from './rawClient.js'

const { start, handshake, join } = useServers()

describe('messages (protocol step 5)', () => {
  test('a msg is relayed to every other authenticated peer and acked to its sender', async () => {
    const seen: ServerMessage[] = []
    const server = await start({ onMessage: (m) => seen.push(m) })
    const { client: lurker } = await handshake(server)
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    const cy = await join(server, { credentials: { id: 'cy' } })
    ada.client.send({ t: 'msg', seq: 1, data: { text: 'hello' } })
    expect(await ada.client.waitFor('ack')).toEqual({ t: 'ack', seq: 1 })
    // Relays are numbered per receiving session, from 1.
    expect(await bob.client.waitFor('msg')).toEqual({
      t: 'msg',
      n: 1,
      from: 'ada',
      data: { text: 'hello' },
    })
    expect(await cy.client.waitFor('msg')).toEqual({
      t: 'msg',
      n: 1,
      from: 'ada',
      data: { text: 'hello' },
    })
    await ada.client.expectNone('msg', 100)
    expect(lurker.frames.some((f) => f.t === 'msg')).toBe(false)
    expect(seen).toEqual([{ from: 'ada', session: ada.session, seq: 1, data: { text: 'hello' } }])
    expect(server.stats()).toMatchObject({ messages: 1, duplicates: 0, peers: 3, connections: 4 })
  })

  test('a repeated seq is a duplicate: one onMessage, stats.duplicates 1, re-acked, not relayed', async () => {
    const onMessage = vi.fn()
    const server = await start({ onMessage })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    ada.client.send({ t: 'msg', seq: 1, data: 'once' })
    await ada.client.waitFor('ack')
    const mark = ada.client.frames.length
    ada.client.send({ t: 'msg', seq: 1, data: 'once' })
    expect(await ada.client.waitFor('ack', { since: mark })).toEqual({ t: 'ack', seq: 1 })
    await sleep(100)
    expect(bob.client.frames.filter((f) => f.t === 'msg')).toHaveLength(1)
    expect(onMessage).toHaveBeenCalledTimes(1)
    expect(server.stats()).toMatchObject({ messages: 1, duplicates: 1 })
  })

  test('acks are cumulative: a stale resend is answered with the highest seq delivered', async () => {
    const server = await start()
    const ada = await join(server, { credentials: { id: 'ada' } })
    for (let seq = 1; seq <= 3; seq++) ada.client.send({ t: 'msg', seq, data: seq })
    await ada.client.waitFor('ack', { where: (a) => a.seq === 3 })
    const mark = ada.client.frames.length
    ada.client.send({ t: 'msg', seq: 2, data: 2 })
    expect(await ada.client.waitFor('ack', { since: mark })).toEqual({ t: 'ack', seq: 3 })
  })

  test('onMessage sees every message once, in order', async () => {
    const seqs: number[] = []
    const server = await start({ onMessage: (m) => seqs.push(m.seq) })
    const ada = await join(server, { credentials: { id: 'ada' } })
    for (let seq = 1; seq <= 50; seq++) ada.client.send({ t: 'msg', seq, data: seq })
    await ada.client.waitFor('ack', { where: (a) => a.seq === 50 })
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
  })

  test('welcome.lastSeq after a reconnect is the last seq delivered for the session', async () => {
    const onMessage = vi.fn()
    const server = await start({ onMessage })
    const first = await join(server, { credentials: { id: 'ada' } })
    expect(first.welcome.lastSeq).toBe(0)
    for (let seq = 1; seq <= 4; seq++) first.client.send({ t: 'msg', seq, data: seq })
    await first.client.waitFor('ack', { where: (a) => a.seq === 4 })
    first.client.ws.terminate()

    const again = await join(server, { session: first.session, credentials: { id: 'ada' } })
    expect(again.welcome.lastSeq).toBe(4)
    // the client resends what it had not seen acked; the server drops what it already has
    for (let seq = 3; seq <= 5; seq++) again.client.send({ t: 'msg', seq, data: seq })
    await again.client.waitFor('ack', { where: (a) => a.seq === 5 })
    expect(onMessage.mock.calls.map(([m]) => (m as ServerMessage).seq)).toEqual([1, 2, 3, 4, 5])
    expect(server.stats()).toMatchObject({ messages: 5, duplicates: 2 })

    const other = await join(server, { credentials: { id: 'bob' } })
    expect(other.welcome.lastSeq).toBe(0)
  })

  test('presence and bye from an unauthenticated socket are refused', async () => {
    const server = await start()
    const { client } = await handshake(server)
    client.send({ t: 'presence', data: {} })
    client.send({ t: 'bye' })
    await client.waitFor('error', { where: (e) => e.message.includes('"bye"') })
    expect(
      client.frames.filter((f) => f.t === 'error' && f.code === 'NOT_AUTHENTICATED'),
    ).toHaveLength(2)
  })

  test('onMessage throwing does not stop the relay or the ack', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const server = await start({
      onMessage: () => {
        throw new Error('app bug')
      },
    })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    ada.client.send({ t: 'msg', seq: 1, data: 'x' })
    await ada.client.waitFor('ack')
    await bob.client.waitFor('msg')
    expect(logged).toHaveBeenCalledOnce()
    logged.mockRestore()
  })
})
