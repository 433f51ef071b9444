/**
 * Event ingestion: validate each event alone, then in one transaction under the workspace's
 * identity lock: skip known client ids, resolve identities for the rest (set-based), insert
 * them, and apply the interaction aggregates. Accepted events commit together; rejected
 * ones never touch the database.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { invalid } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import { createAutoAnalyze, type CustomerWrites, type IdentityTypeDef, type MergeParticipant, type Trx } from '../customers/index.ts';
import { JOINING_EVENT_TYPES } from './event-types.ts';
import { validateEvent, type ValidEvent } from './event-validation.ts';
import * as repo from './events.repository.ts';
import { MAX_EVENTS_PER_BATCH, type EventOutcome, type IngestResult } from './events.schemas.ts';

export interface EventsDeps {
  db: Db;
  clock: Clock;
  customers: CustomerWrites;
  /** Analyse the written tables as they grow (the embedded engine has no autovacuum). */
  autoAnalyze?: boolean;
}

export interface IngestOptions {
  /** Recorded on each event and identity: 'api', 'import', 'demo', ... */
  source?: string;
  /** Record one audit entry for the batch (default true). */
  audit?: boolean;
}

/** An event another module derives (order status changes, refunds), already attributed. */
export type DerivedEvent = repo.EventRow;

export function createEventsService(deps: EventsDeps) {
  const analyzer = createAutoAnalyze(deps.db, { enabled: !!deps.autoAnalyze, tables: ['events', 'customers', 'customer_identities', 'customer_stats'] });

  /**
   * Inserts already-attributed events in the caller's transaction, skipping stored client
   * ids, and applies their interaction aggregates. Returns the events inserted (the caller
   * announces them on customers.changed with its own cause).
   */
  async function appendEvents(trx: Trx, workspaceId: string, rows: DerivedEvent[], source: string, now: Date): Promise<repo.InsertedEvent[]> {
    const inserted = await repo.insertEvents(trx, workspaceId, rows, source, now);
    const ids = new Set(inserted.map((e) => e.clientId));
    const applied = rows.filter((r) => ids.has(r.clientId));
    await deps.customers.applyInteractions(
      trx,
      workspaceId,
      applied.map((r) => ({ customerId: r.customerId, at: r.at, isJoin: JOINING_EVENT_TYPES.has(r.type) })),
      now,
    );
    return inserted.map(({ id, type, customerId, occurredAt }) => ({ id, type, customerId, occurredAt }));
  }

  /**
   * Ingests valid events in the caller's transaction (imports and the demo call this inside
   * their own). Returns the accepted client ids with their customer and the identity
   * resolution summary (customers created, identities added, merges, reviews).
   */
  async function ingestValidInTransaction(trx: Trx, ctx: WorkspaceContext, events: ValidEvent[], source: string, now: Date, types?: Map<string, IdentityTypeDef>) {
    const ws = ctx.workspaceId;
    await deps.customers.lock(trx, ws);
    const known = await repo.findExistingClientIds(trx, ws, events.map((e) => e.clientId));
    const seen = new Set<string>();
    const fresh = events.filter((e) => {
      if (known.has(e.clientId) || seen.has(e.clientId)) return false;
      seen.add(e.clientId);
      return true;
    });
    const resolved = await deps.customers.resolve(
      trx,
      ctx,
      // Joining events move joined_at back in the same write as the rest of the profile.
      fresh.map((e) => ({ identities: e.identities, at: e.at, profile: e.profile, joinedAt: JOINING_EVENT_TYPES.has(e.type) ? e.at : undefined })),
      { source, now, types },
    );
    const rows = fresh.map((e, i) => ({ clientId: e.clientId, type: e.type, at: e.at, customerId: resolved.rows[i]!.customerId, identityId: resolved.rows[i]!.identityId, properties: e.properties }));
    // Client ids were checked under the workspace lock: a plain insert, no conflict handling.
    const inserted = await repo.insertNewEvents(trx, ws, rows, source, now);
    await deps.customers.applyInteractions(trx, ws, rows.map((r) => ({ customerId: r.customerId, at: r.at, isJoin: false })), now);
    await deps.customers.announce(trx, ws, inserted.map((e) => e.customerId), source === 'import' ? 'import' : 'event', inserted);
    return { accepted: new Map(rows.map((r) => [r.clientId, r.customerId])), summary: resolved.summary };
  }

  /**
   * POST /api/v1/events semantics. `input` is the raw array (each item validated alone).
   * Throws `events.batch_too_large` / `events.empty_batch` for the batch as a whole.
   */
  async function ingestEvents(ctx: WorkspaceContext, input: readonly unknown[], options: IngestOptions = {}): Promise<IngestResult> {
    if (input.length > MAX_EVENTS_PER_BATCH) {
      throw invalid('events.batch_too_large', `At most ${MAX_EVENTS_PER_BATCH} events per request; split the batch`, [
        { field: 'events', reason: 'too_many', max: MAX_EVENTS_PER_BATCH, received: input.length },
      ]);
    }
    if (!input.length) throw invalid('events.empty_batch', 'The batch has no events', [{ field: 'events', reason: 'empty' }]);
    const source = options.source ?? (ctx.actor.type === 'api_key' ? 'api' : ctx.actor.type);
    const now = deps.clock.now();
    const types = await deps.customers.loadIdentityTypes(deps.db, ctx.workspaceId);
    const outcomes: EventOutcome[] = [];
    const valid: ValidEvent[] = [];
    input.forEach((raw, index) => {
      const v = validateEvent(raw, index, types, now);
      if ('status' in v) outcomes[index] = v;
      else valid.push(v);
    });
    let accepted = new Map<string, number>();
    if (valid.length || options.audit !== false) {
      await deps.db.transaction().execute(async (trx) => {
        if (valid.length) accepted = (await ingestValidInTransaction(trx, ctx, valid, source, now, types)).accepted;
        if (options.audit !== false) {
          await recordAudit(trx, ctx, {
            action: 'events.ingest',
            targetType: 'events',
            details: { received: input.length, accepted: accepted.size, rejected: input.length - valid.length },
          });
        }
      });
    }
    await analyzer.noteWrites(accepted.size);
    const claimed = new Set<string>();
    for (const v of valid) {
      const customerId = accepted.get(v.clientId);
      const first = customerId !== undefined && !claimed.has(v.clientId);
      if (first) claimed.add(v.clientId);
      outcomes[v.index] = first ? { index: v.index, id: v.clientId, status: 'accepted', customerId } : { index: v.index, id: v.clientId, status: 'duplicate' };
    }
    const count = (s: EventOutcome['status']) => outcomes.filter((o) => o.status === s).length;
    return { accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected'), results: outcomes };
  }

  /** Events follow their customer through merges, and back through undos by identity. */
  const mergeParticipant: MergeParticipant = {
    name: 'events',
    onMerge: (trx, ws, from, to) => repo.reassignAll(trx, ws, from, to),
    onMergeMany: (trx, ws, moves) => repo.reassignMany(trx, ws, moves),
    onUnmerge: (trx, ws, identityIds, to, from) => repo.reassignByIdentity(trx, ws, identityIds, from, to),
  };

  return { ingestEvents, ingestValidInTransaction, appendEvents, mergeParticipant, validateEvent };
}

export type EventsService = ReturnType<typeof createEventsService>;
