/**
 * The contract suite runs under Jest too: linklight/testing and the mock's harness bundled with
 * esbuild (as a published package would be, ESM), then Jest 30 run on one fixture with a config
 * of its own, its JSON report read back. Every test the suite registers must have run and passed.
 */
import { spawn } from 'node:child_process'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { collect } from './collect.js'
import { makeMockHarness } from './mockHarness.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const OUT = join(ROOT, '.tmp', 'contract-jest')
const REPORT = join(OUT, 'results.json')

interface JestReport {
  readonly success: boolean
  readonly numTotalTests: number
  readonly numPassedTests: number
  readonly numFailedTests: number
  readonly testResults: readonly {
    readonly assertionResults: readonly {
      readonly ancestorTitles: readonly string[]
      readonly title: string
      readonly status: string
      readonly failureMessages: readonly string[]
    }[]
  }[]
}

/** Runs Jest on the fixture; resolves with its exit code and output. */
function runJest(): Promise<{ code: number | null; output: string }> {
  const args = [
    '--experimental-vm-modules',
    join(ROOT, 'node_modules/jest/bin/jest.js'),
    '--config',
    join(ROOT, 'tests/contract/jest/jest.config.json'),
    '--ci',
    '--json',
    '--outputFile',
    REPORT,
  ]
  return new Promise((resolve, reject) => {
    const jest = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    jest.stdout.on('data', (chunk) => (output += String(chunk)))
    jest.stderr.on('data', (chunk) => (output += String(chunk)))
    const timer = setTimeout(() => jest.kill('SIGKILL'), 100_000)
    jest.on('error', reject)
    jest.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

describe('the contract suite under Jest', () => {
  it('runs every test of the suite on the mock source under Jest 30, and they pass', async () => {
    await rm(OUT, { recursive: true, force: true })
    await mkdir(OUT, { recursive: true })
    await build({
      absWorkingDir: ROOT,
      entryPoints: {
        index: 'src/testing/index.ts',
        mockHarness: 'tests/contract/mockHarness.ts',
      },
      outdir: OUT,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
    })

    const { code, output } = await runJest()
    const report = JSON.parse(await readFile(REPORT, 'utf8')) as JestReport
    const results = report.testResults.flatMap((file) => file.assertionResults)
    const failures = results
      .filter((result) => result.status != 'passed')
      .map((result) => `${result.title} (${result.status}): ${result.failureMessages.join('\n')}`)
    expect(failures, output).toEqual([])
    expect(code, output).toBe(0)

    // The same tests the suite registers, by title, under the fixture's describe.
    const expected = collect(makeMockHarness).tests.map((test) =>
      test.title.split(' > ').slice(1).join(' > '),
    )
    const ran = results.map((result) =>
      [...result.ancestorTitles.slice(1), result.title].join(' > '),
    )
    expect(ran.sort()).toEqual(expected.sort())
    expect(report).toMatchObject({
      success: true,
      numTotalTests: expected.length,
      numPassedTests: expected.length,
      numFailedTests: 0,
    })
    expect(new Set(results.map((result) => result.ancestorTitles[0]))).toEqual(
      new Set(['createMockSource under Jest']),
    )
  }, 120_000)
})
