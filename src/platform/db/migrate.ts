import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { projectRoot } from '../config.ts';

export const MIGRATIONS_DIR = path.join(projectRoot, 'db', 'migrations');
const FILE_RE = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface MigrationFile {
  version: number;
  name: string;
  checksum: string;
  sql: string;
}

export interface MigrationStatus {
  applied: { version: number; name: string; appliedAt: Date }[];
  pending: MigrationFile[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export function readMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const seen = new Set<number>();
  return files.map((name) => {
    const m = FILE_RE.exec(name);
    if (!m) throw new MigrationError(`migration file ${name} must be named NNNN_verb_object.sql`);
    const version = Number(m[1]);
    if (seen.has(version)) throw new MigrationError(`two migrations share version ${m[1]}`);
    seen.add(version);
    const sql = fs.readFileSync(path.join(dir, name), 'utf8');
    return { version, name, sql, checksum: sha256(sql) };
  });
}

const sha256 = (text: string) => createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');

const LEDGER_DDL = `create table if not exists schema_migrations (
  version integer primary key,
  name text not null,
  checksum text not null,
  applied_at timestamptz not null default now()
)`;

/**
 * Applies pending migrations in order, each in its own transaction. Refuses to run when an
 * applied migration was edited or removed: a committed migration is never rewritten.
 */
export async function migrate(
  pool: pg.Pool,
  options: { dir?: string; log?: (line: string) => void; toVersion?: number } = {},
): Promise<{ applied: string[] }> {
  const all = readMigrationFiles(options.dir);
  const files = options.toVersion === undefined ? all : all.filter((f) => f.version <= options.toVersion!);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query(LEDGER_DDL);
    for (const file of files) {
      await client.query('begin');
      try {
        // Transaction-scoped lock: several API processes starting at once migrate one at a time.
        await client.query('select pg_advisory_xact_lock(74110001)');
        const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
          'select version, name, checksum from schema_migrations order by version',
        );
        verifyLedger(rows, all);
        if (rows.some((r) => r.version === file.version)) {
          await client.query('commit');
          continue;
        }
        await client.query(file.sql);
        await client.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
          file.version,
          file.name,
          file.checksum,
        ]);
        await client.query('commit');
        applied.push(file.name);
        options.log?.(`applied ${file.name}`);
      } catch (err) {
        await client.query('rollback').catch(() => {});
        if (err instanceof MigrationError) throw err;
        throw new MigrationError(`migration ${file.name} failed: ${(err as Error).message}`);
      }
    }
    if (files.length === 0) {
      const { rows } = await client.query('select version, name, checksum from schema_migrations');
      verifyLedger(rows, all);
    }
  } finally {
    client.release();
  }
  return { applied };
}

function verifyLedger(rows: { version: number; name: string; checksum: string }[], files: MigrationFile[]): void {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  for (const row of rows) {
    const file = byVersion.get(row.version);
    if (!file) {
      throw new MigrationError(
        `applied migration ${row.name} is missing from ${MIGRATIONS_DIR}; this database is newer than the code`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `applied migration ${row.name} was edited after it ran (checksum ${row.checksum.slice(0, 12)} != ${file.checksum.slice(0, 12)}); add a new migration instead`,
      );
    }
  }
}

export async function migrationStatus(pool: pg.Pool, dir?: string): Promise<MigrationStatus> {
  const files = readMigrationFiles(dir);
  const exists = await pool.query(`select to_regclass('schema_migrations') as t`);
  if (!exists.rows[0]?.t) return { applied: [], pending: files };
  const { rows } = await pool.query<{ version: number; name: string; applied_at: Date; checksum: string }>(
    'select version, name, checksum, applied_at from schema_migrations order by version',
  );
  verifyLedger(rows, files);
  const done = new Set(rows.map((r) => r.version));
  return {
    applied: rows.map((r) => ({ version: r.version, name: r.name, appliedAt: r.applied_at })),
    pending: files.filter((f) => !done.has(f.version)),
  };
}
