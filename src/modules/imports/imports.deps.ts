import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { CustomerWrites, normalizeIdentity, Trx } from '../customers/index.ts';
import type { EventsModule } from '../events/index.ts';
import type { OrdersModule } from '../orders/index.ts';

type EventsService = EventsModule['service'];
type OrdersService = OrdersModule['service'];

/**
 * What imports need from other modules: the write ports of orders, events and customers
 * (each runs in the import's transaction) and the job queue. Wired by the composition.
 */
export interface ImportsDeps {
  db: Db;
  clock: Clock;
  orders: {
    validate: OrdersService['validateOrder'];
    upsert: OrdersService['upsertValidInTransaction'];
  };
  events: {
    validate: EventsService['validateEvent'];
    ingest: EventsService['ingestValidInTransaction'];
  };
  customers: {
    loadIdentityTypes: CustomerWrites['loadIdentityTypes'];
    resolve: CustomerWrites['resolve'];
    normalizeIdentity: typeof normalizeIdentity;
  };
  /** Enqueues the run of a console import in the caller's transaction (so it starts only if the start commits). */
  enqueueRun(trx: Trx, job: ImportJob): Promise<void>;
}

export interface ImportJob {
  workspaceId: string;
  importId: string;
}

export const IMPORT_JOB = 'imports.run';
