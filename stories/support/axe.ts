import { expect } from 'storybook/test'

/**
 * Runs axe-core on `element` and expects no violations, and that the rules that matter for the
 * element actually ran (a check that found nothing to look at proves nothing).
 */
export async function expectNoAxeViolations(element: Element, mustPass: readonly string[] = []) {
  // Loaded when a play needs it, so the stories themselves do not carry axe.
  const { default: axe } = await import('axe-core')
  const results = await axe.run(element)
  const violations = results.violations.map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.html).join(' | ')}`,
  )
  await expect(violations).toEqual([])
  await expect(results.passes.map((rule) => rule.id)).toEqual(expect.arrayContaining([...mustPass]))
}
