import { useEffect, useRef, useState } from 'react'
import { connectionDiagnostics, formatDiagnostics } from '../src/index.js'
import { useConnectionHistory, useConnectionStore } from '../src/react/index.js'

/** How many transitions the panel lists: the store keeps more (50) for the diagnostics. */
const SHOWN = 10

// demo.css has no table yet: the few rules it needs, here.
const TABLE = {
  width: '100%',
  marginBottom: '0.75rem',
  borderCollapse: 'collapse',
  textAlign: 'left',
  fontSize: '0.875rem',
  fontFamily: 'ui-monospace, monospace',
} as const

/** A transition's time of day on this machine, to the millisecond: `16:42:58.041`. */
const timeOf = (at: number) =>
  new Date(at).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hour12: false,
  })

/**
 * The connection's last transitions, and "Copy diagnostics": the text a support ticket needs
 * (the connection now, peer counts, every transition kept, the browser), without credentials,
 * messages or peer data.
 */
export function HistoryPanel() {
  const history = useConnectionHistory(SHOWN)
  return (
    <section className="demo-panel" aria-labelledby="history-heading">
      <h2 id="history-heading">
        History <span className="demo-count">(last {SHOWN})</span>
      </h2>
      {history.length > 0 ? (
        <table data-testid="history" style={TABLE}>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">State</th>
              <th scope="col">Reason</th>
              <th scope="col">Attempt</th>
            </tr>
          </thead>
          <tbody>
            {history.map((entry, i) => (
              // Rows are plain text, and the list only grows at the end and drops at the front.
              <tr key={i} data-state={entry.state}>
                <td data-volatile="">{timeOf(entry.at)}</td>
                <td>{entry.state}</td>
                <td>{entry.reason ?? '—'}</td>
                <td>{entry.attempt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p data-testid="no-history">No transitions since this page connected.</p>
      )}
      <CopyDiagnostics />
    </section>
  )
}

/**
 * Copies the diagnostics text. Without the clipboard API (a page not served over HTTPS or
 * localhost, a permission refused) it shows the text in a selected textarea to copy by hand.
 */
function CopyDiagnostics() {
  const store = useConnectionStore()
  const [result, setResult] = useState<{ copied: boolean; text: string } | null>(null)
  const manual = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    if (result && !result.copied) manual.current?.select()
  }, [result])

  const copy = async () => {
    const text = formatDiagnostics(connectionDiagnostics(store))
    try {
      await navigator.clipboard.writeText(text)
      setResult({ copied: true, text })
    } catch {
      setResult({ copied: false, text })
    }
  }

  return (
    // laid out as the Connection panel's retry line: a sentence, then its button
    <div className="demo-retry">
      <p role="status" data-testid="copy-status">
        {result === null
          ? 'For a support ticket: no credentials, messages or peer data.'
          : result.copied
            ? 'Diagnostics copied to the clipboard.'
            : 'The browser did not allow copying: the text below is selected, copy it by hand.'}
      </p>
      <button type="button" onClick={() => void copy()}>
        Copy diagnostics
      </button>
      {result && !result.copied && (
        <textarea
          ref={manual}
          readOnly
          rows={12}
          cols={80}
          aria-label="Diagnostics"
          value={result.text}
          data-testid="diagnostics-text"
          style={{ width: '100%', fontFamily: 'ui-monospace, monospace' }}
        />
      )}
    </div>
  )
}
