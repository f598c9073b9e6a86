/**
 * Testing Library for the React tests. In the react18 project vitest.config.ts points
 * `@testing-library/react` at its ESM build, so it renders with the project's React.
 */
export { act, cleanup, render, renderHook, screen } from '@testing-library/react'
