/** Workspace settings of the customers module: identity types and custom attribute definitions. */
import { sql } from 'kysely';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import type { CustomersDeps, Executor } from './customers.deps.ts';

export interface AttributeDef {
  key: string;
  labelZh: string;
  labelEn: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'enum';
  options: string[];
}

export async function loadAttributeDefinitions(db: Executor, workspaceId: string): Promise<Map<string, AttributeDef>> {
  const rows = await db.selectFrom('attribute_definitions').selectAll().where('workspace_id', '=', workspaceId).orderBy('key').execute();
  return new Map(rows.map((r) => [r.key, { key: r.key, labelZh: r.label_zh, labelEn: r.label_en, type: r.type as AttributeDef['type'], options: r.options }]));
}

/** Checks attribute values against their definitions; null removes a value. Pure. */
export function checkAttributes(defs: ReadonlyMap<string, AttributeDef>, values: Record<string, unknown>): { set: Record<string, unknown>; remove: string[] } {
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const def = defs.get(key);
    const field = `attributes.${key}`;
    if (!def) throw invalid('customer.unknown_attribute', `No attribute ${key}; define it first`, [{ field, reason: 'unknown_attribute' }]);
    if (value === null) {
      remove.push(key);
      continue;
    }
    const ok =
      (def.type === 'string' && typeof value === 'string') ||
      (def.type === 'number' && typeof value === 'number' && Number.isFinite(value)) ||
      (def.type === 'boolean' && typeof value === 'boolean') ||
      (def.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) ||
      (def.type === 'enum' && typeof value === 'string' && def.options.includes(value));
    if (!ok) throw invalid('customer.invalid_attribute', `Attribute ${key} expects a ${def.type}${def.type === 'enum' ? ` (${def.options.join(', ')})` : ''}`, [{ field, reason: `expected_${def.type}` }]);
    set[key] = value;
  }
  return { set, remove };
}

const typeView = (r: { key: string; label_zh: string; label_en: string; strength: string; is_scoped: boolean; normalizer: string; is_builtin: boolean }) => ({
  key: r.key,
  labelZh: r.label_zh,
  labelEn: r.label_en,
  strength: r.strength as 'strong' | 'weak' | 'strong_if_verified',
  isScoped: r.is_scoped,
  normalizer: r.normalizer as 'trim' | 'lowercase' | 'mobile' | 'email',
  isBuiltin: r.is_builtin,
});

export function createSettingsService(deps: CustomersDeps) {
  const { db } = deps;

  async function listIdentityTypes(ctx: WorkspaceContext) {
    const rows = await db.selectFrom('identity_types').selectAll().where('workspace_id', '=', ctx.workspaceId).orderBy('is_builtin', 'desc').orderBy('key').execute();
    return { items: rows.map(typeView) };
  }

  async function addIdentityType(ctx: WorkspaceContext, input: { key: string; labelZh: string; labelEn: string; strength: string; isScoped: boolean; normalizer: string }) {
    await db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom('identity_types').select('key').where('workspace_id', '=', ctx.workspaceId).where('key', '=', input.key).executeTakeFirst();
      if (exists) throw conflict('identity_type.exists', `Identity type ${input.key} already exists`);
      await trx
        .insertInto('identity_types')
        .values({ workspace_id: ctx.workspaceId, key: input.key, label_zh: input.labelZh, label_en: input.labelEn, strength: input.strength, is_scoped: input.isScoped, normalizer: input.normalizer, is_builtin: false })
        .execute();
      await recordAudit(trx, ctx, { action: 'identity_type.create', targetType: 'identity_type', targetId: input.key, details: { ...input } });
    });
    const row = await db.selectFrom('identity_types').selectAll().where('workspace_id', '=', ctx.workspaceId).where('key', '=', input.key).executeTakeFirstOrThrow();
    return typeView(row);
  }

  async function updateIdentityType(ctx: WorkspaceContext, key: string, input: { labelZh?: string | undefined; labelEn?: string | undefined }) {
    await db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('identity_types')
        .set({ ...(input.labelZh ? { label_zh: input.labelZh } : {}), ...(input.labelEn ? { label_en: input.labelEn } : {}), key: sql`key` })
        .where('workspace_id', '=', ctx.workspaceId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!Number(r.numUpdatedRows)) throw notFound('identity_type.not_found', 'Identity type not found');
      await recordAudit(trx, ctx, { action: 'identity_type.update', targetType: 'identity_type', targetId: key, details: { ...input } });
    });
    const row = await db.selectFrom('identity_types').selectAll().where('workspace_id', '=', ctx.workspaceId).where('key', '=', key).executeTakeFirstOrThrow();
    return typeView(row);
  }

  async function deleteIdentityType(ctx: WorkspaceContext, key: string) {
    await db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('identity_types').select('is_builtin').where('workspace_id', '=', ctx.workspaceId).where('key', '=', key).executeTakeFirst();
      if (!row) throw notFound('identity_type.not_found', 'Identity type not found');
      if (row.is_builtin) throw conflict('identity_type.builtin', 'Built-in identity types cannot be deleted');
      const used = await trx.selectFrom('customer_identities').select('id').where('workspace_id', '=', ctx.workspaceId).where('type', '=', key).limit(1).executeTakeFirst();
      if (used) throw conflict('identity_type.in_use', 'Customers hold identities of this type');
      await trx.deleteFrom('identity_types').where('workspace_id', '=', ctx.workspaceId).where('key', '=', key).execute();
      await recordAudit(trx, ctx, { action: 'identity_type.delete', targetType: 'identity_type', targetId: key });
    });
    return { ok: true as const };
  }

  async function listAttributes(ctx: WorkspaceContext) {
    return { items: [...(await loadAttributeDefinitions(db, ctx.workspaceId)).values()] };
  }

  async function addAttribute(ctx: WorkspaceContext, input: AttributeDef) {
    if (input.type === 'enum' && !input.options.length) throw invalid('attribute.options_required', 'An enum attribute needs options', [{ field: 'options', reason: 'required' }]);
    await db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom('attribute_definitions').select('key').where('workspace_id', '=', ctx.workspaceId).where('key', '=', input.key).executeTakeFirst();
      if (exists) throw conflict('attribute.exists', `Attribute ${input.key} already exists`);
      await trx
        .insertInto('attribute_definitions')
        .values({ workspace_id: ctx.workspaceId, key: input.key, label_zh: input.labelZh, label_en: input.labelEn, type: input.type, options: input.options })
        .execute();
      await recordAudit(trx, ctx, { action: 'attribute.create', targetType: 'attribute', targetId: input.key, details: { ...input } });
    });
    return (await loadAttributeDefinitions(db, ctx.workspaceId)).get(input.key)!;
  }

  async function updateAttribute(ctx: WorkspaceContext, key: string, input: { labelZh?: string | undefined; labelEn?: string | undefined; options?: string[] | undefined }) {
    await db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('attribute_definitions')
        .set({ ...(input.labelZh ? { label_zh: input.labelZh } : {}), ...(input.labelEn ? { label_en: input.labelEn } : {}), ...(input.options ? { options: input.options } : {}), key: sql`key` })
        .where('workspace_id', '=', ctx.workspaceId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!Number(r.numUpdatedRows)) throw notFound('attribute.not_found', 'Attribute not found');
      await recordAudit(trx, ctx, { action: 'attribute.update', targetType: 'attribute', targetId: key, details: { ...input } });
    });
    return (await loadAttributeDefinitions(db, ctx.workspaceId)).get(key)!;
  }

  /** Deletes a definition and removes its values from every customer. */
  async function deleteAttribute(ctx: WorkspaceContext, key: string) {
    await db.transaction().execute(async (trx) => {
      const r = await trx.deleteFrom('attribute_definitions').where('workspace_id', '=', ctx.workspaceId).where('key', '=', key).executeTakeFirst();
      if (!Number(r.numDeletedRows)) throw notFound('attribute.not_found', 'Attribute not found');
      await sql`update customers set attributes = attributes - ${key}::text where workspace_id = ${ctx.workspaceId} and attributes ? ${key}::text`.execute(trx);
      await recordAudit(trx, ctx, { action: 'attribute.delete', targetType: 'attribute', targetId: key });
    });
    return { ok: true as const };
  }

  return { listIdentityTypes, addIdentityType, updateIdentityType, deleteIdentityType, listAttributes, addAttribute, updateAttribute, deleteAttribute };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
