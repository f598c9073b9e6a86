import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { parseCliArgs, UsageError } from '../../src/server/cliArgs.js'
import { createServer } from '../../src/server/index.js'
import { connectRaw } from './rawClient.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const children: ChildProcess[] = []

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

/** Runs a TypeScript file with node + tsx, collecting its output. */
function run(file: string, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  )
  const line = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`no ${pattern} within ${timeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`),
          ),
        timeoutMs,
      )
      const check = () => {
        const match = stdout.match(pattern)
        if (!match) return
        clearTimeout(timer)
        child.stdout?.off('data', check)
        resolve(match)
      }
      child.stdout?.on('data', check)
      check()
    })
  const exitWithin = (timeoutMs: number) =>
    Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms`)), timeoutMs),
      ),
    ])
  return { child, line, exitWithin, output: () => ({ stdout, stderr }) }
}

describe('parseCliArgs', () => {
  test('defaults', () => {
    expect(parseCliArgs([])).toEqual({
      kind: 'serve',
      port: 8787,
      host: '127.0.0.1',
      peerTimeout: 20_000,
    })
  })

  test('every option', () => {
    expect(parseCliArgs(['--port', '0', '--host', '0.0.0.0', '--peer-timeout=5000'])).toEqual({
      kind: 'serve',
      port: 0,
      host: '0.0.0.0',
      peerTimeout: 5000,
    })
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' })
    expect(parseCliArgs(['-h', '--port', 'abc'])).toEqual({ kind: 'help' })
  })

  test.each([
    [['--port', 'abc'], '--port must be an integer from 0 to 65535 (got "abc")'],
    [['--port', '70000'], '--port must be an integer from 0 to 65535 (got "70000")'],
    [['--port', ''], '--port must be an integer from 0 to 65535 (got "")'],
    [['--peer-timeout', '0'], '--peer-timeout must be an integer from 1 to 2147483647 (got "0")'],
    [
      ['--peer-timeout', '1e3'],
      '--peer-timeout must be an integer from 1 to 2147483647 (got "1e3")',
    ],
    [['--host', ''], '--host must not be empty'],
    [['--verbose'], /Unknown option '--verbose'/],
    [['serve'], /Unexpected argument 'serve'/],
  ])('%j → UsageError', (args, message) => {
    expect(() => parseCliArgs(args)).toThrow(UsageError)
    expect(() => parseCliArgs(args)).toThrow(message)
  })
})

describe('linklight-server command', () => {
  test('prints one listening line, serves, and exits 0 on SIGTERM within 3 s', async () => {
    const cli = run('src/server/cli.ts', ['--port', '0'])
    const [, url] = await cli.line(
      /^linklight reference server listening on (ws:\/\/127\.0\.0\.1:\d+)\n/,
      10_000,
    )
    const client = await connectRaw(url!)
    await client.waitFor('challenge')
    cli.child.kill('SIGTERM')
    expect(await cli.exitWithin(3000)).toBe(0)
    expect((await client.closed).code).toBe(1006)
    expect(cli.output().stdout.trim().split('\n')).toHaveLength(1)
  })

  test('SIGINT closes cleanly too', async () => {
    const cli = run('src/server/cli.ts', ['--port', '0', '--peer-timeout', '1000'])
    await cli.line(/listening on/, 10_000)
    cli.child.kill('SIGINT')
    expect(await cli.exitWithin(3000)).toBe(0)
  })

  test('--port abc → exit code 2 and a message', async () => {
    const cli = run('src/server/cli.ts', ['--port', 'abc'])
    expect(await cli.exitWithin(10_000)).toBe(2)
    expect(cli.output().stderr).toMatch(
      /linklight-server: --port must be an integer from 0 to 65535 \(got "abc"\)/,
    )
    expect(cli.output().stderr).toMatch(/Usage: linklight-server/)
    expect(cli.output().stdout).toBe('')
  })

  test('a port already in use → exit code 1 and the reason', async () => {
    const taken = await createServer({ port: 0 })
    try {
      const cli = run('src/server/cli.ts', ['--port', String(taken.port)])
      expect(await cli.exitWithin(10_000)).toBe(1)
      expect(cli.output().stderr).toMatch(/linklight-server: .*EADDRINUSE/)
    } finally {
      await taken.close()
    }
  })

  test('--help prints the usage and exits 0', async () => {
    const cli = run('src/server/cli.ts', ['--help'])
    expect(await cli.exitWithin(10_000)).toBe(0)
    expect(cli.output().stdout).toMatch(/--peer-timeout <ms>/)
  })
})

describe('close()', () => {
  test('leaves nothing that keeps Node alive (sweep, grace and delay timers armed)', async () => {
    const script = run('tests/server/fixtures/closeAndExit.ts')
    await script.line(/^closed$/m, 10_000)
    expect(await script.exitWithin(2000)).toBe(0)
  })
})
