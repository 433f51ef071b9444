import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from './testing.ts';
import type { Database } from './database.ts';

/**
 * The embedded engine multiplexes many connections onto PGlite's one session. Parameterised
 * queries (extended protocol: Parse/Bind/Execute/Sync as separate messages) from different
 * connections must never interleave, while another connection runs transactions.
 */
describe('[embedded] connection multiplexing', () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase('embedded');
    await database.pool.query('create table mux_test (id int primary key, v text)');
  });
  after(async () => database?.close());

  it('keeps concurrent parameterised queries and transactions apart', async () => {
    const { pool } = database;
    let stop = false;
    let wrong = 0;
    let errors = 0;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await client.query('insert into mux_test (id, v) values ($1, $2)', [i, `v${i}`]);
          const r = await client.query('select v, $2::int as echo from mux_test where id = $1', [i, i * 2]);
          if (r.rows[0]?.v !== `v${i}` || r.rows[0]?.echo !== i * 2) wrong++;
          await client.query('commit');
        } catch {
          errors++;
          await client.query('rollback').catch(() => {});
        } finally {
          client.release();
        }
      }
    })();
    const readers = Array.from({ length: 6 }, async (_, k) => {
      for (let i = 0; i < 150; i++) {
        try {
          const r = await pool.query('select $1::int + $2::int as sum, $3::text as tag', [i, k, `r${k}-${i}`]);
          if (r.rows[0]?.sum !== i + k || r.rows[0]?.tag !== `r${k}-${i}`) wrong++;
        } catch {
          errors++;
        }
      }
    });
    await Promise.all(readers);
    stop = true;
    await writer;
    assert.equal(errors, 0, 'queries failed');
    assert.equal(wrong, 0, 'queries returned another query’s results');
    const { rows } = await pool.query('select count(*)::int as n from mux_test');
    assert.ok(rows[0].n > 0);
  });

  it('gives the session back when a client disconnects inside a transaction', async () => {
    const client = await database.pool.connect();
    await client.query('begin');
    await client.query('insert into mux_test (id, v) values (-1, $1)', ['abandoned']);
    client.release(true); // destroys the connection mid-transaction
    const r = await database.pool.query('select count(*)::int as n from mux_test where id = $1', [-1]);
    assert.equal(r.rows[0].n, 0, 'the abandoned transaction was not rolled back');
  });
});
