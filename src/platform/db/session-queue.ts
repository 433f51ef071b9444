import type { PGlite } from '@electric-sql/pglite';

/**
 * Serialises the protocol messages of many client connections onto PGlite's one session.
 *
 * pglite-socket's own queue interleaves connections message by message outside explicit
 * transactions. The extended query protocol sends Parse, Bind, Describe, Execute and Sync as
 * separate messages that share the session's unnamed statement and portal, so another
 * connection's Parse landing between them corrupts both queries ("bind message supplies 2
 * parameters, but prepared statement "" requires 1", empty results). Here a connection owns
 * the session from its first extended-protocol message until its Sync, and for as long as a
 * transaction it opened is in progress; other connections' messages wait.
 *
 * Implements the queue interface PGLiteSocketHandler expects (enqueue, clearQueueForHandler,
 * clearTransactionIfNeeded).
 */
interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: Error) => void;
  /** Maintenance of the server itself (see `whenIdle`) instead of a client's message. */
  task?: () => Promise<void>;
}

/** The handler id of maintenance tasks (pglite-socket numbers its handlers from 1). */
const MAINTENANCE = -1;

// Parse, Bind, Describe, Execute, Close, Flush; and COPY data/done/fail.
const HOLDS_SESSION = new Set(['P', 'B', 'D', 'E', 'C', 'H', 'd', 'c', 'f'].map((c) => c.charCodeAt(0)));
const RELEASES = new Set(['S', 'Q'].map((c) => c.charCodeAt(0)));

export class SessionQueue {
  #queue: Pending[] = [];
  #owner: number | null = null;
  #processing = false;
  readonly #db: PGlite;

  constructor(db: PGlite) {
    this.#db = db;
  }

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ handlerId, message, onData, resolve, reject });
      void this.#process();
    });
  }

  /**
   * Runs `task` on the session when no connection holds it (no transaction or extended-protocol
   * exchange in progress), in turn with the connections' messages. The task uses PGlite's own
   * query methods, which take its query lock.
   */
  whenIdle(task: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ handlerId: MAINTENANCE, message: new Uint8Array(0), onData: () => {}, resolve: () => resolve(), reject, task });
      void this.#process();
    });
  }

  getQueueLength(): number {
    return this.#queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.#queue = this.#queue.filter((q) => {
      if (q.handlerId !== handlerId) return true;
      q.reject(new Error('connection closed'));
      return false;
    });
  }

  /** A connection went away: give the session back, rolling back what it left open. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.#owner !== handlerId) return;
    if (this.#db.isInTransaction()) await this.#db.exec('ROLLBACK').catch(() => {});
    this.#owner = null;
    void this.#process();
  }

  #next(): Pending | undefined {
    if (this.#owner === null) return this.#queue.shift();
    const i = this.#queue.findIndex((q) => q.handlerId === this.#owner);
    return i === -1 ? undefined : this.#queue.splice(i, 1)[0];
  }

  async #process(): Promise<void> {
    if (this.#processing) return;
    this.#processing = true;
    try {
      for (let item = this.#next(); item; item = this.#next()) {
        if (item.task) {
          // Only ever taken while no connection owns the session (#next).
          await item.task().then(() => item.resolve(0), (err: unknown) => item.reject(err as Error));
          continue;
        }
        let bytes = 0;
        try {
          await this.#db.runExclusive(() =>
            this.#db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          this.#updateOwner(item);
          item.reject(err as Error);
          continue;
        }
        this.#updateOwner(item);
        item.resolve(bytes);
      }
    } finally {
      this.#processing = false;
    }
  }

  #updateOwner(item: Pending): void {
    const type = item.message[0] ?? 0;
    if (HOLDS_SESSION.has(type)) this.#owner = item.handlerId;
    else if (RELEASES.has(type)) this.#owner = this.#db.isInTransaction() ? item.handlerId : null;
    else if (this.#owner === item.handlerId && !this.#db.isInTransaction()) this.#owner = null;
  }
}
