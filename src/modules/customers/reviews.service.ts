/** Operator decisions on identity: manual merges, undo, and the merge review queue. */
import { sql } from 'kysely';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { can, type WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import type { CustomersDeps } from './customers.deps.ts';
import { finalSurvivor } from './customers.repository.ts';
import { maskMobile } from './identity-types.ts';
import { lockWorkspaceIdentities } from './identity.repository.ts';
import type { MergeEngine } from './merges.service.ts';

export function createReviewsService(deps: CustomersDeps & { merges: MergeEngine }) {
  const { db } = deps;

  /** Merges `otherId` into `customerId` (the operator decides, conflicts included). */
  async function mergeManually(ctx: WorkspaceContext, customerId: number, otherId: number, note?: string) {
    if (customerId === otherId) throw invalid('customer.merge_self', 'A customer cannot be merged into itself', [{ field: 'otherId', reason: 'same_customer' }]);
    const mergeId = await db.transaction().execute(async (trx) => {
      await lockWorkspaceIdentities(trx, ctx.workspaceId);
      return deps.merges.merge(trx, ctx, { fromId: otherId, toId: customerId, reason: 'manual', evidence: { note: note ?? null }, now: deps.clock.now() });
    });
    return { mergeId, survivorId: customerId, mergedId: otherId };
  }

  async function undoMerge(ctx: WorkspaceContext, mergeId: string) {
    const result = await db.transaction().execute((trx) => deps.merges.undo(trx, ctx, mergeId, deps.clock.now()));
    return { mergeId, ...result };
  }

  async function listReviews(ctx: WorkspaceContext, query: { status: string; kind?: string | undefined; cursor?: string | undefined; limit: number }) {
    const pii = can(ctx, 'customers.pii');
    let q = db
      .selectFrom('merge_reviews as r')
      .innerJoin('customers as a', (j) => j.onRef('a.workspace_id', '=', 'r.workspace_id').onRef('a.id', '=', 'r.customer_a'))
      .innerJoin('customers as b', (j) => j.onRef('b.workspace_id', '=', 'r.workspace_id').onRef('b.id', '=', 'r.customer_b'))
      .select([
        'r.id', 'r.kind', 'r.status', 'r.details', 'r.created_at', 'r.decided_at',
        'a.id as a_id', 'a.name as a_name', 'a.nickname as a_nickname', 'a.mobile as a_mobile', 'a.merged_into as a_merged',
        'b.id as b_id', 'b.name as b_name', 'b.nickname as b_nickname', 'b.mobile as b_mobile', 'b.merged_into as b_merged',
      ])
      .where('r.workspace_id', '=', ctx.workspaceId)
      .where('r.status', '=', query.status);
    if (query.kind) q = q.where('r.kind', '=', query.kind);
    if (query.cursor) q = q.where('r.id', '<', query.cursor);
    const rows = await q.orderBy('r.id', 'desc').limit(query.limit + 1).execute();
    const mobile = (m: string | null) => (m && !pii ? maskMobile(m) : m);
    const items = rows.slice(0, query.limit).map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      customerA: { id: r.a_id, name: r.a_name, nickname: r.a_nickname, mobile: mobile(r.a_mobile), mergedInto: r.a_merged },
      customerB: { id: r.b_id, name: r.b_name, nickname: r.b_nickname, mobile: mobile(r.b_mobile), mergedInto: r.b_merged },
      details: r.details,
      createdAt: r.created_at,
      decidedAt: r.decided_at,
    }));
    return { items, nextCursor: rows.length > query.limit ? items.at(-1)!.id : null };
  }

  /** Merge (the older survives unless survivorId says otherwise) or dismiss an open review. */
  async function resolveReview(ctx: WorkspaceContext, reviewId: string, input: { action: 'merge' | 'dismiss'; survivorId?: number | undefined }) {
    const ws = ctx.workspaceId;
    const decidedBy = ctx.actor.type === 'user' ? ctx.actor.id : null;
    return db.transaction().execute(async (trx) => {
      await lockWorkspaceIdentities(trx, ws);
      const review = await trx.selectFrom('merge_reviews').selectAll().where('workspace_id', '=', ws).where('id', '=', reviewId).forUpdate().executeTakeFirst();
      if (!review) throw notFound('review.not_found', 'Review not found');
      if (review.status !== 'open') throw conflict('review.decided', `This review was already ${review.status}`);
      let mergeId: string | null = null;
      if (input.action === 'merge') {
        // Either side may have been merged since: act on the customers they now belong to.
        const a = await finalSurvivor(trx, ws, review.customer_a);
        const b = await finalSurvivor(trx, ws, review.customer_b);
        if (input.survivorId !== undefined && ![review.customer_a, review.customer_b, a, b].includes(input.survivorId)) {
          throw invalid('review.invalid_survivor', 'The survivor must be one of the two customers', [{ field: 'survivorId', reason: 'not_in_review' }]);
        }
        const survivor = input.survivorId !== undefined ? await finalSurvivor(trx, ws, input.survivorId) : Math.min(a, b);
        const other = survivor === a ? b : a;
        if (other !== survivor) {
          mergeId = await deps.merges.merge(trx, ctx, { fromId: other, toId: survivor, reason: 'conflict_resolved', evidence: { reviewId, kind: review.kind }, now: deps.clock.now() });
        }
      }
      await trx
        .updateTable('merge_reviews')
        .set({ status: input.action === 'merge' ? 'merged' : 'dismissed', decided_at: deps.clock.now(), decided_by: decidedBy, details: sql`details` })
        .where('workspace_id', '=', ws)
        .where('id', '=', reviewId)
        .execute();
      await recordAudit(trx, ctx, { action: `merge_review.${input.action}`, targetType: 'merge_review', targetId: reviewId, details: { mergeId } });
      return { id: reviewId, status: input.action === 'merge' ? 'merged' : 'dismissed', mergeId };
    });
  }

  return { mergeManually, undoMerge, listReviews, resolveReview };
}

export type ReviewsService = ReturnType<typeof createReviewsService>;
