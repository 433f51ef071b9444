/** Shapes of the imports API replies the console reads (dates arrive as ISO strings). */

export type ImportStatus = 'uploaded' | 'queued' | 'running' | 'completed' | 'rejected' | 'failed' | 'duplicate';
export type ImportKind = 'orders' | 'customers';
export type Encoding = 'auto' | 'utf8' | 'gbk' | 'gb18030';

export interface ImportView {
  id: string;
  kind: ImportKind;
  origin: string;
  status: ImportStatus;
  fileName: string;
  fileCount: number;
  fileBytes: number;
  fileHash: string;
  files?: { name: string; bytes: number }[];
  mappingName: string | null;
  encoding: string;
  skipBadRows: boolean;
  rowsTotal: number | null;
  rowsDone: number;
  ordersTotal: number | null;
  ordersDone: number;
  summary: Partial<ImportSummary>;
  errorCount: number;
  message: string | null;
  duplicateOf: string | null;
  createdBy: { type: string; id: string | null; label: string | null };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ImportPage {
  items: ImportView[];
  nextCursor: string | null;
}

/** The counts of a dry run or a finished import. */
export interface ImportSummary {
  status: string;
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
  message: string;
}

export interface RowError {
  file: string;
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
  message: string;
}

export interface PreviewLine {
  file: string;
  line: number;
}

export interface PreviewOrder {
  platform?: string;
  orderNo?: string;
  status?: string;
  orderedAt?: string;
  totalFen?: number;
  paidFen?: number;
  refundedFen?: number;
  items?: unknown[];
  identities?: { type: string; value: string; scope?: string }[];
  profile?: { name?: string; nickname?: string };
  lines?: PreviewLine[];
}

export interface PreviewCustomer {
  identities?: { type: string; value: string; scope?: string }[];
  profile?: { name?: string; nickname?: string };
  type?: string;
  occurredAt?: string;
  lines?: PreviewLine[];
}

export interface Preview {
  summary: Partial<ImportSummary>;
  fatal: boolean;
  orders: PreviewOrder[];
  customers: PreviewCustomer[];
  errors: RowError[];
}

export interface Preset {
  name: string;
  kind: ImportKind;
  description: string;
  params: Record<string, string>;
}

/** A preset by name, or a mapping object, with the values of its ${name} placeholders. */
export interface MappingChoice {
  mapping: string | Record<string, unknown>;
  params?: Record<string, string>;
}
