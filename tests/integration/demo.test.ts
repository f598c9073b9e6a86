import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { startYjsServer, type YjsDemoServer } from '../../demo/yjsServer.js'
import { fromYjs, type YjsSource } from '../../src/adapters/yjs.js'
import { figures } from '../helpers/figures.js'
import { yWebsocketProvider } from '../helpers/yjsClients.js'
import { sleep, waitFor } from '../helpers/wait.js'
import { now } from './support.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

/** Runs a command in the repository; resolves with its exit code and output, or kills it. */
function run(command: string, args: string[], timeoutMs: number) {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(`${command} ${args.join(' ')} did not exit within ${timeoutMs} ms:\n${stdout}`),
      )
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

const STATES = [
  'CLOSED',
  'AWAITING_CONNECTION',
  'CHALLENGING',
  'AWAITING_AUTHENTICATION',
  'AUTHENTICATING',
  'OPEN',
  'RECONNECTING',
  'ERROR',
] as const

describe('the terminal demo', () => {
  test('npm start shows the full cycle', async () => {
    const started = now()
    const { code, stdout, stderr } = await run(
      'npx',
      ['tsx', 'demo/cli.ts', '--port', '0', '--speed', '5'],
      30_000,
    )
    const tookMs = Math.round(now() - started)
    expect(code, `exit code; stderr:\n${stderr}\nstdout:\n${stdout}`).toBe(0)

    const lines = stdout.split('\n')
    expect(stdout).toMatch(/listening on ws:\/\/127\.0\.0\.1:\d+/)
    // A state line reads `+  0.123s  ● STATE  phase=…`.
    const stateLines = Object.fromEntries(
      STATES.map((state) => [
        state,
        lines.filter((line) => new RegExp(`● ${state} +phase=`).test(line)).length,
      ]),
    )
    for (const state of STATES) expect(stateLines[state], `a line for ${state}`).toBeGreaterThan(0)
    expect(stdout).toContain('MAX_RECONNECT_ATTEMPTS')
    expect(stdout).toContain('Seen 8 of 8 states; ended in ERROR')
    figures({ test: 'npm start (--speed 5)', tookMs, linesPerState: stateLines })
  })
})

describe('npm start', () => {
  test('prints the page, the reference server, the y-websocket and Socket.IO servers, and stops on SIGINT', async () => {
    // node itself (not npx, which does not pass SIGINT on), as a terminal's Ctrl-C reaches it.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'demo/start.ts',
        '--port',
        '0',
        '--yjs-port',
        '0',
        '--socketio-port',
        '0',
        '--web-port',
        '0',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    children.push(child)
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    await waitFor(() => stdout.includes('Ctrl-C'), { timeout: 20_000, what: () => stdout })
    expect(stdout).toMatch(/linklight demo: http:\/\/127\.0\.0\.1:\d+\//)
    expect(stdout).toMatch(/reference server: ws:\/\/127\.0\.0\.1:\d+/)
    expect(stdout).toMatch(/Socket\.IO server: http:\/\/127\.0\.0\.1:\d+/)
    const yjsUrl = /y-websocket server: (ws:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1]
    expect(yjsUrl).toBeDefined()

    // The printed server is a y-websocket server: a provider syncs with it.
    const client = yClient(yjsUrl!, 'linklight-demo')
    await waitFor(() => client.source.getSnapshot().state === 'OPEN', {
      timeout: 5000,
      what: 'a provider to sync with the printed server',
    })
    client.close()

    const stoppedAt = now()
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    figures({ test: 'npm start: SIGINT to exit', ms: Math.round(now() - stoppedAt) })
  })
})

interface YClient {
  readonly doc: Y.Doc
  readonly provider: WebsocketProvider
  readonly source: YjsSource
  close(): void
}

const yClients: YClient[] = []
const yServers: YjsDemoServer[] = []
afterEach(async () => {
  for (const client of yClients.splice(0)) client.close()
  await Promise.all(yServers.splice(0).map((server) => server.close()))
})

function yClient(url: string, room: string): YClient {
  const { doc, provider, destroy } = yWebsocketProvider(url, room)
  const source = fromYjs(provider)
  const client = {
    doc,
    provider,
    source,
    close() {
      source.close()
      destroy()
    },
  }
  yClients.push(client)
  return client
}

const text = (client: YClient) => client.doc.getText('t').toString()
const stateOf = (client: YClient) => client.source.getSnapshot().state
const until = (check: () => boolean, what: string, timeout = 5000) =>
  waitFor(check, { timeout, what })

describe('the demo’s y-websocket server', () => {
  test('Kill drops every socket; Restart listens on the same port with the documents kept', async () => {
    const server = await startYjsServer({ host: '127.0.0.1', port: 0 })
    yServers.push(server)
    const ada = yClient(server.url, 'kept')
    await until(() => stateOf(ada) === 'OPEN', 'ada synced')
    ada.doc.getText('t').insert(0, 'before the kill')
    await sleep(100) // the update reaches the server

    await server.kill()
    expect(server.state()).toEqual({ listening: false, silenced: false })
    await until(() => stateOf(ada) === 'RECONNECTING', 'ada reconnecting')
    expect(ada.source.getSnapshot().reason).toBe('INTERRUPTED')
    ada.close()

    const restartedAt = now()
    await server.restart()
    expect(server.state().listening).toBe(true)
    // A new client, with nothing of its own: what it gets comes from the server's memory.
    const bob = yClient(server.url, 'kept')
    await until(() => stateOf(bob) === 'OPEN', 'bob synced')
    expect(text(bob)).toBe('before the kill')
    figures({ test: 'demo y-websocket restart to synced', ms: Math.round(now() - restartedAt) })
  })

  test('Silence holds both ways with the sockets open; off passes on what was held', async () => {
    const server = await startYjsServer({ host: '127.0.0.1', port: 0 })
    yServers.push(server)
    const ada = yClient(server.url, 'quiet')
    const bob = yClient(server.url, 'quiet')
    await until(() => stateOf(ada) === 'OPEN' && stateOf(bob) === 'OPEN', 'both synced')

    server.silence(true)
    expect(server.state()).toEqual({ listening: true, silenced: true })
    ada.doc.getText('t').insert(0, 'held')
    await sleep(500)
    expect(text(bob)).toBe('')
    expect(ada.provider.wsconnected && bob.provider.wsconnected).toBe(true)
    // A socket opened during the silence is held too: it never syncs.
    const late = yClient(server.url, 'quiet')
    await until(() => late.provider.wsconnected, 'the late socket open')
    await sleep(300)
    expect(late.provider.synced).toBe(false)

    server.silence(false)
    await until(() => text(bob) === 'held' && text(late) === 'held', 'the held update delivered')
    expect(stateOf(ada)).toBe('OPEN')
    await until(() => stateOf(late) === 'OPEN', 'the late client synced')
  })

  test('close() ends every socket and frees the port', async () => {
    const server = await startYjsServer({ host: '127.0.0.1', port: 0 })
    const ada = yClient(server.url, 'closing')
    await until(() => stateOf(ada) === 'OPEN', 'ada synced')
    await server.close()
    await until(() => stateOf(ada) === 'RECONNECTING', 'ada dropped')
    // The port is free again: another server can take it.
    const again = await startYjsServer({ host: '127.0.0.1', port: server.port })
    yServers.push(again)
    expect(again.port).toBe(server.port)
  })
})
