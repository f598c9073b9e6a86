// A guardian for one redis-server: redis does not notice when the test process that wanted it
// dies, but this forked process does (its IPC channel closes) and then kills redis. It starts
// `redis-server --port <argv[2]> --bind 127.0.0.1 --save '' --appendonly no`, waits for redis to
// say it accepts connections, then sends { started: port, pid: <redis-server's pid> } to its
// parent. It exits when redis exits, so the parent may kill redis by PID and wait for this one.
import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'

const port = Number(process.argv[2])
const executable = process.argv[3] ?? 'redis-server'

const redis = spawn(
  executable,
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  // `--save ''` and `--appendonly no` write nothing; the cwd is only where redis would.
  { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'inherit'] },
)

process.on('disconnect', () => {
  redis.kill('SIGKILL')
  process.exit(0)
})
redis.on('error', (error) => {
  console.error(`redis-server could not be started: ${error.message}`)
  process.exit(1)
})
redis.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)))

let output = ''
redis.stdout.setEncoding('utf8')
redis.stdout.on('data', (chunk) => {
  if (output === null) return
  output += chunk
  if (output.includes('Ready to accept connections')) {
    output = null
    process.send?.({ started: port, pid: redis.pid })
  } else if (output.length > 65536) {
    output = output.slice(-4096)
  }
})
