import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { invalid } from '../../platform/errors.ts';
import { defineRoute, type Authenticator } from '../../platform/http/route.ts';
import { errorReportCsv, importView } from './import-views.ts';
import type { ImportsService } from './imports.service.ts';
import { listPresets } from './presets.ts';
import * as s from './imports.schemas.ts';

/** Uploads are raw CSV bodies (no multipart dependency): up to 50 MB per file. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const RAW_TYPES = ['text/csv', 'application/octet-stream', 'application/vnd.ms-excel'];

export function registerImportsRoutes(app: FastifyInstance, authenticator: Authenticator, service: ImportsService): void {
  for (const type of RAW_TYPES) {
    if (!app.hasContentTypeParser(type)) {
      app.addContentTypeParser(type, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    }
  }
  const auth = { kind: 'workspace', permission: 'imports.run', apiKey: true } as const;
  const tags = ['imports'];

  defineRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/imports/presets',
    auth,
    summary: 'Mapping presets for platform exports (Taobao/Tmall, JD, Douyin shop, Youzan, WeCom customer list, UCI Online Retail)',
    tags,
    response: { 200: s.PresetListSchema },
    handler: async () => ({ items: listPresets() }),
  });

  defineRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/imports',
    auth,
    summary: 'Upload a CSV export (raw body, Content-Type text/csv or application/octet-stream, up to 50 MB); creates an import to preview and start',
    tags,
    query: s.UploadQuerySchema,
    response: { 201: s.ImportSchema },
    bodyLimit: MAX_UPLOAD_BYTES,
    handler: async ({ ctx, query, request, reply }) => {
      if (!Buffer.isBuffer(request.body)) {
        throw invalid('import.raw_body_required', 'Send the CSV file itself as the body, with Content-Type text/csv or application/octet-stream', [
          { field: 'body', reason: 'raw_body_required' },
        ]);
      }
      const id = await service.upload(ctx, { kind: query.kind, fileName: query.fileName, content: request.body, importId: query.importId });
      reply.status(201);
      return importView(await service.get(ctx, id), await service.listFiles(ctx, id));
    },
  });

  defineRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/imports',
    auth,
    summary: 'Imports of the workspace, newest first',
    tags,
    query: s.ListQuerySchema,
    response: { 200: s.ImportPageSchema },
    handler: async ({ ctx, query }) => {
      const rows = await service.list(ctx, { cursor: query.cursor, limit: query.limit + 1 });
      const items = rows.slice(0, query.limit).map((r) => importView(r));
      return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
    },
  });

  defineRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/imports/:id',
    auth,
    summary: 'One import: status, progress (rows and orders done of total) and counts',
    tags,
    params: s.ImportIdParamsSchema,
    response: { 200: s.ImportSchema },
    handler: async ({ ctx, params }) => importView(await service.get(ctx, params.id), await service.listFiles(ctx, params.id)),
  });

  defineRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/imports/:id/preview',
    auth,
    summary: 'Dry run with a mapping: counts, the first orders or customers as they would be written, and every bad row found',
    tags,
    params: s.ImportIdParamsSchema,
    body: s.PreviewBodySchema,
    response: { 200: s.PreviewSchema },
    // A preview reads the uploaded file and writes nothing: there is no change to audit.
    audit: false,
    handler: ({ ctx, params, body }) => service.preview(ctx, params.id, body),
  });

  defineRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/imports/:id/start',
    auth,
    summary: 'Start the import with a mapping; it runs in the background (poll GET /api/v1/imports/{id})',
    tags,
    params: s.ImportIdParamsSchema,
    body: s.StartBodySchema,
    response: { 202: s.ImportSchema },
    handler: async ({ ctx, params, body, reply }) => {
      const row = await service.start(ctx, params.id, body);
      reply.status(202);
      return importView(row);
    },
  });

  defineRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/imports/:id/errors.csv',
    auth,
    summary: 'The error report: every rejected row with its file, line, column, value and reason (CSV, UTF-8 with BOM for Excel)',
    tags,
    params: s.ImportIdParamsSchema,
    response: { 200: z.string().describe('text/csv') },
    handler: async ({ ctx, params, reply }) => {
      const errors = await service.errors(ctx, params.id);
      reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="import-${params.id}-errors.csv"`);
      return errorReportCsv(errors);
    },
  });
}
