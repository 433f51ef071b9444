/** Tag groups and tags: create, edit, list with counts, delete (taking the tag from its holders, recorded). */
import { conflict, notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import type { ChangeRecorder } from './changes.service.ts';
import * as holders from './holders.repository.ts';
import * as repo from './tags.repository.ts';
import type { TagsDeps } from './tags.deps.ts';
import type { TagKind } from './tags.schemas.ts';
import { liveTag } from './tagging.service.ts';

/** Holders removed per transaction when a tag is deleted. */
const PURGE_CHUNK = 5000;

const tagView = (t: repo.TagRow) => ({
  id: t.id,
  groupId: t.group_id,
  name: t.name,
  kind: t.kind,
  color: t.color,
  description: t.description,
  customerCount: t.customer_count,
  ruleCount: t.rule_count,
  createdBy: t.created_by,
  createdAt: t.created_at,
  updatedAt: t.updated_at,
});
export type TagView = ReturnType<typeof tagView>;

const groupView = (g: repo.GroupRow, tags: repo.TagRow[]) => ({
  id: g.id,
  name: g.name,
  kind: g.kind,
  description: g.description,
  position: g.position,
  createdAt: g.created_at,
  updatedAt: g.updated_at,
  tags: tags.filter((t) => t.group_id === g.id).map(tagView),
});

export function createCatalogService(deps: TagsDeps, changes: ChangeRecorder) {
  const { db, clock } = deps;

  async function group(executor: repo.Executor, workspaceId: string, id: string): Promise<repo.GroupRow> {
    const g = await repo.findGroup(executor, workspaceId, id);
    if (!g) throw notFound('tag_group.not_found', 'Tag group not found');
    return g;
  }

  async function assertGroupNameFree(executor: repo.Executor, workspaceId: string, name: string, except?: string) {
    const other = await repo.findGroupByName(executor, workspaceId, name);
    if (other && other.id !== except) throw conflict('tag_group.name_taken', `A tag group named ${name} exists`, { field: 'name' });
  }

  async function assertTagNameFree(executor: repo.Executor, workspaceId: string, groupId: string, name: string, except?: string) {
    const other = await repo.findTagByName(executor, workspaceId, groupId, name);
    if (other && other.id !== except) throw conflict('tag.name_taken', `The group already has a tag named ${name}`, { field: 'name' });
  }

  async function listGroups(ctx: WorkspaceContext) {
    const [groups, tags] = await Promise.all([repo.listGroups(db, ctx.workspaceId), repo.listTags(db, ctx.workspaceId)]);
    return { items: groups.map((g) => groupView(g, tags)) };
  }

  async function createGroup(ctx: WorkspaceContext, input: { name: string; kind: TagKind; description?: string | undefined; position?: number | undefined }) {
    return db.transaction().execute(async (trx) => {
      await repo.lockWorkspaceTags(trx, ctx.workspaceId);
      await assertGroupNameFree(trx, ctx.workspaceId, input.name);
      const id = newId();
      await repo.insertGroup(trx, { workspaceId: ctx.workspaceId, id, name: input.name, kind: input.kind, description: input.description ?? null, position: input.position ?? 0, now: clock.now() });
      await recordAudit(trx, ctx, { action: 'tag_group.create', targetType: 'tag_group', targetId: id, details: { name: input.name, kind: input.kind } });
      return groupView((await repo.findGroup(trx, ctx.workspaceId, id))!, []);
    });
  }

  async function patchGroup(ctx: WorkspaceContext, id: string, input: { name?: string | undefined; kind?: TagKind | undefined; description?: string | null | undefined; position?: number | undefined }) {
    return db.transaction().execute(async (trx) => {
      await repo.lockWorkspaceTags(trx, ctx.workspaceId);
      const before = await group(trx, ctx.workspaceId, id);
      if (input.name !== undefined) await assertGroupNameFree(trx, ctx.workspaceId, input.name, id);
      const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      await repo.updateGroup(trx, ctx.workspaceId, id, set, clock.now());
      await recordAudit(trx, ctx, { action: 'tag_group.update', targetType: 'tag_group', targetId: id, details: { name: before.name, changes: set } });
      return groupView((await repo.findGroup(trx, ctx.workspaceId, id))!, await repo.listTags(trx, ctx.workspaceId, { groupId: id }));
    });
  }

  async function deleteGroup(ctx: WorkspaceContext, id: string) {
    await db.transaction().execute(async (trx) => {
      await repo.lockWorkspaceTags(trx, ctx.workspaceId);
      const g = await group(trx, ctx.workspaceId, id);
      const tags = await repo.countTagsInGroup(trx, ctx.workspaceId, id);
      if (tags) throw conflict('tag_group.not_empty', `The group still has ${tags} tags; delete or move them first`, { tags });
      await repo.deleteGroup(trx, ctx.workspaceId, id);
      await recordAudit(trx, ctx, { action: 'tag_group.delete', targetType: 'tag_group', targetId: id, details: { name: g.name } });
    });
    return { ok: true as const };
  }

  async function listTags(ctx: WorkspaceContext, query: { groupId?: string | undefined; kind?: TagKind | undefined; q?: string | undefined }) {
    return { items: (await repo.listTags(db, ctx.workspaceId, query)).map(tagView) };
  }

  async function getTag(ctx: WorkspaceContext, id: string) {
    return tagView(await liveTag(db, ctx.workspaceId, id));
  }

  async function createTag(ctx: WorkspaceContext, input: { groupId: string; name: string; kind?: TagKind | undefined; color?: string | undefined; description?: string | undefined }) {
    return db.transaction().execute(async (trx) => {
      const ws = ctx.workspaceId;
      await repo.lockWorkspaceTags(trx, ws);
      const g = await group(trx, ws, input.groupId);
      await assertTagNameFree(trx, ws, g.id, input.name);
      const id = newId();
      const kind = input.kind ?? g.kind;
      await repo.insertTag(trx, { workspaceId: ws, id, groupId: g.id, name: input.name, kind, color: input.color ?? 'blue', description: input.description ?? null, createdBy: ctx.actor.label, now: clock.now() });
      await recordAudit(trx, ctx, { action: 'tag.create', targetType: 'tag', targetId: id, details: { name: input.name, groupId: g.id, kind } });
      return tagView(await liveTag(trx, ws, id));
    });
  }

  async function patchTag(ctx: WorkspaceContext, id: string, input: { groupId?: string | undefined; name?: string | undefined; kind?: TagKind | undefined; color?: string | undefined; description?: string | null | undefined }) {
    return db.transaction().execute(async (trx) => {
      const ws = ctx.workspaceId;
      await repo.lockWorkspaceTags(trx, ws);
      const before = await liveTag(trx, ws, id);
      const groupId = input.groupId ?? before.group_id;
      if (input.groupId !== undefined) await group(trx, ws, input.groupId);
      if (input.name !== undefined || input.groupId !== undefined) await assertTagNameFree(trx, ws, groupId, input.name ?? before.name, id);
      const { groupId: _g, ...rest } = input;
      const set = { ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)), ...(input.groupId !== undefined ? { group_id: input.groupId } : {}) };
      await repo.updateTag(trx, ws, id, set, clock.now());
      await recordAudit(trx, ctx, { action: 'tag.update', targetType: 'tag', targetId: id, details: { name: before.name, changes: input } });
      return tagView(await liveTag(trx, ws, id));
    });
  }

  /**
   * Takes a tag being deleted from its holders in chunks (each removal on the timeline),
   * then deletes it and its rules. Safe to run again after a crash.
   */
  async function purge(workspaceId: string, tagId: string): Promise<{ removedFrom: number; rulesDeleted: number }> {
    let removedFrom = 0;
    for (;;) {
      const n = await db.transaction().execute(async (trx) => {
        await repo.lockWorkspaceTags(trx, workspaceId);
        const ids = await holders.holderPage(trx, workspaceId, tagId, PURGE_CHUNK);
        const removed = await holders.deleteHolders(trx, workspaceId, tagId, ids);
        const now = clock.now();
        await changes.record(trx, workspaceId, removed.map((r) => ({ customerId: r.customerId, tagId, change: 'removed' as const, source: 'manual' as const, ruleId: null, reason: 'tag_deleted' })), now);
        return removed.length;
      });
      removedFrom += n;
      if (n < PURGE_CHUNK) break;
    }
    const rulesDeleted = await db.transaction().execute(async (trx) => {
      await repo.lockWorkspaceTags(trx, workspaceId);
      return repo.deleteTagRow(trx, workspaceId, tagId);
    });
    return { removedFrom, rulesDeleted };
  }

  async function deleteTag(ctx: WorkspaceContext, id: string) {
    await db.transaction().execute(async (trx) => {
      await repo.lockWorkspaceTags(trx, ctx.workspaceId);
      const tag = await liveTag(trx, ctx.workspaceId, id);
      await repo.markTagDeleted(trx, ctx.workspaceId, id, clock.now());
      await recordAudit(trx, ctx, { action: 'tag.delete', targetType: 'tag', targetId: id, details: { name: tag.name, holders: tag.customer_count, rules: tag.rule_count } });
    });
    return { id, ...(await purge(ctx.workspaceId, id)) };
  }

  return { listGroups, createGroup, patchGroup, deleteGroup, listTags, getTag, createTag, patchTag, deleteTag, purge };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
