/**
 * `npm run bench:peers`: linklight next to react-use-websocket, partysocket,
 * reconnecting-websocket and socket.io-client, on loopback, with the same faults for everyone.
 * It measures and prints; it never fails for slowness. Flags: see args.ts. The report it writes,
 * docs/comparison.md, is generated: rerun rather than edit it.
 */
import { parseArgs } from './args.js'
import { installDom } from '../dom.js'

const args = parseArgs(process.argv.slice(2))
// react-dom must find the DOM when it is first imported, so everything else comes after.
const removeDom = await installDom()
const { runPeers } = await import('./main.js')
try {
  await runPeers(args)
} finally {
  removeDom()
}
// Everything the bench opened is closed by now; say so if something still holds the process
// (a library's own timer), then leave rather than wait for it.
await new Promise((resolve) => setTimeout(resolve, 500)) // closed handles are freed a tick later
const left = process.getActiveResourcesInfo().filter((kind) => !/^(TTY|Pipe)Wrap$/.test(kind))
if (left.length) console.log(`still active at exit: ${left.join(', ')}`)
process.exit(0)
