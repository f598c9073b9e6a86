import { afterEach, describe, expect, test } from 'vitest'
import { PROTOCOL_VERSION } from '../../src/core/protocol.js'
import type { ServerFrame } from '../../src/protocol/index.js'
import { connectRaw, type RawClient } from '../server/rawClient.js'
import { figures } from '../helpers/figures.js'
import { sleep, waitFor } from '../helpers/wait.js'
import { useCrashWatch, useIntegration } from './support.js'

const { startServer, openClient } = useIntegration()

const crashes = useCrashWatch()

const raws: RawClient[] = []
afterEach(() => {
  for (const raw of raws.splice(0)) raw.ws.terminate()
})

/** The frame the server sends for `msg` seq `seq` carrying `data`, as the client encodes it. */
const msgFrame = (seq: number, data: unknown) => JSON.stringify({ t: 'msg', seq, data })

/** A string `data` whose `msg` frame with seq `seq` is exactly `bytes` long (ASCII only). */
const dataOfFrameSize = (seq: number, bytes: number) => 'x'.repeat(bytes - msgFrame(seq, '').length)

describe('malformed, truncated and oversized frames (,, docs/protocol.md)', () => {
  test('malformed, truncated and oversized frames in either direction never crash anything: server → client', async () => {
    const server = await startServer()
    const t = await openClient(server, 'ada')
    const cases: [string, string | Buffer, RegExp][] = [
      ['not JSON', 'not json', /not valid JSON: not json/],
      ['truncated JSON', '{"t":"ack","se', /not valid JSON/],
      ['binary', Buffer.from([1, 2, 3]), /binary frame/],
      ['over 1 MiB', 'x'.repeat(1_100_000), /1100000 characters exceeds the limit of 1048576/],
      ['missing field', '{"t":"left","id":"zz","reason":"QUIT"}', /malformed "left" frame/],
    ]
    for (const [name, frame, message] of cases) {
      const before = t.errors.length
      expect(server.faults.sendRaw(frame, 'ada'), name).toBe(1)
      await waitFor(() => t.errors.length > before, 3000, `an error event for the ${name} frame`)
      expect(t.errors.slice(before), name).toEqual([
        { code: 'PROTOCOL_ERROR', message: expect.stringMatching(message) },
      ])
      expect(t.client.getConnectionState(), name).toBe('OPEN')
    }
    expect(t.steps().at(-1)).toEqual(['OPEN', 'JOIN_SUCCESS'])
    expect(t.sockets).toHaveLength(1)
    expect(t.client.getPeers().has('zz')).toBe(false)

    // Still a working link: a message is sent and acknowledged.
    const start = server.stats().messages
    await expect(t.client.send({ after: 'garbage' })).resolves.toBeUndefined()
    expect(server.stats().messages).toBe(start + 1)
    expect(crashes).toEqual([])
    figures({
      test: 'malformed server → client frames',
      framesSent: cases.length,
      protocolErrors: t.errors.filter((e) => e.code === 'PROTOCOL_ERROR').length,
      stateAfter: t.client.getConnectionState(),
    })
  })

  test('malformed, truncated and oversized frames in either direction never crash anything: raw client → server gets BAD_FRAME', async () => {
    const server = await startServer()
    const raw = await connectRaw(server.url)
    raws.push(raw)
    await raw.waitFor('challenge')
    raw.send({ t: 'hello', v: PROTOCOL_VERSION, url: server.url, session: 'raw-garbage' })
    await raw.waitFor('accept')
    raw.send({ t: 'auth', credentials: { id: 'raw' } })
    await raw.waitFor('welcome')

    const garbage: (string | Buffer)[] = [
      'not json',
      '{"t":"msg","seq":1,"da',
      '{"t":"msg","seq":0,"data":1}',
      '{"t":"nope"}',
      Buffer.from([1, 2, 3]),
    ]
    for (const frame of garbage) {
      if (typeof frame === 'string') raw.send(frame)
      else raw.ws.send(frame, { binary: true })
    }
    const isBadFrame = (f: ServerFrame) => f.t === 'error' && f.code === 'BAD_FRAME'
    await waitFor(
      () => raw.frames.filter(isBadFrame).length === garbage.length,
      3000,
      () => `${garbage.length} BAD_FRAME errors (got ${JSON.stringify(raw.frames)})`,
    )
    raw.send({ t: 'ping' })
    await raw.waitFor('pong')
    expect(raw.ws.readyState).toBe(raw.ws.OPEN)
    expect(server.stats().messages).toBe(0)
    expect(server.peers().map((p) => p.id)).toEqual(['raw'])
    expect(crashes).toEqual([])
  })

  test("malformed, truncated and oversized frames in either direction never crash anything: a message over the server's maxPayload is refused by the client, which stays OPEN", async () => {
    const maxPayload = 4096
    const server = await startServer({ maxPayload })
    const t = await openClient(server, 'ada')
    const errorsBefore = t.errors.length

    // seq 1: exactly maxPayload bytes fits and is delivered.
    await expect(t.client.send(dataOfFrameSize(1, maxPayload))).resolves.toBeUndefined()
    // seq 2: one byte more is refused before it reaches the wire.
    const tooBig = t.client.send(dataOfFrameSize(2, maxPayload + 1))
    await expect(tooBig).rejects.toThrow(/larger than the server accepts \(4096 bytes\)/)
    // seq 3: fewer characters than maxPayload, but more bytes in UTF-8 (3 per '€').
    const multiByte = '€'.repeat(1400)
    expect(multiByte.length).toBeLessThan(maxPayload)
    await expect(t.client.send(multiByte)).rejects.toThrow(/4096 bytes/)

    expect(t.errors.slice(errorsBefore)).toEqual([
      { code: 'MESSAGE_TOO_LARGE', message: expect.stringMatching(/4096 bytes/) },
      { code: 'MESSAGE_TOO_LARGE', message: expect.stringMatching(/4096 bytes/) },
    ])
    await sleep(100) // had a frame over maxPayload gone out, the server would close with 1009 now
    expect(t.client.getConnectionState()).toBe('OPEN')
    expect(t.sockets).toHaveLength(1)
    await expect(t.client.send({ small: true })).resolves.toBeUndefined()
    expect(server.stats().messages).toBe(2)
    expect(crashes).toEqual([])
  })
})
