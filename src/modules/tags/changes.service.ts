/**
 * What every tag change does besides the customer_tags row, in the same transaction: the
 * tag's holder count, a `tag.added` / `tag.removed` event on the customer's timeline, and
 * `customers.changed` (cause 'tag') so segments re-evaluate.
 */
import { newId } from '../../platform/ids.ts';
import type { Trx } from '../customers/index.ts';
import * as holders from './holders.repository.ts';
import * as repo from './tags.repository.ts';
import type { TagsDeps } from './tags.deps.ts';
import type { TagSource } from './tags.schemas.ts';

export interface TagChange {
  customerId: number;
  tagId: string;
  change: 'added' | 'removed';
  source: TagSource;
  ruleId: string | null;
  /** Why, when not the plain action: 'tag_deleted', 'rule_no_longer_holds'. */
  reason?: string;
}

export const TIMELINE_SOURCE = 'tags';

export function createChangeRecorder(deps: Pick<TagsDeps, 'appendEvents' | 'announce'>) {
  /** Records `changes` (rows already written) in the caller's transaction. */
  async function record(trx: Trx, workspaceId: string, changes: readonly TagChange[], now: Date): Promise<void> {
    if (!changes.length) return;
    const deltas = new Map<string, number>();
    for (const c of changes) deltas.set(c.tagId, (deltas.get(c.tagId) ?? 0) + (c.change === 'added' ? 1 : -1));
    await repo.adjustCounts(trx, workspaceId, deltas);
    const names = await repo.tagNames(trx, workspaceId, [...deltas.keys()]);
    const customerIds = [...new Set(changes.map((c) => c.customerId))].sort((a, b) => a - b);
    const identities = await holders.firstIdentities(trx, workspaceId, customerIds);
    await deps.appendEvents(
      trx,
      workspaceId,
      changes.map((c) => ({
        clientId: `tag:${newId()}`,
        type: `tag.${c.change}`,
        at: now,
        customerId: c.customerId,
        identityId: identities.get(c.customerId) ?? null,
        properties: { tagId: c.tagId, tagName: names.get(c.tagId) ?? null, source: c.source, ruleId: c.ruleId, ...(c.reason ? { reason: c.reason } : {}) },
      })),
      TIMELINE_SOURCE,
      now,
    );
    await deps.announce(trx, workspaceId, customerIds, 'tag');
  }

  return { record };
}

export type ChangeRecorder = ReturnType<typeof createChangeRecorder>;
