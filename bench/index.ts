/**
 * `npm run bench`: linklight's figures — store cost per peer event, render counts, and the size
 * of the minimal usage. It prints numbers and never fails for slowness or size; budgets are
 * checked by `size-limit` and behaviour by the tests.
 */
import { renderCounts } from './renderCounts.js'
import { size } from './size.js'
import { storeCost } from './storeCost.js'

const started = performance.now()
console.log(`linklight bench — Node ${process.version}\n`)
await storeCost()
console.log()
await renderCounts()
console.log()
await size()
console.log(`\nbench took ${((performance.now() - started) / 1000).toFixed(1)} s`)
