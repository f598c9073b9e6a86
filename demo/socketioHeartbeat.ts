/**
 * Engine.IO's heartbeat on the demo's Socket.IO server, shared with the page that describes it:
 * a ping every 2 s, and a client that has had none for 4 s (interval + timeout) gives up on the
 * link. Socket.IO's defaults (25 s + 20 s) would make Silence a 45-second wait.
 */
export const SOCKETIO_HEARTBEAT = { pingInterval: 2000, pingTimeout: 2000 } as const
