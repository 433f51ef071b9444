/**
 * Loads demo persons through the real ingestion services, the way a brand's systems would feed
 * Siyu: in chunks of persons, each chunk as platform orders placed before joining, then the
 * interaction events in time order, then the other orders, in API-sized batches. Everything is
 * keyed (event ids, order numbers), so running it twice stores nothing twice; a chunk whose
 * last row is stored is skipped when resuming.
 */
import type { WorkspaceContext } from '../../platform/http/context.ts';
import type { DemoDeps, IngestSummary, UpsertSummary } from './demo.deps.ts';
import { analyzeDemoTables, assignOwnersAndAttributes, existingClientIds, orderExists, type OwnerAssignment } from './demo.repository.ts';
import { generatePerson, type DemoContext, type DemoEvent, type DemoOrder, type DemoPerson } from './generator.ts';
import { eventInput, orderInput } from './inputs.ts';

export interface LoadOptions {
  from: number;
  to: number;
  /** Persons per chunk (the unit of resuming). */
  chunkSize: number;
  /** Rows per API call (at most 1000). */
  batchSize: number;
  /** Skip chunks already stored completely. */
  resume: boolean;
  owners: ReadonlyMap<string, string>;
  hasSkinType: boolean;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: LoadProgress) => void) | undefined;
}

export interface LoadProgress {
  persons: number;
  total: number;
  events: number;
  orders: number;
  skippedChunks: number;
}

export class SeedInterrupted extends Error {
  constructor() {
    super('demo seeding was interrupted');
    this.name = 'SeedInterrupted';
  }
}

export async function loadThroughServices(deps: DemoDeps, ctx: WorkspaceContext, demo: DemoContext, options: LoadOptions): Promise<LoadProgress> {
  const progress: LoadProgress = { persons: 0, total: options.to - options.from, events: 0, orders: 0, skippedChunks: 0 };
  for (let start = options.from; start < options.to; start += options.chunkSize) {
    if (options.signal?.aborted) throw new SeedInterrupted();
    const persons: DemoPerson[] = [];
    for (let i = start; i < Math.min(options.to, start + options.chunkSize); i++) persons.push(generatePerson(demo, i));
    const plan = chunkPlan(persons);
    if (options.resume && (await isChunkStored(deps, ctx.workspaceId, plan))) {
      progress.skippedChunks++;
    } else {
      await sendOrders(deps, ctx, plan.preOrders, options);
      await sendEvents(deps, ctx, plan.events, options);
      await assignOwnersAndAttributes(deps.database.db, ctx.workspaceId, ownerRows(persons, options), deps.clock.now());
      await sendOrders(deps, ctx, plan.laterOrders, options);
      // The embedded engine has no autovacuum: fresh statistics keep its plans (foreign-key
      // checks above all) from assuming the tables are as small as when the seeding began.
      if (deps.database.kind === 'embedded') await analyzeDemoTables(deps.database.db);
    }
    progress.persons += persons.length;
    progress.events += plan.events.length;
    progress.orders += plan.preOrders.length + plan.laterOrders.length;
    options.onProgress?.({ ...progress });
  }
  return progress;
}

interface ChunkPlan {
  preOrders: DemoOrder[];
  events: DemoEvent[];
  laterOrders: DemoOrder[];
  /** The row stored last: when it is there, the chunk was stored to its end. */
  marker: { order: DemoOrder } | { event: DemoEvent } | null;
}

/** The processing order of a chunk (see the module comment). */
export function chunkPlan(persons: readonly DemoPerson[]): ChunkPlan {
  const preOrders: DemoOrder[] = [];
  const laterOrders: DemoOrder[] = [];
  const events: DemoEvent[] = [];
  for (const p of persons) {
    for (const o of p.orders) (o.orderedAt < p.joinedAt ? preOrders : laterOrders).push(o);
    events.push(...p.events);
  }
  const byOrderTime = (a: DemoOrder, b: DemoOrder) => a.orderedAt - b.orderedAt || (a.orderNo < b.orderNo ? -1 : 1);
  preOrders.sort(byOrderTime);
  laterOrders.sort(byOrderTime);
  events.sort((a, b) => a.occurredAt - b.occurredAt || (a.clientId < b.clientId ? -1 : 1));
  const lastOrder = laterOrders.at(-1);
  const lastEvent = events.at(-1);
  const marker = lastOrder ? { order: lastOrder } : lastEvent ? { event: lastEvent } : null;
  return { preOrders, events, laterOrders, marker };
}

async function isChunkStored(deps: DemoDeps, workspaceId: string, plan: ChunkPlan): Promise<boolean> {
  if (!plan.marker) return false;
  if ('order' in plan.marker) return orderExists(deps.database.db, workspaceId, plan.marker.order.platform, plan.marker.order.orderNo);
  const clientId = plan.marker.event.clientId;
  return (await existingClientIds(deps.database.db, workspaceId, [clientId])).has(clientId);
}

type BatchOptions = Pick<LoadOptions, 'batchSize' | 'signal'>;

// Interrupted between batches, a chunk is simply sent again on resuming (nothing is stored twice).
async function sendEvents(deps: DemoDeps, ctx: WorkspaceContext, events: DemoEvent[], { batchSize, signal }: BatchOptions): Promise<void> {
  for (let i = 0; i < events.length; i += batchSize) {
    if (signal?.aborted) throw new SeedInterrupted();
    const r = await deps.ingestEvents(ctx, events.slice(i, i + batchSize).map(eventInput), { source: 'demo', audit: false });
    if (r.rejected) throw rejection('event', r);
  }
}

async function sendOrders(deps: DemoDeps, ctx: WorkspaceContext, orders: DemoOrder[], { batchSize, signal }: BatchOptions): Promise<void> {
  for (let i = 0; i < orders.length; i += batchSize) {
    if (signal?.aborted) throw new SeedInterrupted();
    const r = await deps.upsertOrders(ctx, orders.slice(i, i + batchSize).map(orderInput), { source: 'demo', audit: false });
    if (r.rejected) throw rejection('order', r);
  }
}

function rejection(kind: string, r: IngestSummary | UpsertSummary): Error {
  const bad = r.results.find((x) => x.status === 'rejected');
  return new Error(`the demo generator produced an invalid ${kind}: ${bad?.field ?? ''} ${bad?.reason ?? ''} ${bad?.message ?? ''}`.trim());
}

/** Advisors and custom attributes are not part of events; they are set per customer afterwards. */
export function ownerRows(persons: readonly DemoPerson[], options: Pick<LoadOptions, 'owners' | 'hasSkinType'>): OwnerAssignment[] {
  const rows: OwnerAssignment[] = [];
  for (const p of persons) {
    const owner = p.profile.owner ? (options.owners.get(p.profile.owner) ?? null) : null;
    const attributes = options.hasSkinType && p.profile.skinType ? { skin_type: p.profile.skinType } : {};
    if (!owner && !Object.keys(attributes).length) continue;
    const unionid = p.identities.find((i) => i.type === 'wechat_unionid')!;
    rows.push({ type: unionid.type, scope: unionid.scope, value: unionid.value, ownerUserId: owner, attributes });
  }
  return rows;
}
