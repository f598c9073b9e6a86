/**
 * docs/comparison.md, written from the results alone: nothing in it is typed by hand except the
 * method notes below, so rerunning `npm run bench:peers` is the only way to change its figures.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { arch, cpus, release, type as osType } from 'node:os'
import { fileURLToPath } from 'node:url'
import { format, resolveConfig } from 'prettier'
import { contenders, socketIoWithRetries, type Contender, type Profile } from './contenders.js'
import { DELIVERY } from './measures/delivery.js'
import type { Results, TimedSeries } from './main.js'
import {
  deliveryHeader,
  deliveryRows,
  deliveryTotals,
  idleHeader,
  idleRows,
  isLinklight,
  n,
  plural,
  timedHeader,
  timedRows,
} from './reportRows.js'
import { formatMs, summarize } from './stats.js'

const docPath = fileURLToPath(new URL('../../docs/comparison.md', import.meta.url))

const cell = (text: string) => text.replace(/\|/g, '\\|')
function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (row: readonly string[]) => `| ${row.map(cell).join(' | ')} |`
  // Figures right-aligned, words (settings, code) left-aligned.
  const numeric = (col: number) =>
    col > 0 && rows.every((row) => /^(\d|>|never|n\/a|no heartbeat|not run|$)/.test(row[col] ?? ''))
  const rule = header.map((_, col) => (numeric(col) ? '---:' : '---'))
  return [line(header), line(rule), ...rows.map(line)].join('\n')
}

const find = (results: Results, id: string) => results.timed.find((s) => s.id === id)

function medianOf(s: TimedSeries | undefined, name: string): string {
  if (!s) return 'not run'
  const skipped = s.skipped.get(name)
  if (skipped) return 'no heartbeat'
  const sum = summarize(s.samples.get(name) ?? [])
  if (sum.runs === 0) return 'n/a'
  if (sum.capped === sum.runs) return `never (> ${s.capMs / 1000} s)`
  return formatMs(sum.median, s.capMs)
}

function headline(results: Results): string {
  const ids = [
    ['deadlink-1s', 'dead link, 1 s heartbeat'],
    ['deadlink-defaults', 'dead link, defaults'],
    ['restart-500-defaults', '500 ms restart, defaults'],
    ['restart-500-fast', '500 ms restart, fast'],
    ['restart-45s-defaults', '45 s outage, defaults'],
    ['restart-45s-fast', '45 s outage, fast'],
  ] as const
  const present = ids.filter(([id]) => find(results, id))
  const header = [
    'library',
    ...present.map(([, title]) => title),
    ...(results.delivery.size ? ['lost / dup / reordered'] : []),
    ...(results.sizes.length ? ['gzip'] : []),
  ]
  const rows = contenders.map((c) => {
    const delivery = results.delivery.get(c.name)
    const t = delivery?.length ? deliveryTotals(delivery) : null
    const size = results.sizes.find((s) => c.name.startsWith(s.name))
    return [
      c.name,
      ...present.map(([id]) => medianOf(find(results, id), c.name)),
      ...(results.delivery.size
        ? [t ? `${n(t.lost)} / ${n(t.duplicated)} / ${n(t.reordered)}` : 'n/a']
        : []),
      ...(results.sizes.length ? [size ? `${n(size.gzip)} B` : 'n/a'] : []),
    ]
  })
  return mdTable(header, rows)
}

/** Measures where some other library's median beats every linklight configuration. */
function whereLinklightLoses(results: Results): string[] {
  const notes: string[] = []
  for (const s of results.timed) {
    const medians = [...s.samples].map(
      ([name, samples]) => [name, summarize(samples).median] as const,
    )
    const best = Math.min(...medians.filter(([name]) => isLinklight(name)).map(([, m]) => m))
    const better = medians.filter(([name, m]) => !isLinklight(name) && m < best)
    if (better.length)
      notes.push(
        `**${s.title}**: ${better.map(([name, m]) => `${name} (${formatMs(m, s.capMs)})`).join(', ')} ` +
          `beat the best linklight configuration (${formatMs(best, s.capMs)}).`,
      )
    // The defaults are presets.deepstream: say so when another library's defaults beat them.
    const linklightDefault = medians.find(([name]) => name === 'linklight (deepstream)')?.[1]
    const beatDefaults = medians.filter(
      ([name, m]) => !isLinklight(name) && linklightDefault !== undefined && m < linklightDefault,
    )
    if (s.profile === 'defaults' && beatDefaults.length && linklightDefault !== undefined)
      notes.push(
        `**${s.title}**: at the defaults (\`presets.deepstream\`, ${formatMs(linklightDefault, s.capMs)}) linklight is ` +
          `slower than ${beatDefaults.map(([name, m]) => `${name} (${formatMs(m, s.capMs)})`).join(', ')}.`,
      )
    const never = medians.filter(([name, m]) => isLinklight(name) && !Number.isFinite(m))
    if (never.length)
      notes.push(
        `**${s.title}**: ${never.map(([name]) => name).join(', ')} did not get there within the ` +
          `${s.capMs / 1000} s cap in most runs.`,
      )
  }
  const linklightSize = results.sizes.find((s) => s.name === 'linklight')
  if (linklightSize) {
    const smaller = results.sizes.filter((s) => s.gzip < linklightSize.gzip)
    if (smaller.length)
      notes.push(
        `**Size**: ${smaller.map((s) => `${s.name} (${n(s.gzip)} B)`).join(', ')} ship fewer bytes than ` +
          `linklight's state-only usage (createBaseClient, ${n(linklightSize.gzip)} B) — but none of them includes a React binding ` +
          `except react-use-websocket.`,
      )
  }
  const linklightIdle = results.idle.rows.filter((r) => isLinklight(r.library))
  if (linklightIdle.length) {
    const bestCpu = Math.min(...linklightIdle.map((r) => r.cpuMs))
    const bestHeap = Math.min(...linklightIdle.map((r) => r.heapDeltaMb))
    const cheaper = results.idle.rows.filter((r) => !isLinklight(r.library) && r.cpuMs < bestCpu)
    const lighter = results.idle.rows.filter(
      (r) => !isLinklight(r.library) && r.heapDeltaMb < bestHeap,
    )
    if (cheaper.length)
      notes.push(
        `**Idle CPU**: ${cheaper.map((r) => `${r.library} (${n(r.cpuMs)} ms)`).join(', ')} used less than ` +
          `any linklight configuration (${n(bestCpu)} ms).`,
      )
    if (lighter.length)
      notes.push(
        `**Idle memory**: ${lighter.map((r) => `${r.library} (${r.heapDeltaMb.toFixed(1)} MB)`).join(', ')} ` +
          `grew the heap less than any linklight configuration (${bestHeap.toFixed(1)} MB; its clients ` +
          "also hold each other's presence, see above).",
      )
  }
  for (const [name, list] of results.delivery) {
    const t = deliveryTotals(list)
    if (isLinklight(name) && t.lost + t.duplicated + t.reordered > 0)
      notes.push(
        `**Delivery**: ${name} lost ${t.lost}, duplicated ${t.duplicated}, reordered ${t.reordered}.`,
      )
  }
  return notes
}

function settingsTable(): string {
  const all: Contender[] = [...contenders, socketIoWithRetries]
  const profiles: Profile[] = ['defaults', 'heartbeat1s', 'fast']
  return mdTable(
    ['library', ...profiles],
    all.map((c) => [c.name, ...profiles.map((p) => `\`${c.settings[p]}\``)]),
  )
}

async function versionOf(name: string): Promise<string> {
  const path = fileURLToPath(new URL(`../../node_modules/${name}/package.json`, import.meta.url))
  return (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version
}

export async function writeMarkdown(results: Results): Promise<void> {
  const libs = [
    'react',
    'react-dom',
    'react-use-websocket',
    'partysocket',
    'reconnecting-websocket',
    'socket.io-client',
    'socket.io',
    'ws',
    'jsdom',
    'esbuild',
  ]
  const versions = await Promise.all(libs.map(async (l) => `${l} ${await versionOf(l)}`))
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  const flags = [`--reps ${results.args.reps}`, ...(results.args.quick ? ['--quick'] : [])].join(
    ' ',
  )
  const given = process.argv.slice(2).join(' ')
  const command = given ? ` -- ${given}` : ''
  const sections: string[] = []
  sections.push(`# How linklight compares

<!-- Generated by \`npm run bench:peers\` (bench/peers/). Do not edit by hand: rerun it. -->

> Generated by \`npm run bench:peers${command}\` on ${results.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC
> (${flags}; the run took ${Math.round(results.durationMs / 1000)} s). Do not edit this file by hand: rerun the script.
> Machine: Node ${process.version}, ${osType()} ${release()} (${arch()}), ${cpus().length} × ${cpu}.
> Libraries: ${versions.join(', ')}; linklight from this working tree (src/).

Everything runs on 127.0.0.1. Each library talks to its own loopback server — linklight's
reference server (\`createServer\`), a plain \`ws\` echo/heartbeat server for the WebSocket
libraries, a socket.io 4.8 server for socket.io-client — through its own TCP proxy
(bench/peers/proxy.ts). The proxy makes the faults, the same for everyone:

- **dead link** (\`hold\`): nothing passes either way and nothing is closed — and a close from the
  server (a ping timeout, say) is not passed on while held, as on a real dead network;
- **hard drop** (\`cut\`): every connection destroyed at once;
- **restart** (\`kill\`, then \`listen\` after N ms): connections cut and new ones refused meanwhile.

Within a repetition all libraries run side by side (one process, one event loop), each hit in
the same tick, in an order that rotates between repetitions; and the timed measures of a
repetition (both dead-link runs, the four restarts, the delivery run) run at the same time, each
on its own servers and proxies, so the long ones share their minutes. The times measured are
tens of milliseconds or more; the shared event loop adds a few at most. Times are min / median / max over
the repetitions; a run that hits the cap counts as "> cap" (so a median can read "> 60 s").

## At a glance (medians)

${headline(results)}

"never" = not within the cap in any run. Delivery totals are over all runs (${DELIVERY.count} messages per run).
`)

  const section = (title: string, body: string) => sections.push(`## ${title}\n\n${body}\n`)
  const timed = (id: string) => find(results, id)
  const timedBlock = (s: TimedSeries | undefined, lead: string) =>
    s
      ? `${lead}\n\n${mdTable(timedHeader, timedRows(s))}\n\nCap: ${s.capMs / 1000} s; ${plural(results.args.reps, 'repetition')}.`
      : `${lead}\n\nNot run this time.`

  section(
    '1. Dead-link detection',
    [
      timedBlock(
        timed('deadlink-1s'),
        '### At an equal 1 s heartbeat\n\nTime from the proxy starting to hold to the library reporting not-connected ' +
          '(linklight: leaves `OPEN`; react-use-websocket: `readyState` leaves `OPEN`; socket.io: `disconnect`). ' +
          'partysocket and reconnecting-websocket have no heartbeat: a dead link is never noticed (see the defaults).',
      ),
      timedBlock(timed('deadlink-defaults'), "### At each library's defaults"),
      'Notes: linklight counts two missed heartbeat periods; at its defaults (`presets.deepstream`, 30 s ' +
        "heartbeat, `heartbeatFailure: 'error'`) that is ~60 s, at the edge of the cap, and it ends in `ERROR` " +
        'rather than a retry. react-use-websocket closes the socket when its heartbeat times out, but its ' +
        '`readyState` changes only on the `close` event: in Node, `ws` waits for the closing handshake (up to ' +
        '30 s) on a dead link, so its figure includes that wait; a browser may report sooner.',
    ].join('\n\n'),
  )
  section(
    '2. Recovery after a restart',
    [
      'Time from the proxy listening again to the library reporting connected. "fast" = the quickest ' +
        'reconnection the documented options give, retry wait capped at 500 ms (settings below).',
      timedBlock(timed('restart-500-defaults'), '### 500 ms restart, defaults'),
      timedBlock(timed('restart-500-fast'), '### 500 ms restart, fast settings'),
      timedBlock(timed('restart-45s-defaults'), '### 45 s outage, defaults'),
      timedBlock(timed('restart-45s-fast'), '### 45 s outage, fast settings'),
      'react-use-websocket at its defaults has no `shouldReconnect`, so it never reconnects; with the ' +
        'fast settings it retries on a fixed 500 ms interval, so after a 500 ms restart its attempt falls due ' +
        'just as the server is back (its figure there is partly phase). ' +
        "linklight's `presets.deepstream` gives up (`ERROR`) after 5 failed attempts (~40 s): by design, as " +
        'deepstream does; `presets.agora` keeps retrying for 20 minutes.',
    ].join('\n\n'),
  )
  section(
    '3. Lost, duplicated, reordered',
    results.delivery.size
      ? `${n(DELIVERY.count)} numbered messages, one every ${DELIVERY.intervalMs} ms, while the link is dropped ` +
          `${DELIVERY.drops} times (every ${DELIVERY.dropEveryMs} ms from ${DELIVERY.firstDropMs} ms): 10 hard drops (cut) and ` +
          `10 silent ones (held ${DELIVERY.holdMs} ms — shorter than any heartbeat — then cut). Every library runs ` +
          'its "fast" settings. The server records what arrived; after the last send each library gets up to ' +
          `${DELIVERY.drainCapMs / 1000} s to deliver what it kept (ending after ${DELIVERY.quietMs / 1000} s with nothing new). ` +
          `Totals over ${plural(results.delivery.values().next().value?.length ?? 0, 'run')}:\n\n` +
          mdTable(deliveryHeader, deliveryRows(results)) +
          '\n\nHow each sends: linklight `client.send(n)` (acknowledged, resent after a reconnect, de-duplicated by ' +
          "the server); partysocket and reconnecting-websocket `socket.send('n:<n>')` (buffered while closed); " +
          "react-use-websocket `sendMessage('n:<n>')` (its queue, `keep` = true); socket.io-client `socket.emit('n', n)` " +
          '(buffered while disconnected) and, as "(retries)", with `{ retries: 10, ackTimeout: 1000 }` and an acking server handler.'
      : 'Not run this time.',
  )
  section(
    '4. Renders of a state-only component',
    results.renders.length
      ? "1,000 messages arrive, each in its own tick (1 ms apart), at a component that shows only the connection state; react-dom in jsdom, React's real scheduler (no `act`).\n\n" +
          mdTable(
            ['library', 'component', 'messages received', 'renders'],
            results.renders.map((r) => [r.name, r.setup, n(r.received), n(r.renders)]),
          ) +
          '\n\nlinklight: the messages are relayed by the reference server from a second client.'
      : 'Not run this time.',
  )
  section(
    '5. Size of the state-only usage',
    results.sizes.length
      ? 'esbuild (minified, ESM, browser), React external, then gzip -9. partysocket, reconnecting-websocket ' +
          'and socket.io-client have no React binding: an app adds its own hook (a few lines of `useSyncExternalStore`) on top.\n\n' +
          mdTable(
            ['library', 'entry', 'minified (B)', 'gzip (B)'],
            results.sizes.map((s) => [s.name, `\`${s.entry}\``, n(s.minified), n(s.gzip)]),
          )
      : 'Not run this time.',
  )
  section(
    '6. Idle cost',
    results.idle.rows.length
      ? `${n(results.idle.count)} clients of one library at its defaults, connected, idling for ${results.idle.seconds} s, ` +
          'in a child process of their own (the server stays in the parent): CPU time (user + system) over the idle ' +
          'window, and RSS / heap growth from before the first client to the end of the window, both read after a ' +
          'full GC (the child runs with `--expose-gc`). RSS moves in coarse steps and can even shrink; heap per client is the steadier figure. react-use-websocket ' +
          "includes one React root per client in jsdom. linklight's clients all log in to one reference server, so each " +
          'keeps the presence of every other one (1,000 peers each; the other libraries have no presence): its memory per ' +
          'client grows with the number of clients in the run.\n\n' +
          mdTable(idleHeader, idleRows(results))
      : 'Not run this time.',
  )
  const loses = whereLinklightLoses(results)
  section(
    'Where linklight loses',
    loses.length ? loses.map((line) => `- ${line}`).join('\n') : 'Nowhere in this run.',
  )
  section('Exact settings', settingsTable())
  // Formatted as `npm run lint` expects (prettier --check .), so a rerun leaves a clean tree.
  const text = await format(sections.join('\n'), {
    ...(await resolveConfig(docPath)),
    filepath: docPath,
  })
  await writeFile(docPath, text)
  console.log(`wrote ${docPath}`)
}
