/**
 * Runs the guard rails for a batch against the database: one query each for recipients,
 * consents, cap counts and template versions, the decisions in memory, then one quota
 * reservation per channel. Used for new messages and for held ones being released.
 */
import { createAdLawChecker, type AdLawChecker } from '../compliance/index.ts';
import { decideBatch, type Candidate, type ContentSource, type Decision } from './guard-rails.ts';
import * as ledger from './ledger.repository.ts';
import type { Executor } from './messaging.deps.ts';
import type { Channel, DriverKind, MessageContent, MessageStatus, Purpose, Reason } from './message-types.ts';
import { overQuota, quotaWindowsFor } from './quota.ts';
import { addUsage, reserveQuota } from './quota.repository.ts';
import { loadConsents, loadRecipients } from './recipients.repository.ts';
import type { MessagingSettings } from './settings.schemas.ts';
import { loadVersions, type TemplateVersionRow } from './templates.repository.ts';
import { parseCached, TemplateSyntaxError } from './template.ts';
import { capWindows } from './time-windows.ts';

/** A message to decide: a new request or a held ledger row. */
export interface Item {
  customerId: number;
  channel: Channel;
  purpose: Purpose;
  template: { id: string; version?: number | undefined } | null;
  content: MessageContent | null;
  variables: Record<string, string | number>;
  hasPayload: boolean;
}

/** The state a decision puts a message in. */
export interface Outcome {
  customerId: number;
  status: MessageStatus;
  reason: Reason | null;
  detail: Record<string, unknown> | null;
  warnings: unknown;
  title: string | null;
  body: string | null;
  releaseAt: Date | null;
  nextAttemptAt: Date | null;
  countedAt: Date | null;
  sentAt: Date | null;
  driver: DriverKind;
  templateVersion: number | null;
}

export interface EvaluateContext {
  workspaceId: string;
  now: Date;
  timeZone: string;
  settings: MessagingSettings;
}

const checkers = new Map<string, AdLawChecker>();

/** The checker for a workspace's ad-law settings, built once per distinct settings. */
export function checkerFor(settings: MessagingSettings): AdLawChecker {
  const key = JSON.stringify(settings.adLaw);
  let checker = checkers.get(key);
  if (!checker) {
    if (checkers.size > 100) checkers.clear();
    checker = createAdLawChecker({ blockTerms: settings.adLaw.blockTerms, warnTerms: settings.adLaw.warnTerms, useDictionary: settings.adLaw.useDictionary });
    checkers.set(key, checker);
  }
  return checker;
}

function contentOf(item: Item, versions: Map<string, TemplateVersionRow>): ContentSource {
  try {
    if (item.template) {
      const v = versions.get(`${item.template.id}:${item.template.version ?? ''}`);
      if (!v) return { ok: false, detail: { error: 'template_not_found', templateId: item.template.id, version: item.template.version ?? null } };
      if (v.archived) return { ok: false, detail: { error: 'template_archived', templateId: item.template.id } };
      return { ok: true, title: v.title ? parseCached(v.title) : null, body: parseCached(v.body) };
    }
    if (item.content) return { ok: true, title: item.content.title ? parseCached(item.content.title) : null, body: parseCached(item.content.text) };
    return item.hasPayload ? { ok: true, none: true } : { ok: false, detail: { error: 'no_content' } };
  } catch (err) {
    if (err instanceof TemplateSyntaxError) return { ok: false, detail: { error: 'syntax', message: err.message, position: err.position } };
    throw err;
  }
}

async function loadTemplates(db: Executor, workspaceId: string, items: readonly Item[]): Promise<Map<string, TemplateVersionRow>> {
  const refs = new Map<string, { id: string; version?: number | undefined }>();
  for (const i of items) if (i.template) refs.set(`${i.template.id}:${i.template.version ?? ''}`, i.template);
  const rows = await loadVersions(db, workspaceId, [...refs.values()]);
  const out = new Map<string, TemplateVersionRow>();
  for (const [key, ref] of refs) {
    const row = rows.find((r) => r.template_id === ref.id && (ref.version === undefined || r.version === ref.version));
    if (row) out.set(key, row);
  }
  return out;
}

async function decide(db: Executor, ctx: EvaluateContext, items: readonly Item[]): Promise<{ decisions: Decision[]; resolved: (number | null)[]; versions: Map<string, TemplateVersionRow> }> {
  const { workspaceId, now } = ctx;
  const recipients = await loadRecipients(db, workspaceId, [...new Set(items.map((i) => i.customerId))]);
  const resolvedIds = [...new Set([...recipients.values()].map((r) => r.id))];
  const marketingIds = [...new Set(items.filter((i) => i.purpose === 'marketing').map((i) => recipients.get(i.customerId)?.id).filter((id): id is number => id !== undefined))];
  const [consents, counts, versions] = await Promise.all([
    loadConsents(db, workspaceId, resolvedIds),
    ledger.capCounts(db, workspaceId, marketingIds, capWindows(now, ctx.timeZone)),
    loadTemplates(db, workspaceId, items),
  ]);
  const candidates: Candidate[] = items.map((i) => {
    const recipient = recipients.get(i.customerId) ?? null;
    return { channel: i.channel, purpose: i.purpose, recipient, consents: (recipient && consents.get(recipient.id)) || new Map(), content: contentOf(i, versions), variables: i.variables };
  });
  const checker = checkerFor(ctx.settings);
  const decisions = decideBatch(candidates, { now, timeZone: ctx.timeZone, settings: ctx.settings, capCounts: counts, checkAdLaw: (t) => checker.check(t) });
  return { decisions, resolved: candidates.map((c) => c.recipient?.id ?? null), versions };
}

/** Decides every item; accepted ones take channel quota (in `db`'s transaction). */
export async function evaluate(db: Executor, ctx: EvaluateContext, items: readonly Item[]): Promise<Outcome[]> {
  const { decisions, resolved, versions } = await decide(db, ctx, items);
  const outcomes = decisions.map((d, n) => toOutcome(d, items[n]!, resolved[n] ?? items[n]!.customerId, ctx, versions));
  await applyQuotas(db, ctx, items, outcomes);
  return outcomes;
}

function toOutcome(d: Decision, item: Item, customerId: number, ctx: EvaluateContext, versions: Map<string, TemplateVersionRow>): Outcome {
  const driver = ctx.settings.drivers[item.channel];
  const templateVersion = item.template ? (versions.get(`${item.template.id}:${item.template.version ?? ''}`)?.version ?? item.template.version ?? null) : null;
  const base = { customerId, driver, templateVersion, warnings: null, title: null, body: null, releaseAt: null, nextAttemptAt: null, countedAt: null, sentAt: null, detail: null };
  if (d.kind === 'suppress') return { ...base, status: 'suppressed', reason: d.reason, detail: d.detail };
  if (d.kind === 'hold') return { ...base, status: 'held', reason: d.reason, releaseAt: d.releaseAt, detail: { releaseAt: d.releaseAt.toISOString() } };
  const countedAt = item.purpose === 'marketing' ? ctx.now : null;
  const accepted = { ...base, reason: null, title: d.title, body: d.body, warnings: d.warnings, countedAt };
  return driver === 'outbox' ? { ...accepted, status: 'sent', sentAt: ctx.now } : { ...accepted, status: 'queued', nextAttemptAt: ctx.now };
}

/** Channel quotas for accepted messages, in batch order; the rest are held or suppressed. */
async function applyQuotas(db: Executor, ctx: EvaluateContext, items: readonly Item[], outcomes: Outcome[]): Promise<void> {
  const byChannel = new Map<Channel, number[]>();
  outcomes.forEach((o, n) => {
    if (o.status !== 'sent' && o.status !== 'queued') return;
    const list = byChannel.get(items[n]!.channel) ?? [];
    list.push(n);
    byChannel.set(items[n]!.channel, list);
  });
  // Channels in a fixed order: two batches lock quota rows in the same order and cannot deadlock.
  for (const [channel, indexes] of [...byChannel].sort(([a], [b]) => a.localeCompare(b))) {
    const windows = quotaWindowsFor(ctx.settings.quotas[channel], ctx.now, ctx.timeZone);
    if (!windows.length) continue;
    const r = await reserveQuota(db, ctx.workspaceId, channel, windows, indexes.length);
    if (r.granted === indexes.length) continue;
    const over = overQuota(r.remaining, ctx.now, ctx.timeZone);
    for (const n of indexes.slice(r.granted)) {
      const o = outcomes[n]!;
      const cleared = { ...o, title: null, body: null, warnings: null, countedAt: null, sentAt: null, nextAttemptAt: null, reason: 'quota' as const };
      outcomes[n] =
        over.kind === 'suppress'
          ? { ...cleared, status: 'suppressed', detail: { window: 'day' } }
          : { ...cleared, status: 'held', releaseAt: over.releaseAt, detail: { window: over.window, releaseAt: over.releaseAt.toISOString() } };
    }
  }
}

/** Gives back the quota taken for accepted messages that were not recorded after all (a concurrent claim of their key won). */
export async function returnQuota(db: Executor, ctx: EvaluateContext, channels: readonly Channel[]): Promise<void> {
  const byChannel = new Map<Channel, number>();
  for (const c of channels) byChannel.set(c, (byChannel.get(c) ?? 0) + 1);
  for (const [channel, n] of [...byChannel].sort(([a], [b]) => a.localeCompare(b))) {
    await addUsage(db, ctx.workspaceId, channel, quotaWindowsFor(ctx.settings.quotas[channel], ctx.now, ctx.timeZone), -n);
  }
}
