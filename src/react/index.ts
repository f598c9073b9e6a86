/**
 * linklight/react: the provider, hooks and the traffic-light indicator.
 */
export { ConnectionProvider, type ConnectionProviderProps } from './ConnectionProvider.js'
export { ConnectionIndicator, type ConnectionIndicatorProps } from './ConnectionIndicator.js'
export { useConnectionState } from './useConnectionState.js'
export { useConnection } from './useConnection.js'
export { usePeers, type UsePeersOptions } from './usePeers.js'
export { usePeer } from './usePeer.js'
export { usePeerIds } from './usePeerIds.js'
export { useConnectionEvent } from './useConnectionEvent.js'
export { useIndicator, type IndicatorOptions, type IndicatorStatus } from './useIndicator.js'
export { useConnectionStore } from './useConnectionStore.js'
export { defaultLabels, defaultPartLabel } from './labels.js'
export { useConnectionHistory } from './useConnectionHistory.js'
export { useLinkQuality } from './useLinkQuality.js'
