import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/database.types.ts';
import type { Db } from '../../platform/db/pool.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
export type Trx = Transaction<DB>;

/**
 * A module that owns rows attributed to customers (events, orders; later tags, segments).
 * Merges and undos call it inside their transaction, so its rows follow the identities;
 * it is also how other modules learn that a merge or an undo happened.
 */
export interface MergeParticipant {
  name: string;
  /** Every row of `fromCustomerId` now belongs to `toCustomerId`. */
  onMerge(trx: Trx, workspaceId: string, fromCustomerId: number, toCustomerId: number): Promise<void>;
  /**
   * Optional set-based form for the merges of one batch: every row of each `from` now belongs
   * to its `to` (already the last survivor of any chain in the batch). Without it, onMerge is
   * called once per merge, in order.
   */
  onMergeMany?(trx: Trx, workspaceId: string, moves: { from: number; to: number }[]): Promise<void>;
  /**
   * Optional, for participants with only the one-by-one form: whether any of `customerIds`
   * (the merged-away customers of a batch) holds rows of this participant. When it answers
   * false, onMerge is not called for the batch (there is nothing to move).
   */
  holdsAny?(trx: Trx, workspaceId: string, customerIds: number[]): Promise<boolean>;
  /** Rows that arrived through one of `identityIds` go back to `toCustomerId` (the restored customer). */
  onUnmerge(trx: Trx, workspaceId: string, identityIds: number[], toCustomerId: number, fromCustomerId: number): Promise<void>;
}

/** What customers needs to know about workspaces and their members (provided by the composition). */
export interface WorkspaceDirectory {
  timeZoneOf(workspaceId: string): Promise<string>;
  isMember(workspaceId: string, userId: string): Promise<boolean>;
}

/**
 * `customers.changed`: which customers changed and why, published inside the writing
 * transaction (the message exists if and only if the change committed). Subscribers (tags,
 * scoring, segments, journeys) re-read current state, so a repeated message is harmless.
 * Causes: event, order, merge, unmerge, profile, consent, import (and tag, score, segment
 * from the modules that publish their own).
 */
export interface CustomersChangedMessage {
  workspaceId: string;
  customerIds: number[];
  causes: string[];
  /** The events this change inserted (event triggers of journeys). */
  events?: { id: number; type: string; customerId: number; occurredAt: string }[];
}

export type PublishChanged = (trx: Trx, message: CustomersChangedMessage) => Promise<void>;

export interface CustomersDeps {
  db: Db;
  clock: Clock;
  workspaces: WorkspaceDirectory;
  /** Where customers.changed goes (the job system's topic); absent: nowhere. */
  publishChanged?: PublishChanged;
}
