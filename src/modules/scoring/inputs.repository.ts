/**
 * Reading what scoring needs per customer — profile dates and aggregates through the
 * scoring_customer_inputs view, and the stored scores — as local day numbers and integers,
 * into columns (one typed array per column, no object per customer). The full recompute
 * streams every customer with binary COPY; incremental re-scoring reads a few with a query.
 *
 * Timestamps travel as microseconds and become local day numbers here (`localDaysOf`): in
 * PostgreSQL, `at time zone` costs about half a microsecond per value, which was most of the
 * server's work in a full read (nine per customer), while a binary COPY sends a timestamp as
 * its stored 8 bytes.
 */
import { sql } from 'kysely';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { BinaryCopyParser } from './copy-binary.ts';
import { localDaysOf } from './days.ts';
import { BUSINESS_STAGES, CONSUMPTION_TIERS, DAYS_STAGES, RFM_CLASSES, STAGE_STAGES, VALUE_LAYERS, type RfmWindow, type TierPeriod } from './scoring.schemas.ts';
import type { Executor } from './scoring.deps.ts';

/** Every stage name of the three models, for the primary-model column. */
export const ALL_STAGES = [...new Set<string>([...DAYS_STAGES, ...STAGE_STAGES, ...BUSINESS_STAGES])];

export const INPUT_COLUMNS = [
  'customer_id', 'joined_day', 'activity_day', 'first_order_day', 'last_order_day',
  'orders_all', 'amount_all', 'orders_win', 'amount_win', 'amount_tier', 'interactions',
  // The stored row: class and stage columns as 1-based positions in their key lists (0: null).
  's_exists', 's_r', 's_f', 's_m', 's_class', 's_days', 's_stage', 's_business', 's_primary', 's_layer', 's_tier',
  's_recency', 's_frequency', 's_monetary', 's_scored_day', 's_scored_us', 's_last_order_day', 's_rescore_day',
] as const;
export type InputColumn = (typeof INPUT_COLUMNS)[number];
export const COL = Object.fromEntries(INPUT_COLUMNS.map((c, i) => [c, i])) as Record<InputColumn, number>;

export interface InputQuery {
  workspaceId: string;
  timeZone: string;
  window: RfmWindow;
  tierPeriod: TierPeriod;
}

/** What the SELECT returns per customer: INPUT_COLUMNS with timestamps in place of day numbers. */
const WIRE_COLUMNS = [
  'customer_id', 'joined_at', 'activity_at', 'first_order_at', 'last_order_at',
  'orders_all', 'amount_all', 'orders_win', 'amount_win', 'amount_tier', 'interactions',
  's_exists', 's_r', 's_f', 's_m', 's_class', 's_days', 's_stage', 's_business', 's_primary', 's_layer', 's_tier',
  's_recency', 's_frequency', 's_monetary', 's_scored_at', 's_last_order_day', 's_rescore_day',
] as const;
type WireColumn = (typeof WIRE_COLUMNS)[number];
const WIRE = Object.fromEntries(WIRE_COLUMNS.map((c, i) => [c, i])) as Record<WireColumn, number>;
/** Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for timestamps. */
const PG_EPOCH_US = 946_684_800_000_000;

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
const textArray = (values: readonly string[]) => `array[${values.map(literal).join(', ')}]::text[]`;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The SELECT of the inputs (literals inlined: COPY takes no parameters). Timestamps are
 * microseconds since 2000-01-01: for `copy` as the bare column (binary COPY sends exactly
 * that), for a query as an int8 computed from it.
 */
export function inputSelect(q: InputQuery, form: 'copy' | 'query' = 'copy'): string {
  if (!UUID_RE.test(q.workspaceId)) throw new Error(`not a workspace id: ${q.workspaceId}`);
  const at = (col: string) => (form === 'copy' ? col : `((extract(epoch from ${col}) * 1000000)::int8 - ${PG_EPOCH_US})`);
  const win = q.window === 'all' ? null : q.window.slice(1);
  const tier = q.tierPeriod.slice(1);
  const code = (col: string, keys: readonly string[]) => `coalesce(array_position(${textArray(keys)}, s.${col}), 0)::int2`;
  const expressions: Record<WireColumn, string> = {
    customer_id: 'i.customer_id::int8',
    joined_at: at('i.joined_at'),
    // The latest of the four: its local day is the latest of their local days.
    activity_at: at('greatest(i.last_order_at, i.last_interaction_at, i.joined_at, i.created_at)'),
    first_order_at: at('i.first_order_at'),
    last_order_at: at('i.last_order_at'),
    orders_all: 'coalesce(i.paid_order_count, 0)::int4',
    amount_all: 'coalesce(i.paid_amount_fen, 0)::int8',
    orders_win: `coalesce(${win ? `i.orders_${win}d` : 'i.paid_order_count'}, 0)::int4`,
    amount_win: `coalesce(${win ? `i.amount_${win}d_fen` : 'i.paid_amount_fen'}, 0)::int8`,
    amount_tier: `coalesce(i.amount_${tier}d_fen, 0)::int8`,
    interactions: 'coalesce(i.interaction_count, 0)::int4',
    s_exists: '(s.customer_id is not null)',
    s_r: 's.rfm_r',
    s_f: 's.rfm_f',
    s_m: 's.rfm_m',
    s_class: code('rfm_class', RFM_CLASSES),
    s_days: code('lifecycle_days_stage', DAYS_STAGES),
    s_stage: code('lifecycle_stage_stage', STAGE_STAGES),
    s_business: code('lifecycle_business_stage', BUSINESS_STAGES),
    s_primary: code('lifecycle_stage', ALL_STAGES),
    s_layer: code('value_layer', VALUE_LAYERS),
    s_tier: code('consumption_tier', CONSUMPTION_TIERS),
    s_recency: 's.rfm_recency_days',
    s_frequency: 's.rfm_frequency',
    s_monetary: 's.rfm_monetary_fen::int8',
    s_scored_at: at('s.scored_at'),
    s_last_order_day: 's.last_order_day',
    s_rescore_day: 's.rescore_on_day',
  };
  return `select ${WIRE_COLUMNS.map((c) => `${expressions[c]} as ${c}`).join(',\n    ')}
  from scoring_customer_inputs i
  left join customer_scores s on s.workspace_id = i.workspace_id and s.customer_id = i.customer_id
  where i.workspace_id = ${literal(q.workspaceId)} and i.merged_into is null`;
}

/** The day column each timestamp becomes (s_scored_at also gives s_scored_us). */
const DAY_OF: Partial<Record<WireColumn, InputColumn>> = {
  joined_at: 'joined_day', activity_at: 'activity_day', first_order_at: 'first_order_day', last_order_at: 'last_order_day', s_scored_at: 's_scored_day',
};

/** Turns rows of WIRE_COLUMNS into InputColumns rows: timestamps into local day numbers. */
function wireReader(timeZone: string) {
  const days = localDaysOf(timeZone);
  // Per wire column: the input column it fills, and whether it is a timestamp.
  const target = WIRE_COLUMNS.map((c) => COL[DAY_OF[c] ?? (c as InputColumn)]);
  const isTimestamp = WIRE_COLUMNS.map((c) => DAY_OF[c] !== undefined);
  const scoredAt = WIRE.s_scored_at;
  /** Adds one row: wire value i is `values[i]`, null where `isNull[i]` is 1. */
  return (out: InputColumns, values: ArrayLike<number>, isNull: ArrayLike<number>) => {
    const row = out.addRow();
    const columns = out.columns;
    for (let i = 0; i < WIRE_COLUMNS.length; i++) {
      // A timestamp as microseconds since 1970; NaN for null.
      const v = isNull[i] === 1 ? NaN : isTimestamp[i] ? values[i]! + PG_EPOCH_US : values[i]!;
      columns[target[i]!]![row] = isTimestamp[i] && !Number.isNaN(v) ? days(v) : v;
      if (i === scoredAt) columns[COL.s_scored_us]![row] = v;
    }
  };
}

/** Customer inputs in columns; a null is NaN. */
export class InputColumns {
  length = 0;
  columns: Float64Array[];

  constructor(capacity: number) {
    this.columns = INPUT_COLUMNS.map(() => new Float64Array(Math.max(16, capacity)));
  }

  get(row: number, col: number): number {
    return this.columns[col]![row]!;
  }

  /** The value, or null for NaN. */
  maybe(row: number, col: number): number | null {
    const v = this.columns[col]![row]!;
    return Number.isNaN(v) ? null : v;
  }

  /** A new row at the end (its values to be written into `columns`). */
  addRow(): number {
    if (this.length === this.columns[0]!.length) this.#grow();
    return this.length++;
  }

  #grow(): void {
    this.columns = this.columns.map((c) => {
      const next = new Float64Array(c.length * 2);
      next.set(c);
      return next;
    });
  }
}

/** Every active customer of the workspace, streamed with binary COPY. */
export async function streamAllInputs(pool: pg.Pool, q: InputQuery, onProgress?: (rows: number) => void): Promise<InputColumns> {
  const { rows } = await pool.query<{ n: number }>('select count(*)::int8 as n from customers where workspace_id = $1 and merged_into is null', [q.workspaceId]);
  const out = new InputColumns(Number(rows[0]?.n ?? 0) + 16);
  const client = await pool.connect();
  try {
    const add = wireReader(q.timeZone);
    const parser = new BinaryCopyParser(WIRE_COLUMNS.length, () => add(out, parser.values, parser.isNull));
    const stream = client.query(copyStreams.to(`copy (${inputSelect(q)}) to stdout (format binary)`));
    let next = 100_000;
    for await (const chunk of stream) {
      parser.push(chunk as Buffer);
      if (parser.rows >= next) {
        onProgress?.(parser.rows);
        next += 100_000;
      }
    }
    parser.end();
    return out;
  } finally {
    client.release();
  }
}

/** The inputs of some customers (merged-away ones are not returned), in the caller's transaction. */
export async function readInputs(db: Executor, q: InputQuery, customerIds: readonly number[]): Promise<InputColumns> {
  const out = new InputColumns(customerIds.length);
  if (!customerIds.length) return out;
  const { rows } = await sql<Record<string, unknown>>`${sql.raw(inputSelect(q, 'query'))} and i.customer_id = any(${[...customerIds]}::bigint[])`.execute(db);
  const add = wireReader(q.timeZone);
  for (const row of rows) {
    const wire = WIRE_COLUMNS.map((c) => row[c]);
    add(out, wire.map((v) => (v === null ? 0 : Number(v))), wire.map((v) => (v === null ? 1 : 0)));
  }
  return out;
}
