import { useCallback, useLayoutEffect, useRef, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'

type Selection = readonly [start: number, end: number]

/** Where `index` ends up after a remote change `delta` (insertions before it push it right). */
function moveIndex(index: number, delta: Y.YTextEvent['delta']): number {
  let at = 0
  let moved = index
  for (const op of delta) {
    if (at > index) break
    if (op.retain !== undefined) at += op.retain
    else if (typeof op.insert === 'string') {
      moved += op.insert.length
      at += op.insert.length
    } else if (op.delete !== undefined) moved -= Math.min(op.delete, index - at)
  }
  return Math.max(0, moved)
}

/**
 * A textarea bound to a `Y.Text`: typing edits the text, other tabs' edits show as they come,
 * and the caret stays where it was relative to the text around it.
 */
export function SharedText({
  text,
  label,
  ...props
}: { text: Y.Text; label: string } & Omit<React.ComponentProps<'textarea'>, 'value'>) {
  const area = useRef<HTMLTextAreaElement>(null)
  const selection = useRef<Selection | null>(null)
  const subscribe = useCallback(
    (changed: () => void) => {
      const observer = (event: Y.YTextEvent) => {
        const element = area.current
        if (!event.transaction.local && element && document.activeElement === element) {
          selection.current = [
            moveIndex(element.selectionStart, event.delta),
            moveIndex(element.selectionEnd, event.delta),
          ]
        }
        changed()
      }
      text.observe(observer)
      return () => text.unobserve(observer)
    },
    [text],
  )
  const value = useSyncExternalStore(subscribe, () => text.toString())
  useLayoutEffect(() => {
    if (!selection.current || !area.current) return
    area.current.setSelectionRange(...selection.current)
    selection.current = null
  }, [value])

  const onChange = (event: React.ChangeEvent<HTMLTextAreaElement>) => {
    const next = event.target.value
    const before = text.toString()
    // One edit at a time: the common prefix and suffix stay, the middle is replaced.
    let start = 0
    while (start < before.length && start < next.length && before[start] === next[start]) start++
    let end = 0
    while (
      end < before.length - start &&
      end < next.length - start &&
      before[before.length - 1 - end] === next[next.length - 1 - end]
    )
      end++
    text.doc?.transact(() => {
      text.delete(start, before.length - start - end)
      text.insert(start, next.slice(start, next.length - end))
    })
  }

  return <textarea ref={area} aria-label={label} value={value} onChange={onChange} {...props} />
}
