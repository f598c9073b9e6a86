/**
 * One Yjs room as the demo and the "Adapters/Yjs" story use it: a `Y.Doc`, y-websocket's
 * `WebsocketProvider` with this tab's name and colour in its awareness, and `fromYjs` over it.
 */
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { fromYjs, type FromYjsOptions, type YjsSource } from '../src/adapters/yjs.js'

/** What each tab puts in its awareness state: the other tabs list it. */
export interface YjsUser {
  readonly name: string
  readonly color: string
}

/** The awareness state a tab publishes. */
export interface YjsAwarenessState {
  readonly user: YjsUser
}

export interface YjsRoom {
  readonly doc: Y.Doc
  /** The shared text the panel's textarea edits. */
  readonly text: Y.Text
  readonly provider: WebsocketProvider
  /** `fromYjs(provider)`: what `<ConnectionProvider source>` reads. */
  readonly source: YjsSource
  readonly user: YjsUser
  /** Disconnects and frees the provider and the document (the source is closed by its store). */
  destroy(): void
}

// Colours that keep 4.5:1 against white text and read on both the light and the dark page.
const COLORS = ['#b91c1c', '#b45309', '#15803d', '#0e7490', '#1d4ed8', '#7e22ce', '#be185d']

/** A colour for `name`: always the same one for the same name. */
export function colorFor(name: string): string {
  let hash = 0
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return COLORS[hash % COLORS.length]!
}

/**
 * Joins `room` on the y-websocket server at `url` as `name`; `options` go to `fromYjs`.
 *
 * @example
 * ```ts
 * const room = createYjsRoom('ws://127.0.0.1:1234', 'linklight-demo', 'ada')
 * room.text.insert(0, 'hello')
 * room.destroy()
 * ```
 */
export function createYjsRoom(
  url: string,
  roomName: string,
  name: string,
  options?: FromYjsOptions,
): YjsRoom {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(url, roomName, doc, {
    // Two tabs of one browser would otherwise sync through a BroadcastChannel even with the
    // server down: the demo is about what the server link does.
    disableBc: true,
  })
  const user = { name, color: colorFor(name) }
  provider.awareness.setLocalStateField('user', user)
  return {
    doc,
    text: doc.getText('text'),
    provider,
    source: fromYjs(provider, options),
    user,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}
