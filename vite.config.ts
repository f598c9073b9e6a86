import { builtinModules } from 'node:module'
import { defineConfig } from 'vite'

// Library build: one ES module per public entry; declarations come from `tsc -p tsconfig.build.json`.
const external = [
  'ws',
  'zustand',
  /^zustand\//,
  'react',
  /^react\//,
  'react-dom',
  /^node:/,
  ...builtinModules,
]

export default defineConfig({
  build: {
    target: 'es2022',
    minify: false,
    sourcemap: true,
    emptyOutDir: true,
    lib: {
      entry: {
        index: 'src/index.ts',
        'react/index': 'src/react/index.ts',
        'testing/index': 'src/testing/index.ts',
        'protocol/index': 'src/protocol/index.ts',
        'server/index': 'src/server/index.ts',
        'adapters/deepstream': 'src/adapters/deepstream.ts',
        'adapters/agora': 'src/adapters/agora.ts',
        'adapters/yjs': 'src/adapters/yjs.ts',
        'adapters/socketio': 'src/adapters/socketio.ts',
        'adapters/socketioServer': 'src/adapters/socketioServer.ts',
        'server/cli': 'src/server/cli.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      external,
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        banner: (chunk) => (chunk.name === 'server/cli' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
})
