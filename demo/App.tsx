import { useSyncExternalStore } from 'react'
import { ConnectionIndicator, ConnectionProvider } from '../src/react/index.js'
import { CollaborativePanel } from './CollaborativePanel.js'
import { ConnectionPanel } from './ConnectionPanel.js'
import { ConnectionSwitchControl } from './ConnectionSwitchControl.js'
import type { ConnectionSwitch } from './demoConnection.js'
import { FaultsPanel } from './FaultsPanel.js'
import { HistoryPanel } from './HistoryPanel.js'
import { PeersPanel } from './PeersPanel.js'
import type { DemoSettings } from './settings.js'
import type { YjsRoom } from './yjsRoom.js'

/**
 * The demo page: the badge and the connection switch in the header, then the connection, the
 * peers and the faults of the server it goes to; below them the Collaborative panel, a second
 * connection (y-websocket) with its own light.
 */
export function App({
  connection,
  settings,
  room,
}: {
  connection: ConnectionSwitch
  settings: DemoSettings
  room: YjsRoom
}) {
  const { via, store, socketio } = useSyncExternalStore(
    connection.subscribe,
    connection.getSnapshot,
  )
  return (
    <ConnectionProvider store={store}>
      <header className="demo-header">
        <div>
          <h1>linklight demo</h1>
          <p className="demo-muted">
            This tab is <strong data-testid="self-id">{settings.id}</strong>
          </p>
          <ConnectionSwitchControl via={via} onChange={connection.choose} />
        </div>
        <ConnectionIndicator variant="badge" size="lg" data-testid="badge" />
      </header>
      <main className="demo-main">
        <ConnectionPanel timings={settings.timings} socketio={socketio} />
        <PeersPanel />
        <FaultsPanel via={via} />
        <HistoryPanel />
        <CollaborativePanel room={room} />
      </main>
    </ConnectionProvider>
  )
}
