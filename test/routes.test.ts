/**
 * The access matrix, checked for every registered route from the route registry, so a new
 * route is covered the moment it exists: no credentials -> 401; each role -> 403 exactly
 * when it lacks the route's permission; a member of another workspace -> 404; API keys
 * only where allowed and only with the scope. And every route is in the OpenAPI document.
 */
import { before, after, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../src/platform/db/testing.ts';
import { registeredRoutes, type RegisteredRoute } from '../src/platform/http/route.ts';
import { newId } from '../src/platform/ids.ts';
import { API_KEY_SCOPES, permissionsForRole, ROLES, type Role } from '../src/modules/access/index.ts';
import { apiKeyClient, buildTestApp, seedWorkspace, signIn, type Client } from './support/app.ts';

/** Values for path parameters that are not UUIDs. */
const PARAM_FIXTURES: Record<string, string> = {
  platform: 'taobao',
  orderNo: 'T-ROUTE-TEST',
  customerId: '1',
  typeKey: 'route_test_type',
  attributeKey: 'route_test_attr',
};

function fill(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(PARAM_FIXTURES[name] ?? newId()));
}

const hasBody = (r: RegisteredRoute) => r.method !== 'GET' && r.method !== 'DELETE';

describeEachDatabase('route access matrix', ({ database }) => {
  let app: FastifyInstance;
  let routes: RegisteredRoute[];
  let ws: Awaited<ReturnType<typeof seedWorkspace>>;
  const clients = {} as Record<Role, Client>;
  let outsider: Client;
  let fullKey: ReturnType<typeof apiKeyClient>;

  before(async () => {
    const built = await buildTestApp(database());
    app = built.app;
    routes = registeredRoutes(app).filter((r) => r.auth.kind !== 'public' && !r.url.endsWith('/auth/logout'));
    ws = await seedWorkspace(built.siyu, ROLES);
    for (const role of ROLES) clients[role] = await signIn(app, ws.users[role].email, ws.workspaceId);
    const other = await seedWorkspace(built.siyu, ['owner']);
    outsider = await signIn(app, other.users.owner.email, ws.workspaceId);
    const key = await clients.owner.post('/api/v1/api-keys', { name: 'all scopes', scopes: [...API_KEY_SCOPES] });
    fullKey = apiKeyClient(app, key.json().token);
  });
  after(async () => app?.close());

  it('registers routes only under /api/v1', () => {
    assert.ok(routes.length >= 10);
    for (const r of registeredRoutes(app)) assert.match(r.url, /^\/api\/v1\//, `${r.method} ${r.url}`);
  });

  it('answers 401 to every protected route without credentials', async () => {
    for (const r of routes) {
      const res = await app.inject({ method: r.method, url: fill(r.url), ...(hasBody(r) ? { payload: {} } : {}) });
      assert.equal(res.statusCode, 401, `${r.method} ${r.url} answered ${res.statusCode}`);
      assert.match(res.json().error.code, /^auth\./);
    }
  });

  it('answers 403 exactly when the role lacks the permission', async () => {
    for (const r of routes) {
      if (r.auth.kind !== 'workspace') continue;
      for (const role of ROLES) {
        const res = await clients[role].request(r.method, fill(r.url), hasBody(r) ? {} : undefined);
        const allowed = permissionsForRole(role).has(r.auth.permission);
        if (allowed) {
          assert.notEqual(res.statusCode, 403, `${role} was refused ${r.method} ${r.url}: ${res.body}`);
        } else {
          assert.equal(res.statusCode, 403, `${role} reached ${r.method} ${r.url} (${res.statusCode})`);
          assert.equal(res.json().error.code, 'auth.forbidden');
        }
      }
    }
  });

  it("answers 404 to a member of another workspace for every workspace route", async () => {
    for (const r of routes) {
      if (r.auth.kind !== 'workspace') continue;
      const res = await outsider.request(r.method, fill(r.url), hasBody(r) ? {} : undefined);
      assert.equal(res.statusCode, 404, `${r.method} ${r.url} answered ${res.statusCode}`);
      assert.equal(res.json().error.code, 'workspace.not_found');
    }
  });

  it('accepts API keys only on routes that allow them, and only with the scope', async () => {
    for (const r of routes) {
      const res = await fullKey.request(r.method, fill(r.url), hasBody(r) ? {} : undefined);
      if (r.auth.kind === 'user') {
        assert.equal(res.json().error?.code, 'auth.user_session_required', `${r.method} ${r.url}`);
      } else if (r.auth.kind === 'workspace' && !r.auth.apiKey) {
        assert.equal(res.json().error?.code, 'auth.api_key_not_allowed', `${r.method} ${r.url}`);
      } else if (r.auth.kind === 'workspace') {
        const inScope = (API_KEY_SCOPES as readonly string[]).includes(r.auth.permission);
        if (inScope) assert.ok(![401, 403].includes(res.statusCode), `${r.method} ${r.url}: ${res.body}`);
        else assert.equal(res.json().error?.code, 'auth.scope_missing', `${r.method} ${r.url}`);
      }
    }
  });

  it('describes every route in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const r of registeredRoutes(app)) {
      const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      assert.ok(op, `${r.method} ${path} missing from OpenAPI`);
      assert.ok(op.summary, `${r.method} ${path} has no summary`);
      if (r.auth.kind !== 'public') assert.ok(op.security?.length, `${r.method} ${path} has no security`);
    }
  });

  it('serves the API docs page', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /swagger/i);
  });
});
