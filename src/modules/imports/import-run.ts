/**
 * Running one import: plan the files, validate against the write ports, then either stop
 * with nothing written (bad rows without --skip-bad-rows, a file that does not fit, a file
 * already imported) or write in batches, each batch in one transaction together with the
 * import's progress, so a crashed run resumes where the last batch committed.
 */
import { createHash } from 'node:crypto';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import type { Trx } from '../customers/index.ts';
import { planImport, type FileReport, type ImportFile, type ImportPlan } from './engine.ts';
import type { EncodingChoice } from './encoding.ts';
import type { ImportsDeps } from './imports.deps.ts';
import * as repo from './imports.repository.ts';
import type { RowError } from './import-types.ts';
import { validateCustomers, validateOrders, writeCustomers, type CustomerWrite } from './import-writer.ts';
import type { Mapping } from './mapping.ts';

export interface RunOptions {
  encoding: EncodingChoice;
  skipBadRows: boolean;
  force: boolean;
}

export interface ImportProgress {
  phase: 'reading' | 'writing';
  done: number;
  total: number;
}

export interface ImportSummary {
  status: 'completed' | 'rejected' | 'failed' | 'duplicate' | 'dry_run';
  files: FileReport[];
  rows: number;
  skippedRows: number;
  skipped: { reason: string; count: number }[];
  rejectedRows: number;
  errorCount: number;
  orders: number;
  ordersCreated: number;
  ordersUpdated: number;
  ordersUnchanged: number;
  ordersStale: number;
  customerRows: number;
  eventsRecorded: number;
  customersCreated: number;
  customersMerged: number;
  durationMs: number;
  duplicateOf: { importId: string; finishedAt: string | null } | null;
  message: string;
}

export interface Validated {
  plan: ImportPlan;
  orders: ReturnType<typeof validateOrders>['valid'];
  customers: CustomerWrite[];
  errors: RowError[];
  summary: ImportSummary;
}

export function mappingHash(mapping: Mapping): string {
  return createHash('sha256').update(JSON.stringify(mapping)).digest('hex');
}

function emptySummary(plan: ImportPlan): ImportSummary {
  return {
    status: 'dry_run',
    files: plan.files,
    rows: plan.rows,
    skippedRows: plan.skippedRows,
    skipped: plan.skipped,
    rejectedRows: plan.badRows + plan.droppedRows,
    errorCount: plan.errorCount,
    orders: 0,
    ordersCreated: 0,
    ordersUpdated: 0,
    ordersUnchanged: 0,
    ordersStale: 0,
    customerRows: 0,
    eventsRecorded: 0,
    customersCreated: 0,
    customersMerged: 0,
    durationMs: 0,
    duplicateOf: null,
    message: '',
  };
}

/** Plans and validates without writing anything: the dry run, and the first step of every run. */
export async function planAndValidate(
  deps: ImportsDeps,
  workspaceId: string,
  files: readonly ImportFile[],
  mapping: Mapping,
  encoding: EncodingChoice,
  onProgress?: (p: ImportProgress) => void,
): Promise<Validated> {
  const plan = await planImport(files, mapping, {
    encoding,
    onProgress: (p) => onProgress?.({ phase: 'reading', done: p.bytesRead, total: p.bytesTotal }),
  });
  const summary = emptySummary(plan);
  const types = await deps.customers.loadIdentityTypes(deps.db, workspaceId);
  const errors = [...plan.errors];
  let orders: Validated['orders'] = [];
  let customers: CustomerWrite[] = [];
  if (plan.kind === 'orders') {
    const v = validateOrders(deps, plan.orders, types);
    orders = v.valid;
    errors.push(...v.errors);
    summary.rejectedRows += v.rejectedRows;
    summary.orders = orders.length;
  } else {
    const v = validateCustomers(deps, plan.customers, types, deps.clock.now());
    customers = v.valid;
    errors.push(...v.errors);
    summary.rejectedRows += v.rejectedRows;
    summary.customerRows = customers.length;
  }
  summary.errorCount = plan.errorCount + (errors.length - plan.errors.length);
  errors.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return { plan, orders, customers, errors, summary };
}

const BATCH_ORDERS = 1000;
const BATCH_ITEMS = 10_000;

/** Splits work into batches of at most 1,000 orders and 10,000 items. */
function batches<T>(list: readonly T[], weight: (t: T) => number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let w = 0;
  for (const t of list) {
    const tw = weight(t);
    if (cur.length && (cur.length >= BATCH_ORDERS || w + tw > BATCH_ITEMS)) {
      out.push(cur);
      cur = [];
      w = 0;
    }
    cur.push(t);
    w += tw;
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * Runs an import whose row exists (status running). Returns the final summary, stored on the
 * row with the error report. `ctx` is who the writes are attributed to.
 */
export async function executeImport(
  deps: ImportsDeps,
  ctx: WorkspaceContext,
  row: repo.ImportRow,
  files: readonly ImportFile[],
  mapping: Mapping,
  options: RunOptions,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportSummary> {
  const started = Date.now();
  const ws = ctx.workspaceId;
  const v = await planAndValidate(deps, ws, files, mapping, options.encoding, onProgress);
  const { plan, summary } = v;
  const finish = async (status: ImportSummary['status'], message: string) => {
    summary.status = status;
    summary.message = message;
    summary.durationMs = Date.now() - started;
    await deps.db.transaction().execute(async (trx) => {
      await repo.replaceErrors(trx, ws, row.id, v.errors);
      await repo.updateImport(trx, ws, row.id, {
        status: status === 'dry_run' ? 'failed' : status,
        summary: JSON.stringify(summary),
        error_count: summary.errorCount,
        message,
        rows_total: plan.rows,
        finished_at: deps.clock.now(),
        ...(summary.duplicateOf ? { duplicate_of: summary.duplicateOf.importId } : {}),
      });
      if (status === 'completed') await repo.dropFileContent(trx, ws, row.id);
      await recordAudit(trx, ctx, { action: `import.${status}`, targetType: 'import', targetId: row.id, details: { file: row.file_name, rows: plan.rows, errors: summary.errorCount, message } });
    });
    return summary;
  };

  if (plan.fatal) return finish('failed', 'The file does not fit the mapping; nothing was imported');
  if (v.errors.length && !options.skipBadRows) {
    return finish('rejected', `${summary.rejectedRows} bad row(s); nothing was imported (fix them, or import with skip-bad-rows)`);
  }
  const mHash = mappingHash(mapping);
  const previous = options.force ? undefined : await repo.findCompletedImport(deps.db, ws, plan.kind, plan.fileHash, mHash);
  if (previous && previous.id !== row.id) {
    summary.duplicateOf = { importId: previous.id, finishedAt: previous.finished_at?.toISOString() ?? null };
    summary.orders = 0;
    summary.customerRows = 0;
    return finish('duplicate', `Already imported (import ${previous.id}); 0 changes`);
  }
  await writeBatches(deps, ctx, row, v, onProgress);
  return finish('completed', summary.errorCount ? `Imported; ${summary.rejectedRows} bad row(s) skipped` : 'Imported');
}

async function writeBatches(deps: ImportsDeps, ctx: WorkspaceContext, row: repo.ImportRow, v: Validated, onProgress?: (p: ImportProgress) => void) {
  const ws = ctx.workspaceId;
  const { summary } = v;
  const source = `import:${row.id}`;
  // A retried run resumes after the last committed batch, with that batch's counts.
  const done = row.orders_done;
  if (done > 0) Object.assign(summary, pickCounts(row.summary));
  const work = v.plan.kind === 'orders' ? v.orders : v.customers;
  const total = work.length;
  const lines = (i: number) => (v.plan.kind === 'orders' ? v.orders[i]!.order.lines.length : 1);
  let rowsDone = row.rows_done;
  let position = done;
  const groups = batches(
    work.slice(done).map((_, i) => done + i),
    (i) => (v.plan.kind === 'orders' ? v.orders[i]!.order.items.length || 1 : 1),
  );
  for (const group of groups) {
    await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      const mark = await repo.resolutionMark(trx, ws);
      if (v.plan.kind === 'orders') await writeOrderBatch(deps, trx, ctx, group.map((i) => v.orders[i]!.valid), summary, source, now);
      else {
        const r = await writeCustomers(deps, trx, ctx, group.map((i) => v.customers[i]!), source, now);
        summary.eventsRecorded += v.customers.some((c) => c.event) ? r.written : 0;
      }
      const res = await repo.resolutionSince(trx, ws, mark);
      summary.customersCreated += res.created;
      summary.customersMerged += res.merged;
      position += group.length;
      rowsDone += group.reduce((n, i) => n + lines(i), 0);
      await repo.updateImport(trx, ws, row.id, { orders_done: position, rows_done: rowsDone, orders_total: total, rows_total: v.plan.rows, summary: JSON.stringify(summary) });
    });
    onProgress?.({ phase: 'writing', done: position, total });
  }
}

async function writeOrderBatch(deps: ImportsDeps, trx: Trx, ctx: WorkspaceContext, batch: Validated['orders'][number]['valid'][], summary: ImportSummary, source: string, now: Date) {
  const outcomes = await deps.orders.upsert(trx, ctx, batch.map((b, i) => ({ ...b, index: i })), source, now);
  for (const o of outcomes) {
    if (o.status === 'created') summary.ordersCreated++;
    else if (o.status === 'updated') summary.ordersUpdated++;
    else if (o.status === 'unchanged') summary.ordersUnchanged++;
    else if (o.status === 'stale') summary.ordersStale++;
  }
}

const COUNT_KEYS = ['ordersCreated', 'ordersUpdated', 'ordersUnchanged', 'ordersStale', 'eventsRecorded', 'customersCreated', 'customersMerged'] as const;

function pickCounts(stored: unknown): Partial<ImportSummary> {
  const s = (stored ?? {}) as Record<string, unknown>;
  return Object.fromEntries(COUNT_KEYS.filter((k) => typeof s[k] === 'number').map((k) => [k, s[k]]));
}
