/**
 * The process roles and operations commands, run as real processes: `siyu start` on a new and
 * an existing embedded data directory, clean shutdown, the embedded database dying, user and
 * workspace commands, backup while running and restore; `siyu api` + `siyu worker` on PostgreSQL.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadHarnessEnv } from '../src/platform/config.ts';
import { adminQuery, postgresSkipReason, withDatabase } from '../src/platform/db/testing.ts';
import { newId } from '../src/platform/ids.ts';
import { runSiyu, spawnSiyu } from './support/process.ts';

const PASSWORD = 'demo-password-123';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function login(port: number, email: string, password: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

describe('siyu help', () => {
  it('lists the roles and operations', () => {
    const r = runSiyu(['--help'], {});
    assert.equal(r.status, 0);
    for (const cmd of ['start', 'api', 'worker', 'migrate', 'user', 'workspace', 'backup', 'restore']) {
      assert.match(r.stdout, new RegExp(`\\n\\s+${cmd}\\b`), `help lacks ${cmd}`);
    }
    const user = runSiyu(['user', 'create', '--help'], {});
    assert.match(user.stdout, /--email <email>/);
  });

  it('prints every configuration problem and exits 2', () => {
    const r = runSiyu(['start'], { SIYU_PORT: 'nope', DATABASE_URL: 'mysql://x' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /SIYU_PORT/);
    assert.match(r.stderr, /DATABASE_URL/);
  });
});

describe('[embedded] siyu start', () => {
  const dataDir = path.join(tmp, 'data');
  const env = { SIYU_DATA_DIR: dataDir, SIYU_PORT: '0', SIYU_DEMO_PASSWORD: PASSWORD, SIYU_DEMO_CUSTOMERS: '0' };

  it('starts on a new data directory with the demo workspace, and stops cleanly on SIGTERM', async () => {
    const siyu = spawnSiyu(['start'], env);
    const [, port] = await siyu.waitFor(/is ready at http:\/\/127\.0\.0\.1:(\d+)/);
    assert.match(siyu.output(), /Demo workspace "演示品牌" created\. Sign in as demo@siyu\.local/);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.equal(ready.status, 200);
    const res = await login(Number(port), 'demo@siyu.local', PASSWORD);
    assert.equal(res.status, 200);
    const me = (await res.json()) as { workspaces: { name: string; role: string }[] };
    assert.deepEqual(me.workspaces.map((w) => [w.name, w.role]), [['演示品牌', 'owner']]);
    assert.equal(await siyu.stop('SIGTERM'), 0, siyu.output());
    assert.match(siyu.output(), /stopped cleanly/);
    assert.ok(!fs.existsSync(`${path.join(dataDir, 'pgdata')}.lock`), 'the data-directory lock is left behind');
  });

  it('reuses the data on the next start without seeding again', async () => {
    const siyu = spawnSiyu(['start'], env);
    const [, port] = await siyu.waitFor(/is ready at http:\/\/127\.0\.0\.1:(\d+)/);
    assert.doesNotMatch(siyu.output(), /Demo workspace/);
    assert.equal((await login(Number(port), 'demo@siyu.local', PASSWORD)).status, 200);

    // Operations beside the running server use its embedded database.
    const user = runSiyu(['user', 'create', '--email', 'ops@brand.cn', '--password', 'ops-password-1', '--json'], env);
    assert.equal(user.status, 0, user.stderr);
    const ws = runSiyu(['workspace', 'create', '--name', '第二品牌', '--owner', 'ops@brand.cn', '--json'], env);
    assert.equal(ws.status, 0, ws.stderr);
    assert.equal(JSON.parse(ws.stdout).name, '第二品牌');
    assert.equal((await login(Number(port), 'ops@brand.cn', 'ops-password-1')).status, 200);

    const file = path.join(tmp, 'live.siyu.gz');
    const backup = runSiyu(['backup', '--out', file, '--json'], env);
    assert.equal(backup.status, 0, backup.stderr);
    assert.equal(JSON.parse(backup.stdout).tables.workspaces, 2);

    // A second server on the same data directory would corrupt it: refused with a clear reason.
    const second = spawnSiyu(['start'], env);
    assert.equal(await second.exited, 1);
    assert.match(second.output(), /in use by process \d+/);

    assert.equal(await siyu.stop('SIGINT'), 0);

    const restoredDir = path.join(tmp, 'restored');
    const restore = runSiyu(['restore', '--from', file], { ...env, SIYU_DATA_DIR: restoredDir });
    assert.equal(restore.status, 0, restore.stderr);
    const again = spawnSiyu(['start'], { ...env, SIYU_DATA_DIR: restoredDir });
    const [, port2] = await again.waitFor(/is ready at http:\/\/127\.0\.0\.1:(\d+)/);
    assert.doesNotMatch(again.output(), /Demo workspace/);
    assert.equal((await login(Number(port2), 'ops@brand.cn', 'ops-password-1')).status, 200);
    assert.equal(await again.stop(), 0);
  });

  it('stops cleanly on Ctrl-C, which reaches the embedded database process too, while the demo is being seeded', async () => {
    const dir = path.join(tmp, 'ctrl-c');
    const siyu = spawnSiyu(['start'], { ...env, SIYU_DATA_DIR: dir, SIYU_DEMO_CUSTOMERS: '20000' }, { ownGroup: true });
    await siyu.waitFor(/is ready at http:\/\/127\.0\.0\.1:(\d+)/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await siyu.stopGroup('SIGINT'), 0, siyu.output());
    assert.match(siyu.output(), /stopped cleanly/);
    assert.doesNotMatch(siyu.output(), /Unhandled|Connection terminated/);
    assert.ok(!fs.existsSync(`${path.join(dir, 'pgdata')}.lock`), 'the data-directory lock is left behind');
  });

  it('exits non-zero with a clear message when the embedded database dies', async () => {
    const siyu = spawnSiyu(['start'], { ...env, SIYU_DATA_DIR: path.join(tmp, 'dies') });
    await siyu.waitFor(/is ready at/);
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(siyu.child.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter(Boolean);
    assert.equal(children.length, 1, 'expected one embedded database process');
    process.kill(children[0]!, 'SIGKILL');
    assert.equal(await siyu.exited, 1);
    assert.match(siyu.output(), /embedded database process exited/);
  });
});

describe('[postgres] siyu api + worker', { skip: postgresSkipReason() }, () => {
  const harness = loadHarnessEnv();
  const name = `siyu_t_cli_${newId().replace(/-/g, '').slice(-12)}`;
  after(async () => {
    if (harness.testDatabaseUrl) await adminQuery(harness.testDatabaseUrl, `drop database if exists ${name} with (force)`);
  });

  it('migrates, creates users and workspaces, and serves the API while a separate worker runs jobs', async () => {
    await adminQuery(harness.testDatabaseUrl!, `create database ${name}`);
    const env = { DATABASE_URL: withDatabase(harness.testDatabaseUrl!, name), SIYU_PORT: '0' };
    const migrated = runSiyu(['migrate', '--json'], env);
    assert.equal(migrated.status, 0, migrated.stderr);
    assert.ok(JSON.parse(migrated.stdout).applied.length >= 1);
    const status = runSiyu(['migrate', '--status', '--json'], env);
    assert.deepEqual(JSON.parse(status.stdout).pending, []);

    const user = runSiyu(['user', 'create', '--email', 'lead@brand.cn', '--json'], env);
    assert.equal(user.status, 0, user.stderr);
    const password = JSON.parse(user.stdout).generatedPassword as string;
    assert.ok(password.length >= 12);
    const ws = runSiyu(['workspace', 'create', '--name', 'Brand', '--owner', 'lead@brand.cn', '--json'], env);
    assert.equal(ws.status, 0, ws.stderr);

    const api = spawnSiyu(['api'], env);
    const worker = spawnSiyu(['worker'], env);
    try {
      const [, port] = await api.waitFor(/is ready at http:\/\/127\.0\.0\.1:(\d+)/);
      await worker.waitFor(/worker is running/);
      const res = await login(Number(port), 'lead@brand.cn', password);
      assert.equal(res.status, 200);
      const bad = runSiyu(['workspace', 'create', '--name', 'X', '--owner', 'nobody@x.cn'], env);
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /No user nobody@x\.cn/);
    } finally {
      assert.equal(await api.stop(), 0);
      assert.equal(await worker.stop(), 0);
    }
  });
});
