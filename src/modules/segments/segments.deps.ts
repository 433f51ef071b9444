import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/database.types.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import type { CustomersChangedMessage } from '../customers/index.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
export type Trx = Transaction<DB>;

/** The customers.changed message (owned by customers, see docs/architecture.md). */
export type CustomersChanged = CustomersChangedMessage;

export type MembershipChange = 'entered' | 'exited';
/** What made an evaluation run (stored with every history row). */
export type EvaluationCause = 'change' | 'schedule' | 'reconcile' | 'rule' | 'rebuild';

/** One entry or exit as published on `segments.membership_changed`. */
export interface MembershipChangeMessage {
  segmentId: string;
  customerId: number;
  change: MembershipChange;
  at: string;
  cause: EvaluationCause;
}

export const MEMBERSHIP_TOPIC = 'segments.membership_changed';

/** What segments needs from the rest of Siyu; wired by the composition. */
export interface SegmentsDeps {
  db: Db;
  clock: Clock;
  /** Publishes on the change feed inside `trx` (the messages exist only if it commits). */
  publish(topic: string, data: object, trx: Trx): Promise<void>;
  /** Queues a full evaluation of one segment inside `trx` (create, edit, resume). */
  enqueueEvaluation(trx: Trx, job: EvaluateJob): Promise<void>;
  /** The tags module's bulk tagging, for "tag every member" (absent: the action is refused). */
  tagCustomers?: (ctx: WorkspaceContext, tagId: string, customerIds: readonly number[]) => Promise<{ requested: number; changed: number; unchanged: number; skipped: number }>;
}

export interface EvaluateJob {
  workspaceId: string;
  segmentId: string;
}
