/**
 * Message templates: create, edit (every content change is a new version; sends record
 * the version they used), archive, and preview for a customer (rendered with their data,
 * missing variables named, advertising-law findings located for highlighting).
 */
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { checkerFor } from './evaluate.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import { loadRecipients } from './recipients.repository.ts';
import { loadSettings } from './settings.repository.ts';
import * as repo from './templates.repository.ts';
import { customerVariables, parseTemplate, renderPreview, TemplateSyntaxError, type ParsedTemplate } from './template.ts';

function parseOrInvalid(source: string, field: string): ParsedTemplate {
  try {
    return parseTemplate(source);
  } catch (err) {
    if (err instanceof TemplateSyntaxError) throw invalid('template.syntax', err.message, [{ field, reason: 'template_syntax', message: err.message, position: err.position }]);
    throw err;
  }
}

function variablesOf(title: string | null, body: string): string[] {
  const vars = parseOrInvalid(body, 'body').variables;
  if (title) for (const v of parseOrInvalid(title, 'title').variables) if (!vars.includes(v)) vars.push(v);
  return vars;
}

const view = (t: repo.TemplateRow) => ({
  id: t.id, name: t.name, channel: t.channel, version: t.current_version, title: t.title, body: t.body, variables: t.variables,
  archived: t.archived_at !== null, createdAt: t.created_at, updatedAt: t.updated_at,
});

export function createTemplatesService(deps: MessagingDeps) {
  const { db, clock } = deps;

  async function get(ctx: WorkspaceContext, id: string) {
    const t = await repo.getTemplate(db, ctx.workspaceId, id);
    if (!t) throw notFound('template.not_found', 'Template not found');
    return view(t);
  }

  async function list(ctx: WorkspaceContext, q: { channel?: string | undefined; archived?: 'true' | 'false' | undefined }) {
    return { items: (await repo.listTemplates(db, ctx.workspaceId, { channel: q.channel, includeArchived: q.archived === 'true' })).map(view) };
  }

  async function create(ctx: WorkspaceContext, input: { name: string; channel: string; title?: string | null | undefined; body: string }) {
    const title = input.title || null;
    const variables = variablesOf(title, input.body);
    const id = newId();
    await db.transaction().execute(async (trx) => {
      if (await repo.nameTaken(trx, ctx.workspaceId, input.name)) throw conflict('template.name_taken', `A template named ${input.name} exists`, { field: 'name' });
      const now = clock.now();
      await repo.insertTemplate(trx, ctx.workspaceId, { id, name: input.name, channel: input.channel, now });
      await repo.insertVersion(trx, ctx.workspaceId, { templateId: id, version: 1, title, body: input.body, variables, createdBy: ctx.actor.label, now });
      await recordAudit(trx, ctx, { action: 'template.create', targetType: 'message_template', targetId: id, details: { name: input.name, channel: input.channel } });
    });
    return get(ctx, id);
  }

  /** Renames in place; a changed title or body becomes the next version. */
  async function update(ctx: WorkspaceContext, id: string, input: { name?: string | undefined; channel?: string | undefined; title?: string | null | undefined; body?: string | undefined }) {
    await db.transaction().execute(async (trx) => {
      const locked = await repo.lockTemplate(trx, ctx.workspaceId, id);
      if (!locked || locked.archived_at) throw notFound('template.not_found', 'Template not found');
      const current = (await repo.getTemplate(trx, ctx.workspaceId, id))!;
      if (input.name && (await repo.nameTaken(trx, ctx.workspaceId, input.name, id))) throw conflict('template.name_taken', `A template named ${input.name} exists`, { field: 'name' });
      const title = input.title === undefined ? current.title : input.title || null;
      const body = input.body ?? current.body;
      const changed = title !== current.title || body !== current.body;
      const now = clock.now();
      const version = changed ? current.current_version + 1 : current.current_version;
      if (changed) await repo.insertVersion(trx, ctx.workspaceId, { templateId: id, version, title, body, variables: variablesOf(title, body), createdBy: ctx.actor.label, now });
      await repo.updateTemplate(trx, ctx.workspaceId, id, { ...(input.name ? { name: input.name } : {}), ...(input.channel ? { channel: input.channel } : {}), current_version: version }, now);
      await recordAudit(trx, ctx, { action: 'template.update', targetType: 'message_template', targetId: id, details: { version, contentChanged: changed, name: input.name ?? null } });
    });
    return get(ctx, id);
  }

  /** Archives: hidden from lists; sends naming it fail with template_error. Versions stay for the ledger. */
  async function archive(ctx: WorkspaceContext, id: string) {
    await db.transaction().execute(async (trx) => {
      const locked = await repo.lockTemplate(trx, ctx.workspaceId, id);
      if (!locked || locked.archived_at) throw notFound('template.not_found', 'Template not found');
      await repo.updateTemplate(trx, ctx.workspaceId, id, { archived_at: clock.now() }, clock.now());
      await recordAudit(trx, ctx, { action: 'template.archive', targetType: 'message_template', targetId: id });
    });
    return { ok: true as const };
  }

  async function versions(ctx: WorkspaceContext, id: string) {
    await get(ctx, id);
    const rows = await repo.listVersions(db, ctx.workspaceId, id);
    return { items: rows.map((r) => ({ version: r.version, title: r.title, body: r.body, variables: r.variables, createdBy: r.created_by, createdAt: r.created_at })) };
  }

  /** The advertising-law check with the workspace's own terms. */
  async function checkText(ctx: WorkspaceContext, text: string) {
    return checkerFor((await loadSettings(db, ctx.workspaceId)).settings).check(text);
  }

  return { list, get, create, update, archive, versions, checkText, preview: createPreview(deps) };
}

type PreviewInput = {
  templateId?: string | undefined;
  templateVersion?: number | undefined;
  content?: { title?: string | null | undefined; text: string } | undefined;
  customerId?: number | undefined;
  variables?: Record<string, string | number> | undefined;
};

function createPreview(deps: MessagingDeps) {
  const { db } = deps;
  return async function preview(ctx: WorkspaceContext, input: PreviewInput) {
    let source: { title: string | null; body: string };
    if (input.templateId) {
      const [v] = await repo.loadVersions(db, ctx.workspaceId, [{ id: input.templateId, version: input.templateVersion }]);
      if (!v) throw notFound('template.not_found', 'Template or version not found');
      source = { title: v.title, body: v.body };
    } else source = { title: input.content?.title || null, body: input.content?.text ?? '' };
    let customer = null;
    let vars: Record<string, string | number | boolean | null> = {};
    if (input.customerId !== undefined) {
      const r = (await loadRecipients(db, ctx.workspaceId, [input.customerId])).get(input.customerId);
      if (!r) throw notFound('customer.not_found', 'Customer not found');
      customer = { id: r.id, label: r.nickname ?? r.name };
      vars = customerVariables(r);
    }
    Object.assign(vars, input.variables ?? {});
    const { settings } = await loadSettings(db, ctx.workspaceId);
    const checker = checkerFor(settings);
    try {
      const body = parseTemplate(source.body);
      const title = source.title ? parseTemplate(source.title) : null;
      const b = renderPreview(body, vars);
      const t = title ? renderPreview(title, vars) : null;
      const bodyCheck = checker.check(b.text);
      const titleCheck = t ? checker.check(t.text) : null;
      const findings = [...bodyCheck.findings, ...(titleCheck?.findings ?? [])];
      const verdict = findings.some((f) => f.tier === 'block') ? 'block' : findings.length ? 'warn' : 'ok';
      const variables = [...new Set([...(title?.variables ?? []), ...body.variables])];
      return { customer, variables, missing: [...new Set([...(t?.missing ?? []), ...b.missing])], syntaxError: null, title: t ? { text: t.text, findings: titleCheck!.findings } : null, body: { text: b.text, findings: bodyCheck.findings }, verdict } as const;
    } catch (err) {
      if (!(err instanceof TemplateSyntaxError)) throw err;
      return { customer, variables: [], missing: [], syntaxError: { message: err.message, position: err.position }, title: null, body: { text: source.body, findings: [] }, verdict: 'ok' } as const;
    }
  };
}

export type TemplatesService = ReturnType<typeof createTemplatesService>;
