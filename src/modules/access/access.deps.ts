import type { Clock } from '../../platform/clock.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/database.types.ts';
import type { Db } from '../../platform/db/pool.ts';

/**
 * Runs inside the transaction that creates a workspace, so other modules can give the new
 * workspace its defaults (identity types, ...) atomically. Registered by the composition.
 */
export type WorkspaceCreatedHook = (trx: Transaction<DB>, workspaceId: string) => Promise<void>;

export interface AccessDeps {
  db: Db;
  clock: Clock;
  sessionTtlMs: number;
  defaultTimeZone: string;
  /** Called in order, in the creating transaction; the composition may append to it later. */
  onWorkspaceCreated?: WorkspaceCreatedHook[];
}
