/**
 * Test databases. Every database test runs on the embedded engine, and on PostgreSQL when
 * TEST_DATABASE_URL is set. Each test file gets its own fresh, migrated database cloned
 * from a template the global setup built once: a PGlite data-dir tarball, or a PostgreSQL
 * template database.
 */
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { loadHarnessEnv } from '../config.ts';
import { newId } from '../ids.ts';
import { createKysely, createPool, waitForDatabase } from './pool.ts';
import { openDatabase, type Database } from './database.ts';
import { migrate } from './migrate.ts';

export type TestTarget = 'embedded' | 'postgres';

const harness = loadHarnessEnv();

export function postgresSkipReason(): string | false {
  if (harness.testDatabaseUrl) return false;
  return harness.requireAllTargets ? false : 'TEST_DATABASE_URL is not set: PostgreSQL run skipped';
}

/** A fresh migrated database for one test file; close() removes it. */
export async function createTestDatabase(target: TestTarget): Promise<Database> {
  if (target === 'embedded') {
    const database = await openDatabase({
      dataDir: 'memory://',
      ...(harness.embeddedTemplate ? { loadFrom: harness.embeddedTemplate } : {}),
      poolMax: 8,
    });
    if (!harness.embeddedTemplate) await migrate(database.pool);
    return database;
  }
  if (!harness.testDatabaseUrl) throw new Error('TEST_DATABASE_URL is required for PostgreSQL tests (.ci/run sets it)');
  const name = `siyu_t_${newId().replace(/-/g, '').slice(-16)}`;
  await adminQuery(
    harness.testDatabaseUrl,
    harness.postgresTemplate ? `create database ${name} template ${harness.postgresTemplate}` : `create database ${name}`,
  );
  const url = withDatabase(harness.testDatabaseUrl, name);
  const pool = createPool({ url, max: 8, applicationName: 'siyu-test', server: true });
  await waitForDatabase(pool);
  if (!harness.postgresTemplate) await migrate(pool);
  return {
    kind: 'postgres',
    url,
    pool,
    db: createKysely(pool),
    embedded: undefined,
    close: async () => {
      await pool.end();
      await adminQuery(harness.testDatabaseUrl!, `drop database if exists ${name} with (force)`);
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface DatabaseSuite {
  /** The database of the running suite (available inside tests and hooks). */
  database(): Database;
  target: TestTarget;
}

/**
 * Declares a suite once per database target: `[embedded] name` and `[postgres] name`.
 * The PostgreSQL suite is skipped, with the reason, when TEST_DATABASE_URL is not set.
 */
export function describeEachDatabase(name: string, body: (suite: DatabaseSuite) => void): void {
  for (const target of ['embedded', 'postgres'] as const) {
    const skip = target === 'postgres' ? postgresSkipReason() : false;
    describe(`[${target}] ${name}`, { skip }, () => {
      let database: Database | undefined;
      before(async () => {
        database = await createTestDatabase(target);
      });
      after(async () => {
        await database?.close();
      });
      body({
        target,
        database: () => {
          if (!database) throw new Error('database not ready');
          return database;
        },
      });
    });
  }
}
