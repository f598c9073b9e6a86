import { PROTOCOL_VERSION, type AuthRejection, type ClientFrame } from '../core/protocol.js'
import { decideAuth, rejection } from './auth.js'
import type { Connection, HubContext } from './context.js'

type Hello = Extract<ClientFrame, { t: 'hello' }>
type Auth = Extract<ClientFrame, { t: 'auth' }>

/** Close code sent after `rejected`, so clients can tell a refusal from a broken link. */
export const CLOSE_REJECTED = 4001

// Clients may or may not add a trailing slash; comparing parsed URLs keeps a redirect to the
// server's own address from looping.
function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href
  } catch {
    return a === b
  }
}

// Presence data arrived as JSON (or from `authenticate`), so comparing serialisations is exact
// enough to decide whether the others need an `updated`.
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true
  try {
    return JSON.stringify(a) === JSON.stringify(b)
  } catch {
    return false
  }
}

/** `hello`: version check, then the redirect fault, then `accept`. */
export function handleHello(hub: HubContext, conn: Connection, frame: Hello): void {
  if (frame.v !== PROTOCOL_VERSION) {
    hub.send(conn, {
      t: 'error',
      code: 'UNSUPPORTED_VERSION',
      message: `this server speaks linklight protocol version ${PROTOCOL_VERSION}, not ${frame.v}; upgrade the client or the server`,
      fatal: true,
    })
    return hub.close(conn, 1002, 'unsupported protocol version')
  }
  const target = hub.conditions.redirect
  if (target !== null && !sameUrl(frame.url, target)) {
    hub.send(conn, { t: 'redirect', url: target })
    return hub.close(conn, 1000, 'redirected')
  }
  conn.session = frame.session
  conn.state = 'awaiting-auth'
  hub.send(conn, { t: 'accept', maxPayload: hub.options.maxPayload })
}

function reject(hub: HubContext, conn: Connection, reason: AuthRejection, message: string): void {
  hub.send(conn, { t: 'rejected', reason, message })
  hub.close(conn, CLOSE_REJECTED, 'rejected')
}

/** `auth`: the rejectAuth fault or `authenticate` decides, then the socket is admitted. */
export async function handleAuth(hub: HubContext, conn: Connection, frame: Auth): Promise<void> {
  const session = conn.session
  if (session === null) return // unreachable: `accept` (which sets it) comes before `auth`
  conn.state = 'authenticating'
  const forced = hub.conditions.rejectAuth
  const decision =
    forced !== null
      ? rejection(forced)
      : await decideAuth(hub.options.authenticate, frame.credentials, {
          session,
          origin: conn.origin,
        })
  // The socket may have closed, been dropped, or the server killed while authenticate ran.
  if (conn.state !== 'authenticating') return
  if (!decision.ok) return reject(hub, conn, decision.reason, decision.message)
  admit(
    hub,
    conn,
    session,
    decision.id,
    decision.data !== undefined ? decision.data : frame.presence,
  )
}

/**
 * Makes `conn` the socket of peer `id`. A session coming back within its grace period (or a
 * newcomer taking over an id whose session is in its grace period) resumes the peer: the
 * others see no leave and no join, only an `updated` if its data changed.
 */
function admit(hub: HubContext, conn: Connection, session: string, id: string, data: unknown) {
  const { presence } = hub
  const now = Date.now()
  const holder = presence.get(id)
  if (holder !== undefined && holder.session !== session && holder.conn !== null)
    return reject(hub, conn, 'REJECTED', 'id already connected')

  const record = hub.sessions.admit(session)
  // The same session logging in as someone else: its former identity left on purpose.
  const former = record.peerId !== id ? presence.get(record.peerId ?? '') : undefined
  if (former !== undefined && former.session === session) {
    if (former.conn !== null) hub.terminate(former.conn)
    presence.leave(former, 'QUIT', now)
  }

  if (holder !== undefined && holder.session !== session) {
    const previousOwner = hub.sessions.get(holder.session)
    if (previousOwner?.peerId === id) delete previousOwner.peerId
    holder.session = session
  }
  // An older socket of this session may still be open (its client saw a failure we did not).
  if (holder?.conn) hub.terminate(holder.conn)
  record.peerId = id

  hub.send(conn, { t: 'welcome', id, lastSeq: record.lastSeq, peers: presence.list(id) })
  // Announced while `conn` is still `authenticating`, so it is not told about itself.
  let entry = holder
  if (entry === undefined) entry = presence.join(conn, id, session, data, now)
  else {
    entry.conn = conn
    entry.graceUntil = Infinity
    if (sameData(entry.data, data)) entry.lastSeenAt = now
    else presence.update(entry, data, now)
  }
  conn.peer = entry
  conn.record = record
  conn.state = 'authenticated'
}
