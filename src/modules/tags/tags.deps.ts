import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { DerivedEvent } from '../events/index.ts';
import type { Announce, CustomersChangedMessage, Trx } from '../customers/index.ts';

/** The customers.changed message (owned by customers, see docs/architecture.md). */
export type CustomersChanged = CustomersChangedMessage;

export interface TagsDeps {
  db: Db;
  clock: Clock;
  /** The events module's append of derived events (tag.added / tag.removed on the timeline). */
  appendEvents(trx: Trx, workspaceId: string, rows: DerivedEvent[], source: string, now: Date): Promise<unknown>;
  /** Announces changed customers on `customers.changed` inside the transaction (segments re-evaluate). */
  announce: Announce;
  /** Enqueues a full apply of the workspace's rules inside the transaction (one queued per workspace). */
  enqueueApply(trx: Trx, workspaceId: string): Promise<void>;
}
