import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase, describeEachDatabase } from '../../platform/db/testing.ts';
import type { Database } from '../../platform/db/database.ts';

describeEachDatabase('scoring_monetary_bucket', ({ target }) => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase(target);
  });
  after(async () => database.close());

  it('keeps the two leading digits, as the first definition did, at every power of ten and around it', async () => {
    // The first definition (migration 0063), written out: kept distributions hold its values.
    const { rows } = await sql<{ v: string; bucket: string | null; first: string | null }>`
      with v(v) as (
        select unnest(array[null, -123456, -100, -1, 0, 1, 99, 100, 101, 999, 1000, 13859, 9223372036854775807]::int8[])
        union all select p + d from generate_series(0, 18) e, lateral (select (10::numeric ^ e)::int8 as p) x, unnest(array[-1, 0, 1]::int8[]) d
          where p + d between -9223372036854775807 and 9223372036854775807
        union all select (random() * 10 ^ (random() * 15))::int8 from generate_series(1, 2000))
      select v::text, scoring_monetary_bucket(v)::text as bucket,
        (case when v < 100 then v else v - v % (10::numeric ^ (length(v::text) - 2))::bigint end)::text as first
      from v`.execute(database.db);
    assert.ok(rows.length > 2000);
    const differ = rows.filter((r) => r.bucket !== r.first);
    assert.deepEqual(differ, []);
    assert.deepEqual(
      ['13859', '100', '999', '9223372036854775807'].map((v) => rows.find((r) => r.v === v)!.bucket),
      ['13000', '100', '990', '9200000000000000000'],
    );
    assert.equal(rows.find((r) => r.v === null)!.bucket, null);
  });
});
