// Prints the closing line of .ci/run, "N passed, N failed", from Vitest's JSON report.
// A run that failed before Vitest could report counts as one failure, never as success.
import { readFileSync } from 'node:fs'

const [report = 'reports/vitest.json', status = '0'] = process.argv.slice(2)
let passed = 0
let failed = 0
try {
  const json = JSON.parse(readFileSync(report, 'utf8'))
  passed = json.numPassedTests
  failed = json.numFailedTests
} catch {
  failed = 1
}
if (failed === 0 && status !== '0' && passed === 0) failed = 1
console.log(`${passed} passed, ${failed} failed`)
