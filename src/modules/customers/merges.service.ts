/**
 * Merging two customers and undoing it, always inside the caller's transaction (ingestion
 * merges on the fly; operators merge and undo through the API). Other modules' rows follow
 * through the merge participants; aggregates of both customers are recomputed.
 */
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit, recordAuditMany } from '../audit/index.ts';
import type { Announce } from './change-feed.ts';
import type { MergeParticipant, Trx } from './customers.deps.ts';
import { lockWorkspaceIdentities } from './identity.repository.ts';
import { planMergeSequence, type ProfileJson } from './merge-rules.ts';
import * as repo from './merges.repository.ts';
import { recomputeAllStats } from './stats.repository.ts';

export type MergeReason = 'strong_identity' | 'manual' | 'conflict_resolved' | 'import';

export interface MergeSnapshot {
  identityIds: number[];
  merged: ProfileJson;
  survivorBefore: ProfileJson;
}

export interface MergeRequest {
  fromId: number;
  toId: number;
  reason: MergeReason;
  evidence: unknown;
}

export interface MergeEngineDeps {
  participants: MergeParticipant[];
  announce: Announce;
}

export function createMergeEngine(deps: MergeEngineDeps) {
  async function recompute(trx: Trx, workspaceId: string, ids: number[], now: Date) {
    await recomputeAllStats(trx, workspaceId, ids, now);
  }

  /** Merges `fromId` into `toId`. The caller holds the workspace identity lock. */
  async function merge(
    trx: Trx,
    ctx: WorkspaceContext,
    input: { fromId: number; toId: number; reason: MergeReason; evidence: unknown; now: Date },
  ): Promise<string> {
    const [id] = await mergeMany(trx, ctx, [input], input.now);
    return id!;
  }

  /**
   * Applies merges in order, as if one after another, in a fixed number of statements
   * whatever their count (ingestion merges a batch's at once). Each merge still gets its own
   * customer_merges row, snapshot and audit entry, so each can be undone exactly.
   * The caller holds the workspace identity lock. Returns the merge ids in order.
   */
  async function mergeMany(trx: Trx, ctx: WorkspaceContext, requests: MergeRequest[], now: Date): Promise<string[]> {
    if (!requests.length) return [];
    const ws = ctx.workspaceId;
    if (requests.some((r) => r.fromId === r.toId)) throw invalid('customer.merge_self', 'A customer cannot be merged into itself', [{ field: 'otherId', reason: 'same_customer' }]);
    const rows = await repo.lockCustomers(trx, ws, [...new Set(requests.flatMap((r) => [r.fromId, r.toId]))]);
    const plan = planMergeSequence(
      rows.map((r) => ({ id: r.id, mergedInto: r.merged_into, profile: r.profile, identityIds: r.identity_ids })),
      requests,
    );
    if ('refusal' in plan) {
      const r = plan.refusal!;
      if (r.reason === 'not_found') throw notFound('customer.not_found', 'Customer not found');
      throw conflict('customer.already_merged', 'One of the customers was already merged into another', { mergedInto: r.mergedInto ?? null });
    }
    await repo.moveAllIdentities(trx, ws, plan.moves);
    for (const p of deps.participants) {
      if (p.onMergeMany) await p.onMergeMany(trx, ws, plan.moves);
      else if (!p.holdsAny || (await p.holdsAny(trx, ws, requests.map((r) => r.fromId)))) for (const r of requests) await p.onMerge(trx, ws, r.fromId, r.toId);
    }
    await repo.writeMergedStates(trx, ws, plan.finals, now);
    await recompute(trx, ws, plan.finals.map((f) => f.id), now);
    const merges = plan.steps.map((step, i) => ({
      id: newId(),
      survivorId: step.toId,
      mergedId: step.fromId,
      reason: requests[i]!.reason,
      evidence: requests[i]!.evidence,
      snapshot: step.snapshot satisfies MergeSnapshot,
      changedFields: step.changedFields,
    }));
    await repo.insertMerges(trx, ws, merges, { type: ctx.actor.type, id: ctx.actor.id }, now);
    await repo.settleReviews(trx, ws, merges.map((m) => ({ a: m.mergedId, b: m.survivorId })), now, ctx.actor.type === 'user' ? ctx.actor.id : null);
    await recordAuditMany(
      trx,
      ctx,
      merges.map((m) => ({
        action: 'customer.merge',
        targetType: 'customer',
        targetId: String(m.survivorId),
        details: { mergeId: m.id, survivorId: m.survivorId, mergedId: m.mergedId, reason: m.reason, identities: m.snapshot.identityIds.length, changedFields: m.changedFields },
      })),
    );
    await deps.announce(trx, ws, [...plan.finals.map((f) => f.id), ...requests.map((r) => r.fromId)], 'merge');
    return merges.map((m) => m.id);
  }

  /** Undoes a merge exactly: identities, rows that arrived through them, the survivor's fields. */
  async function undo(trx: Trx, ctx: WorkspaceContext, mergeId: string, now: Date): Promise<{ survivorId: number; restoredId: number }> {
    const ws = ctx.workspaceId;
    await lockWorkspaceIdentities(trx, ws);
    const merge = await repo.findMerge(trx, ws, mergeId);
    if (!merge) throw notFound('merge.not_found', 'Merge not found');
    if (merge.undone_at) throw conflict('merge.already_undone', 'This merge was already undone');
    const rows = await repo.lockCustomers(trx, ws, [merge.survivor_id, merge.merged_id]);
    const survivor = rows.find((r) => r.id === merge.survivor_id)!;
    const merged = rows.find((r) => r.id === merge.merged_id)!;
    if (survivor.merged_into !== null) {
      throw conflict('merge.survivor_merged', 'The surviving customer was itself merged since; undo that merge first', { mergedInto: survivor.merged_into });
    }
    if (merged.merged_into !== survivor.id) throw conflict('merge.not_current', 'The merged customer is no longer merged into the survivor');
    const snapshot = merge.snapshot as unknown as MergeSnapshot;
    const moved = await repo.moveIdentitiesBack(trx, ws, snapshot.identityIds, survivor.id, merged.id);
    for (const p of deps.participants) await p.onUnmerge(trx, ws, moved, merged.id, survivor.id);
    await repo.writeProfileFields(trx, ws, survivor.id, snapshot.survivorBefore, now);
    await repo.setMergedInto(trx, ws, merged.id, null, now);
    await recompute(trx, ws, [survivor.id, merged.id], now);
    await repo.markMergeUndone(trx, ws, mergeId, now, ctx.actor.label);
    await recordAudit(trx, ctx, {
      action: 'customer.unmerge',
      targetType: 'customer',
      targetId: String(merged.id),
      details: { mergeId, survivorId: survivor.id, restoredId: merged.id, identitiesMovedBack: moved.length },
    });
    await deps.announce(trx, ws, [survivor.id, merged.id], 'unmerge');
    return { survivorId: survivor.id, restoredId: merged.id };
  }

  return { merge, mergeMany, undo, recompute };
}

export type MergeEngine = ReturnType<typeof createMergeEngine>;
