import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// Checks the default stylesheet as a file: its colours against WCAG 2.1 contrast minimums,
// reduced motion, and hygiene. tests/browser/indicator.a11y.test.tsx checks it rendered.
// (a path string: under jsdom the global URL is jsdom's, which node:fs does not accept)
const here = dirname(fileURLToPath(import.meta.url))
const css = readFileSync(resolve(here, '../../src/react/styles.css'), 'utf8')

/** The page backgrounds the colours are promised against (named in the stylesheet's header). */
const PAGE = { light: '#ffffff', dark: '#121212' } as const

type Rule = { selectors: string[]; declarations: Map<string, string>; media: string | null }

/** Rules of a flat stylesheet with one level of `@media` nesting — all styles.css uses. */
function parseRules(source: string): Rule[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '')
  const rules: Rule[] = []
  const walk = (body: string, media: string | null) => {
    let i = 0
    while (i < body.length) {
      const open = body.indexOf('{', i)
      if (open === -1) {
        expect(body.slice(i).trim(), 'text after the last rule').toBe('')
        break
      }
      const prelude = body.slice(i, open).trim()
      let depth = 1
      let close = open + 1
      for (; depth > 0; close++) {
        if (close >= body.length) throw new Error(`unbalanced braces after "${prelude}"`)
        if (body[close] === '{') depth++
        if (body[close] === '}') depth--
      }
      const inner = body.slice(open + 1, close - 1)
      if (prelude.startsWith('@media')) walk(inner, prelude)
      else {
        const declarations = new Map<string, string>()
        for (const declaration of inner.split(';')) {
          if (!declaration.trim()) continue
          const colon = declaration.indexOf(':')
          declarations.set(
            declaration.slice(0, colon).trim(),
            declaration
              .slice(colon + 1)
              .trim()
              .replace(/\s+/g, ' '),
          )
        }
        rules.push({ selectors: splitSelectors(prelude), declarations, media })
      }
      i = close
    }
  }
  walk(text, null)
  return rules
}

/** `a, b:where(c, d)` → `['a', 'b:where(c, d)']`: commas inside parentheses do not split. */
function splitSelectors(list: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < list.length; i++) {
    if (list[i] === '(') depth++
    else if (list[i] === ')') depth--
    else if (list[i] === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(list.slice(start).trim())
  return parts.map((part) => part.replace(/\s+/g, ' '))
}

/** The last compound of a selector: what it styles (combinators inside `:not()` do not count). */
function subjectOf(selector: string): string {
  let depth = 0
  let start = 0
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i] ?? ''
    if (c === '(') depth++
    else if (c === ')') depth--
    else if (depth === 0 && /[\s>~+]/.test(c)) start = i + 1
  }
  return selector.slice(start)
}

/** WCAG 2.1 relative luminance of `#rrggbb` (sRGB, with the IEC threshold 0.04045). */
function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`)
  const [r, g, b] = match.slice(1).map((pair) => {
    const c = parseInt(pair, 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** WCAG 2.1 contrast ratio, from 1 to 21. */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

const rules = parseRules(css)
const PALETTE = ['good', 'neutral', 'bad', 'off', 'fg', 'bg'] as const
type Palette = Record<(typeof PALETTE)[number], string>

/** The fallback colours a rule gives: `--_ll-good: var(--linklight-good, #15803d)` → good. */
function paletteOf(rule: Rule | undefined): Palette {
  expect(rule, 'a rule declaring the palette').toBeDefined()
  const entries = PALETTE.map((name) => {
    const value = rule?.declarations.get(`--_ll-${name}`)
    const fallback = new RegExp(`^var\\(--linklight-${name}, (#[0-9a-f]{6})\\)$`, 'i').exec(
      value ?? '',
    )
    expect(fallback, `--_ll-${name} in ${rule?.selectors.join(', ')}: ${value}`).not.toBeNull()
    return [name, fallback?.[1]?.toLowerCase() ?? '']
  })
  return Object.fromEntries(entries) as Palette
}

const light = paletteOf(
  rules.find((r) => r.media === null && r.selectors.join() === '.linklight-indicator'),
)
const darkByMedia = paletteOf(
  rules.find(
    (r) => r.media === '@media (prefers-color-scheme: dark)' && r.declarations.has('--_ll-good'),
  ),
)
const darkByAncestor = paletteOf(
  rules.find((r) => r.media === null && r.selectors.some((s) => s.includes("[data-theme='dark']"))),
)

describe('contrast arithmetic', () => {
  it('agrees with known WCAG values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#ffffff', '#ffffff')).toBe(1)
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2)
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
  })
})

describe('styles.css colours (WCAG 2.1)', () => {
  it('documents the page backgrounds it is checked against', () => {
    expect(css).toContain(`${PAGE.light} (light)`)
    expect(css).toContain(`${PAGE.dark} (dark)`)
  })

  it('dark colours are the same under prefers-color-scheme and [data-theme="dark"] / .dark', () => {
    expect(darkByAncestor).toEqual(darkByMedia)
    const ancestor = rules.find((r) => r.selectors.some((s) => s.includes("[data-theme='dark']")))
    expect(ancestor?.selectors).toEqual([":where([data-theme='dark'], .dark) .linklight-indicator"])
  })

  it.each([
    ['light', light, PAGE.light],
    ['dark', darkByMedia, PAGE.dark],
  ] as const)(
    '%s: lit lamps and dots reach 3:1 on the page and on the badge (SC 1.4.11)',
    (_, palette, page) => {
      for (const tone of ['good', 'neutral', 'bad'] as const) {
        expect(
          contrast(palette[tone], page),
          `${tone} ${palette[tone]} on ${page}`,
        ).toBeGreaterThanOrEqual(3)
        expect(
          contrast(palette[tone], palette.bg),
          `${tone} ${palette[tone]} on the badge ${palette.bg}`,
        ).toBeGreaterThanOrEqual(3)
      }
    },
  )

  it.each([
    ['light', light],
    ['dark', darkByMedia],
  ] as const)('%s: badge text reaches 4.5:1 on the badge (SC 1.4.3)', (_, palette) => {
    expect(contrast(palette.fg, palette.bg)).toBeGreaterThanOrEqual(4.5)
  })

  it.each([
    ['light', light, PAGE.light],
    ['dark', darkByMedia, PAGE.dark],
  ] as const)('%s: unlit lamps look off — fainter than any lit one', (_, palette, page) => {
    for (const tone of ['good', 'neutral', 'bad'] as const) {
      expect(contrast(palette.off, page)).toBeLessThan(contrast(palette[tone], page))
      expect(palette.off).not.toBe(palette[tone])
    }
  })

  it('the ratios written in the header are the ones computed here', () => {
    const ratio = (a: string, b: string) => contrast(a, b).toFixed(2)
    const line = (palette: Palette, against: (tone: 'good' | 'neutral' | 'bad') => string) =>
      `good ${ratio(palette.good, against('good'))}, neutral ${ratio(palette.neutral, against('neutral'))}, bad ${ratio(palette.bad, against('bad'))}`
    expect(css).toContain(`light: ${line(light, () => PAGE.light)}`)
    expect(css).toContain(`dark: ${line(darkByMedia, () => PAGE.dark)}`)
    expect(css).toContain(`light: ${line(light, () => light.bg)}`)
    expect(css).toContain(`dark: ${line(darkByMedia, () => darkByMedia.bg)}`)
    expect(css).toContain(
      `light ${ratio(light.fg, light.bg)}, dark ${ratio(darkByMedia.fg, darkByMedia.bg)}`,
    )
  })

  it('reads every public custom property, each with a fallback', () => {
    for (const name of ['good', 'neutral', 'bad', 'off', 'size', 'gap', 'fg', 'bg'])
      expect(css).toMatch(new RegExp(`var\\(--linklight-${name}, `))
    // linklight only reads them: declaring one would shadow the value a page sets on an ancestor
    for (const rule of rules)
      expect([...rule.declarations.keys()].filter((p) => p.startsWith('--linklight-'))).toEqual([])
  })
})

describe('styles.css motion and hygiene', () => {
  it('prefers-reduced-motion turns off every transition and animation it declares', () => {
    const reduced = rules.filter((r) => r.media === '@media (prefers-reduced-motion: reduce)')
    expect(reduced.length).toBeGreaterThan(0)
    const still = new Set(
      reduced
        .filter(
          (r) =>
            r.declarations.get('transition') === 'none' &&
            r.declarations.get('animation') === 'none',
        )
        .flatMap((r) => r.selectors),
    )
    const moving = rules.filter(
      (r) =>
        r.media !== '@media (prefers-reduced-motion: reduce)' &&
        [...r.declarations.keys()].some((p) => /^(transition|animation)/.test(p)),
    )
    expect(moving.length).toBeGreaterThan(0)
    for (const rule of moving)
      for (const selector of rule.selectors) expect(still).toContain(selector)
  })

  it('has no !important', () => {
    expect(css).not.toMatch(/!\s*important/i)
  })

  it('styles nothing outside linklight’s classes', () => {
    for (const rule of rules)
      for (const selector of rule.selectors) {
        expect(selector).toMatch(/\.linklight-[\w-]+/)
        // the subject (last compound) is always one of linklight's own elements
        expect(subjectOf(selector)).toMatch(/^\.linklight-/)
      }
  })

  it('has a dark theme by media query and by ancestor hook, and a light ancestor hook', () => {
    expect(css).toContain('@media (prefers-color-scheme: dark)')
    expect(rules.some((r) => r.selectors.some((s) => s.includes("[data-theme='light']")))).toBe(
      true,
    )
  })
})
