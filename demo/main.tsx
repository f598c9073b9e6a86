/**
 * The demo page's entry: one connection per tab, logged in under the tab's id, in a store the
 * whole page reads: linklight's client to the reference server, or `fromSocketIO` to the
 * Socket.IO server, as the switch in the header says.
 */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '../src/react/styles.css'
import { App } from './App.js'
import { createConnectionSwitch } from './demoConnection.js'
import './demo.css'
import { readSettings } from './settings.js'
import { createYjsRoom } from './yjsRoom.js'

const meta = (name: string) =>
  document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content
const settings = readSettings(
  location.search,
  meta('linklight-ws-url'),
  meta('linklight-yjs-url'),
  meta('linklight-socketio-url'),
)
const connection = createConnectionSwitch(settings)
// The Collaborative panel's document, under the same name in its awareness.
const room = createYjsRoom(
  settings.yjsUrl,
  'linklight-demo',
  settings.id,
  settings.yjsGiveUpAfter === undefined ? {} : { giveUpAfter: settings.yjsGiveUpAfter },
)

// Leaving the page says goodbye, so the other tabs see this peer QUIT at once rather than
// DROPPED after the server's peer timeout. A page restored from the back/forward cache starts over.
addEventListener('pagehide', () => {
  connection.destroy()
  room.destroy()
})
addEventListener('pageshow', (event) => event.persisted && location.reload())

const container = document.getElementById('root')
if (!container) throw new Error('linklight demo: index.html has no #root')
createRoot(container).render(
  <StrictMode>
    <App connection={connection} settings={settings} room={room} />
  </StrictMode>,
)
