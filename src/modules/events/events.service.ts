/**
 * Event ingestion: validate each event alone, then under the workspace's identity lock skip
 * known client ids and resolve identities for the rest (set-based), insert them, and apply
 * the interaction aggregates. Accepted events commit together; rejected ones never touch the
 * database. On PostgreSQL an API batch holds the lock only for the resolution (see
 * `concurrentWrites`), so batches of one workspace overlap.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { retryOnDeadlock } from '../../platform/db/pool.ts';
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
  /** Analyse the written tables as they grow (see customers/auto-analyze.ts). */
  autoAnalyze?: boolean;
  /** Told when a background analysis of the written tables failed. */
  onAnalyzeError?: (err: unknown) => void;
  /**
   * The database runs transactions side by side (PostgreSQL). An API batch then resolves
   * identities under the workspace lock in a short first transaction and writes its events,
   * aggregates, announcement and audit entry in a second one outside the lock, holding its
   * customers against merges (docs/ingestion.md, "Throughput"). The embedded engine runs one
   * transaction at a time, so there one transaction does everything.
   */
  concurrentWrites?: boolean;
}

export interface IngestOptions {
  /** Recorded on each event and identity: 'api', 'import', 'demo', ... */
  source?: string;
  /** Record one audit entry for the batch (default true). */
  audit?: boolean;
}

/** An event another module derives (order status changes, refunds), already attributed. */
export type DerivedEvent = repo.EventRow;

/** What customers.changed carries of an inserted event (without its client id). */
const announced = ({ id, type, customerId, occurredAt }: repo.InsertedEvent): repo.InsertedEvent => ({ id, type, customerId, occurredAt });

export function createEventsService(deps: EventsDeps) {
  const analyzer = createAutoAnalyze(deps.db, {
    enabled: !!deps.autoAnalyze,
    tables: ['events', 'customers', 'customer_identities', 'customer_stats'],
    ...(deps.onAnalyzeError ? { onError: deps.onAnalyzeError } : {}),
  });

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
    return inserted.map(announced);
  }

  /** The valid events whose client ids are not stored yet (first of each id in the batch). */
  async function freshEvents(db: Db | Trx, workspaceId: string, events: ValidEvent[]): Promise<ValidEvent[]> {
    const known = await repo.findExistingClientIds(db, workspaceId, events.map((e) => e.clientId));
    const seen = new Set<string>();
    return events.filter((e) => {
      if (known.has(e.clientId) || seen.has(e.clientId)) return false;
      seen.add(e.clientId);
      return true;
    });
  }

  /** Resolves the customers of fresh events (caller holds the identity lock): the rows to insert. */
  async function attribute(trx: Trx, ctx: WorkspaceContext, fresh: ValidEvent[], source: string, now: Date, types?: Map<string, IdentityTypeDef>) {
    const resolved = await deps.customers.resolve(
      trx,
      ctx,
      // Joining events move joined_at back in the same write as the rest of the profile.
      fresh.map((e) => ({ identities: e.identities, at: e.at, profile: e.profile, joinedAt: JOINING_EVENT_TYPES.has(e.type) ? e.at : undefined })),
      { source, now, types },
    );
    const rows: repo.EventRow[] = fresh.map((e, i) => ({ clientId: e.clientId, type: e.type, at: e.at, customerId: resolved.rows[i]!.customerId, identityId: resolved.rows[i]!.identityId, properties: e.properties }));
    return { rows, summary: resolved.summary };
  }

  /** The customers.changed announcement of inserted events (their aggregates were applied with the insert). */
  async function announceInserted(trx: Trx, workspaceId: string, inserted: repo.InsertedEvent[], source: string) {
    await deps.customers.announce(trx, workspaceId, inserted.map((e) => e.customerId), source === 'import' ? 'import' : 'event', inserted.map(announced));
  }

  /**
   * Ingests valid events in the caller's transaction (imports and the demo call this inside
   * their own). Returns the accepted client ids with their customer and the identity
   * resolution summary (customers created, identities added, merges, reviews).
   */
  async function ingestValidInTransaction(trx: Trx, ctx: WorkspaceContext, events: ValidEvent[], source: string, now: Date, types?: Map<string, IdentityTypeDef>) {
    const ws = ctx.workspaceId;
    await deps.customers.lock(trx, ws);
    const fresh = await freshEvents(trx, ws, events);
    const { rows, summary } = await attribute(trx, ctx, fresh, source, now, types);
    // Client ids were checked under the workspace lock: a plain insert, no conflict handling.
    const inserted = await repo.insertNewEvents(trx, ws, rows, source, now, deps.customers.interactionsFrom);
    await announceInserted(trx, ws, inserted, source);
    return { accepted: new Map(rows.map((r) => [r.clientId, r.customerId])), summary };
  }

  /**
   * The same on PostgreSQL in two transactions, after skipping stored client ids. (1) Under
   * the identity lock: resolve (customers and identities commit here). (2) Outside it: pin
   * the customers (a merge committed in between is followed to its survivor; one starting
   * now waits for this commit), insert the events skipping client ids another batch stored
   * meanwhile with their aggregates in the same statement, announce, audit. A crash between
   * the two leaves only the resolution, which the client's retry finds again; no event is
   * stored twice or lost.
   */
  async function ingestOverlapping(ctx: WorkspaceContext, events: ValidEvent[], source: string, now: Date, types: Map<string, IdentityTypeDef>, audit: (trx: Trx, accepted: number) => Promise<void>) {
    const ws = ctx.workspaceId;
    // Stored client ids are skipped before the lock: the second transaction skips any stored
    // meanwhile anyway (a batch's events are stored after its lock is released), so checking
    // under the lock would exclude no race and only hold the lock longer.
    const fresh = events.length ? await freshEvents(deps.db, ws, events) : [];
    const resolved = fresh.length
      ? await deps.db.transaction().execute(async (trx) => {
          await deps.customers.lock(trx, ws);
          return (await attribute(trx, ctx, fresh, source, now, types)).rows;
        })
      : [];
    return retryOnDeadlock(() =>
      deps.db.transaction().execute(async (trx) => {
        let accepted = new Map<string, number>();
        if (resolved.length) {
          const survivor = await deps.customers.pin(trx, ws, resolved.map((r) => r.customerId));
          // In client-id order: two batches racing on the same ids wait on each other in one order.
          const rows = resolved.map((r) => ({ ...r, customerId: survivor.get(r.customerId) ?? r.customerId })).sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
          const inserted = await repo.insertEvents(trx, ws, rows, source, now, deps.customers.interactionsFrom);
          await announceInserted(trx, ws, inserted, source);
          accepted = new Map(inserted.map((e) => [e.clientId, e.customerId]));
        }
        await audit(trx, accepted.size);
        return accepted;
      }),
    );
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
    const audit = async (trx: Trx, acceptedCount: number) => {
      if (options.audit === false) return;
      await recordAudit(trx, ctx, {
        action: 'events.ingest',
        targetType: 'events',
        details: { received: input.length, accepted: acceptedCount, rejected: input.length - valid.length },
      });
    };
    let accepted = new Map<string, number>();
    if (valid.length || options.audit !== false) {
      accepted = deps.concurrentWrites
        ? await ingestOverlapping(ctx, valid, source, now, types, audit)
        : await deps.db.transaction().execute(async (trx) => {
            const inOne = valid.length ? (await ingestValidInTransaction(trx, ctx, valid, source, now, types)).accepted : new Map<string, number>();
            await audit(trx, inOne.size);
            return inOne;
          });
    }
    analyzer.noteWrites(accepted.size);
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
