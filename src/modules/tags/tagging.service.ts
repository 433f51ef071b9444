/**
 * Giving tags to customers and taking them away by hand: one customer, a selection, or a
 * whole segment (the segments module calls tagCustomers with its members). Idempotent:
 * giving a tag a customer holds, or removing one it lacks, changes and records nothing.
 */
import { conflict, notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import type { Trx } from '../customers/index.ts';
import type { ChangeRecorder } from './changes.service.ts';
import * as holders from './holders.repository.ts';
import * as repo from './tags.repository.ts';
import type { TagsDeps } from './tags.deps.ts';
import type { TagSource } from './tags.schemas.ts';

export interface BulkResult {
  requested: number;
  changed: number;
  unchanged: number;
  skipped: number;
  skippedIds: number[];
}

export interface BulkOptions {
  /** How the tag is given: by an operator (default), an import, or a sync. */
  source?: Exclude<TagSource, 'rule'>;
  /** Customers per transaction (default 10,000). */
  chunk?: number;
}

const SKIPPED_SHOWN = 100;

export async function liveTag(db: repo.Executor, workspaceId: string, tagId: string): Promise<repo.TagRow> {
  const tag = await repo.findTag(db, workspaceId, tagId);
  if (!tag) throw notFound('tag.not_found', 'Tag not found');
  return tag;
}

export function createTaggingService(deps: TagsDeps, changes: ChangeRecorder) {
  const { db, clock } = deps;

  async function activeCustomer(trx: Trx, workspaceId: string, customerId: number): Promise<void> {
    const c = await holders.customerState(trx, workspaceId, customerId);
    if (!c) throw notFound('customer.not_found', 'Customer not found');
    if (c.mergedInto !== null) throw conflict('customer.merged', `Customer ${customerId} was merged into ${c.mergedInto}; tag that customer`, { mergedInto: c.mergedInto });
  }

  async function customerTags(ctx: WorkspaceContext, customerId: number) {
    if (!(await holders.customerState(db, ctx.workspaceId, customerId))) throw notFound('customer.not_found', 'Customer not found');
    const rows = await holders.listCustomerTags(db, ctx.workspaceId, customerId);
    return {
      customerId,
      items: rows.map((r) => ({
        tagId: r.tag_id,
        name: r.name,
        groupId: r.group_id,
        groupName: r.group_name,
        kind: r.kind as 'static',
        color: r.color,
        source: r.source as TagSource,
        ruleId: r.rule_id,
        ruleName: r.rule_name,
        addedBy: r.added_by,
        addedAt: r.added_at,
        expiresAt: r.expires_at,
      })),
    };
  }

  async function addToCustomer(ctx: WorkspaceContext, customerId: number, tagId: string) {
    return db.transaction().execute(async (trx) => {
      const ws = ctx.workspaceId;
      await repo.lockWorkspaceTags(trx, ws);
      const tag = await liveTag(trx, ws, tagId);
      await activeCustomer(trx, ws, customerId);
      const now = clock.now();
      const added = await holders.insertGiven(trx, ws, tagId, [customerId], 'manual', ctx.actor.label, now);
      await changes.record(trx, ws, added.map((id) => ({ customerId: id, tagId, change: 'added' as const, source: 'manual' as const, ruleId: null })), now);
      await recordAudit(trx, ctx, { action: 'tag.add_customer', targetType: 'customer', targetId: String(customerId), details: { tagId, tagName: tag.name, changed: added.length > 0 } });
      return { customerId, tagId, changed: added.length > 0 };
    });
  }

  async function removeFromCustomer(ctx: WorkspaceContext, customerId: number, tagId: string) {
    return db.transaction().execute(async (trx) => {
      const ws = ctx.workspaceId;
      await repo.lockWorkspaceTags(trx, ws);
      const tag = await liveTag(trx, ws, tagId);
      if (!(await holders.customerState(trx, ws, customerId))) throw notFound('customer.not_found', 'Customer not found');
      const now = clock.now();
      const removed = await holders.deleteHolders(trx, ws, tagId, [customerId]);
      await changes.record(trx, ws, removed.map((r) => ({ customerId: r.customerId, tagId, change: 'removed' as const, source: 'manual' as const, ruleId: null })), now);
      await recordAudit(trx, ctx, {
        action: 'tag.remove_customer',
        targetType: 'customer',
        targetId: String(customerId),
        details: { tagId, tagName: tag.name, changed: removed.length > 0, ...(removed[0] ? { heldThrough: removed[0].source } : {}) },
      });
      return { customerId, tagId, changed: removed.length > 0 };
    });
  }

  /** Runs `step` over distinct ids in chunks, one transaction (and audit entry) each. */
  async function inChunks(ctx: WorkspaceContext, tagId: string, ids: readonly number[], chunkSize: number, step: (trx: Trx, tag: repo.TagRow, chunk: number[], active: Set<number>) => Promise<number>): Promise<BulkResult> {
    const distinct = [...new Set(ids)];
    const result: BulkResult = { requested: distinct.length, changed: 0, unchanged: 0, skipped: 0, skippedIds: [] };
    for (let i = 0; i < distinct.length; i += chunkSize) {
      const chunk = distinct.slice(i, i + chunkSize);
      await db.transaction().execute(async (trx) => {
        await repo.lockWorkspaceTags(trx, ctx.workspaceId);
        const tag = await liveTag(trx, ctx.workspaceId, tagId);
        const active = await holders.activeCustomers(trx, ctx.workspaceId, chunk);
        const changed = await step(trx, tag, chunk, active);
        const skipped = chunk.filter((id) => !active.has(id));
        result.changed += changed;
        result.unchanged += active.size - changed;
        result.skipped += skipped.length;
        result.skippedIds.push(...skipped.slice(0, SKIPPED_SHOWN - result.skippedIds.length));
      });
    }
    return result;
  }

  /**
   * Gives `tagId` to many customers (a selection, or a segment's members of any size), in
   * set-based chunks. Unknown and merged-away ids are skipped and reported.
   */
  async function tagCustomers(ctx: WorkspaceContext, tagId: string, customerIds: readonly number[], options: BulkOptions = {}): Promise<BulkResult> {
    const source = options.source ?? 'manual';
    return inChunks(ctx, tagId, customerIds, options.chunk ?? 10_000, async (trx, tag, chunk, active) => {
      const now = clock.now();
      const added = await holders.insertGiven(trx, ctx.workspaceId, tagId, [...active], source, ctx.actor.label, now);
      await changes.record(trx, ctx.workspaceId, added.map((id) => ({ customerId: id, tagId, change: 'added' as const, source, ruleId: null })), now);
      await recordAudit(trx, ctx, { action: 'tag.bulk_add', targetType: 'tag', targetId: tagId, details: { tagName: tag.name, source, requested: chunk.length, added: added.length, skipped: chunk.length - active.size } });
      return added.length;
    });
  }

  /** Takes `tagId` away from many customers, whatever gave it. */
  async function untagCustomers(ctx: WorkspaceContext, tagId: string, customerIds: readonly number[], options: BulkOptions = {}): Promise<BulkResult> {
    const source = options.source ?? 'manual';
    return inChunks(ctx, tagId, customerIds, options.chunk ?? 10_000, async (trx, tag, chunk, active) => {
      const now = clock.now();
      const removed = await holders.deleteHolders(trx, ctx.workspaceId, tagId, [...active]);
      await changes.record(trx, ctx.workspaceId, removed.map((r) => ({ customerId: r.customerId, tagId, change: 'removed' as const, source, ruleId: null })), now);
      await recordAudit(trx, ctx, { action: 'tag.bulk_remove', targetType: 'tag', targetId: tagId, details: { tagName: tag.name, source, requested: chunk.length, removed: removed.length, skipped: chunk.length - active.size } });
      return removed.length;
    });
  }

  return { customerTags, addToCustomer, removeFromCustomer, tagCustomers, untagCustomers };
}

export type TaggingService = ReturnType<typeof createTaggingService>;
