import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { figures } from '../helpers/figures.js'
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
