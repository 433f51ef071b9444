import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/database.types.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/logger.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
export type Trx = Transaction<DB>;

/** What messaging needs from the rest of the system; wired by the composition. */
export interface MessagingDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /**
   * The workspace's time zone (days, quiet hours and quota days are local to it), read with
   * `db` — the caller's transaction when there is one (the embedded engine cannot serve a
   * second connection while a transaction is open).
   */
  timeZoneOf(db: Executor, workspaceId: string): Promise<string>;
  /**
   * Asks a worker to deliver queued messages: inside `trx` (the job exists only if the
   * messages commit), or after `delaySeconds` for retries.
   */
  enqueueDispatch(workspaceId: string, options: { trx?: Trx; delaySeconds?: number }): Promise<void>;
  /** HTTP for the webhook and SMS drivers (tests inject their own). */
  fetch?: typeof fetch;
  /** Randomness for retry jitter (tests inject a fixed one). */
  random?: () => number;
}

export const DISPATCH_JOB = 'messaging.dispatch';
export const TICK_JOB = 'messaging.tick';

export interface DispatchJob {
  workspaceId: string | null;
}
