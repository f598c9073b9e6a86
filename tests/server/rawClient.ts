import { randomUUID } from 'node:crypto'
import { afterEach } from 'vitest'
import { WebSocket } from 'ws'
import { linklightProtocol, PROTOCOL_VERSION, type ServerFrame } from '../../src/core/protocol.js'
import { createServer, type ReferenceServer, type ServerOptions } from '../../src/server/index.js'
import { sleep } from '../helpers/wait.js'

type FrameOf<T extends ServerFrame['t']> = Extract<ServerFrame, { t: T }>

/** Options of {@link RawClient.waitFor}. */
export interface WaitOptions<F> {
  /** Only frames for which this holds count. */
  where?: (frame: F) => boolean
  /** Give up after this long (default 1000 ms). */
  timeoutMs?: number
  /** Ignore frames received before this index of `frames` (default 0: look at all). */
  since?: number
}

/**
 * A bare `ws` socket that records what the server sends, for protocol-level tests. The frames
 * inside a `batch` are recorded after it, one by one.
 */
export interface RawClient {
  readonly ws: WebSocket
  /** Frames decoded with the client codec, in arrival order (undecodable ones are not here). */
  readonly frames: ServerFrame[]
  /** Everything received: text as strings, binary frames as Buffers. */
  readonly raw: (string | Buffer)[]
  /** Settles when the socket closes, with the code and reason the client saw. */
  readonly closed: Promise<{ code: number; reason: string }>
  /** Sends a frame as JSON, or a string as it is. */
  send(frame: object | string): void
  /** The first frame of type `t` (matching `where`) received so far or within the timeout. */
  waitFor<T extends ServerFrame['t']>(t: T, options?: WaitOptions<FrameOf<T>>): Promise<FrameOf<T>>
  /** Resolves after `ms` if no frame of type `t` (matching `where`) arrived; rejects if one did. */
  expectNone<T extends ServerFrame['t']>(
    t: T,
    ms: number,
    options?: Omit<WaitOptions<FrameOf<T>>, 'timeoutMs'>,
  ): Promise<void>
  /** The first raw message received so far or within the timeout that `where` accepts. */
  waitForRaw(where: (raw: string | Buffer) => boolean, timeoutMs?: number): Promise<string | Buffer>
}

/** Options of {@link connectRaw}. */
export interface ConnectOptions {
  /** `Origin` header to send, as a browser would. */
  origin?: string
  /** `false` stops ws from answering the server's protocol pings: a silent client. */
  autoPong?: boolean
}

/** Opens a raw socket; rejects with the HTTP status (`Error('HTTP 403')`) or socket error. */
export function connectRaw(url: string, options: ConnectOptions = {}): Promise<RawClient> {
  const ws = new WebSocket(url, {
    ...(options.origin !== undefined && { origin: options.origin }),
    autoPong: options.autoPong ?? true,
  })
  const frames: ServerFrame[] = []
  const raw: (string | Buffer)[] = []
  const listeners = new Set<() => void>()
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )

  ws.on('message', (data, isBinary) => {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)
    const message = isBinary ? buffer : buffer.toString('utf8')
    raw.push(message)
    if (typeof message === 'string') {
      try {
        const frame = linklightProtocol.decode(message)
        frames.push(frame)
        // A batch of presence changes is also listed change by change, as if sent alone.
        if (frame.t === 'batch') frames.push(...frame.frames)
      } catch {
        // malformed on purpose (sendRaw tests): only in `raw`
      }
    }
    for (const listener of [...listeners]) listener()
  })

  function until<R>(find: () => R | undefined, timeoutMs: number, what: string): Promise<R> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find()
        if (found === undefined) return
        cleanup()
        resolve(found)
      }
      const timer = setTimeout(() => {
        cleanup()
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(frames)}`,
          ),
        )
      }, timeoutMs)
      const cleanup = () => {
        clearTimeout(timer)
        listeners.delete(check)
      }
      listeners.add(check)
      check()
    })
  }

  const findFrame = <T extends ServerFrame['t']>(
    t: T,
    where: ((frame: FrameOf<T>) => boolean) | undefined,
    since: number,
  ) =>
    frames
      .slice(since)
      .find((f): f is FrameOf<T> => f.t === t && (where?.(f as FrameOf<T>) ?? true))

  const client: RawClient = {
    ws,
    frames,
    raw,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    waitFor: (t, { where, timeoutMs = 1000, since = 0 } = {}) =>
      until(() => findFrame(t, where, since), timeoutMs, `"${t}"`),
    async expectNone(t, ms, { where, since = 0 } = {}) {
      await sleep(ms)
      const found = findFrame(t, where, since)
      if (found !== undefined) throw new Error(`unexpected frame ${JSON.stringify(found)}`)
    },
    waitForRaw: (where, timeoutMs = 1000) =>
      until(() => raw.find(where), timeoutMs, 'a raw message'),
  }

  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client))
    ws.once('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${response.statusCode}`))
      ws.terminate()
    })
    ws.once('error', reject)
  })
}

/** Who to be when joining. */
export interface JoinOptions {
  session?: string
  credentials?: unknown
  presence?: unknown
  connect?: ConnectOptions
}

/** Starts servers and opens clients that are all closed after each test. */
export function useServers() {
  const servers: ReferenceServer[] = []
  const clients: RawClient[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate()
    await Promise.all(servers.splice(0).map((server) => server.close()))
  })

  const connect = async (url: string, options?: ConnectOptions) => {
    const client = await connectRaw(url, options)
    clients.push(client)
    return client
  }

  /** Runs hello until `accept`. */
  const handshake = async (server: ReferenceServer, options: JoinOptions = {}) => {
    const client = await connect(server.url, options.connect)
    await client.waitFor('challenge')
    const session = options.session ?? randomUUID()
    client.send({ t: 'hello', v: PROTOCOL_VERSION, url: server.url, session })
    await client.waitFor('accept')
    return { client, session }
  }

  /** Runs the whole handshake and returns the client once `welcome` arrived. */
  const join = async (server: ReferenceServer, options: JoinOptions = {}) => {
    const { client, session } = await handshake(server, options)
    client.send({
      t: 'auth',
      credentials: options.credentials ?? { id: `user-${session.slice(0, 6)}` },
      ...(options.presence !== undefined && { presence: options.presence }),
    })
    const welcome = await client.waitFor('welcome')
    return { client, session, welcome }
  }

  return {
    start: async (options?: ServerOptions) => {
      const server = await createServer({ port: 0, ...options })
      servers.push(server)
      return server
    },
    connect,
    handshake,
    join,
  }
}
