/**
 * customers: list and search latency at N customers (default 1,000,000) through the customers
 * service (the same call GET /api/v1/customers makes): first page, name substring, phone
 * (full, masked, last four), identity, attribute, a filtered later page. Customers and their
 * mobile identities are bulk-generated with SQL. Baseline in the same run: a primary-key
 * lookup of one customer. Median of 7 runs per query.
 *
 *   npm run bench -- customers [--json] [--customers N] [--only postgres|embedded]
 */
import type { Siyu } from '../src/composition.ts';
import { benchWorkspace, openBenchSiyu } from './support/siyu.ts';
import { sql } from 'kysely';
import { systemContext } from '../src/platform/http/context.ts';
import { openTarget } from './ingest.bench.ts';
import { argValue, median, result, round, type BenchContext, type BenchResult, type Benchmark } from './support/harness.ts';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '静怡', '雨涵', '梓萱', '子轩'];
const CITIES = ['上海', '杭州', '北京', '深圳', '广州', '成都', '南京', '武汉', '苏州', '西安'];

async function seedCustomers(db: Siyu['db'], ws: string, n: number, log: (s: string) => void) {
  const chunk = 100_000;
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(n, from + chunk - 1);
    await sql`
      insert into customers (workspace_id, id, name, nickname, gender, city, mobile, consent_status, source_channel, attributes, created_at, updated_at)
      select ${ws}, g,
        (${SURNAMES}::text[])[1 + g % ${SURNAMES.length}] || (${GIVEN}::text[])[1 + (g / 7) % ${GIVEN.length}],
        'fan' || g::text,
        (array['male','female','female','unknown'])[1 + g % 4],
        (${CITIES}::text[])[1 + (g / 3) % ${CITIES.length}],
        '+86139' || lpad(g::text, 8, '0'),
        (array['granted','unknown','unknown','denied'])[1 + (g / 11) % 4],
        (array['offline_store','taobao','douyin','xiaohongshu','fission'])[1 + (g / 5) % 5],
        case when g % 10 = 0 then jsonb_build_object('skin_type', (array['dry','oily','combination'])[1 + (g / 10) % 3]) else '{}'::jsonb end,
        now(), now()
      from generate_series(${from}::bigint, ${to}::bigint) g`.execute(db);
    await sql`
      insert into customer_identities (workspace_id, type, scope, value, id, customer_id, is_verified, first_seen_at, last_seen_at)
      select ${ws}, 'mobile', '', '+86139' || lpad(g::text, 8, '0'), g, g, true, now(), now() from generate_series(${from}::bigint, ${to}::bigint) g`.execute(db);
    await sql`
      insert into customer_identities (workspace_id, type, scope, value, id, customer_id, first_seen_at, last_seen_at)
      select ${ws}, 'wechat_unionid', '', 'o6_' || md5(g::text), ${n} + g, g, now(), now() from generate_series(${from}::bigint, ${to}::bigint) g`.execute(db);
    log(`seeded ${to} customers`);
  }
  await sql`select setval('customers_id_seq', ${n}::bigint), setval('customer_identities_id_seq', ${2 * n}::bigint)`.execute(db);
  await sql`analyze customers`.execute(db);
  await sql`analyze customer_identities`.execute(db);
}

async function runOne(ctx: BenchContext, kind: 'postgres' | 'embedded', n: number): Promise<BenchResult[]> {
  const { database, drop } = await openTarget(kind, ctx.postgresUrl);
  let opened: Siyu | undefined;
  try {
    const siyu = await openBenchSiyu(database);
    opened = siyu;
    const { workspaceId, owner } = await benchWorkspace(siyu);
    await siyu.access.workspaces.createWorkspace({ name: 'Other' }, owner);
    const started = performance.now();
    await seedCustomers(siyu.db, workspaceId, n, (s) => ctx.log(`${kind}: ${s}`));
    ctx.log(`${kind}: seeded ${n} customers in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const wctx = systemContext(workspaceId, 'bench');
    await siyu.customers.settings.addAttribute(wctx, { key: 'skin_type', labelZh: '肤质', labelEn: 'Skin type', type: 'enum', options: ['dry', 'oily', 'combination'] });
    const time = async (fn: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        await fn();
        samples.push(performance.now() - t);
      }
      return median(samples);
    };
    const target = Math.floor(n * 0.61);
    const phone = `139${String(target).padStart(8, '0')}`;
    const pk = await time(() => siyu.db.selectFrom('customers').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', target).executeTakeFirst());
    const baseline = { name: 'pk_lookup_ms', value: round(pk, 3) };
    const list = (query: Record<string, unknown>) => () => siyu.customers.service.list(wctx, { limit: 50, ...query });
    const page = await siyu.customers.service.list(wctx, { limit: 50, consent: 'granted' });
    const scenarios: [string, () => Promise<unknown>][] = [
      ['first_page', list({})],
      ['name_substring', list({ q: '秀英' })],
      ['name_rare', list({ q: `fan${target}` })],
      ['phone_exact', list({ phone })],
      ['phone_masked', list({ phone: `${phone.slice(0, 3)}****${phone.slice(-4)}` })],
      ['phone_last4', list({ phone: phone.slice(-4) })],
      ['identity', list({ identityType: 'mobile', identityValue: phone })],
      ['attribute', list({ attribute: 'skin_type=oily' })],
      ['consent_page_2', list({ consent: 'granted', cursor: page.nextCursor ?? undefined })],
    ];
    const results: BenchResult[] = [];
    for (const [scenario, fn] of scenarios) {
      const ms = await time(fn);
      ctx.log(`${kind}: ${scenario} ${ms.toFixed(2)} ms`);
      results.push(result('list_ms', round(ms, 2), 'ms', kind, baseline, { scenario, notes: `${n} customers, page of 50` }));
    }
    return results;
  } finally {
    await opened?.jobs.stop();
    await database.close();
    await drop();
  }
}

const bench: Benchmark = {
  name: 'customers',
  description: 'customer list and search latency at N customers (service path), baseline: primary-key lookup',
  async run(ctx) {
    const arg = (name: string) => argValue(ctx.args, name);
    const n = Number(arg('--customers') ?? 1_000_000);
    const only = arg('--only');
    const results: BenchResult[] = [];
    if (only !== 'embedded') {
      if (ctx.postgresUrl) results.push(...(await runOne(ctx, 'postgres', n)));
      else ctx.log('PostgreSQL: neither BENCH_DATABASE_URL nor TEST_DATABASE_URL is set; PostgreSQL run skipped');
    }
    if (only !== 'postgres') results.push(...(await runOne(ctx, 'embedded', n)));
    return results;
  },
};

export default bench;
