/**
 * The demo brand as people meet it, run as real processes on the embedded engine: the first
 * `siyu start` seeds it in the background (and resumes after Ctrl-C), and `siyu seed --demo`
 * fills a workspace through the services or in bulk, idempotently.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSiyu, spawnSiyu } from '../../../test/support/process.ts';

const PASSWORD = 'demo-password-123';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-demo-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function signIn(port: number): Promise<{ cookie: string; workspaceId: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@siyu.local', password: PASSWORD }),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { workspaces: { id: string }[] };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, workspaceId: body.workspaces[0]!.id };
}

async function get<T>(port: number, session: { cookie: string; workspaceId: string }, url: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${url}`, { headers: { cookie: session.cookie, 'x-siyu-workspace': session.workspaceId } });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as T;
}

/** All active customers, through the list API's keyset pages. */
async function listCustomers(port: number, session: { cookie: string; workspaceId: string }) {
  const all: { ownerUserId: string | null; sourceChannel: string | null }[] = [];
  let cursor: number | null = null;
  do {
    const page: { items: typeof all; nextCursor: number | null } = await get(port, session, `/api/v1/customers?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

const seedRuns = (port: number, session: { cookie: string; workspaceId: string }) =>
  get<{ items: { details: { skippedChunks: number; customers: number } }[] }>(port, session, '/api/v1/audit-log?action=demo.seed').then((r) => r.items);

describe('[embedded] demo brand on the first start', () => {
  it('is ready at once, seeds 300 customers in the background, and does not seed again on the next start', async () => {
    const env = { SIYU_DATA_DIR: path.join(tmp, 'first'), SIYU_PORT: '0', SIYU_DEMO_PASSWORD: PASSWORD, SIYU_DEMO_CUSTOMERS: '300', SIYU_LOG_LEVEL: 'info' };
    const siyu = spawnSiyu(['start'], env);
    const [, port] = await siyu.waitFor(/is ready at http:\/\/127\.0\.0\.1:(\d+)/);
    assert.match(siyu.output(), /Demo brand: 300 customers are being added in the background/);
    await siyu.waitFor(/"msg":"demo brand seeded"/, 180_000);
    const session = await signIn(Number(port));
    const customers = await listCustomers(Number(port), session);
    assert.equal(customers.length, 300);
    assert.ok(customers.filter((c) => c.ownerUserId).length > 60, 'advisors own some customers');
    assert.ok(new Set(customers.map((c) => c.sourceChannel)).size >= 10, 'customers come through many channels');
    assert.equal((await seedRuns(Number(port), session)).length, 1);
    assert.equal(await siyu.stop('SIGINT'), 0, siyu.output());

    const again = spawnSiyu(['start'], env);
    const [, port2] = await again.waitFor(/is ready at http:\/\/127\.0\.0\.1:(\d+)/);
    assert.doesNotMatch(again.output(), /Demo brand:/);
    const session2 = await signIn(Number(port2));
    assert.equal((await listCustomers(Number(port2), session2)).length, 300);
    assert.equal((await seedRuns(Number(port2), session2)).length, 1);
    assert.equal(await again.stop(), 0);
  });

  it('pauses on Ctrl-C and resumes after the stored chunks on the next start', async () => {
    const env = { SIYU_DATA_DIR: path.join(tmp, 'resume'), SIYU_PORT: '0', SIYU_DEMO_PASSWORD: PASSWORD, SIYU_DEMO_CUSTOMERS: '1200', SIYU_LOG_LEVEL: 'info' };
    const siyu = spawnSiyu(['start'], env);
    await siyu.waitFor(/is ready at/);
    await siyu.waitFor(/demo brand: 500\/1200 customers/, 180_000);
    assert.equal(await siyu.stop('SIGINT'), 0, siyu.output());
    assert.match(siyu.output(), /demo seeding paused/);
    assert.doesNotMatch(siyu.output(), /"msg":"demo brand seeded"/);

    const again = spawnSiyu(['start'], env);
    const [, port] = await again.waitFor(/is ready at http:\/\/127\.0\.0\.1:(\d+)/);
    await again.waitFor(/"msg":"demo brand seeded"/, 180_000);
    const session = await signIn(Number(port));
    assert.equal((await listCustomers(Number(port), session)).length, 1200);
    const runs = await seedRuns(Number(port), session);
    assert.equal(runs.length, 1);
    assert.ok(runs[0]!.details.skippedChunks >= 1, JSON.stringify(runs[0]!.details));
    assert.equal(await again.stop(), 0);
  });
});

describe('[embedded] siyu seed --demo', () => {
  const env = { SIYU_DATA_DIR: path.join(tmp, 'cli'), SIYU_DEMO_PASSWORD: PASSWORD, SIYU_DEMO_CUSTOMERS: '0' };
  const tables = () => JSON.parse(runSiyu(['backup', '--out', path.join(tmp, 'count.siyu.gz'), '--json'], env).stdout).tables as Record<string, number>;

  it('creates the demo workspace on a new database and seeds it; seeding again stores nothing twice', () => {
    const first = runSiyu(['seed', '--demo', '--customers', '150', '--seed', '9', '--anchor', '2025-11-24', '--json'], env);
    assert.equal(first.status, 0, first.stderr);
    const summary = JSON.parse(first.stdout);
    assert.equal(summary.method, 'services');
    assert.equal(summary.customers, 150);
    assert.equal(summary.anchor, '2025-11-23T16:00:00.000Z');
    assert.equal(summary.signIn.email, 'demo@siyu.local');
    const before = tables();
    const again = runSiyu(['seed', '--demo', '--customers', '150', '--seed', '9', '--anchor', '2025-11-24', '--json'], env);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).skippedChunks, 1);
    assert.deepEqual({ ...tables(), audit_log: 0 }, { ...before, audit_log: 0 });
  });

  it('loads the same brand in bulk into another workspace', () => {
    const ws = runSiyu(['workspace', 'create', '--name', '批量品牌', '--owner', 'demo@siyu.local', '--json'], env);
    assert.equal(ws.status, 0, ws.stderr);
    const id = JSON.parse(ws.stdout).id as string;
    const bulk = runSiyu(['seed', '--demo', '--customers', '150', '--seed', '9', '--anchor', '2025-11-24', '--method', 'bulk', '--workspace', id, '--json'], env);
    assert.equal(bulk.status, 0, bulk.stderr);
    const viaServices = JSON.parse(runSiyu(['seed', '--demo', '--customers', '150', '--seed', '9', '--anchor', '2025-11-24', '--json'], env).stdout);
    const viaBulk = JSON.parse(bulk.stdout);
    assert.deepEqual([viaBulk.customers, viaBulk.events, viaBulk.orders], [viaServices.customers, viaServices.events, viaServices.orders]);
  });

  it('explains bad requests', () => {
    const none = runSiyu(['seed'], env);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /--demo/);
    const negative = runSiyu(['seed', '--demo', '--customers', '-5'], env);
    assert.notEqual(negative.status, 0);
    assert.match(negative.stderr, /customers must be a whole number/);
    const unknown = runSiyu(['seed', '--demo', '--workspace', '00000000-0000-4000-8000-000000000000'], env);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /No workspace/);
  });
});
