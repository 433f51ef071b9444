/**
 * Exactly-once sends across a crash, with real processes: 10,000 customers
 * trigger a journey whose first step sends through every guard rail to the outbox; the worker
 * process is killed with SIGKILL part way, a new one is started, and the ledger ends with
 * exactly 10,000 sends — one per customer, none twice, none lost — and every enrollment
 * finished with one recorded send. On PostgreSQL a separate `siyu worker` dies; on the
 * embedded engine the single `siyu start` process (API and worker) dies while its database
 * process closes the data files, and the next start carries on.
 */
import { after, before, describe, it } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { createSiyu, type Siyu } from '../src/composition.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { createTestDatabase, postgresSkipReason } from '../src/platform/db/testing.ts';
import { embeddedDataDir, openDatabase } from '../src/platform/db/database.ts';
import { systemContext } from '../src/platform/http/context.ts';
import { createLogger } from '../src/platform/logger.ts';
import { DEFAULT_SETTINGS } from '../src/modules/messaging/index.ts';
import { seedWorkspace } from './support/app.ts';
import { runSiyu, spawnSiyu, type RunningSiyu } from './support/process.ts';

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

/** The counts that prove exactly-once: ledger rows, distinct customers and keys, sends; enrollments by state and recorded sends. */
async function exactlyOnceFigures(database: Database, workspaceId: string, journeyId: string) {
  const q = async <T>(text: string) => (await database.pool.query(text, [workspaceId, journeyId])).rows as T[];
  const [ledger] = await q<{ total: number; customers: number; keys: number; sent: number }>(
    `select count(*)::int as total, count(distinct customer_id)::int as customers, count(distinct idempotency_key)::int as keys,
            count(*) filter (where status = 'sent')::int as sent
     from messages where workspace_id = $1 and source_id = $2`,
  );
  const enrollments = await q<{ state: string; sends: number; n: number }>(
    // Per enrollment: its send steps whose message (found by the key the log keeps) was sent,
    // whether at once or after waiting for quota.
    `select state, (select count(*) from jsonb_array_elements(log) e
                    join messages m on m.workspace_id = $1 and m.idempotency_key = e->'detail'->>'key'
                    where e->>'type' = 'send' and m.status = 'sent')::int as sends, count(*)::int as n
     from journey_enrollments where workspace_id = $1 and journey_id = $2 group by 1, 2 order by 1, 2`,
  );
  return { ledger, enrollments };
}

describe('[embedded] journeys: exactly-once sends when siyu start is killed', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-crash-'));
  const env = { SIYU_DATA_DIR: tmp, SIYU_PORT: '0', SIYU_SEED_DEMO: 'false', SIYU_LOG_LEVEL: 'warn' };
  let server: RunningSiyu | undefined;
  after(async () => {
    if (server && server.child.exitCode === null) await server.stop('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function startServer(): Promise<{ base: string; headers: Record<string, string> }> {
    server = spawnSiyu(['start'], env);
    const [, port] = await server.waitFor(/is ready at http:\/\/127\.0\.0\.1:(\d+)/, 180_000);
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ops@brand.cn', password }) });
    assert.equal(login.status, 200, await login.clone().text());
    const body = (await login.json()) as { workspaces: { id: string }[] };
    workspaceId = body.workspaces[0]!.id;
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]!);
    const csrf = cookies.find((c) => c.startsWith('siyu_csrf='))!.slice('siyu_csrf='.length);
    return { base, headers: { cookie: cookies.join('; '), 'x-csrf-token': csrf, 'x-siyu-workspace': workspaceId, 'content-type': 'application/json' } };
  }
  let password = '';
  let workspaceId = '';

  it('sends to 10,000 customers exactly once across a SIGKILL and a restart', { timeout: 900_000 }, async (t) => {
    const user = runSiyu(['user', 'create', '--email', 'ops@brand.cn', '--json'], env);
    assert.equal(user.status, 0, user.stderr);
    password = JSON.parse(user.stdout).generatedPassword as string;
    assert.equal(runSiyu(['workspace', 'create', '--name', 'Brand', '--owner', 'ops@brand.cn', '--json'], env).status, 0);

    let api = await startServer();
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${api.base}${url}`, { method, headers: api.headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      assert.ok(res.status < 300, `${method} ${url}: ${res.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const current = (await call('GET', '/api/v1/messaging/settings')).settings as typeof DEFAULT_SETTINGS;
    // A channel quota of 4,000 a minute: whatever the machine's speed, at most 8,000 (two
    // adjacent minutes) are sent before the kill lands; the rest wait, held, for later minutes.
    await call('PUT', '/api/v1/messaging/settings', { ...current, quietHours: { ...current.quietHours, enabled: false }, quotas: { wecom: { perMinute: 4000, perHour: null, perDay: null } } });
    const journey = await call('POST', '/api/v1/journeys', {
      name: '崩溃测试',
      definition: { trigger: { type: 'event', eventType: 'custom.joined_club' }, steps: [{ id: 'welcome', type: 'send', channel: 'wecom', content: { text: '{nickname|亲}，欢迎加入会员俱乐部' } }] },
    });
    const journeyId = journey.id as string;
    await call('POST', `/api/v1/journeys/${journeyId}/activate`, {});
    const now = new Date().toISOString();
    for (let i = 0; i < CUSTOMERS; i += BATCH) {
      const events = Array.from({ length: BATCH }, (_, k) => ({
        id: `join-${i + k}`,
        type: 'custom.joined_club',
        occurredAt: now,
        identities: [{ type: 'mobile', value: `139${String(i + k).padStart(8, '0')}` }],
      }));
      const r = await call('POST', '/api/v1/events', { events });
      assert.equal(r.accepted, BATCH);
    }
    const sent = async () => {
      const stats = await call('GET', `/api/v1/journeys/${journeyId}/stats`);
      return (stats.steps as { id: string; sent: number }[]).find((s) => s.id === 'welcome')?.sent ?? 0;
    };
    for (const deadline = Date.now() + 300_000; (await sent()) < 1500; ) {
      if (Date.now() > deadline) assert.fail(`only ${await sent()} sends in 5 minutes:\n${server!.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await server!.stop('SIGKILL');
    api = await startServer();
    const atRestart = await sent();
    t.diagnostic(`killed siyu start; ${atRestart} of ${CUSTOMERS} sends recorded at the restart`);
    assert.ok(atRestart < CUSTOMERS, `everything was sent (${atRestart}) before the kill took effect`);
    const restarted = Date.now();
    for (const deadline = Date.now() + 300_000; (await sent()) < CUSTOMERS; ) {
      if (Date.now() > deadline) assert.fail(`after the restart only ${await sent()} of ${CUSTOMERS} sends in 5 minutes:\n${server!.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    t.diagnostic(`the restarted process finished the remaining ${CUSTOMERS - atRestart} sends in ${Date.now() - restarted} ms`);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await server!.stop('SIGINT'), 0, server!.output());

    const database = await openDatabase({ dataDir: embeddedDataDir(tmp), poolMax: 2 });
    try {
      const figures = await exactlyOnceFigures(database, workspaceId, journeyId);
      assert.deepEqual(figures, {
        ledger: { total: CUSTOMERS, customers: CUSTOMERS, keys: CUSTOMERS, sent: CUSTOMERS },
        enrollments: [{ state: 'completed', sends: 1, n: CUSTOMERS }],
      });
    } finally {
      await database.close();
    }
  });
});
