/**
 * Bytes a browser downloads for the state-only usage of each library: the entry below bundled
 * by esbuild (minified, ESM, browser, React external), then gzip -9. linklight is bundled from
 * src/ (the working tree), the others from node_modules as installed.
 */
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('../../..', import.meta.url))

export interface SizeRow {
  readonly name: string
  readonly entry: string
  readonly minified: number
  readonly gzip: number
}

const entries: readonly { name: string; entry: string }[] = [
  // The state-only usage needs no messages, presence or link quality: the base client.
  {
    name: 'linklight',
    entry:
      "export { createBaseClient } from './src/index.ts'\n" +
      "export { ConnectionProvider, useConnectionState } from './src/react/index.ts'",
  },
  {
    name: 'linklight with createClient (every feature)',
    entry:
      "export { createClient } from './src/index.ts'\n" +
      "export { ConnectionProvider, useConnectionState } from './src/react/index.ts'",
  },
  {
    name: 'react-use-websocket',
    entry: "export { default as useWebSocket, ReadyState } from 'react-use-websocket'",
  },
  { name: 'partysocket', entry: "export { WebSocket } from 'partysocket'" },
  {
    name: 'reconnecting-websocket',
    entry: "export { default as ReconnectingWebSocket } from 'reconnecting-websocket'",
  },
  { name: 'socket.io-client', entry: "export { io } from 'socket.io-client'" },
]

export async function measureSizes(): Promise<SizeRow[]> {
  const rows: SizeRow[] = []
  for (const { name, entry } of entries) {
    const result = await build({
      stdin: { contents: entry, resolveDir: root, sourcefile: `${name}.ts`, loader: 'ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      jsx: 'automatic',
      external: ['react', 'react-dom', 'react/jsx-runtime'],
      write: false,
      logLevel: 'silent',
    })
    const code = result.outputFiles[0]!.contents
    rows.push({
      name,
      entry: entry.replace(/\n/g, '; '),
      minified: code.byteLength,
      gzip: gzipSync(code, { level: 9 }).byteLength,
    })
  }
  return rows
}
