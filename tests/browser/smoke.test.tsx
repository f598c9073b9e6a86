import { expect, it } from 'vitest'

// The browser project runs in real Chromium, not jsdom.
it('runs in a real Chromium', () => {
  expect(navigator.userAgent).toMatch(/Chrome\//)
  expect(typeof CSS.supports).toBe('function')
})
