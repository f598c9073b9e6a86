import { describe, expect, test } from 'vitest'
import { PROTOCOL_VERSION } from '../../src/core/protocol.js'
import { createServer, type ServerOptions } from '../../src/server/index.js'
import { connectRaw, useServers } from './rawClient.js'

const { start, connect, handshake, join } = useServers()

describe('limits and malformed input (protocol step 7)', () => {
  test('a frame over maxPayload closes that socket with 1009; the server serves the others', async () => {
    const server = await start({ maxPayload: 1024 })
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    expect(ada.client.frames[1]).toEqual({ t: 'accept', maxPayload: 1024 })
    bob.client.send({ t: 'msg', seq: 1, data: 'x'.repeat(2048) })
    expect((await bob.client.closed).code).toBe(1009)
    expect(ada.client.frames.some((f) => f.t === 'msg')).toBe(false)
    ada.client.send({ t: 'ping' })
    await ada.client.waitFor('pong')
    expect((await join(server)).welcome.t).toBe('welcome')
    expect(server.stats().messages).toBe(0)
  })

  test.each([
    ['not JSON', 'hello?', /not valid JSON/],
    ['truncated JSON', '{"t":"msg","seq":1,"da', /not valid JSON/],
    ['no "t"', '{"type":"ping"}', /string "t"/],
    ['an array', '[1,2]', /string "t"/],
    [
      'unknown "t"',
      '{"t":"teleport"}',
      /unknown frame type "teleport"; expected one of hello, auth/,
    ],
    [
      'hello without a session',
      `{"t":"hello","v":${PROTOCOL_VERSION},"url":"ws://x"}`,
      /malformed "hello" frame; expected/,
    ],
    [
      'a session of 101 characters',
      JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, url: 'ws://x', session: 's'.repeat(101) }),
      /malformed "hello"/,
    ],
  ])('%s → BAD_FRAME with a clear message; the socket stays usable', async (_, text, message) => {
    const server = await start()
    const client = await connect(server.url)
    client.send(text)
    const error = await client.waitFor('error')
    expect(error.code).toBe('BAD_FRAME')
    expect(error.message).toMatch(message)
    client.send({ t: 'ping' })
    await client.waitFor('pong')
    expect(client.ws.readyState).toBe(client.ws.OPEN)
  })

  test('a malformed msg after welcome is refused and nothing is relayed', async () => {
    const server = await start()
    const ada = await join(server, { credentials: { id: 'ada' } })
    const bob = await join(server, { credentials: { id: 'bob' } })
    ada.client.send({ t: 'msg', seq: 0, data: 'zero' })
    ada.client.send({ t: 'msg', seq: 1.5, data: 'half' })
    ada.client.send({ t: 'msg', seq: 1 })
    await ada.client.waitFor('error', { where: (e) => e.message.includes('"msg"') })
    ada.client.send({ t: 'msg', seq: 1, data: 'good' })
    expect((await bob.client.waitFor('msg')).data).toBe('good')
    expect(ada.client.frames.filter((f) => f.t === 'error')).toHaveLength(3)
    expect(ada.client.frames.filter((f) => f.t === 'error')[0]?.message).toBe(
      'malformed "msg" frame; expected {"t":"msg","seq":integer >= 1,"data":any}',
    )
  })

  test('a binary frame → BAD_FRAME; the socket stays usable', async () => {
    const server = await start()
    const { client } = await handshake(server)
    client.ws.send(Buffer.from('{"t":"ping"}'))
    expect(await client.waitFor('error')).toEqual({
      t: 'error',
      code: 'BAD_FRAME',
      message: 'binary frames are not part of the linklight protocol',
    })
    client.send({ t: 'auth', credentials: { id: 'ada' } })
    await client.waitFor('welcome')
  })

  test('allowedOrigins: a foreign Origin is refused with 403; listed or absent ones connect', async () => {
    const server = await start({ allowedOrigins: ['https://app.example'] })
    await expect(connectRaw(server.url, { origin: 'https://evil.example' })).rejects.toThrow(
      'HTTP 403',
    )
    const listed = await connect(server.url, { origin: 'https://app.example' })
    await listed.waitFor('challenge')
    const node = await connect(server.url)
    await node.waitFor('challenge')
    expect(server.stats().connections).toBe(2)
  })

  test('plain HTTP gets 426 and a hint', async () => {
    const server = await start()
    const response = await fetch(server.url.replace('ws:', 'http:'))
    expect(response.status).toBe(426)
    expect(await response.text()).toMatch(/connect with a WebSocket/)
  })

  test.each([
    [
      { peerTimeout: -1 },
      'createServer: peerTimeout must be a positive number of milliseconds (got -1)',
    ],
    [
      { peerTimeout: Number.NaN },
      'createServer: peerTimeout must be a positive number of milliseconds (got NaN)',
    ],
    [
      { port: 70_000 },
      'createServer: port must be an integer from 0 to 65535 (0 picks a free port) (got 70000)',
    ],
    [
      { port: '8787' },
      'createServer: port must be an integer from 0 to 65535 (0 picks a free port) (got "8787")',
    ],
    [{ host: '' }, 'createServer: host must be a non-empty string (got "")'],
    [
      { maxPayload: 0 },
      'createServer: maxPayload must be a positive integer number of bytes (got 0)',
    ],
    [
      { allowedOrigins: 'https://a' },
      'createServer: allowedOrigins must be an array of origin strings (got "https://a")',
    ],
    [{ authenticate: true }, 'createServer: authenticate must be a function (got true)'],
    [{ onMessage: {} }, 'createServer: onMessage must be a function (got {})'],
  ])('invalid options %o → TypeError naming the option', async (options, message) => {
    await expect(createServer(options as unknown as ServerOptions)).rejects.toThrow(
      new TypeError(message),
    )
  })
})
