/**
 * The demo page's entry: one linklight client per tab, logged in under the tab's id, in a
 * store the whole page reads.
 */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createClient, createConnectionStore } from '../src/index.js'
import '../src/react/styles.css'
import { App } from './App.js'
import './demo.css'
import { readSettings } from './settings.js'
import { createYjsRoom } from './yjsRoom.js'

const meta = (name: string) =>
  document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content
const settings = readSettings(location.search, meta('linklight-ws-url'), meta('linklight-yjs-url'))
const client = createClient(settings.wsUrl, settings.timings)
const store = createConnectionStore(client)
// A refused login ends in ERROR, which the page shows; the promise has nothing to add.
client.login({ id: settings.id }).catch(() => {})
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
  store.getState().destroy()
  room.destroy()
})
addEventListener('pageshow', (event) => event.persisted && location.reload())

const container = document.getElementById('root')
if (!container) throw new Error('linklight demo: index.html has no #root')
createRoot(container).render(
  <StrictMode>
    <App store={store} settings={settings} room={room} />
  </StrictMode>,
)
