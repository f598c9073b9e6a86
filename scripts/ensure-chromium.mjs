// pretest: browser tests need Debian's Chromium. Install it when we can (root with apt-get);
// otherwise stop with the exact command to run. Browser tests never skip silently.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const CHROMIUM = '/usr/bin/chromium'
const COMMAND = 'sudo apt-get update && sudo apt-get install -y chromium'

if (!existsSync(CHROMIUM)) {
  const isRoot = process.getuid?.() === 0
  const hasApt = existsSync('/usr/bin/apt-get')
  if (!isRoot || !hasApt) {
    console.error(
      `linklight: Chromium is missing (${CHROMIUM}); the browser tests need it.\nRun:\n  ${COMMAND}`,
    )
    process.exit(1)
  }
  console.log('linklight: installing Debian chromium for the browser tests…')
  execFileSync(
    'bash',
    ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'],
    {
      stdio: 'inherit',
    },
  )
}
