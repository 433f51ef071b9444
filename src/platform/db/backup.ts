import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import copyStreams from 'pg-copy-streams';
import type { Database } from './database.ts';
import { migrate, readMigrationFiles } from './migrate.ts';

/**
 * Logical backups: every table of the `public` schema as COPY text, taken in one
 * REPEATABLE READ snapshot, in a gzip file with a small framing:
 *
 *   SIYU-BACKUP 1\n <manifest json>\n
 *   T <json {table, columns}>\n  (C <bytes>\n <bytes>)*  E <rows>\n   ... per table
 *   Z\n
 *
 * The format is the same whichever engine made it, so a backup of the embedded database
 * restores into PostgreSQL and back. Job-queue state (schema pgboss) is not included:
 * Siyu keeps durable state in its own tables and re-creates jobs from it.
 */
export interface BackupManifest {
  format: 'siyu-backup';
  version: 1;
  createdAt: string;
  source: 'embedded' | 'postgres';
  migrations: { version: number; name: string; checksum: string }[];
}

export interface BackupSummary {
  tables: Record<string, number>;
  bytes: number;
}

const MAGIC = 'SIYU-BACKUP 1\n';

async function listTables(database: Database): Promise<{ table: string; columns: string[] }[]> {
  const { rows } = await database.pool.query<{ table_name: string; columns: string[] }>(`
    select c.relname::text as table_name, array_agg(a.attname::text order by a.attnum) as columns
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
      and c.relname <> 'schema_migrations' -- in the manifest; restore re-creates it by migrating
    group by c.relname`);
  const order = await dependencyOrder(database, rows.map((r) => r.table_name));
  const byName = new Map(rows.map((r) => [r.table_name, r.columns]));
  return order.map((table) => ({ table, columns: byName.get(table)! }));
}

/** Tables ordered so that every table comes after the tables its foreign keys reference. */
async function dependencyOrder(database: Database, tables: string[]): Promise<string[]> {
  const { rows } = await database.pool.query<{ child: string; parent: string }>(`
    select c.relname as child, p.relname as parent
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = 'public' and c.oid <> p.oid`);
  const deps = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const r of rows) deps.get(r.child)?.add(r.parent);
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string, stack: Set<string>) => {
    if (seen.has(t)) return;
    if (stack.has(t)) throw new Error(`foreign keys form a cycle through ${t}`);
    stack.add(t);
    for (const p of [...(deps.get(t) ?? [])].sort()) visit(p, stack);
    stack.delete(t);
    seen.add(t);
    out.push(t);
  };
  for (const t of [...tables].sort()) visit(t, new Set());
  return out;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function writeBackup(database: Database, outFile: string): Promise<BackupSummary> {
  const tables = await listTables(database);
  const client = await database.pool.connect();
  const gzip = createGzip({ level: 6 });
  const file = fs.createWriteStream(outFile);
  const done = pipeline(gzip, file);
  const write = async (chunk: string | Buffer) => {
    if (!gzip.write(chunk)) await once(gzip, 'drain');
  };
  const summary: BackupSummary = { tables: {}, bytes: 0 };
  try {
    await client.query('begin isolation level repeatable read read only');
    const migrations = (
      await client.query<{ version: number; name: string; checksum: string }>('select version, name, checksum from schema_migrations order by version')
    ).rows;
    const manifest: BackupManifest = {
      format: 'siyu-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      source: database.kind,
      migrations,
    };
    await write(MAGIC + JSON.stringify(manifest) + '\n');
    for (const { table, columns } of tables) {
      await write(`T ${JSON.stringify({ table, columns })}\n`);
      let rows = 0;
      const stream = client.query(copyStreams.to(`copy ${ident(table)} (${columns.map(ident).join(', ')}) to stdout`));
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) rows++;
        await write(`C ${chunk.length}\n`);
        await write(chunk);
        summary.bytes += chunk.length;
      }
      await write(`E ${rows}\n`);
      summary.tables[table] = rows;
    }
    await write('Z\n');
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    gzip.destroy(err as Error);
    await done.catch(() => {});
    fs.rmSync(outFile, { force: true });
    throw err;
  } finally {
    client.release();
  }
  gzip.end();
  await done;
  return summary;
}

/** Reads the framed sections of a backup file one at a time. */
class BackupReader {
  #buf = Buffer.alloc(0);
  #iter: AsyncIterator<Buffer>;
  constructor(file: string) {
    this.#iter = fs.createReadStream(file).pipe(createGunzip())[Symbol.asyncIterator]();
  }
  async #fill(n: number): Promise<boolean> {
    while (this.#buf.length < n) {
      const next = await this.#iter.next();
      if (next.done) return false;
      this.#buf = Buffer.concat([this.#buf, next.value]);
    }
    return true;
  }
  async line(): Promise<string> {
    for (;;) {
      const i = this.#buf.indexOf(10);
      if (i >= 0) {
        const text = this.#buf.subarray(0, i).toString('utf8');
        this.#buf = this.#buf.subarray(i + 1);
        return text;
      }
      if (!(await this.#fill(this.#buf.length + 1))) throw new Error('the backup file ends early');
    }
  }
  async bytes(n: number): Promise<Buffer> {
    if (!(await this.#fill(n))) throw new Error('the backup file ends early');
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }
}

export async function readManifest(file: string): Promise<BackupManifest> {
  const reader = new BackupReader(file);
  const magic = await reader.line();
  if (`${magic}\n` !== MAGIC) throw new Error(`${file} is not a Siyu backup`);
  return JSON.parse(await reader.line()) as BackupManifest;
}

async function isEmpty(database: Database): Promise<boolean> {
  const { rows } = await database.pool.query(`select 1 from workspaces limit 1`).catch(() => ({ rows: [] }));
  return rows.length === 0;
}

/**
 * Restores a backup into `database`: migrates it to the backup's schema version, loads every
 * table, moves sequences past the restored ids, then applies newer migrations.
 * Refuses to overwrite a database that holds workspaces unless `force`.
 */
export async function restoreBackup(database: Database, file: string, options: { force?: boolean } = {}): Promise<BackupSummary> {
  const reader = new BackupReader(file);
  if (`${await reader.line()}\n` !== MAGIC) throw new Error(`${file} is not a Siyu backup`);
  const manifest = JSON.parse(await reader.line()) as BackupManifest;
  const known = new Map(readMigrationFiles().map((m) => [m.version, m]));
  for (const m of manifest.migrations) {
    if (known.get(m.version)?.checksum !== m.checksum) {
      throw new Error(`the backup needs migration ${m.name}, which this version of Siyu does not have; upgrade Siyu first`);
    }
  }
  if (!(await isEmpty(database))) {
    if (!options.force) throw new Error('the target database already holds data; pass --force to replace it');
  }
  await database.pool.query('drop schema if exists public cascade; drop schema if exists pgboss cascade; create schema public');
  const toVersion = Math.max(0, ...manifest.migrations.map((m) => m.version));
  await migrate(database.pool, { toVersion });

  const summary: BackupSummary = { tables: {}, bytes: 0 };
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-restore-'));
  try {
    for (;;) {
      const header = await reader.line();
      if (header === 'Z') break;
      if (!header.startsWith('T ')) throw new Error(`unexpected section "${header.slice(0, 40)}"`);
      const { table, columns } = JSON.parse(header.slice(2)) as { table: string; columns: string[] };
      const chunks: Buffer[] = [];
      let rows = 0;
      for (;;) {
        const line = await reader.line();
        if (line.startsWith('E ')) {
          rows = Number(line.slice(2));
          break;
        }
        const chunk = await reader.bytes(Number(line.slice(2)));
        chunks.push(Buffer.from(chunk));
        summary.bytes += chunk.length;
      }
      const columnList = columns.map(ident).join(', ');
      if (rows > 0) {
        if (database.embedded) {
          // COPY FROM STDIN does not pass through the embedded socket server; hand PGlite a file.
          const tmp = path.join(tmpDir, `${table}.copy`);
          fs.writeFileSync(tmp, Buffer.concat(chunks));
          await database.embedded.copyFromFile(`copy ${ident(table)} (${columnList}) from '/dev/blob'`, tmp);
          fs.rmSync(tmp);
        } else {
          const client = await database.pool.connect();
          try {
            await pipeline(Readable.from(chunks), client.query(copyStreams.from(`copy ${ident(table)} (${columnList}) from stdin`)));
          } finally {
            client.release();
          }
        }
      }
      summary.tables[table] = rows;
    }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  await resetSequences(database);
  await migrate(database.pool);
  return summary;
}

async function resetSequences(database: Database): Promise<void> {
  const { rows } = await database.pool.query<{ seq: string; tbl: string; col: string }>(`
    select s.relname as seq, t.relname as tbl, a.attname as col
    from pg_depend d
    join pg_class s on s.oid = d.objid and s.relkind = 'S'
    join pg_class t on t.oid = d.refobjid
    join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
    join pg_namespace n on n.oid = s.relnamespace
    where n.nspname = 'public' and d.deptype in ('a', 'i')`);
  for (const r of rows) {
    await database.pool.query(
      `select setval('${ident(r.seq)}', coalesce((select max(${ident(r.col)}) from ${ident(r.tbl)}), 0) + 1, false)`,
    );
  }
}
