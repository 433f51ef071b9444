/**
 * Announces changed customers on customers.changed, inside the caller's transaction.
 * Ids are deduplicated and sorted, and large changes are split so one job stays small.
 */
import type { CustomersChangedMessage, PublishChanged, Trx } from './customers.deps.ts';

const CHUNK = 1000;

export type Announce = (
  trx: Trx,
  workspaceId: string,
  customerIds: Iterable<number>,
  cause: string,
  events?: CustomersChangedMessage['events'],
) => Promise<void>;

export function createAnnouncer(publish: PublishChanged | undefined): Announce {
  return async (trx, workspaceId, customerIds, cause, events) => {
    if (!publish) return;
    const ids = [...new Set(customerIds)].sort((a, b) => a - b);
    if (!ids.length) return;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      const inPart = events && new Set(part);
      const partEvents = events?.filter((e) => inPart!.has(e.customerId));
      await publish(trx, { workspaceId, customerIds: part, causes: [cause], ...(partEvents?.length ? { events: partEvents } : {}) });
    }
  };
}
