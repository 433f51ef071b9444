import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type RawBuilder } from 'kysely';
import { compileRule, testNumber, type CompileOptions } from './rule-compiler.ts';
import { RuleSchema, isTimeRelative, type Rule } from './segments.schemas.ts';
import { upcomingBirthdays, localMidnight } from './relative-time.ts';

const db = new Kysely<object>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const WS = '0190a000-0000-7000-8000-000000000001';
// 23:30 on 10 March 2026 in Shanghai.
const NOW = new Date('2026-03-10T15:30:00Z');
const base: CompileOptions = { workspaceId: WS, now: NOW, timeZone: 'Asia/Shanghai', attributes: new Map([['skin_type', 'enum'], ['score', 'number'], ['vip_since', 'date'], ['is_staff', 'boolean']]) };

function compile(rule: unknown, o: Partial<CompileOptions> = {}): { sql: string; parameters: readonly unknown[] } {
  const parsed = RuleSchema.parse(rule);
  const q = (compileRule(parsed, { ...base, ...o }) as RawBuilder<boolean>).compile(db);
  return { sql: q.sql.replace(/\s+/g, ' '), parameters: q.parameters };
}

describe('rule compiler', () => {
  it('binds every value as a parameter and never splices it into the SQL text', () => {
    const evil = "上海'; drop table customers; --";
    const { sql, parameters } = compile({
      type: 'and',
      children: [
        { type: 'city', op: 'eq', value: evil },
        { type: 'attribute', key: 'skin_type', op: 'in', value: ["dry' or 1=1 --"] },
        { type: 'event', eventType: 'product.viewed', where: [{ property: 'category', op: 'eq', value: "x'); --" }], op: 'gte', value: 3, window: { lastDays: 7 } },
      ],
    });
    assert.ok(!sql.includes('drop table') && !sql.includes('1=1') && !sql.includes("x')"), sql);
    assert.ok(parameters.includes(evil));
    assert.ok(parameters.some((p) => Array.isArray(p) && p.includes("dry' or 1=1 --")));
    assert.ok(parameters.includes(JSON.stringify("x'); --")));
    assert.match(sql, /^\(coalesce\("f"\."city" = \$1::text, false\) and exists/);
  });

  it('compiles and / or / not into a parenthesised boolean over the facts row', () => {
    const { sql, parameters } = compile({
      type: 'or',
      children: [
        { type: 'gender', op: 'eq', value: 'female' },
        { type: 'not', child: { type: 'rfm_class', op: 'in', value: ['important_value', 'general_keep'] } },
      ],
    });
    assert.equal(sql, '(coalesce("f"."gender" = $1::text, false) or (not coalesce("f"."rfm_class" = any($2::text[]), false)))');
    assert.deepEqual(parameters, ['female', ['important_value', 'general_keep']]);
  });

  it('makes neq and not_in the complement of eq and in, customers without a value included', () => {
    assert.equal(compile({ type: 'city', op: 'neq', value: '上海' }).sql, '("f"."city" is distinct from $1::text)');
    assert.equal(compile({ type: 'value_layer', op: 'not_in', value: ['vip'] }).sql, '(not coalesce("f"."value_layer" = any($1::text[]), false))');
    assert.equal(compile({ type: 'owner', op: 'is_not_set' }).sql, '("f"."owner_user_id" is null)');
  });

  it('counts relative days from local midnight in the workspace time zone', () => {
    // Today is 10 March in Shanghai: the last 30 days start at local midnight of 9 February.
    const last30 = compile({ type: 'time', field: 'last_order_at', op: 'in_last_days', value: 30 });
    assert.equal(last30.sql, 'coalesce("f"."last_order_at" >= $1::timestamptz, false)');
    assert.deepEqual(last30.parameters, ['2026-02-08T16:00:00.000Z']);
    // Joined more than 90 days ago: before local midnight of 10 December.
    const joined = compile({ type: 'time', field: 'joined_at', op: 'more_than_days_ago', value: 90 });
    assert.deepEqual(joined.parameters, ['2025-12-09T16:00:00.000Z']);
    // The same instant is still 10 March in UTC, so one day later in UTC terms.
    assert.deepEqual(compile({ type: 'time', field: 'last_order_at', op: 'in_last_days', value: 1 }, { timeZone: 'UTC' }).parameters, ['2026-03-10T00:00:00.000Z']);
    const between = compile({ type: 'time', field: 'created_at', op: 'between', value: ['2026-01-01', '2026-01-31'] });
    assert.deepEqual(between.parameters, ['2025-12-31T16:00:00.000Z', '2026-01-31T16:00:00.000Z']);
  });

  it('keeps local midnight across a daylight-saving change', () => {
    const ny = compile({ type: 'time', field: 'last_order_at', op: 'in_last_days', value: 7 }, { now: new Date('2026-03-10T12:00:00Z'), timeZone: 'America/New_York' });
    // 4 March 00:00 EST (UTC−5), before the 8 March switch to EDT.
    assert.deepEqual(ny.parameters, ['2026-03-04T05:00:00.000Z']);
    assert.equal(localMidnight(new Date('2026-03-10T12:00:00Z'), 'America/New_York').toISOString(), '2026-03-10T04:00:00.000Z');
  });

  it('turns a count that holds for zero into "not among those for whom it fails"', () => {
    const atLeast = compile({ type: 'event', eventType: 'page.viewed', op: 'gte', value: 3, window: { lastDays: 7 } });
    assert.match(atLeast.sql, /^exists \(select 1 from \(select e\.customer_id from segment_event_facts e where e\.workspace_id = \$1::uuid and e\.type = \$2::text and "e"\."occurred_at" >= \$3::timestamptz group by e\.customer_id having coalesce\(count\(\*\) >= \$4::numeric, false\)\) g where g\.customer_id = f\.customer_id\)$/);
    const fewer = compile({ type: 'event', eventType: 'page.viewed', op: 'lt', value: 3, window: { allTime: true } });
    assert.match(fewer.sql, /^\(not exists \(select 1 from \(select .* having not coalesce\(count\(\*\) < \$3::numeric, false\)\) g where g\.customer_id = f\.customer_id\)\)$/);
    assert.ok(!fewer.sql.includes('occurred_at'), 'all time has no window');
    assert.equal(testNumber(0, 'between', [0, 2]), true);
    assert.equal(testNumber(0, 'gt', 0), false);
  });

  it('sums a numeric property and filters on nested properties', () => {
    const { sql, parameters } = compile({
      type: 'event', eventType: 'live.watched', measure: 'sum', property: 'durationSeconds', op: 'gte', value: 600,
      where: [{ property: 'meta.platform', op: 'in', value: ['douyin', 'wechat'] }], window: { from: '2026-03-01', to: '2026-03-07' },
    });
    assert.match(sql, /coalesce\(sum\(\(case when jsonb_typeof\(\(e\.properties #> \$\d+::text\[\]\)\) = 'number'/);
    assert.ok(parameters.some((p) => Array.isArray(p) && p.join() === 'meta,platform'));
    assert.ok(parameters.some((p) => Array.isArray(p) && p.join() === '"douyin","wechat"'));
    assert.ok(parameters.includes('2026-02-28T16:00:00.000Z') && parameters.includes('2026-03-07T16:00:00.000Z'));
  });

  it('narrows grouped subqueries to the changed customers on the live path', () => {
    const live = compile({ type: 'tags', op: 'has_all', value: ['0190a000-0000-7000-8000-00000000000a', '0190a000-0000-7000-8000-00000000000b'] }, { customerIds: [7, 9] });
    assert.match(live.sql, /"t"\."customer_id" = any\(\$\d::bigint\[\]\) group by t\.customer_id having count\(\*\) = \$\d::int/);
    assert.ok(live.parameters.some((p) => Array.isArray(p) && p.join() === '7,9'));
    const whole = compile({ type: 'tags', op: 'has_all', value: ['0190a000-0000-7000-8000-00000000000a'] });
    assert.ok(!whole.sql.includes('bigint[]'));
  });

  it('types custom attributes by their definition', () => {
    assert.match(compile({ type: 'attribute', key: 'score', op: 'gt', value: 5 }).sql, /jsonb_typeof\(\(a\.attributes -> \$2::text\)\) = 'number'/);
    assert.match(compile({ type: 'attribute', key: 'skin_type', op: 'neq', value: 'dry' }).sql, /^\(not exists \(select 1 from segment_attribute_facts a/);
    const since = compile({ type: 'attribute', key: 'vip_since', op: 'in_last_days', value: 10 });
    assert.ok(since.parameters.includes('2026-03-01'), JSON.stringify(since.parameters));
    assert.ok(compile({ type: 'attribute', key: 'is_staff', op: 'eq', value: true }).parameters.includes('true'));
  });

  it('lists upcoming birthdays, 29 February on the 28th in other years', () => {
    assert.deepEqual(upcomingBirthdays(new Date('2027-02-27T00:00:00Z'), 'Asia/Shanghai', 3), ['02-27', '02-28', '02-29', '03-01']);
    assert.deepEqual(upcomingBirthdays(new Date('2028-02-27T00:00:00Z'), 'Asia/Shanghai', 3), ['02-27', '02-28', '02-29']);
    assert.match(compile({ type: 'birthday', op: 'in_next_days', value: 7 }).sql, /to_char\("f"\."birthday", 'MM-DD'\) = any\(\$1::text\[\]\)/);
  });

  it('knows which rules change with the clock alone', () => {
    const rel: Rule[] = [
      { type: 'time', field: 'joined_at', op: 'more_than_days_ago', value: 90 },
      { type: 'not', child: { type: 'purchased', by: 'category', op: 'any_of', value: ['精华'], window: { lastDays: 30 } } },
      { type: 'order_stat', metric: 'orders_30d', op: 'gte', value: 1 },
      { type: 'birthday', op: 'in_next_days', value: 3 },
    ];
    const fixed: Rule[] = [
      { type: 'time', field: 'joined_at', op: 'before', value: '2026-01-01' },
      { type: 'order_stat', metric: 'paid_order_count', op: 'gte', value: 1 },
      { type: 'event', eventType: 'page.viewed', measure: 'count', op: 'gte', value: 1, window: { from: '2026-01-01', to: '2026-01-02' } },
    ];
    for (const r of rel) assert.equal(isTimeRelative(r), true, JSON.stringify(r));
    for (const r of fixed) assert.equal(isTimeRelative(r), false, JSON.stringify(r));
  });
});
