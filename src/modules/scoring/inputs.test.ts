/**
 * Scoring reads timestamps as microseconds and turns them into local day numbers in the
 * process. Both read paths (the binary COPY of a full run, the query of incremental re-scoring)
 * must give the days PostgreSQL's own `(t at time zone tz)::date` gives, on both engines — at
 * the last microsecond of a day, across daylight-saving changes, before 2000 (a negative
 * timestamp on the wire) and before 1970.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { ManualClock, seedWorkspace, startTestSiyu } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { brand, recomputeNow } from './fixtures.test-support.ts';
import { COL, readInputs, streamAllInputs, type InputColumns } from './inputs.repository.ts';

const NOW = new Date('2026-01-10T04:00:00Z');

/** Instants around New York's clock changes and day edges, with microseconds. */
const INSTANTS = [
  '2025-03-09 06:59:59.999999+00', // 01:59:59.999999 EST, 9 March
  '2025-03-09 07:00:00+00', // 03:00 EDT, 9 March
  '2025-03-10 03:59:59.999999+00', // 23:59:59.999999 EDT, 9 March
  '2025-03-10 04:00:00+00', // 00:00 EDT, 10 March
  '2025-11-02 03:59:59.999999+00', // 23:59:59.999999 EDT, 1 November
  '2025-11-02 05:30:00.000001+00', // 01:30 EST after the clocks went back, 2 November
  '1999-12-31 23:59:59.999999+00', // before PostgreSQL's epoch: negative on the wire
  '1969-07-20 20:17:40.5+00', // before 1970
];

describeEachDatabase('scoring: inputs read as local days', ({ database }) => {
  let siyu: Siyu;
  before(async () => {
    siyu = await startTestSiyu(database(), { clock: new ManualClock(NOW) });
  });
  after(async () => siyu?.jobs.stop());

  it('gives the local days PostgreSQL gives, through COPY and through a query', async () => {
    const { workspaceId: ws } = await seedWorkspace(siyu);
    const zone = 'America/New_York';
    await sql`update workspaces set time_zone = ${zone} where id = ${ws}`.execute(siyu.db);
    const b = brand(siyu, ws);
    const n = INSTANTS.length;
    for (let i = 0; i < n; i++) await b.order(`C${i}`, `O${i}`, '2025-06-01T04:00:00Z', 10_000);
    await recomputeNow(siyu, ws);
    // Each customer gets instants from the list in every timestamp column scoring reads.
    const ids = [...b.ids.values()].sort((x, y) => x - y);
    const at = (i: number, k: number) => INSTANTS[(i + k) % n]!;
    for (const [i, id] of ids.entries()) {
      await sql`update customers set joined_at = ${at(i, 0)}::timestamptz, created_at = ${at(i, 1)}::timestamptz where workspace_id = ${ws} and id = ${id}`.execute(siyu.db);
      await sql`update customer_stats set first_order_at = ${at(i, 2)}::timestamptz, last_order_at = ${at(i, 3)}::timestamptz, last_interaction_at = ${at(i, 4)}::timestamptz
        where workspace_id = ${ws} and customer_id = ${id}`.execute(siyu.db);
      await sql`update customer_scores set scored_at = ${at(i, 5)}::timestamptz where workspace_id = ${ws} and customer_id = ${id}`.execute(siyu.db);
    }
    const day = (col: string) => sql.raw(`((${col} at time zone '${zone}')::date - date '1970-01-01')::int4`);
    const { rows: expected } = await sql<Record<string, number | string>>`
      select c.id, ${day('c.joined_at')} as joined_day, ${day('st.first_order_at')} as first_order_day, ${day('st.last_order_at')} as last_order_day,
        greatest(${day('st.last_order_at')}, ${day('st.last_interaction_at')}, ${day('c.joined_at')}, ${day('c.created_at')}) as activity_day,
        ${day('s.scored_at')} as s_scored_day, (extract(epoch from s.scored_at) * 1000000)::int8 as s_scored_us
      from customers c join customer_stats st on st.workspace_id = c.workspace_id and st.customer_id = c.id
      join customer_scores s on s.workspace_id = c.workspace_id and s.customer_id = c.id
      where c.workspace_id = ${ws} order by c.id`.execute(siyu.db);
    assert.equal(expected.length, n);

    const q = { workspaceId: ws, timeZone: zone, window: 'd365', tierPeriod: 'd365' } as const;
    const byId = (inputs: InputColumns) => {
      const out = new Map<number, Record<string, number | null>>();
      for (let r = 0; r < inputs.length; r++) {
        out.set(inputs.get(r, COL.customer_id), {
          joined_day: inputs.maybe(r, COL.joined_day), first_order_day: inputs.maybe(r, COL.first_order_day), last_order_day: inputs.maybe(r, COL.last_order_day),
          activity_day: inputs.maybe(r, COL.activity_day), s_scored_day: inputs.maybe(r, COL.s_scored_day), s_scored_us: inputs.maybe(r, COL.s_scored_us),
        });
      }
      return out;
    };
    const copied = byId(await streamAllInputs(siyu.database.pool, q));
    const queried = byId(await readInputs(siyu.db, q, ids));
    for (const row of expected) {
      const want = Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'id').map(([k, v]) => [k, Number(v)]));
      assert.deepEqual(copied.get(Number(row.id)), want, `COPY, customer ${row.id}`);
      assert.deepEqual(queried.get(Number(row.id)), want, `query, customer ${row.id}`);
    }
    // The instants do cross the clock changes: the same UTC hour gives different offsets.
    assert.notEqual(Number(expected[0]!.joined_day), Number(expected[3]!.joined_day));
  });
});
