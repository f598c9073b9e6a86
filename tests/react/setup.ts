import { cleanup } from '@testing-library/react'
import { afterEach, vi } from 'vitest'
import { WebSocket } from 'ws'

// jsdom ≥ 28's own WebSocket breaks under Vitest (TOOLCHAIN.md): use the real `ws` one.
vi.stubGlobal('WebSocket', WebSocket)
// Tell React this is a test environment, so act() works without warnings.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
afterEach(() => cleanup())
