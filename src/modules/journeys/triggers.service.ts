/**
 * What moves customers into and out of journeys: the customers.changed feed (event triggers,
 * event exit rules, goals, opt-outs), segments.membership_changed (segment triggers and
 * left-segment exits), and the minute tick (schedules, yearly dates, joining days). Handlers
 * are idempotent and order-independent: every entry is keyed by its trigger occurrence, exits
 * and goals re-read the enrollment's state.
 */
import * as enr from './enrollments.repository.ts';
import * as facts from './facts.repository.ts';
import type { JourneysDeps } from './journeys.deps.ts';
import * as repo from './journeys.repository.ts';
import type { JourneyDefinition } from './journeys.schemas.ts';
import { anniversaryKeys, dueFires, isTimedTrigger, joinedDayFor, localDate } from './journey-time.ts';
import { startStepId } from './journey-validation.ts';
import { matchesAll } from './property-filter.ts';
import type { Runner } from './runner.service.ts';
import type { CustomersChangedMessage } from '../customers/index.ts';

/** The customers.changed message (owned by customers, see docs/architecture.md). */
export type CustomersChanged = CustomersChangedMessage;

/** segments.membership_changed. */
export interface MembershipChanged {
  workspaceId: string;
  changes: { segmentId: string; customerId: number; change: 'entered' | 'exited'; at: string }[];
}

/** Events older than this when they arrive (imports of history) trigger no journey. */
export const TRIGGER_MAX_AGE_MS = 24 * 3_600_000;
const PAGE = 5000;

type Live = Awaited<ReturnType<typeof repo.liveJourneys>>[number];
type Event = NonNullable<CustomersChanged['events']>[number];

export function createTriggers(deps: JourneysDeps, runner: Runner) {
  const { db, clock } = deps;

  /** Enrolls candidates into one journey's live version; returns the new ids. */
  async function enrollInto(workspaceId: string, j: { id: string; version: number; definition: JourneyDefinition }, candidates: enr.Candidate[]): Promise<number[]> {
    if (!candidates.length) return [];
    const ids = await db.transaction().execute((trx) =>
      enr.enroll(trx, { workspaceId, journeyId: j.id, version: j.version, startStep: startStepId(j.definition), reentry: j.definition.reentry, now: clock.now(), candidates }),
    );
    if (candidates.length >= 1000) await enr.analyzeIfStale(db);
    return ids;
  }

  async function propertiesFor(workspaceId: string, journeys: Live[], events: Event[]) {
    const filtered = new Set<string>();
    for (const j of journeys) {
      const d = j.definition;
      if (d.trigger.type === 'event' && d.trigger.filters?.length) filtered.add(d.trigger.eventType);
      for (const x of d.exits) if (x.type === 'event' && x.filters?.length) filtered.add(x.eventType);
      if (d.goal?.filters?.length) filtered.add(d.goal.eventType);
    }
    return facts.eventProperties(db, workspaceId, events.filter((e) => filtered.has(e.type)).map((e) => e.id));
  }

  async function onWorkspaceChanged(workspaceId: string, events: Event[], customerIds: number[]): Promise<void> {
    const journeys = await repo.liveJourneys(db, workspaceId);
    if (!journeys.length) return;
    const now = clock.now();
    const props = await propertiesFor(workspaceId, journeys, events);
    const propsOf = (e: Event) => props.get(e.id) ?? {};
    const exits: { journeyId: string; customerId: number; at: Date; reason: string }[] = [];
    const goals: { journeyId: string; customerId: number; at: Date; days: number }[] = [];
    const entries: { journey: Live; candidates: enr.Candidate[] }[] = [];
    for (const j of journeys) {
      const d = j.definition;
      if (j.status === 'active' && d.trigger.type === 'event') {
        const t = d.trigger;
        const fresh = events.filter((e) => e.type === t.eventType && now.getTime() - new Date(e.occurredAt).getTime() <= TRIGGER_MAX_AGE_MS && matchesAll(propsOf(e), t.filters));
        entries.push({ journey: j, candidates: fresh.map((e) => ({ customerId: e.customerId, groupId: null, occurrence: `event:${e.id}`, trigger: { type: 'event', eventId: e.id, eventType: e.type, occurredAt: e.occurredAt }, at: now })) });
      }
      for (const rule of d.exits) {
        if (rule.type !== 'event') continue;
        for (const e of events) if (e.type === rule.eventType && matchesAll(propsOf(e), rule.filters)) exits.push({ journeyId: j.id, customerId: e.customerId, at: new Date(e.occurredAt), reason: `event:${e.type}` });
      }
      const goal = d.goal;
      if (goal) for (const e of events) if (e.type === goal.eventType && matchesAll(propsOf(e), goal.filters)) goals.push({ journeyId: j.id, customerId: e.customerId, at: new Date(e.occurredAt), days: goal.withinDays });
    }
    const optOut = journeys.filter((j) => j.definition.exits.some((x) => x.type === 'opted_out')).map((j) => j.id);
    await db.transaction().execute(async (trx) => {
      await enr.markConverted(trx, workspaceId, goals);
      await enr.exitMatching(trx, workspaceId, exits, now);
      await enr.exitOptedOut(trx, workspaceId, optOut, customerIds, now);
    });
    for (const { journey, candidates } of entries) {
      const ids = await enrollInto(workspaceId, journey, candidates);
      if (ids.length) await runner.runNow(workspaceId, journey.id, ids);
    }
  }

  /** A batch of customers.changed jobs. */
  async function onCustomersChanged(batch: readonly Partial<CustomersChanged>[]): Promise<void> {
    const byWorkspace = new Map<string, { events: Map<number, Event>; customers: Set<number> }>();
    for (const d of batch) {
      if (!d.workspaceId) continue;
      if (!byWorkspace.has(d.workspaceId)) byWorkspace.set(d.workspaceId, { events: new Map(), customers: new Set() });
      const w = byWorkspace.get(d.workspaceId)!;
      for (const id of d.customerIds ?? []) w.customers.add(id);
      for (const e of d.events ?? []) {
        w.events.set(e.id, e);
        w.customers.add(e.customerId);
      }
    }
    for (const [ws, w] of byWorkspace) await onWorkspaceChanged(ws, [...w.events.values()], [...w.customers]);
  }

  /** A batch of segments.membership_changed jobs. */
  async function onSegmentsChanged(batch: readonly Partial<MembershipChanged>[]): Promise<void> {
    const byWorkspace = new Map<string, MembershipChanged['changes']>();
    for (const d of batch) if (d.workspaceId && d.changes) byWorkspace.set(d.workspaceId, [...(byWorkspace.get(d.workspaceId) ?? []), ...d.changes]);
    for (const [ws, changes] of byWorkspace) {
      const journeys = await repo.liveJourneys(db, ws);
      if (!journeys.length) continue;
      const now = clock.now();
      const exits: { journeyId: string; customerId: number; at: Date; reason: string }[] = [];
      for (const j of journeys) {
        const t = j.definition.trigger;
        for (const rule of j.definition.exits) {
          if (rule.type !== 'left_segment') continue;
          const segmentId = rule.segmentId ?? (t.type === 'segment' ? t.segmentId : null);
          for (const c of changes) if (c.change === 'exited' && c.segmentId === segmentId) exits.push({ journeyId: j.id, customerId: c.customerId, at: new Date(c.at), reason: 'left_segment' });
        }
      }
      if (exits.length) await db.transaction().execute((trx) => enr.exitMatching(trx, ws, exits, now));
      for (const j of journeys) {
        const t = j.definition.trigger;
        if (j.status !== 'active' || t.type !== 'segment') continue;
        const hits = changes.filter((c) => c.segmentId === t.segmentId && c.change === t.change);
        const ids = await enrollInto(
          ws,
          j,
          hits.map((c) => ({ customerId: c.customerId, groupId: null, occurrence: `segment:${c.segmentId}:${c.change}:${c.at}`, trigger: { type: 'segment', segmentId: c.segmentId, change: c.change, at: c.at }, at: now })),
        );
        if (ids.length) await runner.runNow(ws, j.id, ids);
      }
    }
  }

  /** Enrolls a timed trigger's audience for one fire, page by page (each page its own transaction; re-running a fire adds no one twice). */
  async function fireAudience(workspaceId: string, j: Live, fire: Date, tz: string): Promise<number> {
    const t = j.definition.trigger;
    const trigger = { type: t.type, fireAt: fire.toISOString() };
    let page: (after: number) => Promise<number[]>;
    let occurrence: string;
    if (t.type === 'schedule') {
      occurrence = `fire:${fire.toISOString()}`;
      const a = t.audience;
      if (a.type === 'groups') {
        const ids = await enrollInto(workspaceId, j, a.groupIds.map((g) => ({ customerId: null, groupId: g, occurrence, trigger, at: clock.now() })));
        return ids.length;
      }
      page = a.type === 'segment' ? (after) => deps.segments.membersPage(db, workspaceId, a.segmentId, after, PAGE) : (after) => deps.segments.matchingPage(db, workspaceId, a.condition, after, PAGE);
    } else if (t.type === 'date') {
      const { year, keys } = anniversaryKeys(localDate(fire, tz), t.offsetDays ?? 0);
      occurrence = `date:${year}`;
      page = (after) => facts.anniversaryPage(db, workspaceId, t.attribute, keys, after, PAGE);
    } else if (t.type === 'joined') {
      const day = joinedDayFor(localDate(fire, tz), t.days);
      occurrence = `joined:${day}`;
      page = (after) => facts.joinedPage(db, workspaceId, day, tz, after, PAGE);
    } else {
      return 0;
    }
    let enrolled = 0;
    for (let after = 0; ; ) {
      const ids = await page(after);
      if (!ids.length) break;
      const added = await enrollInto(workspaceId, j, ids.map((id) => ({ customerId: id, groupId: null, occurrence, trigger, at: clock.now() })));
      enrolled += added.length;
      // Workers start on the first pages while the rest are enrolled.
      if (added.length) await deps.wakeRunner({});
      after = ids.at(-1)!;
      if (ids.length < PAGE) break;
    }
    return enrolled;
  }

  /** Fires the due timed triggers of active journeys; returns how many customers (or groups) entered. */
  async function fireDue(): Promise<number> {
    const now = clock.now();
    let enrolled = 0;
    for (const { workspace_id: ws, id } of await repo.dueTimedJourneys(db, now)) {
      const journey = await repo.findJourney(db, ws, id);
      if (!journey || journey.status !== 'active' || !journey.next_fire_at || !journey.live_version) continue;
      const live = (await repo.liveJourneys(db, ws)).find((j) => j.id === id);
      if (!live || !isTimedTrigger(live.definition.trigger)) continue;
      const tz = await deps.timeZoneOf(ws);
      const { fire, next } = dueFires(live.definition.trigger, journey.next_fire_at, now, tz);
      for (const f of fire) enrolled += await fireAudience(ws, live, f, tz);
      // Only the process that read this next_fire_at moves it on.
      await db.updateTable('journeys').set({ next_fire_at: next }).where('workspace_id', '=', ws).where('id', '=', id).where('next_fire_at', '=', journey.next_fire_at).execute();
    }
    return enrolled;
  }

  /** The minute tick: timed triggers, leftover tag changes, and a wake-up when steps are due. */
  async function tick(): Promise<{ enrolled: number; due: boolean }> {
    const enrolled = await fireDue();
    await runner.applyTagEffects({ olderThan: new Date(clock.now().getTime() - 60_000), limit: 100 });
    const due = (await enr.journeysWithDueWork(db, clock.now())).length > 0;
    if (due) await deps.wakeRunner({});
    return { enrolled, due };
  }

  return { onCustomersChanged, onSegmentsChanged, fireDue, tick, enrollInto };
}

export type Triggers = ReturnType<typeof createTriggers>;
