import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../src/platform/db/testing.ts';
import { buildTestApp, seedWorkspace, signIn, type Client } from './support/app.ts';

describeEachDatabase('HTTP conventions', ({ database }) => {
  let app: FastifyInstance;
  let owner: Client;

  before(async () => {
    const built = await buildTestApp(database());
    app = built.app;
    const ws = await seedWorkspace(built.siyu);
    owner = await signIn(app, ws.users.owner.email, ws.workspaceId);
  });
  after(async () => app?.close());

  it('reports health and readiness', async () => {
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().checks.migrations.ok, true);
    assert.equal(ready.json().checks.database.ok, true);
  });

  it('echoes a caller request id, or makes one', async () => {
    const given = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'req-123' } });
    assert.equal(given.headers['x-request-id'], 'req-123');
    const made = await app.inject({ method: 'GET', url: '/healthz' });
    assert.match(String(made.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON with invalid_json', async () => {
    const res = await owner.request('POST', '/api/v1/api-keys', '{"name": "x",', { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'invalid_json');
  });

  it('rejects unknown body fields and names them, changing nothing', async () => {
    const res = await owner.post('/api/v1/api-keys', { name: 'x', scopes: ['events.write'], admin: true });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.error.code, 'validation_failed');
    assert.deepEqual(body.error.details, [{ field: 'admin', reason: 'unknown_field', message: 'Unknown field' }]);
    assert.equal((await owner.get('/api/v1/api-keys')).json().items.length, 0);
  });

  it('names the field and reason of a wrong type', async () => {
    const res = await owner.post('/api/v1/api-keys', { name: 5, scopes: ['not-a-scope'] });
    const fields = res.json().error.details.map((d: { field: string }) => d.field).sort();
    assert.deepEqual(fields, ['name', 'scopes[0]']);
  });

  it('validates query strings with a query. prefix', async () => {
    const res = await owner.get('/api/v1/audit-log?limit=5000');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details[0].field, 'query.limit');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'route_not_found');
  });

  it('refuses an oversized body with payload_too_large', async () => {
    const res = await owner.post('/api/v1/api-keys', { name: 'x'.repeat(2 * 1024 * 1024), scopes: ['events.write'] });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, 'payload_too_large');
  });

  it('serves the console at / and at its deep links', async () => {
    for (const url of ['/', '/customers/123', '/settings/members']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.body, /<div id="root">/);
    }
  });

  it('answers a missing console asset with 404, not the console page', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/no-such-chunk.js' });
    assert.equal(res.statusCode, 404);
  });

  it('sends security headers without forcing HTTPS on plain-HTTP installs', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    assert.ok(res.headers['content-security-policy']);
    assert.doesNotMatch(String(res.headers['content-security-policy']), /upgrade-insecure-requests/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });
});
