import type { Kysely, Transaction } from 'kysely';
import type pg from 'pg';
import type { Clock } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/database.types.ts';
import type { Db } from '../../platform/db/pool.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
export type Trx = Transaction<DB>;

export interface RecomputeJob {
  workspaceId: string;
  runId: string;
}

/** What the composition gives scoring. */
export interface ScoringDeps {
  db: Db;
  /** For COPY streams (the full recompute reads and stages with COPY). */
  pool: pg.Pool;
  /** COPY FROM STDIN does not pass through the embedded engine's socket: stage with unnest there. */
  canCopyFrom: boolean;
  clock: Clock;
  timeZoneOf(workspaceId: string): Promise<string>;
  /** Enqueues a full recompute inside the caller's transaction (the job exists iff it commits). */
  enqueueRecompute(trx: Trx, job: RecomputeJob): Promise<void>;
  /** Publishes customers.changed (cause 'score') inside the caller's transaction. */
  publishChanged(trx: Trx, workspaceId: string, customerIds: number[]): Promise<void>;
}
