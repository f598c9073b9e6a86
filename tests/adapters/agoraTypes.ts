/**
 * Type-level checks of linklight/agora against agora-rtc-sdk-ng's own declarations, compiled by
 * `tsc -p .` (nothing here runs). A later SDK that renames a state, adds a disconnect reason or
 * changes a listener's arguments breaks the type check here, not a user's app.
 */
import type {
  ConnectionDisconnectedReason,
  ConnectionState as SdkConnectionState,
  IAgoraRTCClient,
  IAgoraRTCRemoteUser,
} from 'agora-rtc-sdk-ng'
import {
  agoraLeftReasons,
  type AgoraClientLike,
  type AgoraConnectionState,
  type AgoraConnectionStateListener,
  type AgoraDisconnectedReason,
  type AgoraRemoteUserLike,
} from '../../src/adapters/agora.js'
import type { FakeAgoraClient, FakedClient } from '../fakes/agoraClient.js'

/** `true` only when `A` and `B` are the same type (not merely assignable one way). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

// ── the vocabularies, both ways ─────────────────────────────────────────────────
export const statesMatch: Equal<AgoraConnectionState, SdkConnectionState> = true
export const reasonsMatch: Equal<AgoraDisconnectedReason, `${ConnectionDisconnectedReason}`> = true

// ── the listeners the adapter registers are the ones the SDK calls ──────────────
// `on` has an overload per event and a catch-all `(event: string, listener: Function)` that
// accepts anything, so assignability proves nothing here: the arrow functions below take their
// parameter types from the overload the SDK resolves for each event (the catch-all would give
// them none, and `noImplicitAny` would fail), and compare them.
type Stringly<A> = A extends [infer C, infer P, (infer R)?]
  ? [C, P, (`${R & string}` | undefined)?]
  : never
export function listenersMatch(sdk: IAgoraRTCClient) {
  sdk.on('connection-state-change', (..._args) => {
    const same: Equal<Stringly<typeof _args>, Parameters<AgoraConnectionStateListener>> = true
    return same
  })
  sdk.on('user-joined', (...args) => {
    const same: Equal<typeof args, [user: IAgoraRTCRemoteUser]> = true
    const fits: AgoraRemoteUserLike = args[0]
    return [same, fits]
  })
  sdk.on('user-left', (..._args) => {
    // The SDK types the reason as a plain string; the documented ones are in agoraLeftReasons.
    const same: Equal<typeof _args, [user: IAgoraRTCRemoteUser, reason: string]> = true
    const documented: Record<string, unknown> = agoraLeftReasons
    return [same, documented]
  })
}

// ── the SDK's client, and the fake, are AgoraClientLike ─────────────────────────
export const sdkClient: AgoraClientLike = null as unknown as IAgoraRTCClient
export const sdkUser: AgoraRemoteUserLike = null as unknown as IAgoraRTCRemoteUser
export const fakeClient: AgoraClientLike = null as unknown as FakeAgoraClient
// The fake implements the SDK's members it has, with the SDK's types.
export const fakeIsFaithful: FakedClient = null as unknown as FakeAgoraClient

// ── and the checks above can fail ───────────────────────────────────────────────
// @ts-expect-error a client without on() is not an AgoraClientLike
export const noOn: AgoraClientLike = null as unknown as Omit<IAgoraRTCClient, 'on'>
// @ts-expect-error nor is one whose leave() is not the SDK's
export const badLeave: AgoraClientLike = { on() {}, leave: () => 'left' }
// @ts-expect-error a union missing one of the SDK's reasons is not the same type
export const missingReason: Equal<
  Exclude<AgoraDisconnectedReason, 'UID_CONFLICT'>,
  `${ConnectionDisconnectedReason}`
> = true
// @ts-expect-error nor is a state union with a state the SDK does not have
export const extraState: Equal<AgoraConnectionState | 'FAILED', SdkConnectionState> = true
// the listener comparison is not vacuous either
export function listenersCanMismatch(sdk: IAgoraRTCClient) {
  sdk.on('user-left', (..._args) => {
    // @ts-expect-error the SDK passes the user and a reason, not the user alone
    const same: Equal<typeof _args, [user: IAgoraRTCRemoteUser]> = true
    return same
  })
}
