/**
 * Posts to groups (group SOPs) through their guard rails: the source hold, quiet hours,
 * template rendering and the advertising-law check (see group-post-rules.ts). Each post is
 * claimed in the group post ledger under the caller's idempotency key in the caller's
 * transaction, so a retry or a crash never posts twice. The `outbox` driver records an
 * accepted post as sent; the WeCom connector will deliver them through its own driver.
 */
import { invalid } from '../../platform/errors.ts';
import { isUuid, newId } from '../../platform/ids.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { checkerFor } from './evaluate.ts';
import type { ContentSource } from './guard-rails.ts';
import { decideGroupPost, type GroupDecision } from './group-post-rules.ts';
import * as repo from './group-posts.repository.ts';
import type { GroupPostView, ListGroupPostsQuery } from './group-posts.schemas.ts';
import type { Executor, MessagingDeps, Trx } from './messaging.deps.ts';
import { SOURCE_KINDS, type MessageContent, type SourceKind } from './message-types.ts';
import { loadSettings } from './settings.repository.ts';
import { loadVersions, type TemplateVersionRow } from './templates.repository.ts';
import { parseCached, TemplateSyntaxError } from './template.ts';

/** The channel that posts to groups. */
export const GROUP_CHANNEL = 'group';
/** Until the WeCom connector delivers group posts, the outbox records them. */
const GROUP_DRIVER = 'outbox';
export const MAX_GROUP_BATCH = 1000;

/** One post a caller asks for. */
export interface GroupPostRequest {
  /** Unique per workspace and post: the same key twice is one post. */
  idempotencyKey: string;
  /** The channel's group identifier (a WeCom chat id). */
  groupId: string;
  template?: { id: string; version?: number | undefined } | undefined;
  content?: MessageContent | undefined;
  variables?: Record<string, string | number> | undefined;
  source: { kind: SourceKind; id?: string | undefined; version?: number | undefined; step?: string | undefined };
}

/** What became of one post. */
export interface GroupPostOutcome {
  idempotencyKey: string;
  postId: string;
  groupId: string;
  status: repo.GroupPostStatus;
  reason: string | null;
  releaseAt: Date | null;
  /** True when the key was already in the ledger: nothing new happened. */
  duplicate: boolean;
  detail: Record<string, unknown> | null;
}


function checkRequest(r: GroupPostRequest, n: number): void {
  const fail = (field: string, reason: string, message: string) => {
    throw invalid('group_post.invalid_request', message, [{ field: `posts[${n}].${field}`, reason }]);
  };
  if (!r.idempotencyKey || r.idempotencyKey.length > 300) fail('idempotencyKey', 'required', 'An idempotency key of 1–300 characters is required');
  if (!r.groupId || r.groupId.length > 200) fail('groupId', 'required', 'A group id of 1–200 characters is required');
  if (!(SOURCE_KINDS as readonly string[]).includes(r.source?.kind)) fail('source.kind', 'invalid', `Source kinds: ${SOURCE_KINDS.join(', ')}`);
  if (r.template && !isUuid(r.template.id ?? '')) fail('template.id', 'invalid', 'A template id is a UUID');
  if (r.template && r.content) fail('template', 'one_of', 'Give a template or content, not both');
  if (!r.template && !r.content) fail('content', 'required', 'Give a template or content');
}

type Ref = { id: string; version?: number | undefined };
const refKey = (t: Ref) => `${t.id}:${t.version ?? ''}`;

async function loadTemplates(db: Executor, workspaceId: string, refs: readonly (Ref | null)[]): Promise<Map<string, TemplateVersionRow>> {
  const wanted = new Map<string, Ref>();
  for (const t of refs) if (t) wanted.set(refKey(t), t);
  const rows = await loadVersions(db, workspaceId, [...wanted.values()]);
  const out = new Map<string, TemplateVersionRow>();
  for (const [key, ref] of wanted) {
    const row = rows.find((r) => r.template_id === ref.id && (ref.version === undefined || r.version === ref.version));
    if (row) out.set(key, row);
  }
  return out;
}

function contentOf(template: Ref | null, content: MessageContent | null, versions: Map<string, TemplateVersionRow>): ContentSource {
  try {
    if (template) {
      const v = versions.get(refKey(template));
      if (!v) return { ok: false, detail: { error: 'template_not_found', templateId: template.id, version: template.version ?? null } };
      if (v.archived) return { ok: false, detail: { error: 'template_archived', templateId: template.id } };
      return { ok: true, title: v.title ? parseCached(v.title) : null, body: parseCached(v.body) };
    }
    if (content) return { ok: true, title: content.title ? parseCached(content.title) : null, body: parseCached(content.text) };
    return { ok: false, detail: { error: 'no_content' } };
  } catch (err) {
    if (err instanceof TemplateSyntaxError) return { ok: false, detail: { error: 'syntax', message: err.message, position: err.position } };
    throw err;
  }
}

/** A post to decide: a new request or a held row. */
interface Subject {
  template: Ref | null;
  content: MessageContent | null;
  variables: Record<string, string | number>;
}

interface Decided {
  decision: GroupDecision;
  templateVersion: number | null;
}

async function decideAll(db: Executor, deps: MessagingDeps, workspaceId: string, now: Date, subjects: readonly Subject[]): Promise<Decided[]> {
  const [timeZone, { settings }, versions] = await Promise.all([
    deps.timeZoneOf(db, workspaceId),
    loadSettings(db, workspaceId),
    loadTemplates(db, workspaceId, subjects.map((s) => s.template)),
  ]);
  const checker = checkerFor(settings);
  const ctx = { now, timeZone, quietHours: settings.quietHours, checkAdLaw: (t: string) => checker.check(t) };
  return subjects.map((s) => ({
    decision: decideGroupPost(contentOf(s.template, s.content, versions), s.variables, ctx),
    templateVersion: s.template ? (versions.get(refKey(s.template))?.version ?? s.template.version ?? null) : null,
  }));
}

/** The columns a decision sets. */
function stateOf(d: GroupDecision, now: Date) {
  const empty = { title: null, body: null, adlaw_warnings: null, release_at: null, sent_at: null };
  if (d.kind === 'suppress') return { ...empty, status: 'suppressed' as const, reason: d.reason, reason_detail: d.detail };
  if (d.kind === 'hold') return { ...empty, status: 'held' as const, reason: d.reason, release_at: d.releaseAt, reason_detail: { releaseAt: d.releaseAt.toISOString() } };
  return { ...empty, status: 'sent' as const, reason: null, reason_detail: null, title: d.title, body: d.body, adlaw_warnings: d.warnings, sent_at: now };
}

function outcomeOf(row: repo.GroupPostRow, duplicate: boolean): GroupPostOutcome {
  return {
    idempotencyKey: row.idempotency_key, postId: row.id, groupId: row.group_id, status: row.status, reason: row.reason, releaseAt: row.release_at,
    duplicate, detail: (row.reason_detail as Record<string, unknown> | null) ?? null,
  };
}

export function groupPostView(r: repo.GroupPostRow): GroupPostView {
  return {
    id: r.id, idempotencyKey: r.idempotency_key, groupId: r.group_id, channel: r.channel, driver: r.driver,
    source: { kind: r.source_kind, id: r.source_id, version: r.source_version, step: r.source_step },
    templateId: r.template_id, templateVersion: r.template_version, title: r.title, body: r.body, status: r.status, reason: r.reason,
    reasonDetail: r.reason_detail ?? null, adlawWarnings: (r.adlaw_warnings as GroupPostView['adlawWarnings']) ?? null, releaseAt: r.release_at,
    sentAt: r.sent_at, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export interface GroupReleaseSummary {
  released: number;
  sent: number;
  held: number;
  suppressed: number;
}

export function createGroupPostsService(deps: MessagingDeps) {
  const { db, clock } = deps;

  /**
   * Posts a batch (up to MAX_GROUP_BATCH) inside the caller's transaction. A key seen before —
   * in the ledger, or earlier in the same batch — is a duplicate: its recorded outcome comes
   * back and nothing new happens. Outcomes come back in request order.
   */
  async function postToGroups(trx: Trx, workspaceId: string, requests: readonly GroupPostRequest[]): Promise<GroupPostOutcome[]> {
    if (requests.length > MAX_GROUP_BATCH) throw invalid('group_post.batch_too_large', `At most ${MAX_GROUP_BATCH} posts per batch`, [{ field: 'posts', reason: 'too_many' }]);
    requests.forEach(checkRequest);
    if (!requests.length) return [];
    const now = clock.now();
    const existing = new Map((await repo.findByKeys(trx, workspaceId, requests.map((r) => r.idempotencyKey))).map((r) => [r.idempotency_key, r]));
    const fresh = new Map<string, GroupPostRequest>();
    for (const r of requests) if (!existing.has(r.idempotencyKey) && !fresh.has(r.idempotencyKey)) fresh.set(r.idempotencyKey, r);
    const created = new Map<string, repo.GroupPostRow>();
    if (fresh.size) {
      const list = [...fresh.values()];
      const decided = await decideAll(trx, deps, workspaceId, now, list.map((r) => ({ template: r.template ?? null, content: r.content ?? null, variables: r.variables ?? {} })));
      const rows: repo.GroupPostRow[] = list.map((r, n) => ({
        id: newId(), idempotency_key: r.idempotencyKey, group_id: r.groupId, channel: GROUP_CHANNEL, driver: GROUP_DRIVER,
        template_id: r.template?.id ?? null, template_version: decided[n]!.templateVersion, content: r.content ?? null, variables: r.variables ?? {},
        ...stateOf(decided[n]!.decision, now),
        source_kind: r.source.kind, source_id: r.source.id ?? null, source_version: r.source.version ?? null, source_step: r.source.step ?? null,
        requested_at: now, created_at: now, updated_at: now,
      }));
      const claimed = await repo.insertPosts(trx, workspaceId, rows);
      for (const row of rows) if (claimed.has(row.idempotency_key)) created.set(row.idempotency_key, row);
      // Claimed by a concurrent transaction between our look-up and insert: theirs stands.
      const lost = rows.filter((row) => !claimed.has(row.idempotency_key)).map((row) => row.idempotency_key);
      for (const row of await repo.findByKeys(trx, workspaceId, lost)) existing.set(row.idempotency_key, row);
    }
    const firstOfKey = new Set<string>();
    return requests.map((r) => {
      const mine = created.get(r.idempotencyKey);
      const isFirst = !firstOfKey.has(r.idempotencyKey);
      firstOfKey.add(r.idempotencyKey);
      return mine ? outcomeOf(mine, !isFirst) : outcomeOf(existing.get(r.idempotencyKey)!, true);
    });
  }

  /** One transaction: up to `limit` due held posts (not of a held source), checked again. */
  async function releaseOnce(limit: number, workspaceId: string | null): Promise<GroupReleaseSummary> {
    const summary: GroupReleaseSummary = { released: 0, sent: 0, held: 0, suppressed: 0 };
    await db.transaction().execute(async (trx) => {
      const now = clock.now();
      const rows = await repo.lockDueHeld(trx, now, limit, workspaceId);
      summary.released = rows.length;
      for (const ws of new Set(rows.map((r) => r.workspace_id))) {
        const mine = rows.filter((r) => r.workspace_id === ws);
        const decided = await decideAll(trx, deps, ws, now, mine.map((r) => ({
          template: r.template_id ? { id: r.template_id, version: r.template_version ?? undefined } : null,
          content: (r.content as MessageContent | null) ?? null,
          variables: (r.variables as Record<string, string | number> | null) ?? {},
        })));
        await repo.applyRedecisions(trx, ws, mine.map((r, n) => ({ id: r.id, ...stateOf(decided[n]!.decision, now), template_version: decided[n]!.templateVersion })), now);
        for (const d of decided) {
          if (d.decision.kind === 'accept') summary.sent++;
          else if (d.decision.kind === 'hold') summary.held++;
          else summary.suppressed++;
        }
      }
    });
    return summary;
  }

  /** Releases every due held post, in batches (the messaging minute tick). */
  async function releaseDue(options: { workspaceId?: string | null; limit?: number; maxRounds?: number } = {}): Promise<GroupReleaseSummary> {
    const total: GroupReleaseSummary = { released: 0, sent: 0, held: 0, suppressed: 0 };
    const limit = options.limit ?? 500;
    for (let round = 0; round < (options.maxRounds ?? 100); round++) {
      const s = await releaseOnce(limit, options.workspaceId ?? null);
      for (const k of Object.keys(total) as (keyof GroupReleaseSummary)[]) total[k] += s[k];
      if (s.released < limit) break;
    }
    return total;
  }

  /** The group post ledger, newest first. */
  async function list(ctx: WorkspaceContext, q: ListGroupPostsQuery) {
    const rows = await repo.listPosts(db, ctx.workspaceId, { ...q, before: q.cursor, limit: q.limit + 1 });
    const items = rows.slice(0, q.limit);
    return { items: items.map(groupPostView), nextCursor: rows.length > q.limit ? (items.at(-1)?.id ?? null) : null };
  }

  return { postToGroups, releaseDue, list };
}

export type GroupPostsService = ReturnType<typeof createGroupPostsService>;
