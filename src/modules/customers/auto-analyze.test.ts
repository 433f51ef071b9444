import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase, describeEachDatabase } from '../../platform/db/testing.ts';
import type { Database } from '../../platform/db/database.ts';
import { createAutoAnalyze } from './auto-analyze.ts';

describeEachDatabase('automatic planner statistics while tables grow', ({ target }) => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase(target);
    await sql`create table grow_small (x int); create table grow_big (x int)`.execute(database.db);
  });
  after(async () => database.close());

  const fill = (table: string, rows: number) => sql`insert into ${sql.raw(table)} select g from generate_series(1, ${rows}::int) g`.execute(database.db);
  const estimate = async (table: string) =>
    Number((await sql<{ n: number }>`select reltuples::float8 as n from pg_class where relname = ${table}`.execute(database.db)).rows[0]!.n);

  it('analyses a table that grew by a tenth of its size, and leaves a large one that did not', async () => {
    await fill('grow_big', 20_000);
    await sql`analyze grow_big`.execute(database.db);
    assert.equal(await estimate('grow_big'), 20_000);
    const analyzer = createAutoAnalyze(database.db, { enabled: true, tables: ['grow_small', 'grow_big'], firstAfterRows: 1000 });

    await fill('grow_small', 1000);
    await fill('grow_big', 1000);
    analyzer.noteWrites(500);
    await analyzer.idle();
    assert.ok((await estimate('grow_small')) <= 0, 'below the first threshold nothing is analysed');
    analyzer.noteWrites(500);
    await analyzer.idle();
    assert.equal(await estimate('grow_small'), 1000, 'the table that was never analysed is');
    assert.equal(await estimate('grow_big'), 20_000, '1,000 rows on 20,000 leave the large table alone');

    // The threshold doubled to 2,000; 2,000 rows on the big table since its analysis: a tenth.
    await fill('grow_big', 1000);
    await fill('grow_small', 500);
    analyzer.noteWrites(2000);
    await analyzer.idle();
    assert.equal(await estimate('grow_big'), 22_000);
    assert.equal(await estimate('grow_small'), 1500);
  });

  it('analyses in the background: the write that crossed the threshold does not wait for it', async () => {
    await sql`create table grow_blocked (x int)`.execute(database.db);
    await sql`insert into grow_blocked select g from generate_series(1, 100) g`.execute(database.db);
    const analyzer = createAutoAnalyze(database.db, { enabled: true, tables: ['grow_blocked'], firstAfterRows: 1 });
    // A transaction holding the lock ANALYZE needs keeps the analysis waiting.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const blocker = database.db.transaction().execute(async (trx) => {
      await sql`lock table grow_blocked in share update exclusive mode`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    const started = performance.now();
    analyzer.noteWrites(100);
    assert.ok(performance.now() - started < 50, 'noteWrites waited');
    const state = await Promise.race([analyzer.idle().then(() => 'finished'), new Promise((r) => setTimeout(() => r('running'), 300))]);
    assert.equal(state, 'running', 'the analysis should still wait for the lock');
    release();
    await blocker;
    await analyzer.idle();
    assert.equal(await estimate('grow_blocked'), 100);
  });

  it('reports a failed background analysis and carries on', async () => {
    const errors: unknown[] = [];
    const analyzer = createAutoAnalyze(database.db, { enabled: true, tables: ['grow_never_created'], firstAfterRows: 1, onError: (err) => errors.push(err) });
    analyzer.noteWrites(10);
    await analyzer.idle();
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /grow_never_created/);
  });

  it('does nothing when disabled', async () => {
    const analyzer = createAutoAnalyze(database.db, { enabled: false, tables: ['grow_small'], firstAfterRows: 1 });
    await fill('grow_small', 100);
    analyzer.noteWrites(10_000);
    await analyzer.idle();
    assert.equal(await estimate('grow_small'), 1500);
  });
});
