import { fileURLToPath } from 'node:url'
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { playwright } from '@vitest/browser-playwright'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'
import { CHROMIUM, CHROMIUM_ARGS } from './tests/helpers/chromium.js'

const react18 = (name: string) =>
  fileURLToPath(new URL(`./tests/react18/node_modules/${name}`, import.meta.url))

// Debian's Chromium, started the way that works as root with no network (TOOLCHAIN.md).
const chromium = playwright({
  launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
})

const reactTests = ['tests/react/**/*.test.{ts,tsx}', 'tests/store/**/*.test.ts']

// One project per layer; `npm test` runs them all and writes the JSON report .ci/run reads.
export default defineConfig({
  plugins: [react()],
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/core/**/*.test.ts', 'tests/adapters/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'tests/integration/**/*.test.{ts,tsx}',
            'tests/server/**/*.test.ts',
            'tests/fuzz/**/*.test.ts',
            'tests/contract/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // The public types (tests/types/*.test-d.ts): checked by tsc through Vitest, never run.
        test: {
          name: 'types',
          typecheck: {
            enabled: true,
            only: true,
            include: ['tests/types/**/*.test-d.ts'],
            tsconfig: 'tests/types/tsconfig.json',
            // Errors in src/ fail `npm run typecheck`; this project reports the expectations.
            ignoreSourceErrors: true,
          },
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'react19',
          include: reactTests,
          environment: 'jsdom',
          setupFiles: ['tests/react/setup.ts'],
          testTimeout: 20_000,
        },
      },
      {
        // The same React tests against React 18.2 (installed in the tests/react18 workspace).
        plugins: [react()],
        resolve: {
          alias: [
            // Testing Library's `main` is CommonJS, which Node loads without these aliases:
            // point at its ESM build so it renders with the React 18 below.
            {
              find: /^@testing-library\/react$/,
              replacement: fileURLToPath(
                new URL(
                  './node_modules/@testing-library/react/dist/@testing-library/react.esm.js',
                  import.meta.url,
                ),
              ),
            },
            { find: /^react$/, replacement: react18('react') },
            { find: /^react\/(.*)$/, replacement: `${react18('react')}/$1` },
            { find: /^react-dom$/, replacement: react18('react-dom') },
            { find: /^react-dom\/(.*)$/, replacement: `${react18('react-dom')}/$1` },
          ],
        },
        test: {
          name: 'react18',
          include: reactTests,
          environment: 'jsdom',
          setupFiles: ['tests/react/setup.ts'],
          testTimeout: 20_000,
          // Testing Library must go through the aliases too, or it would render with React 19.
          server: { deps: { inline: [/@testing-library\/react/] } },
        },
      },
      {
        // The demo in real Chromium, driven from Node with playwright-core: two pages, the
        // reference server's faults, screenshots against committed baselines.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.{ts,tsx}'],
          browser: {
            enabled: true,
            headless: true,
            provider: chromium,
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        // Every story in stories/ as a test in real Chromium: it renders, and its play passes.
        plugins: [
          storybookTest({ configDir: fileURLToPath(new URL('./.storybook', import.meta.url)) }),
        ],
        test: {
          name: 'storybook',
          // the playground's plays wait out the store's smoothing (up to 1.5 s per step)
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            provider: chromium,
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
})
