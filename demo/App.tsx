import type { ConnectionStore } from '../src/index.js'
import { ConnectionIndicator, ConnectionProvider } from '../src/react/index.js'
import { CollaborativePanel } from './CollaborativePanel.js'
import { ConnectionPanel } from './ConnectionPanel.js'
import { FaultsPanel } from './FaultsPanel.js'
import { PeersPanel } from './PeersPanel.js'
import type { DemoSettings } from './settings.js'
import type { YjsRoom } from './yjsRoom.js'

/**
 * The demo page: the badge in the header, then the connection, the peers and the faults; below
 * them the Collaborative panel, a second connection (y-websocket) with its own light.
 */
export function App({
  store,
  settings,
  room,
}: {
  store: ConnectionStore
  settings: DemoSettings
  room: YjsRoom
}) {
  return (
    <ConnectionProvider store={store}>
      <header className="demo-header">
        <div>
          <h1>linklight demo</h1>
          <p className="demo-muted">
            This tab is <strong data-testid="self-id">{settings.id}</strong>
          </p>
        </div>
        <ConnectionIndicator variant="badge" size="lg" data-testid="badge" />
      </header>
      <main className="demo-main">
        <ConnectionPanel timings={settings.timings} />
        <PeersPanel />
        <FaultsPanel />
        <CollaborativePanel room={room} />
      </main>
    </ConnectionProvider>
  )
}
