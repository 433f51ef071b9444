/**
 * Runs once before the test files: builds the migrated templates every database test
 * clones (a PGlite data-dir tarball; a PostgreSQL template database when
 * TEST_DATABASE_URL is set) and hands their locations to the test processes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadHarnessEnv, projectRoot } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { adminQuery, withDatabase } from '../src/platform/db/testing.ts';
import { buildTestSiyu } from './support/app.ts';

const outDir = path.join(projectRoot, '.test-output');
const templateName = `siyu_template_${process.pid}`;

async function prepare(url: string | undefined, dataDir: string) {
  const database = await openDatabase({ databaseUrl: url, dataDir, poolMax: 4 });
  try {
    await migrate(database.pool);
    // The job schema and every queue too, so each test database starts complete.
    const { jobs } = buildTestSiyu(database);
    await jobs.start();
    await jobs.stop();
    return database;
  } catch (err) {
    await database.close();
    throw err;
  }
}

export async function globalSetup(): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  const harness = loadHarnessEnv();

  const embedded = await prepare(undefined, 'memory://');
  const tarball = path.join(outDir, 'embedded-template.tar.gz');
  await embedded.embedded!.dump(tarball);
  await embedded.close();
  process.env.SIYU_TEST_EMBEDDED_TEMPLATE = tarball;

  if (harness.testDatabaseUrl) {
    await adminQuery(harness.testDatabaseUrl, `drop database if exists ${templateName} with (force)`);
    await adminQuery(harness.testDatabaseUrl, `create database ${templateName}`);
    const pgdb = await prepare(withDatabase(harness.testDatabaseUrl, templateName), '');
    await pgdb.close();
    process.env.SIYU_TEST_POSTGRES_TEMPLATE = templateName;
  }
}

export async function globalTeardown(): Promise<void> {
  const harness = loadHarnessEnv();
  if (harness.testDatabaseUrl) {
    await adminQuery(harness.testDatabaseUrl, `drop database if exists ${templateName} with (force)`).catch(() => {});
  }
}
