/**
 * Import use cases: run a local import (CLI), upload → preview → start → job (console/API),
 * status, list and the error report.
 */
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { systemContext, type WorkspaceContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { hashFiles, type ImportFile } from './engine.ts';
import type { EncodingChoice } from './encoding.ts';
import { executeImport, mappingHash, planAndValidate, type ImportProgress, type ImportSummary } from './import-run.ts';
import { toEventInput, toOrderInput } from './import-writer.ts';
import type { ImportJob, ImportsDeps } from './imports.deps.ts';
import * as repo from './imports.repository.ts';
import type { RowError } from './import-types.ts';
import type { ImportKind, Mapping } from './mapping.ts';
import { isPresetName, loadMapping, parseMapping, readPreset } from './presets.ts';

export interface MappingChoice {
  /** A preset name, a JSON file path (CLI only), or a mapping object. */
  mapping: string | Record<string, unknown>;
  params?: Record<string, string> | undefined;
}

export interface LocalImportOptions extends MappingChoice {
  kind: ImportKind;
  fileName: string;
  encoding: EncodingChoice;
  skipBadRows: boolean;
  dryRun: boolean;
  force?: boolean;
  onProgress?: (p: ImportProgress) => void;
}

export interface LocalImportResult {
  importId: string | null;
  summary: ImportSummary;
  errors: RowError[];
}

function resolveMapping(choice: MappingChoice, kind: ImportKind, allowFiles: boolean): { mapping: Mapping; name: string | null } {
  const params = choice.params ?? {};
  let mapping: Mapping;
  let name: string | null = null;
  if (typeof choice.mapping === 'string') {
    if (!allowFiles && !isPresetName(choice.mapping)) readPreset(choice.mapping);
    const loaded = loadMapping(choice.mapping, params);
    mapping = loaded.mapping;
    name = loaded.presetName;
  } else mapping = parseMapping(choice.mapping, params);
  if (mapping.kind !== kind) {
    throw invalid('import.wrong_kind', `The mapping imports ${mapping.kind}, not ${kind}`, [{ field: 'mapping.kind', reason: 'wrong_kind' }]);
  }
  return { mapping, name };
}

export function createImportsService(deps: ImportsDeps) {
  const { db } = deps;

  async function createRow(ctx: WorkspaceContext, input: { kind: ImportKind; origin: 'cli' | 'console' | 'api'; status: 'uploaded' | 'running'; fileName: string; files: readonly ImportFile[] }) {
    const id = newId();
    await repo.insertImport(db, {
      workspace_id: ctx.workspaceId,
      id,
      kind: input.kind,
      origin: input.origin,
      status: input.status,
      file_name: input.fileName,
      file_count: input.files.length,
      file_bytes: input.files.reduce((n, f) => n + f.bytes.length, 0),
      file_hash: hashFiles(input.files),
      created_by_type: ctx.actor.type,
      created_by: ctx.actor.id,
      created_by_label: ctx.actor.label,
      ...(input.status === 'running' ? { started_at: deps.clock.now(), attempts: 1 } : {}),
    });
    return (await repo.getImport(db, ctx.workspaceId, id))!;
  }

  /** `siyu import`: reads local files, runs in this process; a dry run writes nothing at all. */
  async function runLocal(ctx: WorkspaceContext, files: readonly ImportFile[], options: LocalImportOptions): Promise<LocalImportResult> {
    const { mapping, name } = resolveMapping(options, options.kind, true);
    if (options.dryRun) {
      const started = Date.now();
      const v = await planAndValidate(deps, ctx.workspaceId, files, mapping, options.encoding, options.onProgress);
      v.summary.durationMs = Date.now() - started;
      v.summary.message = v.plan.fatal ? 'The file does not fit the mapping' : v.errors.length ? `${v.summary.rejectedRows} bad row(s)` : 'Ready to import';
      return { importId: null, summary: v.summary, errors: v.errors };
    }
    const row = await createRow(ctx, { kind: options.kind, origin: 'cli', status: 'running', fileName: options.fileName, files });
    await repo.updateImport(db, ctx.workspaceId, row.id, {
      mapping_name: name,
      mapping: JSON.stringify(mapping),
      mapping_hash: mappingHash(mapping),
      encoding: options.encoding,
      skip_bad_rows: options.skipBadRows,
      force: !!options.force,
    });
    const summary = await executeImport(deps, ctx, row, files, mapping, { encoding: options.encoding, skipBadRows: options.skipBadRows, force: !!options.force }, options.onProgress);
    return { importId: row.id, summary, errors: await repo.listErrors(db, ctx.workspaceId, row.id) };
  }

  /** Stores an uploaded file: a new import, or one more file of an import not started yet. */
  async function upload(ctx: WorkspaceContext, input: { kind: ImportKind; fileName: string; content: Buffer; importId?: string | undefined }) {
    if (!input.content.length) throw invalid('import.empty_file', 'The uploaded file is empty', [{ field: 'body', reason: 'empty' }]);
    return db.transaction().execute(async (trx) => {
      let id = input.importId;
      if (!id) {
        id = newId();
        await repo.insertImport(trx, {
          workspace_id: ctx.workspaceId,
          id,
          kind: input.kind,
          origin: ctx.actor.type === 'api_key' ? 'api' : 'console',
          status: 'uploaded',
          file_name: input.fileName,
          file_count: 0,
          file_hash: '',
          created_by_type: ctx.actor.type,
          created_by: ctx.actor.id,
          created_by_label: ctx.actor.label,
        });
      }
      const row = await repo.lockImport(trx, ctx.workspaceId, id);
      if (!row) throw notFound('import.not_found', 'Import not found');
      if (row.status !== 'uploaded') throw conflict('import.already_started', 'Files can be added only before the import starts');
      const heads = await repo.listFileHeads(trx, ctx.workspaceId, id);
      await repo.insertFile(trx, ctx.workspaceId, id, heads.length + 1, input.fileName, input.content);
      const files = await repo.loadFiles(trx, ctx.workspaceId, id);
      await repo.updateImport(trx, ctx.workspaceId, id, {
        file_count: files.length,
        file_bytes: files.reduce((n, f) => n + f.bytes.length, 0),
        file_hash: hashFiles(files),
        file_name: files.length === 1 ? input.fileName : `${files[0]!.name} (+${files.length - 1})`,
      });
      await recordAudit(trx, ctx, { action: 'import.upload', targetType: 'import', targetId: id, details: { file: input.fileName, bytes: input.content.length } });
      return id;
    });
  }

  async function requireRow(ctx: WorkspaceContext, id: string) {
    const row = await repo.getImport(db, ctx.workspaceId, id);
    if (!row) throw notFound('import.not_found', 'Import not found');
    return row;
  }

  /** Dry run of an uploaded import with a mapping: the first orders/customers and the errors. */
  async function preview(ctx: WorkspaceContext, id: string, choice: MappingChoice & { encoding: EncodingChoice; limit: number }) {
    const row = await requireRow(ctx, id);
    const { mapping } = resolveMapping(choice, row.kind as ImportKind, false);
    const files = await repo.loadFiles(db, ctx.workspaceId, id);
    if (files.some((f) => !f.bytes.length)) throw conflict('import.files_gone', 'The files of this import were removed after it completed');
    const started = Date.now();
    const v = await planAndValidate(deps, ctx.workspaceId, files, mapping, choice.encoding);
    v.summary.durationMs = Date.now() - started;
    return {
      summary: v.summary,
      fatal: v.plan.fatal,
      orders: v.orders.slice(0, choice.limit).map((o) => ({ ...toOrderInput(o.order), lines: o.order.lines })),
      customers: v.customers.slice(0, choice.limit).map((c) => ({ ...(c.customer.event ? toEventInput(c.customer) : { identities: c.customer.identities, profile: c.customer.profile }), lines: c.customer.lines })),
      errors: v.errors.slice(0, 200),
    };
  }

  /** Queues the run (idempotent: starting a started import returns it as it is). */
  async function start(ctx: WorkspaceContext, id: string, choice: MappingChoice & { encoding: EncodingChoice; skipBadRows: boolean; force: boolean }) {
    const row = await requireRow(ctx, id);
    const { mapping, name } = resolveMapping(choice, row.kind as ImportKind, false);
    await db.transaction().execute(async (trx) => {
      const locked = (await repo.lockImport(trx, ctx.workspaceId, id))!;
      if (!['uploaded', 'rejected', 'failed'].includes(locked.status)) return;
      await repo.updateImport(trx, ctx.workspaceId, id, {
        status: 'queued',
        mapping_name: name,
        mapping: JSON.stringify(mapping),
        mapping_hash: mappingHash(mapping),
        params: JSON.stringify(choice.params ?? {}),
        encoding: choice.encoding,
        skip_bad_rows: choice.skipBadRows,
        force: choice.force,
        message: null,
      });
      await deps.enqueueRun(trx, { workspaceId: ctx.workspaceId, importId: id });
      await recordAudit(trx, ctx, { action: 'import.start', targetType: 'import', targetId: id, details: { mapping: name ?? 'custom', skipBadRows: choice.skipBadRows } });
    });
    return requireRow(ctx, id);
  }

  /** The worker's job: runs a queued import (again after a crash: it resumes). */
  async function runJob(job: ImportJob): Promise<void> {
    const claimed = await db.transaction().execute(async (trx) => {
      const row = await repo.lockImport(trx, job.workspaceId, job.importId);
      if (!row || !['queued', 'running'].includes(row.status)) return null;
      await repo.updateImport(trx, job.workspaceId, job.importId, { status: 'running', attempts: row.attempts + 1, started_at: row.started_at ?? deps.clock.now() });
      return row;
    });
    if (!claimed) return;
    const ctx = systemContext(job.workspaceId, `import by ${claimed.created_by_label ?? claimed.created_by_type}`);
    const files = await repo.loadFiles(db, job.workspaceId, job.importId);
    const mapping = parseMapping(claimed.mapping);
    const force = claimed.force;
    try {
      await executeImport(deps, ctx, claimed, files, mapping, { encoding: claimed.encoding as EncodingChoice, skipBadRows: claimed.skip_bad_rows, force }, throttle(async (p) => {
        if (p.phase === 'reading') await repo.updateImport(db, job.workspaceId, job.importId, { message: `reading ${Math.round((100 * p.done) / Math.max(1, p.total))}%` });
      }));
    } catch (err) {
      await repo.updateImport(db, job.workspaceId, job.importId, { message: `failed: ${(err as Error).message}`.slice(0, 1000) });
      throw err;
    }
  }

  return {
    runLocal,
    upload,
    preview,
    start,
    runJob,
    get: requireRow,
    list: (ctx: WorkspaceContext, q: { cursor?: string | undefined; limit: number }) => repo.listImports(db, ctx.workspaceId, { before: q.cursor, limit: q.limit }),
    listFiles: (ctx: WorkspaceContext, id: string) => repo.listFileHeads(db, ctx.workspaceId, id),
    async errors(ctx: WorkspaceContext, id: string): Promise<RowError[]> {
      await requireRow(ctx, id);
      return repo.listErrors(db, ctx.workspaceId, id);
    },
  };
}

/** Calls an async progress writer at most every second, never two at once. */
function throttle(fn: (p: ImportProgress) => Promise<void>): (p: ImportProgress) => void {
  let last = 0;
  let busy = false;
  return (p) => {
    const now = Date.now();
    if (busy || now - last < 1000) return;
    last = now;
    busy = true;
    void fn(p).finally(() => (busy = false));
  };
}

export type ImportsService = ReturnType<typeof createImportsService>;
