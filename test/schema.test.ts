import { it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeEachDatabase } from '../src/platform/db/testing.ts';
import { migrate, migrationStatus, MigrationError, MIGRATIONS_DIR } from '../src/platform/db/migrate.ts';

/**
 * Tables that are not owned by one workspace (reference tables on Citus, or the tenant table),
 * and the job outbox, which belongs with pg-boss's queue (on Citus, on the coordinator).
 */
const GLOBAL_TABLES = new Set(['workspaces', 'users', 'sessions', 'schema_migrations', 'job_outbox']);

describeEachDatabase('schema rules', ({ database }) => {
  it('leads every primary key and unique constraint of tenant tables with workspace_id', async () => {
    const { rows } = await database().pool.query<{ table: string; index: string; first: string; is_primary: boolean }>(`
      select t.relname as table, i.relname as index, a.attname as first, x.indisprimary as is_primary
      from pg_index x
      join pg_class t on t.oid = x.indrelid
      join pg_class i on i.oid = x.indexrelid
      join pg_namespace n on n.oid = t.relnamespace
      join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
      where n.nspname = 'public' and (x.indisunique or x.indisprimary)`);
    const tenantRows = rows.filter((r) => !GLOBAL_TABLES.has(r.table));
    assert.ok(tenantRows.length > 0, 'no tenant tables found');
    const offenders = tenantRows.filter((r) => r.first !== 'workspace_id').map((r) => `${r.table}.${r.index} starts with ${r.first}`);
    assert.deepEqual(offenders, []);
  });

  it('gives every tenant table a primary key and a workspace_id column', async () => {
    const { rows } = await database().pool.query<{ table: string; has_ws: boolean; has_pk: boolean }>(`
      select c.relname as table,
        exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'workspace_id' and not a.attisdropped) as has_ws,
        exists (select 1 from pg_index x where x.indrelid = c.oid and x.indisprimary) as has_pk
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition`);
    const offenders = rows.filter((r) => !GLOBAL_TABLES.has(r.table) && (!r.has_ws || !r.has_pk)).map((r) => r.table);
    assert.deepEqual(offenders, []);
  });

  it('has autovacuum visit the events table after every 10,000 inserted events (event windows stay index-only)', async () => {
    const { rows } = await database().pool.query<{ options: string[] | null }>(`select reloptions as options from pg_class where oid = 'public.events'::regclass`);
    assert.deepEqual([...(rows[0]?.options ?? [])].sort(), ['autovacuum_vacuum_insert_scale_factor=0', 'autovacuum_vacuum_insert_threshold=10000']);
  });

  it('includes workspace_id in foreign keys between tenant tables', async () => {
    const { rows } = await database().pool.query<{ child: string; parent: string; cols: string[] }>(`
      select c.relname as child, p.relname as parent,
        array(select a.attname from unnest(k.conkey) as u(n) join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n) as cols
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid
      join pg_class p on p.oid = k.confrelid
      join pg_namespace ns on ns.oid = c.relnamespace
      where k.contype = 'f' and ns.nspname = 'public'`);
    const offenders = rows
      .filter((r) => !GLOBAL_TABLES.has(r.child) && !GLOBAL_TABLES.has(r.parent) && !r.cols.includes('workspace_id'))
      .map((r) => `${r.child} -> ${r.parent} (${r.cols.join(', ')})`);
    assert.deepEqual(offenders, []);
  });

  it('reports no pending migrations after setup and is idempotent', async () => {
    const again = await migrate(database().pool);
    assert.deepEqual(again.applied, []);
    const status = await migrationStatus(database().pool);
    assert.equal(status.pending.length, 0);
    assert.equal(status.applied.length, fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length);
  });

  it('fails loudly when an applied migration was edited', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-mig-'));
    for (const f of fs.readdirSync(MIGRATIONS_DIR)) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    const first = fs.readdirSync(dir).sort()[0]!;
    fs.appendFileSync(path.join(dir, first), '\n-- an edit after the fact\n');
    await assert.rejects(migrate(database().pool, { dir }), (err: unknown) => {
      assert.ok(err instanceof MigrationError);
      assert.match(err.message, /was edited after it ran/);
      return true;
    });
    fs.rmSync(dir, { recursive: true });
  });

  it('fails when an applied migration is missing from the code', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-mig-'));
    await assert.rejects(migrate(database().pool, { dir }), /missing from/);
    fs.rmSync(dir, { recursive: true });
  });
});
