/**
 * Debian's Chromium and the flags that start it as root with no network (TOOLCHAIN.md), shared
 * by Vitest's browser projects (vitest.config.ts) and the e2e tests (tests/e2e/support.ts).
 */
export const CHROMIUM = '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
