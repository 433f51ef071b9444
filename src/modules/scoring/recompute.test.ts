/**
 * The full recompute writes the same scores whether it applies the changes directly or stages
 * them first (more than 20,000 changed customers; forced here with `directLimit: 0`), on both
 * engines: COPY staging on PostgreSQL, unnest staging embedded.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { ManualClock, seedWorkspace, startTestSiyu } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { brand, recomputeNow, scoresOf, type Brand } from './fixtures.test-support.ts';
import { systemContext } from '../../platform/http/context.ts';
import { localDayNumber } from './days.ts';

const NOW = new Date('2025-06-01T04:00:00Z');
const day = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString();

async function fill(b: Brand) {
  for (let p = 0; p < 40; p++) {
    const card = `M${String(p).padStart(3, '0')}`;
    if (p % 7 === 0) {
      await b.joined(card, day(p * 5 + 1));
      continue;
    }
    for (let k = 0; k <= p % 5; k++) await b.order(card, `${card}-${k}`, day((p * 11 + k * 17) % 400 + 1), 3_000 + ((p * 37 + k * 101) % 60) * 1_000);
  }
}

describeEachDatabase('scoring: full recompute, direct and staged', ({ database }) => {
  let siyu: Siyu;
  before(async () => {
    siyu = await startTestSiyu(database(), { clock: new ManualClock(NOW) });
  });
  after(async () => siyu?.jobs.stop());

  it('stages and applies every change like the direct path, and a repeat writes nothing', async () => {
    const [direct, staged] = [brand(siyu, (await seedWorkspace(siyu)).workspaceId), brand(siyu, (await seedWorkspace(siyu)).workspaceId)];
    await fill(direct);
    await fill(staged);
    const a = await recomputeNow(siyu, direct.workspaceId);
    const b = await recomputeNow(siyu, staged.workspaceId, { directLimit: 0 });
    assert.equal(a.customers, 40);
    assert.equal(b.changed, a.changed);
    assert.equal(b.changed, 40);

    const byCard = async (x: Brand) => {
      const scores = await scoresOf(siyu, x.workspaceId);
      return new Map([...x.ids].map(([card, id]) => {
        const { workspace_id: _w, customer_id: _c, scored_at: _s, ...rest } = scores.get(id) ?? ({} as never);
        return [card, rest];
      }));
    };
    const expected = await byCard(direct);
    assert.equal(expected.size, 40);
    assert.ok([...expected.values()].some((s) => s.rfm_class !== null), 'buyers have a class');
    assert.deepEqual(await byCard(staged), expected);

    const history = async (ws: string) => Number((await sql<{ n: string }>`select count(*) as n from customer_score_history where workspace_id = ${ws}`.execute(siyu.db)).rows[0]!.n);
    assert.equal(await history(staged.workspaceId), 40);
    assert.equal(await history(staged.workspaceId), await history(direct.workspaceId));
    const staging = await sql<{ n: string }>`select count(*) as n from scoring_staging where workspace_id = ${staged.workspaceId}`.execute(siyu.db);
    assert.equal(Number(staging.rows[0]!.n), 0, 'the staging rows are cleared');

    const again = await recomputeNow(siyu, staged.workspaceId, { directLimit: 0 });
    assert.equal(again.changed, 0);
    // The staged write counted the distribution again: the next run goes by changes on it.
    assert.equal(again.mode, 'changes');
    const counted = await sql<{ n: number }>`select customers as n from scoring_distribution where workspace_id = ${staged.workspaceId} and dimension = 0`.execute(siyu.db);
    assert.equal(counted.rows[0]?.n, 40);
    // The staged run counted it once at its end; the direct one kept it row by row: the same.
    const kept = async (ws: string) =>
      (await sql<{ d: number; v: string; n: number }>`select dimension as d, value::text as v, customers as n from scoring_distribution
        where workspace_id = ${ws} and customers <> 0 order by 1, value`.execute(siyu.db)).rows;
    const recounted = await kept(staged.workspaceId);
    assert.deepEqual(recounted, await kept(direct.workspaceId));
    assert.deepEqual([1, 2, 3, 4].map((d) => recounted.some((r) => r.d === d)), [true, true, true, true], 'every dimension is counted');
  });
});

describeEachDatabase('scoring: incremental re-scoring of large batches', ({ database }) => {
  let siyu: Siyu;
  before(async () => {
    siyu = await startTestSiyu(database(), { clock: new ManualClock(NOW) });
  });
  after(async () => siyu?.jobs.stop());

  it('re-scores a large batch of the live feed in chunks, and leaves a full run to large imports', async () => {
    const b = brand(siyu, (await seedWorkspace(siyu)).workspaceId);
    await fill(b);
    await recomputeNow(siyu, b.workspaceId);
    const known = [...b.ids.values()];
    // 4,500 ids in one batch: the 34 buyers and joiners, and ids of nobody (as a backlog of messages would carry).
    const many = [...known, ...Array.from({ length: 4500 - known.length }, (_, i) => 10_000_000 + i)];
    const pending = async () => (await siyu.scoring.recompute.listRuns(systemContext(b.workspaceId, 'test'))).items.filter((r) => r.status === 'queued').length;

    const live = await siyu.scoring.onCustomersChanged([{ workspaceId: b.workspaceId, customerIds: many, causes: ['event'] }]);
    assert.deepEqual(live.map((r) => r.action), ['rescored']);
    assert.equal(live[0]!.rescored, known.length);
    assert.equal(await pending(), 0, 'no full recompute for the live feed');

    const imported = await siyu.scoring.onCustomersChanged([{ workspaceId: b.workspaceId, customerIds: many, causes: ['import'] }]);
    assert.deepEqual(imported.map((r) => r.action), ['full_requested']);
    assert.equal(await pending(), 1);
  });
});

describeEachDatabase('scoring: stages that turn with the local day', ({ database }) => {
  const clock = new ManualClock(NOW);
  let siyu: Siyu;
  before(async () => {
    siyu = await startTestSiyu(database(), { clock });
  });
  after(async () => siyu?.jobs.stop());

  it('re-scores the customers whose re-score day has come once per local day, leaving the nightly run nothing of theirs', async () => {
    const b = brand(siyu, (await seedWorkspace(siyu)).workspaceId);
    await fill(b);
    await recomputeNow(siyu, b.workspaceId);
    const stored = async () => new Map([...(await scoresOf(siyu, b.workspaceId))].map(([id, s]) => [id, { stage: s.lifecycle_days_stage, rescore: s.rescore_on_day }]));
    const before = await stored();
    // Forty days on: the joiners of 1–36 days ago leave the silent stage (31 days after joining), among others.
    clock.advance(40 * 86_400_000);
    const today = localDayNumber(clock.now(), 'Asia/Shanghai');
    const due = [...before].filter(([, s]) => s.rescore !== null && s.rescore <= today).map(([id]) => id);
    assert.ok(due.length > 0, 'some customers are due');
    const passed = await siyu.scoring.incremental.rescoreDue(b.workspaceId, null);
    assert.equal(passed.day, today);
    assert.equal(passed.rescored, due.length);
    assert.ok(passed.changed > 0);
    const after = await stored();
    const moved = [...after].filter(([id, s]) => s.stage !== before.get(id)!.stage).map(([id]) => id);
    assert.ok(moved.length > 0 && moved.every((id) => due.includes(id)), 'stages moved for due customers only');
    assert.ok([...after.values()].every((s) => s.rescore === null || s.rescore > passed.day!), 'no customer is left due');
    // The same local day again: nothing is read.
    assert.deepEqual(await siyu.scoring.incremental.rescoreDue(b.workspaceId, passed.day), { day: passed.day, rescored: 0, changed: 0 });
    // The nightly run after it re-scores nobody for a stage: what it writes equals a full run's (nothing left).
    const nightly = await recomputeNow(siyu, b.workspaceId);
    assert.equal(nightly.mode, 'changes');
    const full = await siyu.scoring.recompute.request(systemContext(b.workspaceId, 'test'), 'manual', { full: true });
    const checked = await siyu.scoring.recompute.run({ workspaceId: b.workspaceId, runId: full.run.id });
    assert.equal(checked?.changed, 0);
  });
});
