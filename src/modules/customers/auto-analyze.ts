/**
 * Planner statistics for tables that grow fast. Tables that grow from empty keep "almost
 * empty" estimates and the planner scans a whole workspace where an index lookup would do
 * (measured: the client-id check of a 1,000-event batch went from index lookups to a
 * 40,000-row scan; on PostgreSQL the customers updates of a batch hashed the whole workspace,
 * 12 ms instead of 2). PGlite runs no autovacuum; PostgreSQL's wakes at most once a minute
 * and only after 10 % growth, which ingestion at thousands of rows a second outruns.
 *
 * Writers note how many rows they wrote; past a threshold that doubles each time (5k, 10k,
 * 20k … rows, then every 200k) the tables that grew by a tenth or more of their estimated size
 * since this process last analysed them (or were never analysed) are analysed after the commit,
 * on both engines, in the background: the request that crossed the threshold does not wait for
 * it (an ANALYZE of four growing tables took about 190 ms, five times in a 200,000-event run
 * from empty). A large table is left alone: analysing the 42 million events of the demo
 * brand reads 30,000 pages, seconds of I/O inside the request that crossed the threshold, for
 * estimates that 5,000 more rows do not change.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/pool.ts';

export interface AutoAnalyze {
  /** Call after a commit with the rows it wrote; an analysis it starts runs in the background. */
  noteWrites(rows: number): void;
  /** Resolves when no analysis started here is running. */
  idle(): Promise<void>;
}

const TABLE_RE = /^[a-z_]+$/;
/** A table is analysed again once the rows written since are this share of its estimated size. */
const GROWTH = 0.1;

/** The planner's row estimates (pg_class.reltuples; −1: never analysed) of the tables. */
async function estimatedRows(db: Db, tables: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await sql<{ relname: string; reltuples: number }>`
    select c.relname, c.reltuples::float8 as reltuples from pg_class c
    where c.relname = any(${[...tables]}::text[]) and c.relnamespace = current_schema()::regnamespace`.execute(db);
  return new Map(rows.map((r) => [r.relname, Number(r.reltuples)]));
}

export function createAutoAnalyze(
  db: Db,
  options: {
    enabled: boolean;
    tables: string[];
    firstAfterRows?: number;
    maxEveryRows?: number;
    /** Told when a background analysis failed (the statistics stay as they were; the next threshold tries again). */
    onError?: (err: unknown) => void;
  },
): AutoAnalyze {
  const tables = options.tables.filter((t) => TABLE_RE.test(t));
  /** Rows noted since each table was last analysed here (writers do not say which table: every one counts them). */
  const since = new Map(tables.map((t) => [t, 0]));
  let pending = 0;
  let threshold = options.firstAfterRows ?? 5000;
  const max = options.maxEveryRows ?? 200_000;
  let running: Promise<void> | null = null;

  async function analyzeGrown(): Promise<void> {
    const sizes = await estimatedRows(db, tables);
    const due = tables.filter((t) => since.get(t)! >= GROWTH * Math.max(0, sizes.get(t) ?? -1));
    if (!due.length) return;
    await sql`analyze ${sql.raw(due.join(', '))}`.execute(db);
    for (const t of due) since.set(t, 0);
  }

  return {
    noteWrites(rows) {
      if (!options.enabled || rows <= 0) return;
      for (const t of tables) since.set(t, since.get(t)! + rows);
      pending += rows;
      if (pending < threshold || running) return;
      pending = 0;
      threshold = Math.min(threshold * 2, max);
      running = analyzeGrown()
        .catch((err: unknown) => options.onError?.(err))
        .finally(() => {
          running = null;
        });
    },
    async idle() {
      await running;
    },
  };
}
