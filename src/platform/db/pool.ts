import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { DB } from './database.types.ts';

// int8 (bigint ids, fen amounts, counts) as JS numbers: every value Siyu stores fits in 2^53.
pg.types.setTypeParser(20, (text) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${text} exceeds the safe integer range`);
  return n;
});

export type Db = Kysely<DB>;

export interface PoolOptions {
  url: string;
  max: number;
  applicationName?: string;
  /** A PostgreSQL server (not the embedded engine): each connection starts with SERVER_SESSION. */
  server?: boolean;
}

/**
 * Settings every connection to a PostgreSQL server starts with (the `options` startup
 * parameter: no extra round trip, nothing queued before the first query). No JIT
 * compilation: Siyu's statements are short, and the planner's estimates for array parameters
 * and CTEs are high enough to trigger it, so it compiled for 50–400 ms in statements that then
 * ran in tens of milliseconds (docs/architecture.md).
 */
export const SERVER_SESSION = '-c jit=off';

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 60_000,
    application_name: options.applicationName ?? 'siyu',
    ...(options.server ? { options: SERVER_SESSION } : {}),
  });
  // An idle client's error (server restart) must not crash the process; the pool drops it.
  pool.on('error', () => {});
  return pool;
}

export function createKysely(pool: pg.Pool): Db {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Runs `work` (one transaction) again when PostgreSQL chose it as the victim of a deadlock
 * (40P01): the transaction rolled back whole, so a rerun is safe.
 */
export async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01' || attempt >= attempts) throw err;
    }
  }
}

/** Retries the first connection: a server (or the embedded child) may still be coming up. */
export async function waitForDatabase(pool: pg.Pool, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await pool.query('select 1');
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`database not reachable after ${timeoutMs} ms: ${String(lastError)}`);
}
