/** A story control: a plain button in the stories' look. */
export function Button({
  onClick,
  children,
  disabled = false,
}: {
  onClick: () => void
  children: string
  disabled?: boolean
}) {
  return (
    <button type="button" className="ll-button" onClick={onClick} disabled={disabled}>
      {children}
    </button>
  )
}
