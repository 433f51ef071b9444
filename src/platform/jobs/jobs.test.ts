import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../db/testing.ts';
import { createLogger } from '../logger.ts';
import { Jobs, transactionAdapter } from './jobs.ts';
import { buildTestSiyu, seedWorkspace } from '../../../test/support/app.ts';

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

describeEachDatabase('background jobs', ({ database }) => {
  const started: Jobs[] = [];
  after(async () => {
    for (const j of started) await j.stop();
  });

  it('runs the housekeeping job, which deletes expired sessions and keeps live ones', async () => {
    const siyu = buildTestSiyu(database());
    const { users } = await seedWorkspace(siyu);
    const now = Date.now();
    await siyu.db
      .insertInto('sessions')
      .values([
        { id: 'expired-1', user_id: users.owner.id, csrf_token: 'c', expires_at: new Date(now - 1000) },
        { id: 'live-1', user_id: users.owner.id, csrf_token: 'c', expires_at: new Date(now + 3600_000) },
      ])
      .execute();
    started.push(siyu.jobs);
    await siyu.jobs.work();
    await siyu.jobs.send('housekeeping', {});
    await until(async () => !(await siyu.db.selectFrom('sessions').select('id').where('id', '=', 'expired-1').executeTakeFirst()));
    assert.ok(await siyu.db.selectFrom('sessions').select('id').where('id', '=', 'live-1').executeTakeFirst());
    const schedules = await siyu.jobs.boss.getSchedules();
    assert.ok(schedules.some((s) => s.name === 'housekeeping'), 'housekeeping is not scheduled');
  });

  it('enqueues inside a transaction only when it commits', async () => {
    const jobs = new Jobs({ pool: database().pool, logger: createLogger('silent') });
    const seen: number[] = [];
    jobs.define<{ n: number }>({ name: 'outbox-test', pollingIntervalSeconds: 0.5, handler: async (batch) => void seen.push(...batch.map((j) => j.data.n)) });
    started.push(jobs);
    await jobs.start();
    const db = database().db;
    await db.transaction().execute(async (trx) => {
      await jobs.boss.send('outbox-test', { n: 1 }, { db: transactionAdapter(trx) });
    });
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await jobs.boss.send('outbox-test', { n: 2 }, { db: transactionAdapter(trx) });
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    await jobs.work();
    await until(async () => seen.includes(1));
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(seen, [1]);
  });

  it('fans a published topic out to every subscribed queue, only when the transaction commits', async () => {
    const jobs = new Jobs({ pool: database().pool, logger: createLogger('silent') });
    const got: Record<string, number[]> = { a: [], b: [] };
    for (const q of ['a', 'b'] as const) {
      jobs.define<{ n: number }>({
        name: `topic-sub-${q}`,
        topics: ['things.changed'],
        pollingIntervalSeconds: 0.5,
        batchSize: 10,
        handler: async (batch) => void got[q]!.push(...batch.map((j) => j.data.n)),
      });
    }
    started.push(jobs);
    await jobs.work();
    await database().db.transaction().execute(async (trx) => jobs.publish('things.changed', { n: 7 }, trx));
    await assert.rejects(
      database().db.transaction().execute(async (trx) => {
        await jobs.publish('things.changed', { n: 8 }, trx);
        throw new Error('rolled back');
      }),
    );
    await until(async () => got.a!.includes(7) && got.b!.includes(7));
    await new Promise((r) => setTimeout(r, 1200));
    assert.deepEqual(got, { a: [7], b: [7] });
  });

  it('enqueues a published message only for the subscribers that accept it', async () => {
    const jobs = new Jobs({ pool: database().pool, logger: createLogger('silent') });
    const got: Record<string, number[]> = { all: [], even: [] };
    jobs.define<{ n: number }>({ name: 'accept-all', topics: ['numbers.changed'], pollingIntervalSeconds: 0.5, batchSize: 10, handler: async (b) => void got.all!.push(...b.map((j) => j.data.n)) });
    jobs.define<{ n: number }>({
      name: 'accept-even',
      topics: ['numbers.changed'],
      accepts: (d) => d.n % 2 === 0,
      pollingIntervalSeconds: 0.5,
      batchSize: 10,
      handler: async (b) => void got.even!.push(...b.map((j) => j.data.n)),
    });
    started.push(jobs);
    await jobs.start();
    await database().db.transaction().execute(async (trx) => {
      for (const n of [1, 2, 3, 4]) await jobs.publish('numbers.changed', { n }, trx);
    });
    // One row per message in the outbox, naming the queues that accept it.
    const outbox = await database().pool.query<{ n: number; queues: string[] }>(`select (data->>'n')::int as n, queues from job_outbox where topic = 'numbers.changed' order by id`);
    assert.deepEqual(outbox.rows, [
      { n: 1, queues: ['accept-all'] },
      { n: 2, queues: ['accept-all', 'accept-even'] },
      { n: 3, queues: ['accept-all'] },
      { n: 4, queues: ['accept-all', 'accept-even'] },
    ]);
    assert.equal(await jobs.relay(), 4);
    // Not enqueued at all: the rejected messages never became jobs of that queue.
    const { rows } = await database().pool.query<{ name: string; n: number }>(`select name, count(*)::int as n from pgboss.job where name in ('accept-all', 'accept-even') group by name order by name`);
    assert.deepEqual(rows, [{ name: 'accept-all', n: 4 }, { name: 'accept-even', n: 2 }]);
    await jobs.work();
    await until(async () => got.all!.length === 4 && got.even!.length === 2);
    assert.deepEqual([got.all!.sort(), got.even!.sort()], [[1, 2, 3, 4], [2, 4]]);
  });

  it('relays each published message exactly once, with relays of two processes taking messages at once', async () => {
    const make = () => {
      const jobs = new Jobs({ pool: database().pool, logger: createLogger('silent') });
      jobs.define<{ n: number }>({ name: 'relay-x', topics: ['relay.topic'], handler: async () => {} });
      jobs.define<{ n: number; big?: string }>({ name: 'relay-y', topics: ['relay.topic'], omit: ['big'], handler: async () => {} });
      started.push(jobs);
      return jobs;
    };
    const [a, b] = [make(), make()];
    await a.start();
    await b.start();
    const total = 450;
    for (let i = 0; i < total; i += 50) {
      await database().db.transaction().execute(async (trx) => {
        for (let n = i; n < i + 50; n++) await a.publish('relay.topic', { n, big: 'x'.repeat(100) }, trx);
      });
    }
    // Both drain the outbox side by side, in batches smaller than it.
    const drain = async (jobs: Jobs) => {
      let moved = 0;
      for (let m = await jobs.relay(40); m > 0; m = await jobs.relay(40)) moved += m;
      return moved;
    };
    const [movedA, movedB] = await Promise.all([drain(a), drain(b)]);
    assert.equal(movedA + movedB, total);
    const { rows } = await database().pool.query<{ name: string; jobs: number; distinct_n: number; with_big: number }>(
      `select name, count(*)::int as jobs, count(distinct data->>'n')::int as distinct_n, count(*) filter (where data ? 'big')::int as with_big
       from pgboss.job where name in ('relay-x', 'relay-y') group by name order by name`,
    );
    assert.deepEqual(rows, [
      { name: 'relay-x', jobs: total, distinct_n: total, with_big: total },
      { name: 'relay-y', jobs: total, distinct_n: total, with_big: 0 },
    ]);
    assert.equal((await database().pool.query(`select 1 from job_outbox where topic = 'relay.topic'`)).rowCount, 0);
  });

  it('keeps a message in the outbox when its relay fails, and enqueues nothing of it until a relay succeeds', async () => {
    const jobs = new Jobs({ pool: database().pool, logger: createLogger('silent') });
    for (const name of ['relay-ok', 'relay-broken']) jobs.define<{ n: number }>({ name, topics: ['fragile.topic'], handler: async () => {} });
    started.push(jobs);
    await jobs.start();
    const pool = database().pool;
    await pool.query(`create or replace function test_refuse_job() returns trigger language plpgsql as $$
      begin if new.name = 'relay-broken' then raise exception 'queue unavailable'; end if; return new; end $$`);
    const table = `pgboss.${(await pool.query<{ t: string }>(`select table_name as t from pgboss.queue where name = 'relay-broken'`)).rows[0]!.t}`;
    await pool.query(`create trigger test_refuse_job before insert on ${table} for each row execute function test_refuse_job()`);
    try {
      await database().db.transaction().execute((trx) => jobs.publish('fragile.topic', { n: 1 }, trx));
      await assert.rejects(jobs.relay(), /queue unavailable/);
      // Nothing half-done: the message is still there and the healthy queue got no job.
      assert.equal((await pool.query(`select 1 from job_outbox where topic = 'fragile.topic'`)).rowCount, 1);
      assert.equal((await pool.query(`select 1 from pgboss.job where name in ('relay-ok', 'relay-broken')`)).rowCount, 0);
    } finally {
      await pool.query(`drop trigger test_refuse_job on ${table}`);
    }
    assert.equal(await jobs.relay(), 1);
    const { rows } = await pool.query<{ name: string; n: number }>(`select name, count(*)::int as n from pgboss.job where name in ('relay-ok', 'relay-broken') group by name order by name`);
    assert.deepEqual(rows, [{ name: 'relay-broken', n: 1 }, { name: 'relay-ok', n: 1 }]);
  });

  it('leaves a message for queues this process does not define to a relay that defines them', async () => {
    const newer = new Jobs({ pool: database().pool, logger: createLogger('silent') });
    newer.define({ name: 'added-later', topics: ['versioned.topic'], handler: async () => {} });
    const older = new Jobs({ pool: database().pool, logger: createLogger('silent') });
    older.define({ name: 'older-queue', handler: async () => {} });
    started.push(newer, older);
    await newer.start();
    await older.start();
    await newer.publish('versioned.topic', { n: 1 });
    assert.equal(await older.relay(), 0);
    assert.equal(await newer.relay(), 1);
    assert.equal((await database().pool.query(`select 1 from pgboss.job where name = 'added-later'`)).rowCount, 1);
  });

  it('vacuums the outbox as its relay deletes messages, so the table does not grow with every message ever published', async () => {
    const jobs = new Jobs({ pool: database().pool, logger: createLogger('silent'), relayIntervalMs: 20, relayVacuumEvery: 1000 });
    jobs.define({ name: 'vacuum-sub', topics: ['vacuum.topic'], handler: async () => {} });
    started.push(jobs);
    await jobs.start();
    const pool = database().pool;
    const publish = () =>
      pool.query(`insert into job_outbox (topic, queues, data) select 'vacuum.topic', array['vacuum-sub'], jsonb_build_object('n', g, 'pad', repeat('x', 200)) from generate_series(1, 3000) g`);
    const size = async () => Number((await pool.query<{ bytes: string }>(`select pg_relation_size('job_outbox') as bytes`)).rows[0]!.bytes);
    const drained = () => until(async () => (await pool.query(`select 1 from job_outbox where topic = 'vacuum.topic' limit 1`)).rowCount === 0);
    // One round's worth of messages, before any relay runs.
    await pool.query('vacuum job_outbox');
    const base = await size();
    await publish();
    const oneRound = (await size()) - base;
    await jobs.work();
    await drained();
    for (let i = 0; i < 3; i++) {
      await publish();
      await drained();
    }
    // Four rounds went through; without the vacuums the dead rows would fill four rounds of pages.
    const grown = (await size()) - base;
    assert.ok(grown <= oneRound * 1.5, `outbox grew by ${grown} bytes after four rounds of 3,000 messages (one round: ${oneRound})`);
    assert.equal((await pool.query(`select count(*)::int as n from pgboss.job where name = 'vacuum-sub'`)).rows[0].n, 12_000);
  });

  it('relays a published message the moment it commits (PostgreSQL notifications), long before the relay polls again', async (t) => {
    if (database().kind !== 'postgres') return t.skip('notifications need PostgreSQL');
    const jobs = new Jobs({ pool: database().pool, logger: createLogger('silent'), listen: true, relayIntervalMs: 20_000 });
    const seen: number[] = [];
    jobs.define<{ at: number }>({ name: 'relay-notify', topics: ['relay.notify'], pollingIntervalSeconds: 20, handler: async (batch) => void seen.push(...batch.map((j) => Date.now() - j.data.at)) });
    started.push(jobs);
    await jobs.work();
    // Past the relay's and the worker's first looks, which happen at once.
    await new Promise((r) => setTimeout(r, 1000));
    await database().db.transaction().execute((trx) => jobs.publish('relay.notify', { at: Date.now() }, trx));
    await until(async () => seen.length > 0, 5000);
    assert.ok(seen[0]! < 2000, `handled ${seen[0]} ms after commit`);
    t.diagnostic(`handled ${seen[0]} ms after commit with a 20 s relay poll and a 20 s job poll`);
  });

  it('lets a running job finish when stopping', async () => {
    const jobs = new Jobs({ pool: database().pool, logger: createLogger('silent') });
    let finished = false;
    let startedRun = false;
    jobs.define({
      name: 'slow-test',
      pollingIntervalSeconds: 0.5,
      handler: async () => {
        startedRun = true;
        await new Promise((r) => setTimeout(r, 1500));
        finished = true;
      },
    });
    await jobs.work();
    await jobs.send('slow-test', {});
    await until(async () => startedRun);
    await jobs.stop();
    assert.equal(finished, true, 'stop returned before the running job finished');
  });

  it('wakes a worker the moment a job commits (PostgreSQL notifications), long before its next poll', async (t) => {
    if (database().kind !== 'postgres') return t.skip('notifications need PostgreSQL');
    const jobs = new Jobs({ pool: database().pool, logger: createLogger('silent'), listen: true });
    const seen: { n: number; ms: number }[] = [];
    // A slow poll: only a notification can pick the job up within a second.
    jobs.define<{ n: number; at: number }>({ name: 'notify-test', pollingIntervalSeconds: 20, handler: async (batch) => void seen.push(...batch.map((j) => ({ n: j.data.n, ms: Date.now() - j.data.at }))) });
    started.push(jobs);
    await jobs.work();
    // The first fetch of a new worker happens at once: wait past it, then commit a job.
    await new Promise((r) => setTimeout(r, 1000));
    await database().db.transaction().execute(async (trx) => {
      await jobs.boss.send('notify-test', { n: 1, at: Date.now() }, { db: transactionAdapter(trx) });
    });
    await until(async () => seen.length > 0, 5000);
    assert.equal(seen[0]!.n, 1);
    assert.ok(seen[0]!.ms < 2000, `handled ${seen[0]!.ms} ms after commit`);
    t.diagnostic(`handled ${seen[0]!.ms} ms after commit with a 20 s poll`);
  });
});
