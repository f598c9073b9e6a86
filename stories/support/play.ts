/**
 * What the stories' play functions share: finding controls and fields, and checking what the
 * indicator shows once the store's smoothing has had its time.
 */
import { expect, userEvent, within } from 'storybook/test'
import type { ConnectionState, Tone } from '../../src/index.js'
import { defaultLabels } from '../../src/react/index.js'

/** Long enough for the store's smoothing (enterDelay 1 s, minVisible 1.5 s) and a render. */
export const SETTLE = { timeout: 4000 }

/** The indicator shows `state` in `tone`, with its label, and (a traffic light) one lamp lit. */
export async function expectShown(canvasElement: HTMLElement, state: ConnectionState, tone: Tone) {
  const indicator = within(canvasElement).getByRole('status')
  await expect(indicator).toHaveAttribute('data-state', state)
  await expect(indicator).toHaveAttribute('data-tone', tone)
  await expect(indicator).toHaveTextContent(defaultLabels[state])
  if (!indicator.querySelector('[data-lamp]')) return
  const lit = indicator.querySelectorAll('[data-lit]')
  await expect(lit).toHaveLength(1)
  await expect(lit[0]).toHaveAttribute('data-lamp', tone)
}

/** The text of the element marked `data-field="<name>"`. */
export const field = (canvasElement: HTMLElement, name: string) =>
  canvasElement.querySelector(`[data-field="${name}"]`)?.textContent

/** Clicks the button named `name`. */
export const click = (canvasElement: HTMLElement, name: string) =>
  userEvent.click(within(canvasElement).getByRole('button', { name }))
