import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { apiKeyClient, buildTestApp, seedWorkspace, signIn, TEST_PASSWORD, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

describeEachDatabase('access API', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: Awaited<ReturnType<typeof seedWorkspace>>;
  let other: Awaited<ReturnType<typeof seedWorkspace>>;
  let owner: Client;

  before(async () => {
    ({ app, siyu } = await buildTestApp(database()));
    ws = await seedWorkspace(siyu, ['owner', 'admin', 'operator', 'analyst', 'viewer']);
    other = await seedWorkspace(siyu, ['owner']);
    owner = await signIn(app, ws.users.owner.email, ws.workspaceId);
  });
  after(async () => app?.close());

  it('signs in, reports the user and their permissions, and signs out', async () => {
    const me = await owner.get('/api/v1/me');
    assert.equal(me.statusCode, 200);
    const body = me.json();
    assert.equal(body.user.email, ws.users.owner.email);
    assert.equal(body.workspaces.length, 1);
    assert.ok(body.permissions.includes('members.manage'));

    const viewer = await signIn(app, ws.users.viewer.email, ws.workspaceId);
    const out = await viewer.post('/api/v1/auth/logout');
    assert.equal(out.statusCode, 200);
    const after = await viewer.get('/api/v1/me');
    assert.equal(after.statusCode, 401);
    assert.equal(after.json().error.code, 'auth.session_expired');
  });

  it('sets an httpOnly SameSite session cookie and a readable CSRF cookie', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: ws.users.analyst.email, password: TEST_PASSWORD } });
    const cookies = res.cookies as { name: string; httpOnly?: boolean; sameSite?: string }[];
    const session = cookies.find((c) => c.name === 'siyu_session')!;
    const csrf = cookies.find((c) => c.name === 'siyu_csrf')!;
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    assert.notEqual(csrf.httpOnly, true);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: ws.users.operator.email, password: 'nope-nope-nope' } });
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@test.local', password: 'nope-nope-nope' } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.equal(wrong.json().error.code, 'auth.invalid_credentials');
    assert.deepEqual(wrong.json(), unknown.json());
  });

  it('locks an account after five failed sign-ins, even with the right password', async () => {
    const { users } = await seedWorkspace(siyu, ['owner']);
    for (let i = 0; i < 5; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: users.owner.email, password: 'wrong-password' } });
      assert.equal(r.statusCode, 401);
    }
    const locked = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: users.owner.email, password: TEST_PASSWORD } });
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().error.code, 'auth.locked');
    assert.ok(locked.json().error.details.lockedUntil);
  });

  it('rate-limits sign-in attempts per client address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.9.9.9',
        payload: { email: `nobody${i}@test.local`, password: 'whatever-it-is' },
      });
      codes.push(r.statusCode);
    }
    assert.ok(codes.includes(429), `no 429 among ${codes.join(',')}`);
  });

  it('refuses a cookie-authenticated write without the CSRF header', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { cookie: owner.cookie, 'x-siyu-workspace': ws.workspaceId },
      payload: { name: 'x', scopes: ['events.write'] },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'auth.csrf_failed');
    const keys = await owner.get('/api/v1/api-keys');
    assert.equal(keys.json().items.filter((k: { name: string }) => k.name === 'x').length, 0);
  });

  it('creates an API key shown once, stores only its hash, and revokes it', async () => {
    const created = await owner.post('/api/v1/api-keys', { name: 'Shop sync', scopes: ['events.write', 'customers.read'] });
    assert.equal(created.statusCode, 201);
    const { token, apiKey } = created.json();
    assert.match(token, /^sy_/);
    const row = await siyu.db.selectFrom('api_keys').selectAll().where('id', '=', apiKey.id).executeTakeFirstOrThrow();
    // sy_<43 chars of ids>_<43 chars of secret>; base64url may itself contain '_'.
    const secret = (token as string).slice(-43);
    assert.equal(secret.length, 43);
    assert.ok(!JSON.stringify(row).includes(secret), 'the secret is stored in clear');
    const list = await owner.get('/api/v1/api-keys');
    assert.ok(!list.body.includes(token));

    const key = apiKeyClient(app, token);
    assert.equal((await key.get('/api/v1/workspace')).json().error.code, 'auth.scope_missing');
    assert.equal((await key.get('/api/v1/members')).json().error.code, 'auth.api_key_not_allowed');
    const reader = apiKeyClient(app, (await owner.post('/api/v1/api-keys', { name: 'reader', scopes: ['workspace.read'] })).json().token);
    const mine = await reader.get('/api/v1/workspace');
    assert.equal(mine.statusCode, 200);
    assert.equal(mine.json().id, ws.workspaceId, 'a key reads its own workspace');

    assert.equal((await owner.delete(`/api/v1/api-keys/${apiKey.id}`)).statusCode, 200);
    const revoked = await key.get('/api/v1/workspace');
    assert.equal(revoked.statusCode, 401);
    assert.equal(revoked.json().error.code, 'auth.api_key_revoked');
  });

  it('rejects a forged or malformed API key', async () => {
    const created = (await owner.post('/api/v1/api-keys', { name: 'k', scopes: ['customers.read'] })).json();
    const forged = created.token.slice(0, -4) + 'AAAA';
    assert.equal((await apiKeyClient(app, forged).get('/api/v1/workspace')).json().error.code, 'auth.invalid_api_key');
    assert.equal((await apiKeyClient(app, 'garbage').get('/api/v1/workspace')).statusCode, 401);
  });

  it('refuses API keys on console-only routes', async () => {
    const created = (await owner.post('/api/v1/api-keys', { name: 'k2', scopes: ['customers.read'] })).json();
    const res = await apiKeyClient(app, created.token).get('/api/v1/me');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'auth.user_session_required');
  });

  it('adds a new member with a one-time password, who can then sign in', async () => {
    const res = await owner.post('/api/v1/members', { email: 'New.Advisor@Test.local', name: '小王', role: 'operator' });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.equal(body.email, 'new.advisor@test.local');
    assert.ok(body.generatedPassword && body.generatedPassword.length >= 12);
    const advisor = await signIn(app, 'new.advisor@test.local', ws.workspaceId, body.generatedPassword);
    assert.equal((await advisor.get('/api/v1/members')).statusCode, 200);
    const again = await owner.post('/api/v1/members', { email: 'new.advisor@test.local', role: 'viewer' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'member.exists');
  });

  it('adds an existing user of another workspace without a new password', async () => {
    const res = await owner.post('/api/v1/members', { email: other.users.owner.email, role: 'viewer' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().generatedPassword, null);
  });

  it('keeps owner changes with owners and never removes the last owner', async () => {
    const admin = await signIn(app, ws.users.admin.email, ws.workspaceId);
    const promote = await admin.patch(`/api/v1/members/${ws.users.operator.id}`, { role: 'owner' });
    assert.equal(promote.statusCode, 403);
    assert.equal(promote.json().error.code, 'members.owner_required');
    const last = await owner.patch(`/api/v1/members/${ws.users.owner.id}`, { role: 'admin' });
    assert.equal(last.statusCode, 409);
    assert.equal(last.json().error.code, 'members.last_owner');
    const demote = await owner.patch(`/api/v1/members/${ws.users.analyst.id}`, { role: 'viewer' });
    assert.equal(demote.statusCode, 200);
    const members = (await owner.get('/api/v1/members')).json().items;
    assert.equal(members.find((m: { userId: string }) => m.userId === ws.users.analyst.id).role, 'viewer');
  });

  it('takes access away at once when a member is removed', async () => {
    const { users } = await seedWorkspace(siyu, ['owner']);
    await owner.post('/api/v1/members', { email: users.owner.email, role: 'operator' });
    const guest = await signIn(app, users.owner.email, ws.workspaceId);
    assert.equal((await guest.get('/api/v1/members')).statusCode, 200);
    assert.equal((await owner.delete(`/api/v1/members/${users.owner.id}`)).statusCode, 200);
    const res = await guest.get('/api/v1/members');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'workspace.not_found');
  });

  it("answers another workspace's members and keys with 404 and changes nothing", async () => {
    const foreign = await signIn(app, other.users.owner.email, other.workspaceId);
    const key = (await owner.post('/api/v1/api-keys', { name: 'mine', scopes: ['events.write'] })).json().apiKey;
    const revoke = await foreign.delete(`/api/v1/api-keys/${key.id}`);
    assert.equal(revoke.statusCode, 404);
    assert.equal(revoke.json().error.code, 'api_key.not_found');
    const role = await foreign.patch(`/api/v1/members/${ws.users.viewer.id}`, { role: 'admin' });
    assert.equal(role.statusCode, 404);
    const remove = await foreign.delete(`/api/v1/members/${ws.users.viewer.id}`);
    assert.equal(remove.statusCode, 404);
    const keys = (await owner.get('/api/v1/api-keys')).json().items;
    assert.equal(keys.find((k: { id: string }) => k.id === key.id).revokedAt, null);
    const members = (await owner.get('/api/v1/members')).json().items;
    assert.equal(members.find((m: { userId: string }) => m.userId === ws.users.viewer.id).role, 'viewer');
  });

  it('updates the workspace and rejects an unknown time zone without changing it', async () => {
    const ok = await owner.patch('/api/v1/workspace', { name: '花漾美妆', timeZone: 'Asia/Tokyo' });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().timeZone, 'Asia/Tokyo');
    const bad = await owner.patch('/api/v1/workspace', { name: 'changed', timeZone: 'Mars/Base' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'workspace.invalid_time_zone');
    assert.equal((await owner.get('/api/v1/workspace')).json().name, '花漾美妆');
  });

  it('lets an instance administrator create a workspace, and nobody else', async () => {
    const denied = await owner.post('/api/v1/workspaces', { name: 'Nope' });
    assert.equal(denied.statusCode, 403);
    await siyu.db.updateTable('users').set({ is_instance_admin: true }).where('id', '=', ws.users.owner.id).execute();
    const ok = await owner.post('/api/v1/workspaces', { name: '第二品牌', timeZone: 'Asia/Shanghai' });
    assert.equal(ok.statusCode, 201);
    const mine = (await owner.get('/api/v1/workspaces')).json().items;
    assert.ok(mine.some((w: { id: string; role: string }) => w.id === ok.json().id && w.role === 'owner'));
  });

  it('switches the current workspace, and refuses one the user is not in', async () => {
    const bad = await owner.post('/api/v1/me/workspace', { workspaceId: other.workspaceId });
    assert.equal(bad.statusCode, 404);
  });

  it('changes a password and signs out the other sessions', async () => {
    const { users, workspaceId } = await seedWorkspace(siyu, ['owner']);
    const a = await signIn(app, users.owner.email, workspaceId);
    const b = await signIn(app, users.owner.email, workspaceId);
    const weak = await a.post('/api/v1/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    assert.equal(weak.statusCode, 400);
    const wrong = await a.post('/api/v1/me/password', { currentPassword: 'not-the-password', newPassword: 'a-much-longer-password' });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().error.code, 'user.wrong_current_password');
    assert.equal(wrong.json().error.details[0].field, 'currentPassword');
    const ok = await a.post('/api/v1/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'a-much-longer-password' });
    assert.equal(ok.statusCode, 200);
    assert.equal((await a.get('/api/v1/me')).statusCode, 200);
    assert.equal((await b.get('/api/v1/me')).statusCode, 401);
    await signIn(app, users.owner.email, workspaceId, 'a-much-longer-password');
  });

  it('records every change in the audit log with actor, action and target', async () => {
    const key = (await owner.post('/api/v1/api-keys', { name: 'audited', scopes: ['events.write'] })).json().apiKey;
    const log = await owner.get('/api/v1/audit-log?action=api_key.create&limit=200');
    assert.equal(log.statusCode, 200);
    const entry = log.json().items.find((e: { targetId: string }) => e.targetId === key.id);
    assert.ok(entry, 'no audit entry for the key');
    assert.equal(entry.actorType, 'user');
    assert.equal(entry.actorId, ws.users.owner.id);
    assert.equal(entry.targetType, 'api_key');
    assert.ok(entry.requestId);
  });

  it('pages the audit log with a cursor', async () => {
    const first = (await owner.get('/api/v1/audit-log?limit=2')).json();
    assert.equal(first.items.length, 2);
    assert.ok(first.nextCursor);
    const second = (await owner.get(`/api/v1/audit-log?limit=2&cursor=${first.nextCursor}`)).json();
    assert.ok(second.items.every((e: { id: string }) => e.id < first.items[1].id));
  });
});
