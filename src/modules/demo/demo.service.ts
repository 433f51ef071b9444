/**
 * Seeding a workspace with the demo brand: its advisors (operator users), the skin-type
 * attribute, then the persons through the services (default up to 100,000) or in bulk.
 * One audit entry records each run.
 */
import { invalid, notFound } from '../../platform/errors.ts';
import { systemContext, type WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import { loadBulk, type BulkProgress } from './bulk-loader.ts';
import { ADVISORS } from './catalog.ts';
import type { DemoDeps } from './demo.deps.ts';
import { countStored } from './demo.repository.ts';
import { createDemoContext, startOfDay } from './generator.ts';
import { loadThroughServices, type LoadProgress } from './service-loader.ts';

/** Above this many customers `auto` loads in bulk. */
export const SERVICE_PATH_LIMIT = 100_000;
export const DEFAULT_DEMO_SEED = 2024;
export const SKIN_TYPES = ['干性', '油性', '混合性', '敏感性', '中性'];

export interface SeedRequest {
  workspaceId: string;
  customers: number;
  seed?: number | undefined;
  /** The demo's "now"; default: the start of today in the workspace time zone. */
  anchor?: Date | undefined;
  method?: 'auto' | 'services' | 'bulk' | undefined;
  /** Benchmarks: mean orders per customer to aim for. */
  ordersPerCustomer?: number | undefined;
  resume?: boolean | undefined;
  /** Smaller batches keep an embedded database responsive while it serves requests. */
  batchSize?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: { persons: number; total: number }) => void) | undefined;
}

export interface SeedSummary {
  workspaceId: string;
  seed: number;
  /** Demo persons generated (each ends as one customer). */
  persons: number;
  anchor: string;
  method: 'services' | 'bulk';
  /** What the workspace holds afterwards: active customers, events (order events too), orders. */
  customers: number;
  events: number;
  orders: number;
  /** Customers merged into another by OneID (service path). */
  merged: number;
  skippedChunks: number;
  seconds: number;
  bulk?: BulkProgress['seconds'] & { rows: BulkProgress['rows'] };
}

export function createDemoService(deps: DemoDeps) {
  async function prepareWorkspace(ctx: WorkspaceContext): Promise<{ owners: Map<string, string>; hasSkinType: boolean }> {
    const owners = new Map<string, string>();
    for (const advisor of ADVISORS) {
      owners.set(advisor.key, await deps.ensureMember(ctx, { email: advisor.email, name: advisor.name, role: 'operator' }));
    }
    await deps.ensureAttribute(ctx, { key: 'skin_type', labelZh: '肤质', labelEn: 'Skin type', options: SKIN_TYPES });
    return { owners, hasSkinType: true };
  }

  async function seed(request: SeedRequest): Promise<SeedSummary> {
    const started = performance.now();
    if (!Number.isSafeInteger(request.customers) || request.customers < 0) {
      throw invalid('demo.invalid_customers', 'The number of customers must be a whole number ≥ 0', [{ field: 'customers', reason: 'invalid' }]);
    }
    const timeZone = await deps.workspaceTimeZone(request.workspaceId);
    if (!timeZone) throw notFound('workspace.not_found', `No workspace ${request.workspaceId}`);
    const ctx = { ...systemContext(request.workspaceId, 'demo'), role: 'owner' };
    const seedValue = request.seed ?? DEFAULT_DEMO_SEED;
    const anchor = request.anchor ?? startOfDay(deps.clock.now(), timeZone);
    const demo = createDemoContext({ seed: seedValue, customers: request.customers, anchor, timeZone, ordersPerCustomer: request.ordersPerCustomer });
    const method = request.method === 'bulk' || (request.method !== 'services' && request.customers > SERVICE_PATH_LIMIT) ? 'bulk' : 'services';
    const { owners, hasSkinType } = await prepareWorkspace(ctx);
    const base = { owners, hasSkinType, from: 0, to: request.customers, signal: request.signal, onProgress: request.onProgress };
    let loaded: LoadProgress | null = null;
    let bulk: BulkProgress | null = null;
    if (method === 'services') {
      loaded = await loadThroughServices(deps, ctx, demo, { ...base, chunkSize: 500, batchSize: request.batchSize ?? 1000, resume: request.resume ?? true });
    } else {
      bulk = await loadBulk(deps, request.workspaceId, demo, base);
    }
    const summary: SeedSummary = {
      workspaceId: request.workspaceId,
      seed: seedValue,
      persons: request.customers,
      anchor: anchor.toISOString(),
      method,
      ...(await countStored(deps.database.db, request.workspaceId)),
      skippedChunks: loaded?.skippedChunks ?? 0,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      ...(bulk ? { bulk: { ...bulk.seconds, rows: bulk.rows } } : {}),
    };
    await deps.database.db.transaction().execute((trx) =>
      recordAudit(trx, ctx, { action: 'demo.seed', targetType: 'workspace', targetId: request.workspaceId, details: { ...summary, bulk: undefined } }),
    );
    deps.logger.info({ ...summary }, 'demo brand seeded');
    return summary;
  }

  return { seed };
}

export type DemoService = ReturnType<typeof createDemoService>;
