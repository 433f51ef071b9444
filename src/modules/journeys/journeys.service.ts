/**
 * Journey definitions and their life: create, edit (a version that has been live never
 * changes: editing makes a new one, which new entrants take while customers in flight finish
 * on theirs), validate, activate, pause (due steps hold), resume, stop (everyone in flight
 * exits with the reason; held messages are withdrawn). Each change is one transaction with
 * its audit entry. Reads that touch other connections happen before a transaction opens.
 */
import type { ErrorDetail } from '../../platform/errors.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { issuesToDetails } from '../../platform/validation.ts';
import { recordAudit } from '../audit/index.ts';
import * as enr from './enrollments.repository.ts';
import type { JourneysDeps, Trx } from './journeys.deps.ts';
import * as repo from './journeys.repository.ts';
import { JourneyDefinitionSchema, type JourneyDefinition } from './journeys.schemas.ts';
import type { CreateJourneyBody, JourneyStatus, JourneyView, ListJourneysQuery, UpdateJourneyBody } from './journeys-api.schemas.ts';
import { isTimedTrigger, nextTriggerFire } from './journey-time.ts';
import { definitionIssues, referencesOf, templateIdsOf } from './journey-validation.ts';
import * as facts from './facts.repository.ts';
import type { Playbook } from './playbooks.ts';

export function journeySummary(j: repo.JourneyRow & { in_flight?: number | null }, def: JourneyDefinition) {
  return {
    id: j.id,
    name: j.name,
    description: j.description,
    status: j.status as JourneyStatus,
    latestVersion: j.latest_version,
    liveVersion: j.live_version,
    playbook: j.playbook,
    triggerType: def.trigger.type,
    inFlight: Number(j.in_flight ?? 0),
    nextFireAt: j.next_fire_at,
    activatedAt: j.activated_at,
    pausedAt: j.paused_at,
    stoppedAt: j.stopped_at,
    createdAt: j.created_at,
    updatedAt: j.updated_at,
  };
}

const isGroupSop = (def: JourneyDefinition) => def.trigger.type === 'schedule' && def.trigger.audience.type === 'groups';

/** A playbook's definition with its group audience filled (group SOPs only). */
function withGroups(definition: Playbook['definition'], groupIds: readonly string[] | undefined): unknown {
  if (!groupIds) return definition;
  const parsed = JourneyDefinitionSchema.parse(definition);
  if (!isGroupSop(parsed) || parsed.trigger.type !== 'schedule') {
    throw invalid('journey.playbook_groups', 'groupIds apply only to group SOP playbooks', [{ field: 'groupIds', reason: 'not_group_sop', message: 'groupIds apply only to group SOP playbooks' }]);
  }
  return { ...parsed, trigger: { ...parsed.trigger, audience: { type: 'groups', groupIds: [...new Set(groupIds)] } } };
}

export function createJourneysService(deps: JourneysDeps) {
  const { db, clock } = deps;

  /** Every reason the definition cannot go live in this workspace (empty when it can). */
  async function issuesOf(workspaceId: string, def: JourneyDefinition): Promise<ErrorDetail[]> {
    const m = deps.messaging;
    const templates = await m.templateChannels(workspaceId, templateIdsOf(def));
    const known = await facts.existingReferences(db, workspaceId, referencesOf(def));
    const channels = new Set([...m.channels, ...(m.groupChannel ? [m.groupChannel] : [])]);
    const issues = definitionIssues(def, { channels, templates, groupChannel: m.groupChannel ?? 'group', known });
    if (isGroupSop(def) && def.trigger.type === 'schedule' && def.trigger.audience.type === 'groups' && !def.trigger.audience.groupIds.length) {
      issues.push({ field: 'trigger.audience.groupIds', reason: 'no_groups', message: 'trigger.audience.groupIds: name the groups to post to' });
    }
    // Without a group channel in messaging (a deployment that has none), say so plainly.
    return issues.map((i) =>
      i.reason === 'unknown_channel' && !m.groupChannel && isGroupSop(def)
        ? { ...i, reason: 'group_channel_unavailable', message: `${i.field}: posting to groups needs a group channel in messaging, and this deployment has none` }
        : i,
    );
  }

  /** Validates any JSON as a definition: shape problems first, then the graph's. */
  async function validate(ctx: WorkspaceContext, raw: unknown): Promise<{ valid: boolean; issues: ErrorDetail[] }> {
    const parsed = JourneyDefinitionSchema.safeParse(raw);
    if (!parsed.success) return { valid: false, issues: issuesToDetails(parsed.error.issues) };
    const issues = await issuesOf(ctx.workspaceId, parsed.data);
    return { valid: issues.length === 0, issues };
  }

  async function assertValid(workspaceId: string, def: JourneyDefinition): Promise<void> {
    const issues = await issuesOf(workspaceId, def);
    if (issues.length) throw invalid('journey.invalid', issues[0]!.message ?? 'The journey is not valid', issues.map((i) => ({ ...i, field: `definition.${i.field}` })));
  }

  async function load(workspaceId: string, id: string) {
    const j = await repo.findJourney(db, workspaceId, id);
    if (!j) throw notFound('journey.not_found', 'Journey not found');
    const v = await repo.findVersion(db, workspaceId, id, j.latest_version);
    return { j, def: v!.definition };
  }

  async function get(ctx: WorkspaceContext, id: string): Promise<JourneyView> {
    const { j, def } = await load(ctx.workspaceId, id);
    const inFlight = (await enr.activeCount(db, ctx.workspaceId, id)) ?? 0;
    return { ...journeySummary({ ...j, in_flight: inFlight }, def), definition: def, issues: await issuesOf(ctx.workspaceId, def) };
  }

  async function list(ctx: WorkspaceContext, q: ListJourneysQuery) {
    let before: repo.JourneyListFilter['before'];
    if (q.cursor) {
      const [at, id] = Buffer.from(q.cursor, 'base64url').toString().split('|');
      if (!id || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) || Number.isNaN(new Date(at ?? '').getTime())) throw invalid('validation_failed', 'The cursor is not valid', [{ field: 'query.cursor', reason: 'invalid_cursor' }]);
      before = { updatedAt: new Date(at!), id };
    }
    const rows = await repo.listJourneys(db, ctx.workspaceId, { status: q.status, q: q.q, before, limit: q.limit + 1 });
    const items = rows.slice(0, q.limit);
    const defs = await repo.definitionsOf(db, ctx.workspaceId, items.map((r) => ({ id: r.id, version: r.latest_version })));
    const last = items.at(-1);
    return {
      items: items.map((r) => journeySummary(r, defs.get(r.id)!)),
      nextCursor: rows.length > q.limit && last ? Buffer.from(`${last.updated_at.toISOString()}|${last.id}`).toString('base64url') : null,
    };
  }

  async function create(ctx: WorkspaceContext, body: CreateJourneyBody, playbook: string | null = null): Promise<JourneyView> {
    const id = newId();
    await db.transaction().execute(async (trx) => {
      await repo.insertJourney(trx, { workspaceId: ctx.workspaceId, id, name: body.name, description: body.description ?? null, playbook, definition: body.definition, createdBy: ctx.actor.label, now: clock.now() });
      await recordAudit(trx, ctx, { action: 'journey.create', targetType: 'journey', targetId: id, details: { name: body.name, playbook } });
    });
    return get(ctx, id);
  }

  /**
   * The one-action enable: a journey from a playbook, activated at once when asked (and only
   * if it may go live). `groupIds` fills a group SOP's audience.
   */
  async function createFromPlaybook(ctx: WorkspaceContext, playbook: Playbook, options: { name?: string | undefined; activate: boolean; groupIds?: readonly string[] | undefined }): Promise<JourneyView> {
    const definition = JourneyDefinitionSchema.parse(withGroups(playbook.definition, options.groupIds));
    if (options.activate) await assertValid(ctx.workspaceId, definition);
    const created = await create(ctx, { name: options.name ?? playbook.name.zh, description: playbook.description.zh, definition }, playbook.key);
    return options.activate ? activate(ctx, created.id) : created;
  }

  const isLive = (status: string) => status === 'active' || status === 'paused';

  async function update(ctx: WorkspaceContext, id: string, body: UpdateJourneyBody): Promise<JourneyView> {
    const ws = ctx.workspaceId;
    const before = await load(ws, id);
    if (body.definition && isLive(before.j.status)) await assertValid(ws, body.definition);
    const tz = await deps.timeZoneOf(ws);
    await db.transaction().execute(async (trx) => {
      const j = (await repo.findJourney(trx, ws, id, 'update'))!;
      const now = clock.now();
      const set: Partial<repo.JourneyRow> = { updated_at: now };
      if (body.name !== undefined) set.name = body.name;
      if (body.description !== undefined) set.description = body.description;
      let version = j.latest_version;
      if (body.definition) {
        const latest = (await repo.findVersion(trx, ws, id, j.latest_version))!;
        const live = isLive(j.status);
        if (live && !isLive(before.j.status)) throw conflict('journey.changed', 'The journey changed while you edited it; try again');
        if (latest.activated_at) {
          version = j.latest_version + 1;
          await repo.insertVersion(trx, { workspaceId: ws, journeyId: id, version, definition: body.definition, createdBy: ctx.actor.label, now, activatedAt: live ? now : null });
          set.latest_version = version;
          if (live) {
            set.live_version = version;
            set.next_fire_at = isTimedTrigger(body.definition.trigger) ? nextTriggerFire(body.definition.trigger, now, tz) : null;
          }
        } else {
          await repo.replaceDraftVersion(trx, ws, id, version, body.definition);
        }
      }
      await repo.updateJourney(trx, ws, id, set);
      await recordAudit(trx, ctx, { action: 'journey.update', targetType: 'journey', targetId: id, details: { fields: Object.keys(body), version } });
    });
    return get(ctx, id);
  }

  /** Locks the journey, checks its status is one of `from`, applies `change`, audits. */
  async function transition(ctx: WorkspaceContext, id: string, action: string, from: readonly string[], change: (trx: Trx, j: repo.JourneyRow, now: Date) => Promise<Record<string, unknown>>) {
    await db.transaction().execute(async (trx) => {
      const j = await repo.findJourney(trx, ctx.workspaceId, id, 'update');
      if (!j) throw notFound('journey.not_found', 'Journey not found');
      if (!from.includes(j.status)) throw conflict('journey.invalid_state', `A ${j.status} journey cannot be ${action}d`, { status: j.status });
      const details = await change(trx, j, clock.now());
      await recordAudit(trx, ctx, { action: `journey.${action}`, targetType: 'journey', targetId: id, details });
    });
    return get(ctx, id);
  }

  async function activate(ctx: WorkspaceContext, id: string): Promise<JourneyView> {
    const { j: before, def } = await load(ctx.workspaceId, id);
    if (!['draft', 'stopped'].includes(before.status)) throw conflict('journey.invalid_state', `A ${before.status} journey cannot be activated${before.status === 'paused' ? '; resume it' : ''}`, { status: before.status });
    await assertValid(ctx.workspaceId, def);
    const tz = await deps.timeZoneOf(ctx.workspaceId);
    return transition(ctx, id, 'activate', ['draft', 'stopped'], async (trx, j, now) => {
      if (j.latest_version !== before.latest_version) throw conflict('journey.changed', 'The journey changed meanwhile; try again');
      await repo.markActivated(trx, ctx.workspaceId, id, j.latest_version, now);
      const nextFire = isTimedTrigger(def.trigger) ? nextTriggerFire(def.trigger, now, tz) : null;
      await repo.updateJourney(trx, ctx.workspaceId, id, { status: 'active', live_version: j.latest_version, activated_at: now, paused_at: null, stopped_at: null, next_fire_at: nextFire, updated_at: now });
      return { version: j.latest_version };
    });
  }

  async function pause(ctx: WorkspaceContext, id: string): Promise<JourneyView> {
    return transition(ctx, id, 'pause', ['active'], async (trx, _j, now) => {
      await repo.updateJourney(trx, ctx.workspaceId, id, { status: 'paused', paused_at: now, updated_at: now });
      // Messages already decided (held for quiet hours, queued for delivery) wait too.
      await deps.messaging.holdSource(trx, ctx.workspaceId, { sourceKind: 'journey', sourceId: id });
      return {};
    });
  }

  async function resume(ctx: WorkspaceContext, id: string): Promise<JourneyView> {
    const { def } = await load(ctx.workspaceId, id);
    const tz = await deps.timeZoneOf(ctx.workspaceId);
    return transition(ctx, id, 'resume', ['paused'], async (trx, j, now) => {
      const live = j.live_version ? (await repo.findVersion(trx, ctx.workspaceId, id, j.live_version))!.definition : def;
      // Fires that fell in the pause are skipped; steps that fell due run now.
      const nextFire = isTimedTrigger(live.trigger) ? nextTriggerFire(live.trigger, now, tz) : null;
      await repo.updateJourney(trx, ctx.workspaceId, id, { status: 'active', paused_at: null, next_fire_at: nextFire, updated_at: now });
      await deps.messaging.releaseSourceHold(trx, ctx.workspaceId, { sourceKind: 'journey', sourceId: id });
      await deps.wakeRunner({ trx });
      return {};
    });
  }

  async function stop(ctx: WorkspaceContext, id: string, reason?: string): Promise<JourneyView> {
    return transition(ctx, id, 'stop', ['active', 'paused'], async (trx, _j, now) => {
      await repo.updateJourney(trx, ctx.workspaceId, id, { status: 'stopped', stopped_at: now, paused_at: null, next_fire_at: null, updated_at: now });
      const exited = await enr.exitAll(trx, ctx.workspaceId, id, 'stopped', now);
      const withdrawn = await deps.messaging.cancelPending(trx, ctx.workspaceId, { sourceKind: 'journey', sourceId: id });
      await deps.messaging.releaseSourceHold(trx, ctx.workspaceId, { sourceKind: 'journey', sourceId: id });
      // Nobody should still call a customer for a journey that was stopped.
      const skippedTasks = await deps.tasks.skipOpenBySource(trx, ctx.workspaceId, 'journey', id, ctx.actor.label, now);
      return { exited, withdrawnMessages: withdrawn, skippedTasks, reason: reason ?? null };
    });
  }

  async function versions(ctx: WorkspaceContext, id: string) {
    const { j } = await load(ctx.workspaceId, id);
    const rows = await repo.listVersions(db, ctx.workspaceId, id);
    return { items: rows.map((v) => ({ version: v.version, isLive: v.version === j.live_version && isLive(j.status), activatedAt: v.activated_at, createdBy: v.created_by, createdAt: v.created_at, definition: v.definition })) };
  }

  async function version(ctx: WorkspaceContext, id: string, n: number) {
    const { j } = await load(ctx.workspaceId, id);
    const v = await repo.findVersion(db, ctx.workspaceId, id, n);
    if (!v) throw notFound('journey.version_not_found', `Journey has no version ${n}`);
    return { version: v.version, isLive: v.version === j.live_version && isLive(j.status), activatedAt: v.activated_at, createdBy: v.created_by, createdAt: v.created_at, definition: v.definition };
  }

  return { validate, issuesOf, get, list, create, createFromPlaybook, update, activate, pause, resume, stop, versions, version, load };
}

export type JourneysService = ReturnType<typeof createJourneysService>;
