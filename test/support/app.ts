import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ManualClock, systemClock, type Clock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createSiyu, type Siyu } from '../../src/composition.ts';
import type { Role } from '../../src/modules/access/index.ts';
import { newId } from '../../src/platform/ids.ts';
import type { WorkspaceContext } from '../../src/platform/http/context.ts';

export { ManualClock };

export function buildTestSiyu(database: Database, options: { clock?: Clock } = {}): Siyu {
  // Webhook and SMS tests talk to local servers standing in for providers: allowed here only.
  const config = loadConfig({}, { logLevel: 'silent', seedDemo: false, outboundAllowPrivate: true });
  return createSiyu({ config, database, logger: createLogger('silent'), clock: options.clock ?? systemClock });
}

/** A Siyu whose job client is started (queues exist, cache warm); stop it with `siyu.jobs.stop()`. */
export async function startTestSiyu(database: Database, options: { clock?: Clock } = {}): Promise<Siyu> {
  const siyu = buildTestSiyu(database, options);
  await siyu.jobs.start();
  return siyu;
}

/** Moves every published message into its subscribers' queues, as a worker's relay does. */
export async function relayPublished(siyu: Siyu): Promise<void> {
  while ((await siyu.jobs.relay()) > 0);
}

export async function buildTestApp(database: Database, options: { clock?: Clock } = {}) {
  // Queues must exist and pg-boss's queue cache must be warm before a request publishes
  // inside its transaction (as in every real process, see runtime.ts).
  const siyu = await startTestSiyu(database, options);
  const app = await siyu.createHttp();
  app.addHook('onClose', async () => siyu.jobs.stop());
  await app.ready();
  return { siyu, app };
}

export const TEST_PASSWORD = 'correct-horse-battery';

/**
 * For property tests: merges the a-th active customer into the b-th (counting modulo the active
 * ones, by id), when they are two different customers.
 */
export async function mergeNthCustomers(siyu: Siyu, ctx: WorkspaceContext, a: number, b: number): Promise<void> {
  const active = await siyu.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('merged_into', 'is', null).orderBy('id').execute();
  const into = active[a % Math.max(1, active.length)];
  const from = active[b % Math.max(1, active.length)];
  if (into && from && into.id !== from.id) await siyu.customers.reviews.mergeManually(ctx, into.id, from.id);
}

/**
 * For property tests: undoes the pick-th merge not undone yet (modulo their number); a merge whose
 * survivor was merged away since may only be refused, with merge.survivor_merged.
 */
export async function undoNthMerge(siyu: Siyu, ctx: WorkspaceContext, pick: number): Promise<void> {
  const merges = await siyu.db.selectFrom('customer_merges').select('id').where('workspace_id', '=', ctx.workspaceId).where('undone_at', 'is', null).orderBy('id').execute();
  const m = merges[pick % Math.max(1, merges.length)];
  if (m) await siyu.customers.reviews.undoMerge(ctx, m.id).catch((err: { code?: string }) => assert.equal(err.code, 'merge.survivor_merged'));
}

export interface TestUser {
  id: string;
  email: string;
  role: Role;
}

/** A workspace with one member per requested role (all with TEST_PASSWORD). */
export async function seedWorkspace(siyu: Siyu, roles: readonly Role[] = ['owner']) {
  const tag = newId().slice(-8);
  const owner = await siyu.access.users.createUser({ email: `owner-${tag}@test.local`, password: TEST_PASSWORD, isInstanceAdmin: false });
  const ws = await siyu.access.workspaces.createWorkspace({ name: `Brand ${tag}` }, { userId: owner.id, label: owner.email });
  const users: Partial<Record<Role, TestUser>> = { owner: { id: owner.id, email: owner.email, role: 'owner' } };
  for (const role of roles) {
    if (role === 'owner') continue;
    const u = await siyu.access.users.createUser({ email: `${role}-${tag}@test.local`, password: TEST_PASSWORD });
    await siyu.db.insertInto('memberships').values({ workspace_id: ws.id, user_id: u.id, role }).execute();
    users[role] = { id: u.id, email: u.email, role };
  }
  return { workspaceId: ws.id, users: users as Record<Role, TestUser> };
}

export interface Client {
  cookie: string;
  csrf: string;
  workspaceId: string | null;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

/** Signs in through the API and returns a client that sends the cookie, CSRF token and workspace. */
export async function signIn(app: FastifyInstance, email: string, workspaceId: string | null = null, password = TEST_PASSWORD): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookies = res.cookies as { name: string; value: string }[];
  const session = cookies.find((c) => c.name === 'siyu_session')!.value;
  const csrf = cookies.find((c) => c.name === 'siyu_csrf')!.value;
  const client: Client = {
    cookie: `siyu_session=${session}; siyu_csrf=${csrf}`,
    csrf,
    workspaceId,
    request: (method, url, body, headers = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: {
          cookie: client.cookie,
          'x-csrf-token': client.csrf,
          ...(client.workspaceId ? { 'x-siyu-workspace': client.workspaceId } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: body as object } : {}),
      }),
    get: (url) => client.request('GET', url),
    post: (url, body) => client.request('POST', url, body ?? {}),
    patch: (url, body) => client.request('PATCH', url, body ?? {}),
    put: (url, body) => client.request('PUT', url, body ?? {}),
    delete: (url) => client.request('DELETE', url),
  };
  return client;
}

/** A Bearer-token client for an API key. */
export function apiKeyClient(app: FastifyInstance, token: string) {
  const request = (method: string, url: string, body?: unknown) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  return {
    request,
    get: (url: string) => request('GET', url),
    post: (url: string, body?: unknown) => request('POST', url, body ?? {}),
    put: (url: string, body?: unknown) => request('PUT', url, body ?? {}),
  };
}

/** Reads until `ok` holds and returns that reading; fails with the last one after `timeoutMs`. */
export async function readUntil<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() - started > timeoutMs) assert.fail(`not true after ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
