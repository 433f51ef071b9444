/**
 * Customer tags follow merges, and come back exactly on undo (the customers module calls
 * this participant inside its merge transaction). No timeline entries: the merged
 * customer's tag events move with its other events, and back by identity on undo.
 */
import type { MergeParticipant, Trx } from '../customers/index.ts';
import { planMerge, planUnmerge } from './merge-plan.ts';
import * as merges from './merges.repository.ts';
import * as repo from './tags.repository.ts';
import type { TagsDeps } from './tags.deps.ts';

export function createTagMergeParticipant(deps: Pick<TagsDeps, 'clock'>): MergeParticipant {
  // No announcement here: the customers module announces every merge and undo (causes
  // 'merge' / 'unmerge') for both customers, and the tags subscriber re-evaluates their rule
  // tags from that, as segments re-read their tags.

  async function onMerge(trx: Trx, workspaceId: string, fromId: number, toId: number): Promise<void> {
    await repo.lockWorkspaceTags(trx, workspaceId);
    const mergedRows = await merges.rowsOf(trx, workspaceId, fromId);
    if (!mergedRows.length) return;
    const survivorRows = await merges.rowsOf(trx, workspaceId, toId);
    const plan = planMerge(mergedRows, survivorRows);
    await merges.saveSnapshot(trx, workspaceId, fromId, toId, mergedRows, plan.survivorBefore, deps.clock.now());
    await merges.deleteRowsOf(trx, workspaceId, fromId);
    await merges.putRows(trx, workspaceId, toId, plan.survivorPuts);
    await repo.adjustCounts(trx, workspaceId, plan.deltas);
  }

  async function onUnmerge(trx: Trx, workspaceId: string, _identityIds: number[], restoredId: number, survivorId: number): Promise<void> {
    await repo.lockWorkspaceTags(trx, workspaceId);
    const snapshot = await merges.takeSnapshot(trx, workspaceId, restoredId, survivorId);
    if (!snapshot) return;
    // Tags deleted since the merge are not given back.
    const tagIds = [...new Set([...snapshot.mergedRows, ...snapshot.survivorRows].map((r) => r.tagId))];
    const live = new Set((await repo.listTags(trx, workspaceId, { ids: tagIds })).map((t) => t.id));
    const kept = { mergedRows: snapshot.mergedRows.filter((r) => live.has(r.tagId)), survivorRows: snapshot.survivorRows.filter((r) => live.has(r.tagId)) };
    const plan = planUnmerge(kept, await merges.rowsOf(trx, workspaceId, survivorId));
    await merges.deleteRowsOf(trx, workspaceId, survivorId, plan.survivorDeletes);
    await merges.putRows(trx, workspaceId, survivorId, plan.survivorPuts);
    await merges.putRows(trx, workspaceId, restoredId, plan.restoredPuts);
    await repo.adjustCounts(trx, workspaceId, plan.deltas);
  }

  return { name: 'tags', onMerge, onUnmerge, holdsAny: (trx, workspaceId, customerIds) => merges.anyRows(trx, workspaceId, customerIds) };
}
