import { PROTOCOL_VERSION, type AuthRejection, type ClientFrame } from '../protocol/index.js'
import { decideAuth, rejection } from './auth.js'
import type { Connection, HubContext } from './context.js'
import { CloseCode, presenceJson } from './limits.js'

type Hello = Extract<ClientFrame, { t: 'hello' }>
type Auth = Extract<ClientFrame, { t: 'auth' }>

// Clients may or may not add a trailing slash; comparing parsed URLs keeps a redirect to the
// server's own address from looping.
function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href
  } catch {
    return a === b
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
  conn.received = frame.received ?? 0
  conn.state = 'awaiting-auth'
  hub.send(conn, { t: 'accept', maxPayload: hub.options.maxPayload })
}

function reject(hub: HubContext, conn: Connection, reason: AuthRejection, message: string): void {
  hub.send(conn, { t: 'rejected', reason, message })
  hub.close(conn, CloseCode.REJECTED, 'rejected')
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
      : await decideAuth(
          hub.options.authenticate,
          frame.credentials,
          { session, origin: conn.origin },
          hub.options.maxIdLength,
        )
  // The socket may have closed, been dropped, or the server killed while authenticate ran.
  if (conn.state !== 'authenticating') return
  if (!decision.ok) return reject(hub, conn, decision.reason, decision.message)
  // Checked and serialised before anything is stored, so what is stored can always be sent.
  const data = presenceJson(
    decision.data !== undefined ? decision.data : frame.presence,
    hub.options,
  )
  if (!data.ok) {
    if (decision.data !== undefined)
      console.error(`linklight server: authenticate returned unusable data: ${data.message}`)
    else console.warn(`linklight server: refused ${JSON.stringify(decision.id)}: ${data.message}`)
    return reject(hub, conn, 'REJECTED', data.message)
  }
  admit(hub, conn, session, decision.id, data.json)
}

/**
 * Makes `conn` the socket of peer `id`. A session coming back within its grace period (or a
 * newcomer taking over an id whose session is in its grace period) resumes the peer: the
 * others see no leave and no join, only an `updated` if its data changed. The session is then
 * replayed the relays it missed.
 */
function admit(
  hub: HubContext,
  conn: Connection,
  session: string,
  id: string,
  dataJson: string | undefined,
) {
  const { presence } = hub
  const now = Date.now()
  const holder = presence.get(id)
  if (holder !== undefined && holder.session !== session && holder.conn !== null)
    return reject(hub, conn, 'REJECTED', 'id already connected')

  // Keyed by id and session: someone presenting another peer's session gets a record of its own.
  const record = hub.sessions.admit(id, session)
  // An older socket of this session may still be open (its client saw a failure we did not).
  if (holder?.conn) hub.terminate(holder.conn)

  hub.sendText(
    conn,
    `{"t":"welcome","id":${JSON.stringify(id)},"lastSeq":${record.lastSeq},"peers":${presence.listJson(id)}}`,
  )
  hub.presenceFrom(conn, hub.presenceMark())
  hub.replay(conn, record, conn.received)
  record.awaySince = null
  record.expiresAt = Infinity

  let entry = holder
  if (entry === undefined)
    entry = presence.join({
      id,
      session,
      record,
      joinedAt: now,
      lastSeenAt: now,
      dataJson,
      conn,
      graceUntil: Infinity,
    })
  else {
    if (entry.session !== session) {
      hub.retire(entry.record)
      entry.session = session
      entry.record = record
    }
    entry.conn = conn
    entry.graceUntil = Infinity
    if (entry.dataJson === dataJson) entry.lastSeenAt = now
    else presence.update(entry, dataJson, now)
  }
  conn.peer = entry
  conn.record = record
  conn.state = 'authenticated'
}
