import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { DerivedEvent } from '../events/index.ts';
import type { Trx } from '../customers/index.ts';

/** Topic data of `customers.changed` (see docs/architecture.md). */
export interface CustomersChanged {
  workspaceId: string;
  customerIds: number[];
  causes: string[];
  events?: { id: number; type: string; customerId: number; occurredAt: string }[];
}

export interface TagsDeps {
  db: Db;
  clock: Clock;
  /** The events module's append of derived events (tag.added / tag.removed on the timeline). */
  appendEvents(trx: Trx, workspaceId: string, rows: DerivedEvent[], source: string, now: Date): Promise<unknown>;
  /** Publishes `customers.changed` inside the transaction (segments re-evaluate). */
  publishChanged(trx: Trx, data: CustomersChanged): Promise<void>;
  /** Enqueues a full apply of the workspace's rules inside the transaction (one queued per workspace). */
  enqueueApply(trx: Trx, workspaceId: string): Promise<void>;
}
