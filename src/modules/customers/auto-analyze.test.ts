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
    await analyzer.noteWrites(500);
    assert.ok((await estimate('grow_small')) <= 0, 'below the first threshold nothing is analysed');
    await analyzer.noteWrites(500);
    assert.equal(await estimate('grow_small'), 1000, 'the table that was never analysed is');
    assert.equal(await estimate('grow_big'), 20_000, '1,000 rows on 20,000 leave the large table alone');

    // The threshold doubled to 2,000; 2,000 rows on the big table since its analysis: a tenth.
    await fill('grow_big', 1000);
    await fill('grow_small', 500);
    await analyzer.noteWrites(2000);
    assert.equal(await estimate('grow_big'), 22_000);
    assert.equal(await estimate('grow_small'), 1500);
  });

  it('does nothing when disabled', async () => {
    const analyzer = createAutoAnalyze(database.db, { enabled: false, tables: ['grow_small'], firstAfterRows: 1 });
    await fill('grow_small', 100);
    await analyzer.noteWrites(10_000);
    assert.equal(await estimate('grow_small'), 1500);
  });
});
