import type { HTMLAttributes, ReactNode } from 'react'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { useIndicatorStatus, type IndicatorOptions, type IndicatorStatus } from './useIndicator.js'

/** Props of {@link ConnectionIndicator}; any other HTML attribute goes to the root `<span>`. */
export interface ConnectionIndicatorProps
  extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'>, IndicatorOptions {
  /** Three lamps with the active one lit, a dot, or a dot with its label (default `'traffic-light'`). */
  variant?: 'traffic-light' | 'dot' | 'badge' | undefined
  /** Lamp, dot and badge text size (default `'md'`), set as `data-size` for the stylesheet. */
  size?: 'sm' | 'md' | 'lg' | undefined
  /** Drop linklight's class names: style it yourself through `data-state` / `data-tone`. */
  unstyled?: boolean | undefined
  /**
   * Replaces the lamps and the label with your own markup, or a function of the status that
   * returns it. It renders inside the live region: keep `retryIn`, or anything else that ticks,
   * out of it (render the countdown next to the indicator with `useIndicator`).
   */
  children?: ReactNode | ((status: IndicatorStatus) => ReactNode)
  /** An explicit store instead of the provider's. */
  store?: ConnectionStore | undefined
}

/**
 * The traffic light: green when OPEN, red when ERROR, amber in between — with a text label for
 * people who do not see colour (visible in the badge, visually hidden otherwise). The root is a
 * polite live region (`role="status"`) whose only text is that label, so assistive technology
 * announces the shown status when it changes, and nothing else. The root carries `data-state`,
 * `data-tone`, `data-variant` and `data-size` — and, over a combined source (`combineSources`)
 * that is not OPEN, `data-part` with the part the label names ("Reconnecting… (doc)"). The
 * component injects no `<style>` and no `style` attribute (CSP-friendly). Import
 * `linklight/styles.css` for the default look.
 *
 * @example
 * ```tsx
 * import 'linklight/styles.css'
 *
 * <ConnectionIndicator variant="badge" labels={{ OPEN: 'En ligne', RECONNECTING: 'Reconnexion…' }} />
 * <ConnectionIndicator variant="dot" size="sm" tones={{ RECONNECTING: 'bad' }} />
 * <ConnectionIndicator unstyled>{({ tone, label }) => <b className={tone}>{label}</b>}</ConnectionIndicator>
 * <ConnectionIndicator variant="badge" partLabel={(label, part) => `${label} · ${part}`} />
 * ```
 */
export function ConnectionIndicator({
  variant = 'traffic-light',
  size = 'md',
  unstyled,
  smooth,
  tones,
  labels,
  partLabel,
  showQuality,
  poorTone,
  className,
  children,
  store,
  ...rest
}: ConnectionIndicatorProps) {
  const status = useIndicatorStatus(
    { smooth, tones, labels, partLabel, showQuality, poorTone },
    store,
    typeof children === 'function',
  )
  // linklight's class names (styles.css), all but the visually-hidden one under `linklight-indicator`.
  const cls = (part: string) => (unstyled ? undefined : 'linklight-indicator' + part)
  return (
    <span
      role="status"
      // Implied by role="status"; spelled out for assistive technology that only reads aria-live.
      aria-live="polite"
      aria-atomic="true"
      {...rest}
      className={[cls(''), className].filter(Boolean).join(' ') || undefined}
      data-state={status.state}
      data-tone={status.tone}
      data-variant={variant}
      data-size={size}
      data-part={status.part}
      data-quality={status.quality}
    >
      {typeof children === 'function' ? (
        children(status)
      ) : // `{cond && <Custom />}` that renders nothing leaves the default look, not an empty indicator.
      children != null && typeof children !== 'boolean' ? (
        children
      ) : (
        <>
          {variant === 'traffic-light' ? (
            <span className={cls('__lamps')} aria-hidden="true">
              {(['bad', 'neutral', 'good'] as const).map((tone) => (
                <span
                  key={tone}
                  className={cls('__lamp')}
                  data-lamp={tone}
                  data-lit={tone === status.tone ? '' : undefined}
                />
              ))}
            </span>
          ) : (
            <span className={cls('__dot')} aria-hidden="true" />
          )}
          <span
            className={cls(variant === 'badge' ? '__label' : '__label linklight-visually-hidden')}
          >
            {status.label}
            {status.rtt !== undefined && (
              // Shown, not read out: it changes with every heartbeat.
              <span aria-hidden="true"> · {status.rtt} ms</span>
            )}
          </span>
        </>
      )}
    </span>
  )
}
