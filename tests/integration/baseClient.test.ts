/**
 * `createBaseClient` over real sockets to the reference server: the client with only the
 * features it is given. Without any it runs the whole connection (handshake, reconnection) and
 * quietly leaves aside what the server sends for features it lacks; each feature alone brings
 * exactly its part. The bundle test proves the point of it all: what is not imported is not
 * shipped.
 */
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterEach, describe, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import {
  createBaseClient,
  withLinkQuality,
  withMessages,
  withPresence,
  type BaseClient,
  type BaseClientOptions,
} from '../../src/index.js'
import { waitFor } from '../helpers/wait.js'
import { useIntegration } from './support.js'

const { startServer, openClient } = useIntegration()
const bases: BaseClient[] = []
afterEach(() => {
  for (const client of bases.splice(0)) client.close()
})

/** A base client of `url`, logged in as `id` and OPEN, with its `error` events recorded. */
async function openBase(url: string, id: string, options: BaseClientOptions = {}) {
  const client = createBaseClient(url, { WebSocket, lazyConnect: true, ...options })
  bases.push(client)
  const errors: string[] = []
  client.on('error', (error) => errors.push(error.code))
  await client.login({ id })
  return { client, errors }
}

describe('createBaseClient without features', () => {
  test('opens, reconnects after a restart, and leaves relays and presence it has no feature for aside', async () => {
    const server = await startServer()
    const { client, errors } = await openBase(server.url, 'base')
    const other = await openClient(server, 'other')
    other.client.setPresence({ name: 'Other' })
    await other.client.send({ text: 'hello' })
    const messages: unknown[] = []
    client.on('message', (data) => messages.push(data))

    expect(client.getSnapshot()).toMatchObject({ state: 'OPEN', queued: 0 })
    expect(client.getPeers().size).toBe(0)
    expect(client.getLinkQuality).toBeUndefined()

    await server.faults.restart()
    await waitFor(
      () => client.getSnapshot().reason === 'REJOIN_SUCCESS',
      5000,
      'the base client to rejoin',
    )
    await other.client.send({ text: 'after' })
    await waitFor(() => other.client.getSnapshot().queued === 0, 2000, 'the relay to go out')
    expect(messages).toEqual([])
    expect(client.getPeers().size).toBe(0)
    expect(errors).toEqual([])
  })

  test('send() rejects and setPresence() throws, each with a TypeError naming the feature', async () => {
    const server = await startServer()
    const { client } = await openBase(server.url, 'base')
    await expect(client.send({ text: 'hi' })).rejects.toThrow(
      new TypeError(
        'send needs withMessages: createBaseClient(url, { features: [withMessages] }), or createClient(url), which has every feature',
      ),
    )
    expect(() => client.setPresence({ name: 'Ada' })).toThrow(
      /^setPresence needs withPresence: createBaseClient\(url, \{ features: \[withPresence\] \}\)/,
    )
    expect(client.getConnectionState()).toBe('OPEN')
  })

  test('features that are not an array of features are refused with a TypeError', () => {
    for (const features of ['withMessages', [withMessages, 'withPresence'], {}]) {
      const make = () =>
        createBaseClient('ws://127.0.0.1:1', {
          WebSocket,
          lazyConnect: true,
          features: features as never,
        })
      expect(make).toThrow(TypeError)
      expect(make).toThrow(/^createBaseClient: features must be an array of features/)
    }
  })
})

describe('each feature alone', () => {
  test('a feature given twice is one feature: one queue, let go by close()', async () => {
    const client = createBaseClient('ws://127.0.0.1:1', {
      WebSocket,
      lazyConnect: true,
      features: [withMessages, withMessages],
    })
    const sent = client.send({ n: 1 })
    expect(client.getSnapshot().queued).toBe(1)
    client.close()
    await expect(sent).rejects.toThrow(/close\(\) was called/)
  })

  test('withMessages: send() is acknowledged, relays arrive, queued counts what waits', async () => {
    const server = await startServer()
    const { client } = await openBase(server.url, 'base', {
      features: [withMessages],
      reconnectIntervalIncrement: 50,
    })
    const other = await openClient(server, 'other', { reconnectIntervalIncrement: 50 })
    const received: unknown[] = []
    other.client.on('message', (data) => received.push(data))
    const heard: unknown[] = []
    client.on('message', (data) => heard.push(data))

    await client.send({ n: 1 })
    await waitFor(() => received.length === 1, 2000, 'the other client to get the message')
    await other.client.send({ n: 2 })
    await waitFor(() => heard.length === 1, 2000, 'the base client to get the relay')
    expect(received).toEqual([{ n: 1 }])
    expect(heard).toEqual([{ n: 2 }])

    server.faults.kill()
    await waitFor(() => client.getConnectionState() !== 'OPEN', 2000, 'the drop')
    const queued = client.send({ n: 3 })
    expect(client.getSnapshot().queued).toBe(1)
    server.faults.restart()
    await queued
    expect(client.getSnapshot().queued).toBe(0)
    await waitFor(() => received.length === 2, 3000, 'the queued message to arrive')
    expect(received).toEqual([{ n: 1 }, { n: 3 }])
    expect(client.getPeers().size).toBe(0)
  })

  test('withPresence: the server’s peers, joins and leaves, and setPresence() reaching others', async () => {
    const server = await startServer()
    const early = await openClient(server, 'early')
    const { client } = await openBase(server.url, 'base', { features: [withPresence] })
    expect([...client.getPeers().keys()]).toEqual(['early'])

    client.setPresence({ name: 'Base' })
    await waitFor(
      () => early.client.getPeers().get('base')?.data !== undefined,
      2000,
      'the presence to reach the other client',
    )
    expect(early.client.getPeers().get('base')?.data).toEqual({ name: 'Base' })

    const late = await openClient(server, 'late')
    await waitFor(() => client.getPeers().has('late'), 2000, 'the join')
    late.client.close()
    await waitFor(() => !client.getPeers().has('late'), 2000, 'the leave')
    await expect(client.send({})).rejects.toThrow(/withMessages/)
  })

  test('withLinkQuality: getLinkQuality() and the quality event measure the link', async () => {
    const server = await startServer()
    const levels: string[] = []
    const client = createBaseClient(server.url, {
      WebSocket,
      lazyConnect: true,
      heartbeatInterval: 50,
      features: [withLinkQuality],
    })
    bases.push(client)
    client.on('quality', (quality) => levels.push(quality.level))
    await client.login({ id: 'base' })
    await waitFor(() => (client.getLinkQuality?.().samples ?? 0) >= 3, 3000, 'three pings')
    expect(client.getLinkQuality?.()).toMatchObject({ level: 'excellent' })
    server.faults.kill()
    await waitFor(() => client.getLinkQuality?.().level === 'lost', 2000, 'the loss')
    expect(levels).toContain('excellent')
    expect(levels.at(-1)).toBe('lost')
  })
})

describe('what is not imported is not shipped', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const bundle = async (names: string) => {
    const result = await build({
      stdin: {
        contents: `export { ${names} } from './src/index.ts'`,
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      logLevel: 'silent',
    })
    return result.outputFiles[0]!.text
  }
  // A text each feature's own code holds (its error messages and frame names).
  const marks = {
    withMessages: 'larger than the server accepts',
    withPresence: 'peerJoined',
    withLinkQuality: 'quality',
  }

  test('createBaseClient alone carries none of the features; each import brings its own', async () => {
    const base = await bundle('createBaseClient')
    for (const mark of Object.values(marks)) expect(base).not.toContain(mark)
    for (const [feature, mark] of Object.entries(marks)) {
      const withOne = await bundle(`createBaseClient, ${feature}`)
      expect(withOne, feature).toContain(mark)
      for (const other of Object.values(marks).filter((m) => m !== mark))
        expect(withOne, `${feature} must not bring ${other}`).not.toContain(other)
    }
    expect(await bundle('createClient')).toSatisfy((code: string) =>
      Object.values(marks).every((mark) => code.includes(mark)),
    )
  })
})
