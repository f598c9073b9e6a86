// linklight-server: runs the reference server until SIGINT or SIGTERM.
// The shebang of the built file comes from vite.config.ts.
import { parseCliArgs, usage, UsageError, type CliCommand } from './cliArgs.js'
import { createServer } from './createServer.js'

async function main(): Promise<void> {
  let command: CliCommand
  try {
    command = parseCliArgs(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(`linklight-server: ${error.message}\n\n${usage}`)
    process.exitCode = 2
    return
  }
  if (command.kind === 'help') {
    console.log(usage)
    return
  }

  const server = await createServer({
    port: command.port,
    host: command.host,
    peerTimeout: command.peerTimeout,
  })

  const shutdown = (): void => {
    process.off('SIGINT', shutdown)
    process.off('SIGTERM', shutdown)
    // Nothing else is left running once the server is closed, so Node exits by itself (0).
    server.close().catch((error: unknown) => {
      console.error('linklight-server: error while closing', error)
      process.exitCode = 1
    })
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  // Printed last: whoever waits for this line may signal at once, so the handlers come first.
  console.log(`linklight reference server listening on ${server.url}`)
}

try {
  await main()
} catch (error) {
  console.error(`linklight-server: ${(error as Error).message}`)
  process.exitCode = 1
}
