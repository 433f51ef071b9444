/**
 * Automatic tag rules: define them, preview who they hold for, and keep rule tags equal to
 * what the enabled rules say — for the customers an event changed (live), for everyone
 * after a rule changes (full apply, a job), and when a window passes (scheduled re-check).
 */
import { notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import type { Trx } from '../customers/index.ts';
import type { ChangeRecorder } from './changes.service.ts';
import * as holders from './holders.repository.ts';
import { assertValidDefinition } from './rule-definition.ts';
import { planReconcile, type RuleHit } from './rule-evaluation.ts';
import * as rulesRepo from './rules.repository.ts';
import * as repo from './tags.repository.ts';
import type { TagsDeps } from './tags.deps.ts';
import type { RuleDefinition } from './tags.schemas.ts';
import { liveTag } from './tagging.service.ts';

/** Customers re-evaluated per transaction. */
const EVALUATE_CHUNK = 1000;
const PREVIEW_SAMPLE = 20;

export interface RuleInput {
  name: string;
  description?: string | undefined;
  tagId: string;
  definition: RuleDefinition;
  enabled: boolean;
}

export interface RulePatch {
  name?: string | undefined;
  description?: string | null | undefined;
  tagId?: string | undefined;
  definition?: RuleDefinition | undefined;
  enabled?: boolean | undefined;
}

const ruleView = (r: rulesRepo.RuleRow, holding: Map<string, number>) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  tagId: r.tag_id,
  tagName: r.tag_name,
  definition: r.definition,
  enabled: r.is_enabled,
  appliedAt: r.applied_at,
  isApplied: r.applied_version === r.version,
  customerCount: holding.get(r.id) ?? 0,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function createRulesService(deps: TagsDeps, changes: ChangeRecorder) {
  const { db, clock } = deps;

  async function rule(executor: repo.Executor, workspaceId: string, id: string): Promise<rulesRepo.RuleRow> {
    const r = (await rulesRepo.listRules(executor, workspaceId, { id }))[0];
    if (!r) throw notFound('tag_rule.not_found', 'Tag rule not found');
    return r;
  }

  async function view(executor: repo.Executor, workspaceId: string, id: string) {
    return ruleView(await rule(executor, workspaceId, id), await rulesRepo.holdersPerRule(executor, workspaceId));
  }

  async function list(ctx: WorkspaceContext, filter: { tagId?: string | undefined } = {}) {
    const [rows, holding] = await Promise.all([rulesRepo.listRules(db, ctx.workspaceId, filter.tagId ? { tagId: filter.tagId } : {}), rulesRepo.holdersPerRule(db, ctx.workspaceId)]);
    return { items: rows.map((r) => ruleView(r, holding)) };
  }

  const get = (ctx: WorkspaceContext, id: string) => view(db, ctx.workspaceId, id);

  async function create(ctx: WorkspaceContext, input: RuleInput) {
    assertValidDefinition(input.definition);
    return db.transaction().execute(async (trx) => {
      const ws = ctx.workspaceId;
      await repo.lockWorkspaceTags(trx, ws);
      const tag = await liveTag(trx, ws, input.tagId);
      const id = newId();
      await rulesRepo.insertRule(trx, { workspaceId: ws, id, tagId: tag.id, name: input.name, description: input.description ?? null, definition: input.definition, enabled: input.enabled, createdBy: ctx.actor.label, now: clock.now() });
      await recordAudit(trx, ctx, { action: 'tag_rule.create', targetType: 'tag_rule', targetId: id, details: { name: input.name, tagId: tag.id, tagName: tag.name, enabled: input.enabled, definition: input.definition } });
      await deps.enqueueApply(trx, ws);
      return view(trx, ws, id);
    });
  }

  async function patch(ctx: WorkspaceContext, id: string, input: RulePatch) {
    if (input.definition) assertValidDefinition(input.definition);
    return db.transaction().execute(async (trx) => {
      const ws = ctx.workspaceId;
      await repo.lockWorkspaceTags(trx, ws);
      const before = await rule(trx, ws, id);
      if (input.tagId !== undefined) await liveTag(trx, ws, input.tagId);
      // Who holds the tag changes only with the definition, the target or the switch.
      const reapply = input.definition !== undefined || (input.tagId !== undefined && input.tagId !== before.tag_id) || (input.enabled !== undefined && input.enabled !== before.is_enabled);
      await rulesRepo.updateRule(trx, ws, id, input, reapply, clock.now());
      await recordAudit(trx, ctx, { action: 'tag_rule.update', targetType: 'tag_rule', targetId: id, details: { name: before.name, changes: input } });
      if (reapply) await deps.enqueueApply(trx, ws);
      return view(trx, ws, id);
    });
  }

  async function remove(ctx: WorkspaceContext, id: string) {
    await db.transaction().execute(async (trx) => {
      const ws = ctx.workspaceId;
      await repo.lockWorkspaceTags(trx, ws);
      const before = await rule(trx, ws, id);
      await rulesRepo.deleteRule(trx, ws, id);
      await recordAudit(trx, ctx, { action: 'tag_rule.delete', targetType: 'tag_rule', targetId: id, details: { name: before.name, tagId: before.tag_id } });
      // The tags it gave are taken back by the apply (unless another rule gives them).
      await deps.enqueueApply(trx, ws);
    });
    return { ok: true as const };
  }

  async function preview(ctx: WorkspaceContext, definition: RuleDefinition) {
    assertValidDefinition(definition);
    return rulesRepo.countDefinition(db, ctx.workspaceId, definition, clock.now(), PREVIEW_SAMPLE);
  }

  /** Makes the rule tags of `ids` equal what the enabled rules say now, in the caller's transaction. */
  async function reconcile(trx: Trx, workspaceId: string, ids: number[]): Promise<{ added: number; removed: number }> {
    const now = clock.now();
    const rules = await rulesRepo.listRules(trx, workspaceId, { enabledOnly: true });
    const hits: RuleHit[] = [];
    for (const r of rules) {
      for (const m of await rulesRepo.evaluateDefinition(trx, workspaceId, r.definition, now, ids)) hits.push({ customerId: m.customerId, tagId: r.tag_id, ruleId: r.id, until: m.until });
    }
    const held = await holders.heldForRules(trx, workspaceId, ids, [...new Set(rules.map((r) => r.tag_id))]);
    const plan = planReconcile(hits, held);
    const removed = await holders.deleteRuleRows(trx, workspaceId, plan.remove);
    const inserted = await holders.insertRuleRows(trx, workspaceId, plan.insert, now);
    await holders.updateRuleRows(trx, workspaceId, plan.update);
    await changes.record(
      trx,
      workspaceId,
      [
        ...removed.map((r) => ({ customerId: r.customerId, tagId: r.tagId, change: 'removed' as const, source: 'rule' as const, ruleId: r.ruleId, reason: 'rule_no_longer_holds' })),
        ...inserted.map((h) => ({ customerId: h.customerId, tagId: h.tagId, change: 'added' as const, source: 'rule' as const, ruleId: h.ruleId })),
      ],
      now,
    );
    return { added: inserted.length, removed: removed.length };
  }

  /** Re-evaluates the rules for these customers, a chunk per transaction (the live path and the re-check). */
  async function evaluateCustomers(workspaceId: string, customerIds: readonly number[]): Promise<{ added: number; removed: number }> {
    const ids = [...new Set(customerIds)].sort((a, b) => a - b);
    const total = { added: 0, removed: 0 };
    for (let i = 0; i < ids.length; i += EVALUATE_CHUNK) {
      const chunk = ids.slice(i, i + EVALUATE_CHUNK);
      const r = await db.transaction().execute(async (trx) => {
        await repo.lockWorkspaceTags(trx, workspaceId);
        return reconcile(trx, workspaceId, chunk);
      });
      total.added += r.added;
      total.removed += r.removed;
    }
    return total;
  }

  /**
   * Applies the current rules to every customer of the workspace (after a rule changed),
   * then marks the rule versions it started from as applied.
   */
  async function applyAll(workspaceId: string, options: { chunk?: number } = {}): Promise<{ customers: number; added: number; removed: number }> {
    const versions = new Map((await rulesRepo.listRules(db, workspaceId)).map((r) => [r.id, r.version]));
    const chunk = options.chunk ?? 2000;
    const total = { customers: 0, added: 0, removed: 0 };
    for (let after = 0; ; ) {
      const ids = await holders.customerPage(db, workspaceId, after, chunk);
      if (!ids.length) break;
      const r = await evaluateCustomers(workspaceId, ids);
      total.customers += ids.length;
      total.added += r.added;
      total.removed += r.removed;
      after = ids.at(-1)!;
    }
    await rulesRepo.markApplied(db, workspaceId, versions, clock.now());
    return total;
  }

  /** Re-checks customers whose rule tags may have expired (a window passed). Returns how many were re-checked. */
  async function recheckExpired(options: { limit?: number; rounds?: number } = {}): Promise<number> {
    let checked = 0;
    for (let round = 0; round < (options.rounds ?? 50); round++) {
      const due = await holders.expiredHolders(db, clock.now(), options.limit ?? 1000);
      if (!due.length) break;
      const byWorkspace = new Map<string, number[]>();
      for (const d of due) byWorkspace.set(d.workspaceId, [...(byWorkspace.get(d.workspaceId) ?? []), d.customerId]);
      for (const [ws, ids] of byWorkspace) await evaluateCustomers(ws, ids);
      checked += due.length;
    }
    return checked;
  }

  return { list, get, create, patch, remove, preview, evaluateCustomers, applyAll, recheckExpired };
}

export type RulesService = ReturnType<typeof createRulesService>;
