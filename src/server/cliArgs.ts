import { parseArgs } from 'node:util'

/** How to use `linklight-server`, printed by `--help` and after a usage error. */
export const usage = `Usage: linklight-server [options]

Starts linklight's reference realtime server.

Options:
  --port <n>           TCP port, 0 picks a free one (default 8787)
  --host <address>     interface to bind (default 127.0.0.1, loopback only)
  --peer-timeout <ms>  silence after which a peer is announced DROPPED (default 20000)
  -h, --help           show this help`

/** A command line that cannot be run; the CLI prints it with {@link usage} and exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** What the command line asks for. */
export type CliCommand =
  { kind: 'help' } | { kind: 'serve'; port: number; host: string; peerTimeout: number }

function integerOption(name: string, text: string, min: number, max: number): number {
  // Number('') is 0 and Number('1e3') is 1000: only plain digits are taken as written.
  const value = /^\d+$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got "${text}")`)
  return value
}

/**
 * Reads `linklight-server`'s arguments (without `node` and the script).
 *
 * @example
 * ```ts
 * parseCliArgs(['--port', '0']) // { kind: 'serve', port: 0, host: '127.0.0.1', peerTimeout: 20000 }
 * ```
 */
export function parseCliArgs(args: readonly string[]): CliCommand {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'peer-timeout': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  if (values.help) return { kind: 'help' }
  const host = values.host ?? '127.0.0.1'
  if (host === '') throw new UsageError('--host must not be empty')
  return {
    kind: 'serve',
    port: integerOption('port', values.port ?? '8787', 0, 65_535),
    host,
    peerTimeout: integerOption('peer-timeout', values['peer-timeout'] ?? '20000', 1, 2 ** 31 - 1),
  }
}
