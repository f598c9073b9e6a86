/** One fault button: what it POSTs, its label, and what it does. */
export interface FaultButtonControl<A extends string> {
  readonly action: A
  readonly label: string
  readonly description: string
}

/**
 * The fault buttons of one server, each with what it does (its `aria-describedby`), and the
 * last failure as an alert. `idPrefix` keeps the ids of two lists on one page apart;
 * `dataAttribute` names the attribute that carries each button's action.
 */
export function FaultButtons<A extends string>({
  controls,
  idPrefix,
  dataAttribute,
  error,
  onPerform,
}: {
  controls: readonly FaultButtonControl<A>[]
  idPrefix: string
  dataAttribute: `data-${string}`
  error: string | null
  onPerform: (action: A) => void
}) {
  return (
    <>
      {error && <p role="alert">{error}</p>}
      <ul className="demo-fault-list">
        {controls.map(({ action, label, description }) => {
          const id = `${idPrefix}-${action.replace('/', '-')}`
          return (
            <li key={action}>
              <button
                type="button"
                aria-describedby={id}
                {...{ [dataAttribute]: action }}
                onClick={() => onPerform(action)}
              >
                {label}
              </button>
              <span id={id}>{description}</span>
            </li>
          )
        })}
      </ul>
    </>
  )
}
