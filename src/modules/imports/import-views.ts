/** How imports look from outside: the API view of a row and the CSV error report. */
import type { RowError } from './import-types.ts';
import type { ImportRow } from './imports.repository.ts';

export function importView(r: ImportRow, files?: { name: string; bytes: number }[]) {
  return {
    id: r.id,
    kind: r.kind,
    origin: r.origin,
    status: r.status as 'uploaded' | 'queued' | 'running' | 'completed' | 'rejected' | 'failed' | 'duplicate',
    fileName: r.file_name,
    fileCount: r.file_count,
    fileBytes: Number(r.file_bytes),
    fileHash: r.file_hash,
    ...(files ? { files: files.map((f) => ({ name: f.name, bytes: f.bytes })) } : {}),
    mappingName: r.mapping_name,
    encoding: r.encoding,
    skipBadRows: r.skip_bad_rows,
    rowsTotal: r.rows_total,
    rowsDone: r.rows_done,
    ordersTotal: r.orders_total,
    ordersDone: r.orders_done,
    summary: (r.summary ?? {}) as Record<string, unknown>,
    errorCount: r.error_count,
    message: r.message,
    duplicateOf: r.duplicate_of,
    createdBy: { type: r.created_by_type, id: r.created_by, label: r.created_by_label },
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

const csvCell = (v: string | number | null) => {
  const text = v === null ? '' : String(v);
  // A leading = + - @ would be read as a formula by spreadsheets.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The error report as CSV with a BOM, so Excel on a Chinese Windows opens it as UTF-8. */
export function errorReportCsv(errors: readonly RowError[]): Buffer {
  const lines = [['file', 'line', 'column', 'value', 'reason', 'message'].join(',')];
  for (const e of errors) lines.push([e.file, e.line, e.column, e.value, e.reason, e.message].map(csvCell).join(','));
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}
