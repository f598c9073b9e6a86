// pretest: the Yjs adapter's integration tests start their own redis-server (Debian's package)
// for the Hocuspocus cluster. Install it when we can (root with apt-get); otherwise stop with
// the exact command to run. Those tests never skip silently.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const REDIS_SERVER = '/usr/bin/redis-server'
const COMMAND = 'sudo apt-get update && sudo apt-get install -y redis-server'

if (!existsSync(REDIS_SERVER)) {
  const isRoot = process.getuid?.() === 0
  const hasApt = existsSync('/usr/bin/apt-get')
  if (!isRoot || !hasApt) {
    console.error(
      `linklight: redis-server is missing (${REDIS_SERVER}); the Hocuspocus cluster tests need it.\nRun:\n  ${COMMAND}`,
    )
    process.exit(1)
  }
  console.log('linklight: installing Debian redis-server for the Hocuspocus cluster tests…')
  // Debian's package starts a system-wide redis on 127.0.0.1:6379 where an init system runs;
  // the tests never use it: each run starts its own on a free port.
  execFileSync(
    'bash',
    [
      '-c',
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server',
    ],
    { stdio: 'inherit' },
  )
}
