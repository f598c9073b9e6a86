/// <reference types="vite/client" />
import '../../src/react/styles.css'
import axe from 'axe-core'
import { act, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { cdp } from 'vitest/browser'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ConnectionState } from '../../src/core/states.js'
import {
  ConnectionIndicator,
  type ConnectionIndicatorProps,
} from '../../src/react/ConnectionIndicator.js'
import { createConnectionStore } from '../../src/store/createConnectionStore.js'
import { createMockSource, type MockSource } from '../../src/testing/createMockSource.js'

// The indicator with linklight's stylesheet, in real Chromium: axe, the accessibility tree,
// computed colours and emulated media (prefers-color-scheme, prefers-reduced-motion).

const STATES = Object.values(ConnectionState)
const VARIANTS = ['traffic-light', 'dot', 'badge'] as const
const SIZES = ['sm', 'md', 'lg'] as const
const PAGE = { light: '#ffffff', dark: '#121212' } as const

/** The parts of a CDP `Accessibility.AXNode` these tests read. */
interface AXNode {
  nodeId: string
  ignored: boolean
  role?: { value?: unknown }
  name?: { value?: unknown }
  childIds?: string[]
  properties?: Array<{ name: string; value: { value?: unknown } }>
}
type Theme = keyof typeof PAGE

beforeAll(() => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
})

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Renders `ui` with React 19 into a fresh container on a page of the given theme. */
async function mount(ui: ReactNode, theme: Theme | 'system' = 'light') {
  const html = document.documentElement
  if (theme === 'system') delete html.dataset.theme
  else html.dataset.theme = theme
  const background =
    theme === 'system'
      ? matchMedia('(prefers-color-scheme: dark)').matches
        ? PAGE.dark
        : PAGE.light
      : PAGE[theme]
  document.body.style.backgroundColor = background
  document.body.style.color = background === PAGE.dark ? '#f4f4f5' : '#18181b'
  const container = document.createElement('main')
  document.body.append(container)
  const root = createRoot(container)
  await act(async () => root.render(ui))
  cleanups.push(async () => {
    await act(async () => root.unmount())
    container.remove()
    delete html.dataset.theme
    document.body.removeAttribute('style')
  })
  return container
}

function indicatorStore(state: ConnectionState | MockSource) {
  const source = typeof state === 'string' ? createMockSource(state) : state
  const store = createConnectionStore(source, { enterDelay: 0, minVisible: 0 })
  cleanups.push(() => store.getState().destroy())
  return store
}

const indicator = (props: ConnectionIndicatorProps) => <ConnectionIndicator {...props} />

/** `rgb(r, g, b)` → `#rrggbb`; anything see-through → `'transparent'`, which no contrast accepts. */
function hexOf(color: string): string {
  const match = /^rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)$/.exec(color)
  if (!match) throw new Error(`unexpected colour ${color}`)
  if (match[4] !== undefined && Number(match[4]) < 1) return 'transparent'
  return `#${match
    .slice(1, 4)
    .map((n) => Number(n).toString(16).padStart(2, '0'))
    .join('')}`
}

/** WCAG 2.1 contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    if (!/^#[0-9a-f]{6}$/.test(hex)) throw new Error(`not an opaque colour: ${hex}`)
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    }) as [number, number, number]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

const style = (element: Element | null | undefined) => {
  expect(element).not.toBeNull()
  return getComputedStyle(element as Element)
}

/** Sets (or with no arguments clears) emulated CSS media features for the page. */
async function emulateMedia(features: Array<{ name: string; value: string }> = []) {
  await cdp().send('Emulation.setEmulatedMedia', { features })
}

describe.each(['light', 'dark'] as const)('%s theme', (theme) => {
  it.each(VARIANTS)('%s: no axe violations in any state or size', async (variant) => {
    for (const state of STATES) {
      const store = indicatorStore(state)
      const container = await mount(
        SIZES.map((size) => (
          <ConnectionIndicator key={size} variant={variant} size={size} store={store} />
        )),
        theme,
      )
      const results = await axe.run(container)
      expect(
        results.violations.map(
          (v) => `${state}/${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`,
        ),
      ).toEqual([])
      expect(container.querySelectorAll('[role="status"]')).toHaveLength(SIZES.length)
      // axe did look: the rules that matter here ran and passed
      const passed = results.passes.map((rule) => rule.id)
      expect(passed).toEqual(expect.arrayContaining(['aria-allowed-attr', 'aria-hidden-focus']))
      if (variant === 'badge') expect(passed).toContain('color-contrast')
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    }
  })

  it.each(STATES)('%s: the lit lamp and the dot stand out from the page (3:1)', async (state) => {
    const container = await mount(
      <>
        {VARIANTS.map((variant) => (
          <ConnectionIndicator key={variant} variant={variant} store={indicatorStore(state)} />
        ))}
      </>,
      theme,
    )
    const [lamps, dot, badge] = [...container.querySelectorAll<HTMLElement>('[role="status"]')]
    const tone = lamps?.dataset.tone
    const lit = lamps?.querySelector('[data-lit]')
    const unlit = [...(lamps?.querySelectorAll('[data-lamp]:not([data-lit])') ?? [])]
    expect(lit?.getAttribute('data-lamp')).toBe(tone)
    expect(unlit).toHaveLength(2)

    const litColour = hexOf(style(lit).backgroundColor)
    expect(contrast(litColour, PAGE[theme])).toBeGreaterThanOrEqual(3)
    for (const lamp of unlit) {
      expect(hexOf(style(lamp).backgroundColor)).not.toBe(litColour)
      // not colour alone: only the lit lamp wears a ring
      expect(style(lamp).outlineStyle).toBe('none')
    }
    expect(style(lit).outlineStyle).toBe('solid')
    expect(hexOf(style(lit).outlineColor)).toBe(litColour)

    // The dot is filled (good, bad) or a ring (neutral), in the lamp's colour, on the page or
    // on the badge.
    const badgeBackground = hexOf(style(badge).backgroundColor)
    for (const [root, against] of [
      [dot, PAGE[theme]],
      [badge, badgeBackground],
    ] as const) {
      const mark = style(root?.querySelector('.linklight-indicator__dot'))
      const paint = hexOf(tone === 'neutral' ? mark.borderTopColor : mark.backgroundColor)
      expect(paint).toBe(litColour)
      expect(contrast(paint, against)).toBeGreaterThanOrEqual(3)
    }

    const badgeText = hexOf(style(badge?.querySelector('.linklight-indicator__label')).color)
    expect(contrast(badgeText, badgeBackground)).toBeGreaterThanOrEqual(4.5)
  })
})

describe('in the real browser', () => {
  it('the visually hidden label has a 1×1 px clipped box and is in the accessibility tree', async () => {
    const container = await mount(indicator({ store: indicatorStore('OPEN') }))
    const label = container.querySelector('.linklight-visually-hidden') as HTMLElement
    expect(label.textContent).toBe('Connected')
    const box = label.getBoundingClientRect()
    expect([box.width, box.height]).toEqual([1, 1])
    expect(style(label).clipPath).toBe('inset(50%)')
    expect(style(label).overflow).toBe('hidden')

    // The accessibility tree of the test's frame (Vitest runs each test file in an iframe).
    const session = cdp()
    await session.send('Accessibility.enable')
    const { frameTree } = await session.send('Page.getFrameTree')
    let nodes: AXNode[] = []
    for (const { frame } of [frameTree, ...(frameTree.childFrames ?? [])]) {
      const tree = await session.send('Accessibility.getFullAXTree', { frameId: frame.id })
      if (tree.nodes.some((node) => node.role?.value === 'status')) nodes = tree.nodes
    }
    const byId = new Map(nodes.map((node) => [node.nodeId, node]))
    const status = nodes.find((node) => node.role?.value === 'status')
    expect(status).toBeDefined()
    expect(status?.properties?.find((p) => p.name === 'live')?.value.value).toBe('polite')
    expect(status?.properties?.find((p) => p.name === 'atomic')?.value.value).toBe(true)

    // What it holds for assistive technology: the label's text, and no lamp.
    const exposed: AXNode[] = []
    const walk = (node: AXNode | undefined) => {
      for (const id of node?.childIds ?? []) {
        const child = byId.get(id)
        if (child && !child.ignored) exposed.push(child)
        walk(child)
      }
    }
    walk(status)
    const texts = exposed.filter((node) => node.role?.value === 'StaticText')
    expect(texts.map((node) => node.name?.value)).toEqual(['Connected'])
    expect(exposed.every((node) => !node.name?.value || node.name.value === 'Connected')).toBe(true)
  })

  it('prefers-color-scheme: dark gives the dark colours, unless an ancestor says light', async () => {
    await emulateMedia([{ name: 'prefers-color-scheme', value: 'dark' }])
    cleanups.push(() => emulateMedia())
    expect(matchMedia('(prefers-color-scheme: dark)').matches).toBe(true)

    const lit = (container: HTMLElement) =>
      hexOf(style(container.querySelector('[data-lit]')).backgroundColor)
    expect(lit(await mount(indicator({ store: indicatorStore('OPEN') }), 'system'))).toBe('#4ade80')
    expect(lit(await mount(indicator({ store: indicatorStore('OPEN') }), 'light'))).toBe('#15803d')
    const wrapped = await mount(
      <div className="dark">{indicator({ store: indicatorStore('OPEN') })}</div>,
      'light',
    )
    expect(lit(wrapped)).toBe('#4ade80')
  })

  it('without the media query or a hook the colours are light, with [data-theme="dark"] dark', async () => {
    await emulateMedia([{ name: 'prefers-color-scheme', value: 'light' }])
    cleanups.push(() => emulateMedia())
    const lit = (container: HTMLElement) =>
      hexOf(style(container.querySelector('[data-lit]')).backgroundColor)
    expect(lit(await mount(indicator({ store: indicatorStore('ERROR') }), 'system'))).toBe(
      '#dc2626',
    )
    expect(lit(await mount(indicator({ store: indicatorStore('ERROR') }), 'dark'))).toBe('#f87171')
  })

  it('prefers-reduced-motion: reduce turns transitions off', async () => {
    const source = createMockSource('OPEN')
    const container = await mount(indicator({ store: indicatorStore(source) }))
    const lamp = container.querySelector('[data-lamp="bad"]') as HTMLElement
    const dotContainer = await mount(indicator({ variant: 'dot', store: indicatorStore('OPEN') }))
    const dot = dotContainer.querySelector('.linklight-indicator__dot') as HTMLElement

    // with motion: a change fades in, so right after it the lamp is still unlit
    expect(style(lamp).transitionDuration).not.toMatch(/^0s(, 0s)*$/)
    const unlit = style(lamp).backgroundColor
    await act(async () => source.fail())
    expect(style(lamp).backgroundColor).toBe(unlit)
    await act(async () => source.restore())

    await emulateMedia([{ name: 'prefers-reduced-motion', value: 'reduce' }])
    cleanups.push(() => emulateMedia())
    expect(matchMedia('(prefers-reduced-motion: reduce)').matches).toBe(true)
    for (const element of [lamp, dot, lamp.parentElement, container.firstElementChild]) {
      expect(style(element).transitionProperty).toBe('none')
      expect(style(element).transitionDuration).toBe('0s')
      expect(style(element).animationName).toBe('none')
    }
    // without motion: the lamp is lit the moment the state changes
    await act(async () => source.fail())
    expect(hexOf(style(lamp).backgroundColor)).toBe('#dc2626')
  })

  it('forced colours (Windows high contrast) still show which lamp is lit', async () => {
    await emulateMedia([{ name: 'forced-colors', value: 'active' }])
    cleanups.push(() => emulateMedia())
    expect(matchMedia('(forced-colors: active)').matches).toBe(true)
    const container = await mount(indicator({ store: indicatorStore('RECONNECTING') }))
    const lit = style(container.querySelector('[data-lit]'))
    const unlit = [...container.querySelectorAll('[data-lamp]:not([data-lit])')].map(style)
    expect(unlit).toHaveLength(2)
    for (const lamp of unlit) {
      expect(lamp.backgroundColor).not.toBe(lit.backgroundColor)
      expect(lamp.borderTopStyle).toBe('solid')
      expect(lamp.outlineStyle).toBe('none')
    }
    expect(lit.outlineStyle).toBe('solid')
  })

  it('the stylesheet itself carries the reduced-motion rule', () => {
    const rules = [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules])
    const reduced = rules.filter(
      (rule): rule is CSSMediaRule =>
        rule instanceof CSSMediaRule && rule.conditionText === '(prefers-reduced-motion: reduce)',
    )
    expect(reduced).toHaveLength(1)
    const inner = [...(reduced[0]?.cssRules ?? [])] as CSSStyleRule[]
    expect(
      inner.some((rule) => rule.style.transition === 'none' && /__lamp\b/.test(rule.selectorText)),
    ).toBe(true)
  })

  it('injects no <style> of its own and sets no style attribute', async () => {
    const before = document.querySelectorAll('style').length
    const container = await mount(
      VARIANTS.map((variant) => (
        <ConnectionIndicator
          key={variant}
          variant={variant}
          store={indicatorStore('RECONNECTING')}
        />
      )),
    )
    expect(document.querySelectorAll('style')).toHaveLength(before)
    expect(container.querySelectorAll('[style]')).toHaveLength(0)
  })
})
