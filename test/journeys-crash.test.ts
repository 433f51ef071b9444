/**
 * Exactly-once sends across a crash, with real processes on PostgreSQL: 10,000 customers
 * trigger a journey whose first step sends through every guard rail to the outbox; the worker
 * process is killed with SIGKILL part way, a new one is started, and the ledger ends with
 * exactly 10,000 sends — one per customer, none twice, none lost — and every enrollment
 * finished with one recorded send.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSiyu, type Siyu } from '../src/composition.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { createTestDatabase, postgresSkipReason } from '../src/platform/db/testing.ts';
import { systemContext } from '../src/platform/http/context.ts';
import { createLogger } from '../src/platform/logger.ts';
import { DEFAULT_SETTINGS } from '../src/modules/messaging/index.ts';
import { seedWorkspace } from './support/app.ts';
import { spawnSiyu, type RunningSiyu } from './support/process.ts';

const CUSTOMERS = 10_000;
const BATCH = 1000;

describe('[postgres] journeys: exactly-once sends when the worker is killed', { skip: postgresSkipReason() }, () => {
  let database: Database;
  let siyu: Siyu;
  let worker: RunningSiyu | undefined;

  before(async () => {
    database = await createTestDatabase('postgres');
    const config = loadConfig({}, { logLevel: 'silent', seedDemo: false });
    // This process only enqueues (like an API server); the worker processes do the work.
    siyu = createSiyu({ config, database, logger: createLogger('silent'), clock: systemClock, jobsRole: 'client' });
    await siyu.jobs.start();
  });
  after(async () => {
    if (worker && worker.child.exitCode === null) await worker.stop('SIGKILL');
    await siyu?.jobs.stop();
    await database?.close();
  });

  const sql = async <T>(text: string, values: unknown[] = []) => (await database.pool.query(text, values)).rows as T[];

  it('sends to 10,000 customers exactly once across a SIGKILL and a restart', { timeout: 600_000 }, async (t) => {
    const { workspaceId } = await seedWorkspace(siyu, ['owner']);
    const ctx = systemContext(workspaceId, 'crash-test');
    // Every guard rail runs (consent, caps, quiet hours, quotas, template, advertising law);
    // quiet hours are off so the test passes at any hour of the day.
    await siyu.messaging.settings.put(ctx, { ...DEFAULT_SETTINGS, quietHours: { ...DEFAULT_SETTINGS.quietHours, enabled: false }, quotas: { wecom: { perMinute: 1_000_000, perHour: null, perDay: null } } });
    const journey = await siyu.journeys.journeys.create(ctx, {
      name: '崩溃测试',
      definition: {
        trigger: { type: 'event', eventType: 'custom.joined_club' },
        steps: [{ id: 'welcome', type: 'send', channel: 'wecom', content: { text: '{nickname|亲}，欢迎加入会员俱乐部' } }],
        reentry: { mode: 'never' },
        exits: [],
        goal: null,
      },
    });
    await siyu.journeys.journeys.activate(ctx, journey.id);

    const env = { DATABASE_URL: database.url!, SIYU_LOG_LEVEL: 'warn' };
    worker = spawnSiyu(['worker'], env);
    await worker.waitFor(/worker is running/);

    const started = Date.now();
    const now = new Date().toISOString();
    for (let i = 0; i < CUSTOMERS; i += BATCH) {
      const events = Array.from({ length: BATCH }, (_, k) => ({
        id: `join-${i + k}`,
        type: 'custom.joined_club',
        occurredAt: now,
        identities: [{ type: 'mobile', value: `139${String(i + k).padStart(8, '0')}` }],
      }));
      const r = await siyu.events.ingestEvents(ctx, events);
      assert.equal(r.results.filter((x) => x.status !== 'accepted').length, 0);
    }
    t.diagnostic(`ingested ${CUSTOMERS} events in ${Date.now() - started} ms`);

    const sends = async () => (await sql<{ n: number }>(`select count(*)::int as n from messages where workspace_id = $1 and source_id = $2`, [workspaceId, journey.id]))[0]!.n;
    // Kill the worker while it is sending.
    for (const deadline = Date.now() + 180_000; (await sends()) < 1500; ) {
      if (Date.now() > deadline) assert.fail(`the worker sent only ${await sends()} messages in 3 minutes:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await worker.stop('SIGKILL');
    const atKill = await sends();
    t.diagnostic(`killed the worker with ${atKill} of ${CUSTOMERS} sends recorded`);
    assert.ok(atKill < CUSTOMERS, `the worker finished (${atKill}) before it could be killed part way`);
    // Nothing moves while no worker runs.
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await sends(), atKill);

    worker = spawnSiyu(['worker'], env);
    await worker.waitFor(/worker is running/);
    const restarted = Date.now();
    for (const deadline = Date.now() + 300_000; (await sends()) < CUSTOMERS; ) {
      if (Date.now() > deadline) assert.fail(`after the restart only ${await sends()} of ${CUSTOMERS} sends in 5 minutes:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    t.diagnostic(`the new worker finished the remaining ${CUSTOMERS - atKill} sends ${Date.now() - restarted} ms after starting`);
    // Let retried jobs of the killed worker run to the end, then count again.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await worker.stop('SIGTERM'), 0, worker.output());

    const [ledger] = await sql<{ total: number; customers: number; keys: number; sent: number }>(
      `select count(*)::int as total, count(distinct customer_id)::int as customers, count(distinct idempotency_key)::int as keys,
              count(*) filter (where status = 'sent')::int as sent
       from messages where workspace_id = $1 and source_id = $2`,
      [workspaceId, journey.id],
    );
    assert.deepEqual(ledger, { total: CUSTOMERS, customers: CUSTOMERS, keys: CUSTOMERS, sent: CUSTOMERS });
    const [customers] = await sql<{ n: number }>(`select count(*)::int as n from customers where workspace_id = $1`, [workspaceId]);
    assert.equal(customers!.n, CUSTOMERS);
    const enrollments = await sql<{ state: string; sends: number; n: number }>(
      `select state, (select count(*) from jsonb_array_elements(log) e where e->>'type' = 'send' and e->>'outcome' = 'sent')::int as sends, count(*)::int as n
       from journey_enrollments where workspace_id = $1 and journey_id = $2 group by 1, 2 order by 1, 2`,
      [workspaceId, journey.id],
    );
    assert.deepEqual(enrollments, [{ state: 'completed', sends: 1, n: CUSTOMERS }]);
  });
});
