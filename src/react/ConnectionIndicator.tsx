import type { HTMLAttributes, ReactNode } from 'react'
import type { Tone } from '../core/states.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { useIndicator, type IndicatorOptions, type IndicatorStatus } from './useIndicator.js'

/** Props of {@link ConnectionIndicator}. */
export interface ConnectionIndicatorProps
  extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'>, IndicatorOptions {
  /** Three lamps with the active one lit, a dot, or a dot with its label (default `'traffic-light'`). */
  variant?: 'traffic-light' | 'dot' | 'badge' | undefined
  size?: 'sm' | 'md' | 'lg' | undefined
  /** Drop linklight's class names: style it yourself through `data-state` / `data-tone`. */
  unstyled?: boolean | undefined
  /** Replaces the lamps (and the label) with your own markup. */
  children?: ReactNode | ((status: IndicatorStatus) => ReactNode)
  /** An explicit store instead of the provider's. */
  store?: ConnectionStore | undefined
}

const LAMPS: readonly Tone[] = ['bad', 'neutral', 'good']

/**
 * The traffic light: green when OPEN, red when ERROR, amber in between — with a text label for
 * people who do not see colour, announced politely when the (smoothed) status changes.
 * Import `linklight/styles.css` for the default look.
 *
 * @example
 * ```tsx
 * import 'linklight/styles.css'
 * <ConnectionIndicator variant="badge" labels={{ OPEN: 'En ligne' }} />
 * ```
 */
export function ConnectionIndicator({
  variant = 'traffic-light',
  size = 'md',
  unstyled = false,
  smooth,
  tones,
  labels,
  className,
  children,
  store,
  ...rest
}: ConnectionIndicatorProps) {
  const status = useIndicator({ smooth, tones, labels }, store)
  const cls = (name: string) => (unstyled ? undefined : name)
  const root = [cls(`linklight-indicator`), className].filter(Boolean).join(' ') || undefined
  const look =
    variant === 'traffic-light' ? (
      <span className={cls('linklight-indicator__lamps')} aria-hidden="true">
        {LAMPS.map((tone) => (
          <span
            key={tone}
            className={cls('linklight-indicator__lamp')}
            data-lamp={tone}
            data-lit={tone === status.tone ? '' : undefined}
          />
        ))}
      </span>
    ) : (
      <span className={cls('linklight-indicator__dot')} aria-hidden="true" />
    )
  return (
    <span
      role="status"
      {...rest}
      className={root}
      data-state={status.state}
      data-tone={status.tone}
      data-variant={variant}
      data-size={size}
    >
      {typeof children === 'function' ? children(status) : (children ?? look)}
      {children === undefined && (
        <span
          className={cls(
            variant === 'badge'
              ? 'linklight-indicator__label'
              : 'linklight-indicator__label linklight-visually-hidden',
          )}
        >
          {status.label}
        </span>
      )}
    </span>
  )
}
