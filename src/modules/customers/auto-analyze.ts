/**
 * Planner statistics for tables that grow fast. Tables that grow from empty keep "almost
 * empty" estimates and the planner scans a whole workspace where an index lookup would do
 * (measured: the client-id check of a 1,000-event batch went from index lookups to a
 * 40,000-row scan; on PostgreSQL the customers updates of a batch hashed the whole workspace,
 * 12 ms instead of 2). PGlite runs no autovacuum; PostgreSQL's wakes at most once a minute
 * and only after 10 % growth, which ingestion at thousands of rows a second outruns. Writers
 * note how many rows they wrote; past a threshold that doubles each time (5k, 10k, 20k …
 * rows, then every 200k) the tables are analysed after the commit, on both engines.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/pool.ts';

export interface AutoAnalyze {
  /** Call after a commit with the rows it wrote. */
  noteWrites(rows: number): Promise<void>;
}

const TABLE_RE = /^[a-z_]+$/;

export function createAutoAnalyze(db: Db, options: { enabled: boolean; tables: string[]; firstAfterRows?: number; maxEveryRows?: number }): AutoAnalyze {
  const tables = options.tables.filter((t) => TABLE_RE.test(t));
  let pending = 0;
  let threshold = options.firstAfterRows ?? 5000;
  const max = options.maxEveryRows ?? 200_000;
  let running: Promise<void> | null = null;
  return {
    async noteWrites(rows) {
      if (!options.enabled || rows <= 0) return;
      pending += rows;
      if (pending < threshold || running) return;
      pending = 0;
      threshold = Math.min(threshold * 2, max);
      running = sql`analyze ${sql.raw(tables.join(', '))}`
        .execute(db)
        .then(() => undefined)
        .finally(() => {
          running = null;
        });
      await running;
    },
  };
}
