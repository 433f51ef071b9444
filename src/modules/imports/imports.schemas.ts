/** HTTP contracts of imports (the console's upload, preview, start, progress and error report). */
import { z } from 'zod';

export const ImportIdParamsSchema = z.strictObject({ id: z.uuid() });

export const UploadQuerySchema = z.strictObject({
  fileName: z.string().trim().min(1).max(200).describe('Name of the uploaded file, shown in the list and the error report'),
  kind: z.enum(['orders', 'customers']).default('orders'),
  importId: z.uuid().optional().describe('Add this file to an import not started yet (several daily files as one import)'),
});

const MappingRefSchema = z
  .union([z.string().min(1).max(100), z.record(z.string(), z.unknown())])
  .describe('A preset name (taobao, jd, douyin, youzan, wecom-customers, online-retail) or a mapping object (docs/import.md)');

const Encoding = z.enum(['auto', 'utf8', 'gbk', 'gb18030']).default('auto');
const Params = z.record(z.string(), z.string().max(500)).optional().describe('Values for ${name} placeholders of the mapping, e.g. { "corpId": "ww..." }');

export const PreviewBodySchema = z.strictObject({
  mapping: MappingRefSchema,
  params: Params,
  encoding: Encoding,
  limit: z.number().int().min(1).max(100).default(20),
});

export const StartBodySchema = z.strictObject({
  mapping: MappingRefSchema,
  params: Params,
  encoding: Encoding,
  skipBadRows: z.boolean().default(false),
  force: z.boolean().default(false).describe('Import even if this file was imported before with this mapping (only differences apply)'),
});

export const ListQuerySchema = z.strictObject({
  cursor: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const RowErrorSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  reason: z.string(),
  message: z.string(),
});

export const ImportSchema = z.object({
  id: z.string(),
  kind: z.string(),
  origin: z.string(),
  status: z.enum(['uploaded', 'queued', 'running', 'completed', 'rejected', 'failed', 'duplicate']),
  fileName: z.string(),
  fileCount: z.number().int(),
  fileBytes: z.number(),
  fileHash: z.string(),
  files: z.array(z.object({ name: z.string(), bytes: z.number().int() })).optional(),
  mappingName: z.string().nullable(),
  encoding: z.string(),
  skipBadRows: z.boolean(),
  rowsTotal: z.number().int().nullable(),
  rowsDone: z.number().int(),
  ordersTotal: z.number().int().nullable(),
  ordersDone: z.number().int(),
  summary: z.record(z.string(), z.unknown()),
  errorCount: z.number().int(),
  message: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  createdBy: z.object({ type: z.string(), id: z.string().nullable(), label: z.string().nullable() }),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});

export const ImportPageSchema = z.object({ items: z.array(ImportSchema), nextCursor: z.string().nullable() });

export const PreviewSchema = z.object({
  summary: z.record(z.string(), z.unknown()),
  fatal: z.boolean(),
  orders: z.array(z.record(z.string(), z.unknown())),
  customers: z.array(z.record(z.string(), z.unknown())),
  errors: z.array(RowErrorSchema),
});

export const PresetSchema = z.object({ name: z.string(), kind: z.string(), description: z.string(), params: z.record(z.string(), z.string()), mapping: z.record(z.string(), z.unknown()) });
export const PresetListSchema = z.object({ items: z.array(PresetSchema) });
