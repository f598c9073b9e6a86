import type { Connection } from './context.js'

/**
 * How long presence changes gather before they go out together. The first change after a
 * quiet spell leaves at once (on the next turn of the event loop); during a join storm each
 * socket gets one frame per window instead of one per newcomer.
 */
export const PRESENCE_BATCH_MS = 20

interface Change {
  /** The presence frame, as JSON text. */
  readonly frame: string
  /** The peer it is about, which is never told about itself. */
  readonly about: string
}

/**
 * Presence changes on their way to every authenticated socket, in batches: a lone change is
 * sent as it is, several as one `{"t":"batch","frames":[…]}`. A socket admitted while a batch
 * gathers is told only the changes after its `welcome`, which already covered the others.
 */
export class PresenceBatcher {
  #changes: Change[] = []
  /** Position of `#changes[0]` among every change ever queued. */
  #base = 0
  /** Sockets admitted during this batch, and the position their news starts at. */
  #from = new Map<Connection, number>()
  /** Cancels the scheduled flush; `undefined` when none is. */
  #cancel: (() => void) | undefined
  #lastFlush = -Infinity

  constructor(
    private readonly targets: () => Iterable<Connection>,
    private readonly write: (conn: Connection, text: string) => void,
  ) {}

  add(frame: string, about: string): void {
    this.#changes.push({ frame, about })
    if (this.#cancel !== undefined) return
    const wait = this.#lastFlush + PRESENCE_BATCH_MS - Date.now()
    if (wait <= 0) {
      // After a quiet spell: gather only what happens in this turn of the event loop.
      const immediate = setImmediate(() => this.flush())
      this.#cancel = () => clearImmediate(immediate)
    } else {
      const timer = setTimeout(() => this.flush(), wait)
      this.#cancel = () => clearTimeout(timer)
    }
  }

  /** The position the next change will take. */
  mark(): number {
    return this.#base + this.#changes.length
  }

  /** `conn` was just admitted; its `welcome` covered every change before `mark`. */
  startFrom(conn: Connection, mark: number): void {
    if (mark > this.#base) this.#from.set(conn, mark)
  }

  /** Sends what has gathered now (before a relay, so nobody hears from a peer it was not told of). */
  flush(): void {
    this.#cancel?.()
    this.#cancel = undefined
    this.#lastFlush = Date.now()
    const changes = this.#changes
    if (changes.length === 0) return
    const base = this.#base
    const from = this.#from
    this.#changes = []
    this.#base += changes.length
    this.#from = new Map()

    const lastAbout = new Map<string, number>()
    changes.forEach((change, i) => lastAbout.set(change.about, i))
    // Most sockets start at the same place and are not in the batch: one text serves them all.
    const shared = new Map<number, string>()
    for (const conn of this.targets()) {
      if (conn.state !== 'authenticated') continue
      const start = (from.get(conn) ?? base) - base
      const self = conn.peer?.id ?? ''
      const aboutSelf = (lastAbout.get(self) ?? -1) >= start
      let text = aboutSelf ? undefined : shared.get(start)
      if (text === undefined) {
        const news = changes.slice(start).filter((c) => c.about !== self)
        if (news.length === 0) continue
        text = news.length === 1 ? news[0]!.frame : batchText(news)
        if (!aboutSelf) shared.set(start, text)
      }
      this.write(conn, text)
    }
  }

  /** Drops whatever is queued (the server is going away). */
  dispose(): void {
    this.#cancel?.()
    this.#cancel = undefined
    this.#changes = []
    this.#from = new Map()
  }
}

const batchText = (changes: readonly Change[]) =>
  `{"t":"batch","frames":[${changes.map((c) => c.frame).join(',')}]}`
