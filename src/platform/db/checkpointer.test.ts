import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { checkpointDue, DEFAULT_CHECKPOINT_POLICY } from './checkpointer.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts';

const MB = 1024 * 1024;

describe('checkpoint policy', () => {
  const policy = { walBytes: 64 * MB, maxAgeMs: 300_000, intervalMs: 1000 };
  it('is due after enough WAL, whatever the age', () => {
    assert.equal(checkpointDue(64 * MB, 0, policy), true);
    assert.equal(checkpointDue(64 * MB - 1, 0, policy), false);
  });
  it('is due after the longest interval only if something was written', () => {
    assert.equal(checkpointDue(10 * MB, 300_000, policy), true);
    assert.equal(checkpointDue(10 * MB, 299_999, policy), false);
    assert.equal(checkpointDue(120, 3_600_000, policy), false, 'only the last checkpoint record');
  });
  it('defaults to a quarter of max_wal_size and checkpoint_timeout', () => {
    assert.equal(DEFAULT_CHECKPOINT_POLICY.walBytes, 256 * MB);
    assert.equal(DEFAULT_CHECKPOINT_POLICY.maxAgeMs, 300_000);
  });
});

/**
 * PGlite never checkpoints on its own (a standalone backend): without the embedded server's
 * checkpointer its WAL grows until the database is closed.
 */
describe('[embedded] checkpoints', () => {
  let dir: string;
  let db: EmbeddedDatabase;
  const walOnDisk = () => fs.readdirSync(path.join(dir, 'pg_wal')).filter((f) => /^[0-9A-F]{24}$/.test(f)).length * 16 * MB;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-checkpoints-'));
    db = await startEmbeddedDatabase({ dataDir: dir, checkpoint: { walBytes: 8 * MB, maxAgeMs: 600_000, intervalMs: 50 } });
  });
  after(async () => {
    await db?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checkpoints as WAL grows, never inside a client’s transaction, and keeps WAL bounded', async () => {
    const a = new pg.Client({ connectionString: db.url });
    const b = new pg.Client({ connectionString: db.url });
    await a.connect();
    await b.connect();
    try {
      const control = async (c: pg.Client) =>
        (await c.query<{ lsn: string; since: string }>('select checkpoint_lsn::text as lsn, pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::int8 as since from pg_control_checkpoint()')).rows[0]!;
      await a.query('create table cp_test (id int, payload text)');
      // A transaction that writes more than the threshold holds the session: no checkpoint in it.
      await a.query('begin');
      await a.query(`insert into cp_test select g, repeat('x', 200) from generate_series(1, 60000) g`);
      const inside = await control(a);
      assert.ok(Number(inside.since) > 8 * MB, `the transaction wrote ${inside.since} bytes of WAL`);
      await new Promise((r) => setTimeout(r, 400));
      assert.equal((await control(a)).lsn, inside.lsn, 'no checkpoint while the transaction is open');
      await a.query('commit');
      const waitForCheckpoint = async (from: string) => {
        for (let i = 0; i < 100; i++) {
          const now = await control(b);
          if (now.lsn !== from) return now;
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.fail('no checkpoint within 5 s of the commit');
      };
      await waitForCheckpoint(inside.lsn);

      // Writing ten times the threshold leaves the WAL near it, not ten times it.
      for (let round = 0; round < 10; round++) {
        await b.query(`insert into cp_test select g, repeat('y', 200) from generate_series(1, 40000) g`);
        await new Promise((r) => setTimeout(r, 150));
      }
      const end = await control(b);
      assert.ok(Number(end.since) < 24 * MB, `WAL since the last checkpoint: ${end.since} bytes`);
      assert.ok(walOnDisk() <= 160 * MB, `pg_wal holds ${walOnDisk() / MB} MB`);
      assert.equal(Number((await b.query('select count(*)::int as n from cp_test')).rows[0].n), 460_000);
    } finally {
      await a.end();
      await b.end();
    }
  });
});
