/**
 * Order upserts (PUT /api/v1/orders/{platform}/{orderNo} and the batch form imports use):
 * validate each order alone, then in one transaction under the workspace identity lock:
 * decide create / update / unchanged / stale against the stored state, resolve identities,
 * write orders and items set-based, append the derived order.* events, and recompute the
 * order aggregates of the affected customers.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { invalid } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { issuesToDetails } from '../../platform/validation.ts';
import { recordAudit } from '../audit/index.ts';
import { createAutoAnalyze, normalizeIdentity, type CustomerWrites, type Identity, type IdentityTypeDef, type MergeParticipant, type Trx } from '../customers/index.ts';
import { parseInstant, type DerivedEvent, type InsertedEvent } from '../events/index.ts';
import { decideUpsert, deriveOrderEvents, isViolation, mergeMilestones, normalizeOrder, type NormalizedOrder } from './order-rules.ts';
import * as repo from './orders.repository.ts';
import { OrderUpsertSchema, type OrderOutcome } from './orders.schemas.ts';

export interface OrdersDeps {
  db: Db;
  clock: Clock;
  customers: CustomerWrites;
  appendEvents(trx: Trx, workspaceId: string, rows: DerivedEvent[], source: string, now: Date): Promise<InsertedEvent[]>;
  /** Analyse the written tables as they grow (see customers/auto-analyze.ts). */
  autoAnalyze?: boolean;
  /** Told when a background analysis of the written tables failed. */
  onAnalyzeError?: (err: unknown) => void;
}

export interface UpsertOptions {
  source?: string;
  /** Record one audit entry for the batch (default true). */
  audit?: boolean;
}

export interface ValidOrder {
  index: number;
  order: NormalizedOrder;
  identities: Identity[];
}

export const MAX_ORDERS_PER_BATCH = 1000;

/** Validates one order of a batch; pure apart from the identity types it is given. */
export function validateOrder(raw: unknown, index: number, types: ReadonlyMap<string, IdentityTypeDef>): ValidOrder | OrderOutcome {
  const key = raw && typeof raw === 'object' ? (raw as { platform?: unknown; orderNo?: unknown }) : {};
  const head = { index, platform: typeof key.platform === 'string' ? key.platform : null, orderNo: typeof key.orderNo === 'string' ? key.orderNo : null };
  const parsed = OrderUpsertSchema.safeParse(raw);
  if (!parsed.success) {
    const d = issuesToDetails(parsed.error.issues)[0]!;
    return { ...head, status: 'rejected', field: d.field ?? '', reason: d.reason, message: d.message ?? 'Invalid value' };
  }
  const order = normalizeOrder(parsed.data, parseInstant);
  if (isViolation(order)) return { ...head, status: 'rejected', ...order };
  const identities: Identity[] = [];
  for (const [i, input] of parsed.data.identities.entries()) {
    const n = normalizeIdentity(input, types);
    if (!n.ok) return { ...head, status: 'rejected', field: `identities[${i}].${n.field}`, reason: n.reason, message: n.message };
    identities.push(n.identity);
  }
  return { index, order, identities };
}

export function createOrdersService(deps: OrdersDeps) {
  const analyzer = createAutoAnalyze(deps.db, {
    enabled: !!deps.autoAnalyze,
    tables: ['orders', 'order_items', 'events', 'customers', 'customer_identities', 'customer_stats'],
    ...(deps.onAnalyzeError ? { onError: deps.onAnalyzeError } : {}),
  });

  /** Writes valid orders in the caller's transaction; returns one outcome per order. */
  async function upsertValidInTransaction(trx: Trx, ctx: WorkspaceContext, valid: ValidOrder[], source: string, now: Date, types?: Map<string, IdentityTypeDef>): Promise<OrderOutcome[]> {
    const ws = ctx.workspaceId;
    await deps.customers.lock(trx, ws);
    // The same order twice in a batch: the newest state wins, the others count as stale.
    const latest = new Map<string, ValidOrder>();
    for (const v of valid) {
      const k = repo.orderKey(v.order.platform, v.order.orderNo);
      const cur = latest.get(k);
      if (!cur || v.order.statusAt >= cur.order.statusAt) latest.set(k, v);
    }
    const stored = await repo.findOrders(trx, ws, [...latest.values()].map((v) => v.order));
    const outcomes = new Map<number, OrderOutcome>();
    const changing: { v: ValidOrder; decision: 'create' | 'update' }[] = [];
    for (const v of valid) {
      const k = repo.orderKey(v.order.platform, v.order.orderNo);
      const s = stored.get(k);
      const decision = latest.get(k) === v ? decideUpsert(s, v.order) : 'stale';
      const head = { index: v.index, platform: v.order.platform, orderNo: v.order.orderNo };
      if (decision === 'create' || decision === 'update') changing.push({ v, decision });
      else outcomes.set(v.index, { ...head, status: decision === 'unchanged' ? 'unchanged' : 'stale', ...(s ? { orderId: s.id, customerId: s.customerId } : {}) });
    }
    const resolved = await deps.customers.resolve(trx, ctx, changing.map(({ v }) => ({ identities: v.identities, at: v.order.statusAt, profile: v.order.profile })), { source, now, types });
    const newIds = await repo.allocateOrderIds(trx, changing.filter((c) => c.decision === 'create').length);
    const writes: repo.OrderWrite[] = [];
    const events: DerivedEvent[] = [];
    const affected = new Set<number>();
    let n = 0;
    changing.forEach(({ v, decision }, i) => {
      const s = stored.get(repo.orderKey(v.order.platform, v.order.orderNo));
      const order = mergeMilestones(s, v.order);
      // An order keeps the customer it was first attributed to; merges move it.
      const customerId = s?.customerId ?? resolved.rows[i]!.customerId;
      const identityId = s?.identityId ?? resolved.rows[i]!.identityId;
      const id = s?.id ?? newIds[n++]!;
      writes.push({ id, order, customerId, identityId });
      affected.add(customerId);
      const derived = deriveOrderEvents(s, order).map((e) => ({ ...e, customerId, identityId }));
      events.push(...derived);
      outcomes.set(v.index, {
        index: v.index,
        platform: order.platform,
        orderNo: order.orderNo,
        status: decision === 'create' ? 'created' : 'updated',
        orderId: id,
        customerId,
        events: derived.map((e) => e.type),
      });
    });
    await repo.upsertOrderRows(trx, ws, writes, source, now);
    await repo.replaceItems(trx, ws, writes, writes.filter((w) => stored.has(repo.orderKey(w.order.platform, w.order.orderNo))).map((w) => w.id));
    const inserted = await deps.appendEvents(trx, ws, events, source, now);
    await deps.customers.recomputeOrders(trx, ws, [...affected], now);
    await deps.customers.announce(trx, ws, affected, source === 'import' ? 'import' : 'order', inserted);
    return valid.map((v) => outcomes.get(v.index)!);
  }

  /** Validates and writes a batch of orders; rejected ones are reported and not written. */
  async function upsertOrders(ctx: WorkspaceContext, input: readonly unknown[], options: UpsertOptions = {}) {
    if (input.length > MAX_ORDERS_PER_BATCH) {
      throw invalid('orders.batch_too_large', `At most ${MAX_ORDERS_PER_BATCH} orders per batch`, [{ field: 'orders', reason: 'too_many', max: MAX_ORDERS_PER_BATCH }]);
    }
    const source = options.source ?? (ctx.actor.type === 'api_key' ? 'api' : ctx.actor.type);
    const types = await deps.customers.loadIdentityTypes(deps.db, ctx.workspaceId);
    const outcomes: OrderOutcome[] = [];
    const valid: ValidOrder[] = [];
    input.forEach((raw, index) => {
      const v = validateOrder(raw, index, types);
      if ('status' in v) outcomes[index] = v;
      else valid.push(v);
    });
    await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      if (valid.length) for (const o of await upsertValidInTransaction(trx, ctx, valid, source, now, types)) outcomes[o.index] = o;
      if (options.audit !== false) {
        const changed = outcomes.filter((o) => o.status === 'created' || o.status === 'updated');
        await recordAudit(trx, ctx, {
          action: 'orders.upsert',
          targetType: 'order',
          ...(input.length === 1 && changed[0] ? { targetId: `${changed[0].platform}/${changed[0].orderNo}` } : {}),
          details: { received: input.length, changed: changed.length, rejected: input.length - valid.length },
        });
      }
    });
    const count = (s: OrderOutcome['status']) => outcomes.filter((o) => o.status === s).length;
    analyzer.noteWrites(count('created') + count('updated'));
    return { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), stale: count('stale'), rejected: count('rejected'), results: outcomes };
  }

  const mergeParticipant: MergeParticipant = {
    name: 'orders',
    onMerge: (trx, ws, from, to) => repo.reassignAll(trx, ws, from, to),
    onMergeMany: (trx, ws, moves) => repo.reassignMany(trx, ws, moves),
    onUnmerge: (trx, ws, identityIds, to, from) => repo.reassignByIdentity(trx, ws, identityIds, from, to),
  };

  async function getOrder(ctx: WorkspaceContext, platform: string, orderNo: string) {
    const order = await repo.getOrder(deps.db, ctx.workspaceId, platform, orderNo);
    if (!order) return undefined;
    return { ...order, items: await repo.getItems(deps.db, ctx.workspaceId, order.id) };
  }

  return { upsertOrders, upsertValidInTransaction, validateOrder, mergeParticipant, getOrder };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
