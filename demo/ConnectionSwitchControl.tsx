import type { DemoVia } from './settings.js'

const choices: readonly { via: DemoVia; label: string }[] = [
  { via: 'linklight', label: 'linklight server' },
  { via: 'socketio', label: 'Socket.IO server' },
]

/**
 * Which server the page's connection goes to: two radio buttons. The choice is kept in the
 * address (`?via=socketio`), so a reload stays where it was.
 */
export function ConnectionSwitchControl({
  via,
  onChange,
}: {
  via: DemoVia
  onChange: (via: DemoVia) => void
}) {
  const choose = (next: DemoVia) => {
    const url = new URL(location.href)
    if (next === 'linklight') url.searchParams.delete('via')
    else url.searchParams.set('via', next)
    history.replaceState(history.state, '', url)
    onChange(next)
  }
  return (
    <fieldset className="demo-switch">
      <legend>Connect to</legend>
      {choices.map((choice) => (
        <label key={choice.via}>
          <input
            type="radio"
            name="via"
            value={choice.via}
            checked={via === choice.via}
            onChange={() => choose(choice.via)}
          />{' '}
          {choice.label}
        </label>
      ))}
    </fieldset>
  )
}
