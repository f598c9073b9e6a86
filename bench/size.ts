/**
 * What two usages cost a browser bundle, React external, zustand included: the minimal usage
 * (`createClient` + `ConnectionProvider` + `useConnectionState` + `usePeers` +
 * `ConnectionIndicator`) and the state-only usage (`createBaseClient` + `ConnectionProvider` +
 * `useConnectionState`). Bundled from the built `dist/` (what users install) and, for a
 * per-module breakdown, from `src/` (rolled-up `dist/` chunks do not say which source module
 * costs what).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build, type Metafile } from 'esbuild'
import { formatBytes, formatTable } from './report.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const budget = (name: string) =>
  (
    JSON.parse(readFileSync(`${root}.size-limit.json`, 'utf8')) as { name: string; limit: string }[]
  ).find((entry) => entry.name.startsWith(name))?.limit ?? 'none'
const external = ['react', 'react-dom', 'react/jsx-runtime']

/** A usage to measure: what it imports from the core entry and from `linklight/react`. */
interface Usage {
  readonly title: string
  /** The start of its entry's name in .size-limit.json. */
  readonly budgetName: string
  /** The goal an issue set for it, gzip bytes. */
  readonly goal: { readonly bytes: number; readonly from: string }
  readonly core: string
  readonly react: string
}

const usages: readonly Usage[] = [
  {
    title: 'the minimal usage',
    budgetName: 'minimal usage',
    goal: { bytes: 4000, from: 'issue 3' },
    core: 'createClient',
    react: 'ConnectionProvider, useConnectionState, usePeers, ConnectionIndicator',
  },
  {
    title: 'the state-only usage (createBaseClient)',
    budgetName: 'state-only usage: createBaseClient',
    goal: { bytes: 6900, from: 'issue 14' },
    core: 'createBaseClient',
    react: 'ConnectionProvider, useConnectionState',
  },
]

const entryFrom = (usage: Usage, core: string, react: string) =>
  `export { ${usage.core} } from '${core}'\n` + `export { ${usage.react} } from '${react}'\n`

async function bundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: root, sourcefile: 'minimal-usage.ts', loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    external,
    metafile: true,
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]!.contents
  const output = Object.values(result.metafile.outputs)[0]!
  return {
    floor: logicFloor(new TextDecoder().decode(code)),
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: code.byteLength,
      },
    }).byteLength,
    inputs: output.inputs,
    externalImports: [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))],
  }
}

/**
 * How much of the gzip size is logic: the same bundle with every string literal emptied and
 * every word of four letters or more (property names the minifier keeps) cut to three
 * characters. No real build gets below it without removing code.
 */
function logicFloor(code: string) {
  const strings = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g
  const words = new Map<string, string>()
  const shortened = code.replace(strings, '""').replace(/\b[a-zA-Z]{4,}\b/g, (word) => {
    if (!words.has(word)) words.set(word, `p${words.size.toString(36)}`)
    return words.get(word)!
  })
  return gzipSync(shortened, { level: 9 }).byteLength
}

/** `node_modules/zustand/esm/vanilla.mjs` → `zustand/esm/vanilla.mjs`; our files relative to the repo. */
const moduleName = (path: string) =>
  path.includes('node_modules/')
    ? path.slice(path.lastIndexOf('node_modules/') + 13)
    : relative(root, path) || path

function breakdown(inputs: Metafile['outputs'][string]['inputs']) {
  const entries = Object.entries(inputs)
    .map(([path, { bytesInOutput }]) => [moduleName(path), bytesInOutput] as const)
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1])
  const total = entries.reduce((sum, [, bytes]) => sum + bytes, 0)
  return formatTable(
    ['module', 'minified B', 'share'],
    entries.map(([name, bytes]) => [name, String(bytes), `${((bytes / total) * 100).toFixed(1)}%`]),
  )
}

/** Bundles each usage and prints its sizes and what it is made of. */
export async function size(): Promise<void> {
  if (!existsSync(`${root}dist/index.js`) || !existsSync(`${root}dist/react/index.js`)) {
    console.log('dist/ is missing: running npm run build first.\n')
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  }
  for (const usage of usages) await sizeOf(usage)
}

async function sizeOf(usage: Usage) {
  console.log(`## Size of ${usage.title} (esbuild, minified ESM, browser, React external)\n`)
  console.log(`${usage.core} + ${usage.react}\n`)
  const dist = await bundle(entryFrom(usage, './dist/index.js', './dist/react/index.js'))
  const src = await bundle(entryFrom(usage, './src/index.ts', './src/react/index.ts'))
  const zustand = Object.entries(dist.inputs)
    .filter(([path]) => path.includes('node_modules/zustand/'))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0)
  console.log(
    formatTable(
      ['bundled from', 'minified', 'gzip -9', 'brotli -11'],
      [
        ['dist/', formatBytes(dist.minified), formatBytes(dist.gzip), formatBytes(dist.brotli)],
        [
          'src/ (working tree)',
          formatBytes(src.minified),
          formatBytes(src.gzip),
          formatBytes(src.brotli),
        ],
      ],
    ),
  )
  const over = dist.gzip - usage.goal.bytes
  console.log(
    `\n${usage.goal.from}'s goal ${formatBytes(usage.goal.bytes)} gzip: ${over > 0 ? `over by ${formatBytes(over)}` : `under by ${formatBytes(-over)}`}` +
      `; size-limit budget in CI: ${budget(usage.budgetName)}` +
      `\nlogic floor (no strings, long names cut to 3 characters): ${formatBytes(dist.floor)} gzip` +
      `\nleft external: ${dist.externalImports.join(', ') || 'nothing'}; zustand bundled: ${zustand} B minified` +
      '\n(size-limit reports slightly more or less: it bundles an IIFE and subtracts an empty project)',
  )
  console.log('\nBy source module (bundled from src/; bytes each leaves in the minified output):\n')
  console.log(breakdown(src.inputs))
  console.log()
}
