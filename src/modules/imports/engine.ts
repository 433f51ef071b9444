/**
 * The import engine: files + mapping → the orders or customers to write, and every bad row.
 * It touches no database; the service writes what it plans, so a dry run and a real run
 * read files identically.
 */
import { createHash } from 'node:crypto';
import { HeaderBinder, missingColumnErrors } from './columns.ts';
import { bindCustomerRows } from './customer-rows.ts';
import { CsvSyntaxError, readCsvRecords, type CsvRecord } from './csv-reader.ts';
import { decodeText, type DetectedEncoding, type EncodingChoice } from './encoding.ts';
import type { ImportCustomer, ImportOrder, RowError, SourceLine } from './import-types.ts';
import type { CustomersMapping, Mapping, OrdersMapping } from './mapping.ts';
import { OrderGrouper, orderKey } from './order-grouping.ts';
import { bindOrderRows, type RowProblem } from './order-rows.ts';

export interface ImportFile {
  name: string;
  bytes: Buffer;
}

export interface ReadProgress {
  file: string;
  rowsRead: number;
  bytesRead: number;
  bytesTotal: number;
}

export interface PlanOptions {
  encoding: EncodingChoice;
  onProgress?: (p: ReadProgress) => void;
  /** Rows between progress callbacks. */
  progressEvery?: number;
}

export interface FileReport {
  name: string;
  bytes: number;
  encoding: DetectedEncoding;
  rows: number;
}

export interface ImportPlan {
  kind: Mapping['kind'];
  files: FileReport[];
  fileHash: string;
  /** Data rows read (header lines not counted). */
  rows: number;
  skippedRows: number;
  skipped: { reason: string; count: number }[];
  /** Rows with errors of their own. */
  badRows: number;
  /** Good rows left out because their order has a bad row. */
  droppedRows: number;
  rejectedOrders: number;
  /** True when the file does not fit the mapping at all (a missing column, broken CSV): nothing can be imported. */
  fatal: boolean;
  errors: RowError[];
  /** Errors beyond the kept ones are counted, not kept. */
  errorCount: number;
  orders: ImportOrder[];
  customers: ImportCustomer[];
}

export const MAX_KEPT_ERRORS = 100_000;

/** SHA-256 of the content: one file's bytes, or a directory's file hashes in name order. */
export function hashFiles(files: readonly ImportFile[]): string {
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  if (files.length === 1) return sha(files[0]!.bytes);
  return sha(Buffer.from(files.map((f) => sha(f.bytes)).join('\n')));
}

class ErrorSink {
  readonly kept: RowError[] = [];
  count = 0;
  add(e: RowError): void {
    this.count++;
    if (this.kept.length < MAX_KEPT_ERRORS) this.kept.push(e);
  }
  addProblems(at: SourceLine, problems: readonly RowProblem[]): void {
    for (const p of problems) this.add({ ...at, ...p });
  }
}

export async function planImport(files: readonly ImportFile[], mapping: Mapping, options: PlanOptions): Promise<ImportPlan> {
  const plan: ImportPlan = {
    kind: mapping.kind,
    files: [],
    fileHash: hashFiles(files),
    rows: 0,
    skippedRows: 0,
    skipped: [],
    badRows: 0,
    droppedRows: 0,
    rejectedOrders: 0,
    fatal: false,
    errors: [],
    errorCount: 0,
    orders: [],
    customers: [],
  };
  const sink = new ErrorSink();
  const skipped = new Map<string, number>();
  const bytesTotal = files.reduce((n, f) => n + f.bytes.length, 0);
  let bytesBefore = 0;
  const every = options.progressEvery ?? 5_000;
  const orders = mapping.kind === 'orders' ? new OrderGrouper(mapping) : null;
  const customers: ImportCustomer[] | null = mapping.kind === 'customers' ? [] : null;

  for (const file of files) {
    const { text, encoding } = decodeText(file.bytes, options.encoding);
    const utf8 = Buffer.from(text, 'utf8');
    const report: FileReport = { name: file.name, bytes: file.bytes.length, encoding, rows: 0 };
    plan.files.push(report);
    const records = readCsvRecords(utf8, mapping.delimiter ? { delimiter: mapping.delimiter } : {});
    try {
      const header = await records.next();
      if (header.done) {
        sink.add({ file: file.name, line: 1, column: null, value: null, reason: 'empty_file', message: 'The file has no header line' });
        plan.fatal = true;
        continue;
      }
      const binder = new HeaderBinder(header.value.values);
      const onRow = bindRows(binder, mapping, orders, customers, sink, skipped);
      const missing = missingColumnErrors(binder, file.name, header.value.line);
      if (missing.length) {
        missing.forEach((e) => sink.add(e));
        plan.fatal = true;
        continue;
      }
      for await (const record of records) {
        report.rows++;
        plan.rows++;
        const result = onRow(record, file.name);
        if (result === 'skip') plan.skippedRows++;
        else if (result === 'bad') plan.badRows++;
        if (plan.rows % every === 0) {
          const bytesRead = bytesBefore + Math.round((record.end / Math.max(1, utf8.length)) * file.bytes.length);
          options.onProgress?.({ file: file.name, rowsRead: plan.rows, bytesRead, bytesTotal });
          await new Promise((r) => setImmediate(r));
        }
      }
    } catch (err) {
      if (!(err instanceof CsvSyntaxError)) throw err;
      sink.add({ file: file.name, line: err.line, column: null, value: null, reason: 'csv_syntax', message: err.message });
      plan.fatal = true;
    }
    bytesBefore += file.bytes.length;
    options.onProgress?.({ file: file.name, rowsRead: plan.rows, bytesRead: bytesBefore, bytesTotal });
  }

  if (orders) {
    const done = orders.finish();
    plan.orders = done.orders;
    plan.rejectedOrders = done.rejectedOrders;
    plan.droppedRows = done.droppedRows;
    orders.errors.forEach((e) => sink.add(e));
  }
  if (customers) plan.customers = customers;
  plan.errors = sink.kept.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  plan.errorCount = sink.count;
  plan.skipped = [...skipped].map(([reason, count]) => ({ reason, count }));
  return plan;
}

type RowOutcome = 'ok' | 'skip' | 'bad';

function bindRows(
  binder: HeaderBinder,
  mapping: Mapping,
  orders: OrderGrouper | null,
  customers: ImportCustomer[] | null,
  sink: ErrorSink,
  skipped: Map<string, number>,
): (record: CsvRecord, file: string) => RowOutcome {
  const skip = (reason: string): RowOutcome => {
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
    return 'skip';
  };
  if (mapping.kind === 'orders') {
    const reader = bindOrderRows(binder, mapping as OrdersMapping);
    return (record, file) => {
      const at = { file, line: record.line };
      const r = reader.map(record.values);
      if (r.kind === 'skip') return skip(r.reason);
      if (r.kind === 'error') {
        sink.addProblems(at, r.problems);
        const key = reader.keyOf(record.values);
        if (key.orderNo) orders!.markBad(orderKey(key.platform, key.orderNo), at);
        return 'bad';
      }
      return orders!.add(r.row, at) ? 'ok' : 'bad';
    };
  }
  const reader = bindCustomerRows(binder, mapping as CustomersMapping);
  return (record, file) => {
    const at = { file, line: record.line };
    const r = reader(record.values);
    if (r.kind === 'skip') return skip(r.reason);
    if (r.kind === 'error') {
      sink.addProblems(at, r.problems);
      return 'bad';
    }
    customers!.push({ ...r.customer, lines: [at] });
    return 'ok';
  };
}
