/**
 * CSV imports of platform exports (orders from Taobao/Tmall, JD, Douyin shop, Youzan; the
 * WeCom customer list; any CSV with a mapping file): the engine, presets, the CLI's local
 * run, and the console's upload → preview → start → background job → progress and report.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../platform/http/route.ts';
import type { ImportJob, ImportsDeps } from './imports.deps.ts';
import { registerImportsRoutes } from './imports.routes.ts';
import { createImportsService } from './imports.service.ts';

export type { ImportsDeps, ImportJob } from './imports.deps.ts';
export { IMPORT_JOB } from './imports.deps.ts';
export type { ImportSummary, ImportProgress } from './import-run.ts';
export type { RowError } from './import-types.ts';
export type { ImportFile } from './engine.ts';
export { planImport, hashFiles } from './engine.ts';
export { loadMapping, PRESET_NAMES } from './presets.ts';
export { ENCODING_CHOICES, type EncodingChoice } from './encoding.ts';
export { errorReportCsv } from './import-views.ts';

export function createImportsModule(deps: ImportsDeps) {
  const service = createImportsService(deps);
  return {
    service,
    /** The worker's handler for IMPORT_JOB. */
    runJob: (job: ImportJob) => service.runJob(job),
    registerRoutes(app: FastifyInstance, authenticator: Authenticator): void {
      registerImportsRoutes(app, authenticator, service);
    },
  };
}

export type ImportsModule = ReturnType<typeof createImportsModule>;
