import { describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/core/client.js'
import { plainProtocol } from '../../src/core/protocol.js'
import { createFakeClock } from '../helpers/fakeClock.js'
import { createFakeNetwork } from '../helpers/fakeNetwork.js'
import { setup } from '../helpers/setup.js'

describe('malformed frames never crash the client', () => {
  it.each([
    ['not JSON', 'hello there'],
    ['truncated JSON', '{"t":"ack","se'],
    ['an array', '[1,2,3]'],
    ['no type', '{"seq":1}'],
    ['an unknown type', '{"t":"teleport"}'],
    ['missing fields', '{"t":"joined","peer":{"id":7}}'],
  ])('%s → an error event, the link stays OPEN', (_name, raw) => {
    const { net, client, open, errors } = setup()
    open()
    expect(() => net.sockets[0]!.push(raw)).not.toThrow()
    expect(errors).toHaveLength(1)
    expect(errors[0]!.code).toBe('PROTOCOL_ERROR')
    expect(errors[0]!.message).toMatch(/^Ignored a malformed frame from the server: /)
    expect(client.getConnectionState()).toBe('OPEN')
  })

  it('a binary frame → an error event, the link stays OPEN', () => {
    const { net, client, open, errors } = setup()
    open()
    net.sockets[0]!.onmessage?.({ data: new ArrayBuffer(8) })
    expect(errors).toEqual([
      { code: 'PROTOCOL_ERROR', message: expect.stringMatching(/binary frame/) },
    ])
    expect(client.getConnectionState()).toBe('OPEN')
  })

  it('an error frame from the server is reported; a fatal one ends in ERROR/PROTOCOL_ERROR', () => {
    const { net, client, open, errors, log } = setup()
    open()
    net.sockets[0]!.push({ t: 'error', code: 'BAD_FRAME', message: 'what was that' })
    expect(errors).toEqual([
      { code: 'BAD_FRAME', message: 'The server reported an error: what was that' },
    ])
    expect(client.getConnectionState()).toBe('OPEN')
    net.sockets[0]!.push({
      t: 'error',
      code: 'UNSUPPORTED_VERSION',
      message: 'speak v1',
      fatal: true,
    })
    expect(log.slice(-1)).toEqual([[0, 'ERROR', 'PROTOCOL_ERROR']])
  })

  it('a throwing event handler does not break the client or the other handlers', () => {
    const { net, client, open } = setup()
    open()
    const report = vi.spyOn(console, 'error').mockImplementation(() => {})
    const got: unknown[] = []
    client.on('message', () => {
      throw new Error('app bug')
    })
    client.on('message', (data) => got.push(data))
    net.sockets[0]!.push({ t: 'msg', from: 'p', data: 42 })
    expect(got).toEqual([42])
    expect(report).toHaveBeenCalledOnce()
    report.mockRestore()
    expect(client.getConnectionState()).toBe('OPEN')
  })

  it('messages from the server reach `message` handlers with the sender', () => {
    const { net, client, open } = setup()
    open()
    const got: unknown[] = []
    client.on('message', (data, from) => got.push([from, data]))
    net.sockets[0]!.push({ t: 'msg', from: 'ada', data: { text: 'hi' } })
    expect(got).toEqual([['ada', { text: 'hi' }]])
  })
})

describe('plainProtocol: a plain WebSocket server', () => {
  it('opens without a handshake, pings with its own text and sends JSON', () => {
    const fake = createFakeClock()
    const net = createFakeNetwork(fake)
    net.silent = true // a plain server sends no challenge
    const client = createClient('ws://127.0.0.1:1', {
      WebSocket: net.WebSocket,
      clock: fake.clock,
      protocol: plainProtocol({ ping: '--ping--', pong: '--pong--' }),
      autoLogin: true,
      heartbeatInterval: 1000,
      heartbeatFailure: 'reconnect',
    })
    fake.advance(0)
    expect(client.getSnapshot()).toMatchObject({ state: 'OPEN', reason: 'JOIN_SUCCESS' })
    const changes: string[] = []
    client.on('connectionStateChanged', (state, reason) => changes.push(`${state}/${reason}`))
    client.send({ a: 1 })
    client.send('raw text')
    const got: unknown[] = []
    client.on('message', (data) => got.push(data))
    const socket = net.sockets[0]!
    socket.push('{"b":2}')
    socket.push('not json')
    expect(got).toEqual([{ b: 2 }, 'not json'])
    fake.advance(1000)
    expect(socket.sent).toEqual(['{"a":1}', 'raw text', '--ping--'])
    socket.push('--pong--')
    fake.advance(1500)
    expect(client.getConnectionState()).toBe('OPEN')
    fake.advance(1500) // no answer for two intervals since the pong: reconnect, at once
    expect(changes).toEqual(['RECONNECTING/KEEP_ALIVE_TIMEOUT', 'OPEN/REJOIN_SUCCESS'])
  })
})
