/**
 * Batches of one workspace sent at once: identities that merge customers while other batches
 * write events for them, the same client ids in several batches, and operators' merges in
 * between. On PostgreSQL batches overlap (resolution under the identity lock, events and
 * aggregates outside it); on the embedded engine they run one after another. Either way every
 * client id is stored once and reported accepted once, no event stays with a merged-away
 * customer, and the aggregates equal a rebuild.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Siyu } from '../../composition.ts';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { createRng } from '../demo/prng.ts';
import { systemContext } from '../../platform/http/context.ts';
import { mergeNthCustomers, seedWorkspace, startTestSiyu } from '../../../test/support/app.ts';

const PEOPLE = 40;
const BATCHES = 12;
const PER_BATCH = 60;
const ROUNDS = 3;

const STATS = (ws: string) => sql<Record<string, unknown>>`
  select c.id, s.first_interaction_at, s.last_interaction_at, coalesce(s.interaction_count, 0) as interaction_count
  from customers c left join customer_stats s on s.workspace_id = c.workspace_id and s.customer_id = c.id
  where c.workspace_id = ${ws} order by c.id`;

describeEachDatabase('ingestion: concurrent batches of one workspace', ({ database }) => {
  let siyu: Siyu;
  before(async () => {
    siyu = await startTestSiyu(database());
  });
  after(async () => siyu?.jobs.stop());

  it('stores each client id once, follows merges made meanwhile, and keeps the aggregates exact', async () => {
    const { workspaceId: ws } = await seedWorkspace(siyu);
    const ctx = systemContext(ws, 'test');
    const rng = createRng(7);
    const rand = () => rng.next();
    const unionid = (p: number) => ({ type: 'wechat_unionid', value: `u-${p}` });
    const mobile = (p: number) => ({ type: 'mobile', value: `+861390000${String(p).padStart(4, '0')}`, verified: true });
    const sent = new Map<string, object>();
    let next = 0;
    const event = () => {
      // A fifth of the events repeat one sent before (another batch may hold it right now).
      if (sent.size && rand() < 0.2) return [...sent.values()][Math.floor(rand() * sent.size)]!;
      const p = Math.floor(rand() * PEOPLE);
      const r = rand();
      // One identity alone makes a customer of its own; both together merge the two.
      const identities = r < 0.4 ? [unionid(p)] : r < 0.7 ? [mobile(p)] : [unionid(p), mobile(p)];
      const e = { id: `c-${next++}`, type: 'checkin', occurredAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(rand() * 300) * 86_400_000).toISOString(), identities };
      sent.set(e.id, e);
      return e;
    };

    const acceptedTimes = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const batches = Array.from({ length: BATCHES }, () => Array.from({ length: PER_BATCH }, event));
      const replies = await Promise.all([
        ...batches.map((b) => siyu.events.ingestEvents(ctx, b)),
        // An operator merges two customers while the batches run.
        // (Refused only when one of the two was merged away by a batch meanwhile.)
        mergeNthCustomers(siyu, ctx, round, round + 5).catch((err: { code?: string }) => assert.equal(err.code, 'customer.already_merged')),
      ]);
      for (const reply of replies) {
        if (!reply) continue;
        assert.equal(reply.rejected, 0);
        for (const o of reply.results) if (o.status === 'accepted') acceptedTimes.set(o.id!, (acceptedTimes.get(o.id!) ?? 0) + 1);
      }
    }

    const stored = await siyu.db.selectFrom('events').select(['client_id', 'customer_id']).where('workspace_id', '=', ws).execute();
    assert.equal(stored.length, sent.size, 'every distinct client id stored');
    assert.equal(new Set(stored.map((e) => e.client_id)).size, stored.length, 'no client id twice');
    assert.equal(acceptedTimes.size, sent.size, 'every client id reported accepted');
    assert.ok([...acceptedTimes.values()].every((n) => n === 1), 'and only once');

    const { rows: orphans } = await sql<{ n: number }>`
      select count(*)::int as n from events e join customers c on c.workspace_id = e.workspace_id and c.id = e.customer_id
      where e.workspace_id = ${ws} and c.merged_into is not null`.execute(siyu.db);
    assert.equal(orphans[0]!.n, 0, 'no event stays with a merged-away customer');
    const { rows: merges } = await sql<{ n: number }>`select count(*)::int as n from customer_merges where workspace_id = ${ws}`.execute(siyu.db);
    assert.ok(merges[0]!.n >= 5, `identities merged customers while batches ran (${merges[0]!.n} merges)`);

    const incremental = (await STATS(ws).execute(siyu.db)).rows;
    await siyu.customers.stats.rebuild(ws);
    assert.deepEqual(incremental, (await STATS(ws).execute(siyu.db)).rows);
    const counted = incremental.reduce((sum, r) => sum + Number(r.interaction_count), 0);
    assert.equal(counted, sent.size, 'each stored event counted once in the aggregates');
  });
});
