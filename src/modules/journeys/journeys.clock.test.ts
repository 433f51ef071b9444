/**
 * Journeys on a controlled clock, in Asia/Shanghai: waits across midnight and into quiet hours,
 * 29 February birthdays, joining days at a local time, frequency caps at their boundary,
 * editing a live journey with customers in flight, pause / resume / stop, re-entry, exits,
 * goals per step and per variant, the A/B split over 2,000 customers, and operator tasks.
 * The runner is driven with `journeys.runner.drain()`, timed triggers with `triggers.tick()`,
 * and customers.changed messages are handed to the journeys' subscriber as the worker would.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { buildTestApp, type Client, ManualClock, relayPublished, seedWorkspace, signIn, type TestUser } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { DEFAULT_SETTINGS } from '../messaging/index.ts';
import { CUSTOMERS_CHANGED_JOB } from './journeys.deps.ts';
import { chooseVariant } from './split.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describeEachDatabase('journeys on a controlled clock (Asia/Shanghai)', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  const clock = new ManualClock('2026-03-02T03:00:00Z');
  const handled = new Set<string>();
  let phone = 13900000000;

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
  });
  after(async () => app?.close());

  let ownerUser: TestUser;
  let operatorUser: TestUser;
  let ownerSession: Client;
  let operatorSession: Client;
  let signedInAt = 0;

  /** A session's client acting in another workspace it belongs to. */
  const inWorkspace = (c: Client, ws: string): Client => {
    const request: Client['request'] = (method, url, body, headers = {}) => c.request(method, url, body, { 'x-siyu-workspace': ws, ...headers });
    return { ...c, workspaceId: ws, request, get: (u) => request('GET', u), post: (u, b) => request('POST', u, b ?? {}), patch: (u, b) => request('PATCH', u, b ?? {}), put: (u, b) => request('PUT', u, b ?? {}), delete: (u) => request('DELETE', u) };
  };

  /** A fresh workspace for one test, owned by the same member (one sign-in for the whole suite), with an operator. */
  async function workspace() {
    if (!ownerUser) {
      const seeded = await seedWorkspace(siyu, ['owner', 'operator']);
      ownerUser = seeded.users.owner;
      operatorUser = seeded.users.operator;
    }
    // Sessions expire (7 idle days) on the controlled clock too: sign in again after a jump ahead.
    if (!ownerSession || clock.now().getTime() - signedInAt > 5 * DAY) {
      ownerSession = await signIn(app, ownerUser.email);
      operatorSession = await signIn(app, operatorUser.email);
      signedInAt = clock.now().getTime();
    }
    const w = await siyu.access.workspaces.createWorkspace({ name: `Brand ${++phone}` }, { userId: ownerUser.id, label: ownerUser.email });
    await siyu.db.insertInto('memberships').values({ workspace_id: w.id, user_id: operatorUser.id, role: 'operator' }).execute();
    return { ws: w.id, owner: inWorkspace(ownerSession, w.id), operator: inWorkspace(operatorSession, w.id), users: { owner: ownerUser, operator: operatorUser } };
  }

  /** Customers made through the events API (so they have a mobile identity for orders). */
  async function customers(c: Client, n: number, profile: Record<string, unknown> = {}): Promise<{ id: number; mobile: string }[]> {
    const out: { id: number; mobile: string }[] = [];
    for (let i = 0; i < n; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, n - i) }, () => String(++phone));
      const res = await c.post('/api/v1/events', {
        events: batch.map((mobile) => ({ id: `seen-${mobile}`, type: 'custom.seen', occurredAt: clock.now().toISOString(), identities: [{ type: 'mobile', value: mobile }], profile })),
      });
      assert.equal(res.statusCode, 200, res.body);
      res.json().results.forEach((r: { customerId: number }, k: number) => out.push({ id: r.customerId, mobile: batch[k]! }));
    }
    return out;
  }

  async function journey(c: Client, definition: unknown, activate = true): Promise<string> {
    const created = await c.post('/api/v1/journeys', { name: `J ${Math.random().toString(36).slice(2, 8)}`, definition });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    if (activate) {
      const r = await c.post(`/api/v1/journeys/${id}/activate`, {});
      assert.equal(r.statusCode, 200, r.body);
    }
    return id;
  }

  async function enroll(c: Client, journeyId: string, ids: number[], occurrence?: string) {
    const r = await c.post(`/api/v1/journeys/${journeyId}/enrollments`, { customerIds: ids, ...(occurrence ? { occurrence } : {}) });
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as { requested: number; enrolled: number; skipped: number[] };
  }

  const messages = (ws: string, journeyId: string) =>
    siyu.db
      .selectFrom('messages')
      .select(['customer_id', 'source_step', 'source_version', 'status', 'reason', 'release_at', 'sent_at'])
      .where('workspace_id', '=', ws)
      .where('source_kind', '=', 'journey')
      .where('source_id', '=', journeyId)
      .orderBy('created_at')
      .orderBy('source_step')
      .execute();

  const enrollments = (ws: string, journeyId: string) =>
    siyu.db
      .selectFrom('journey_enrollments')
      .select(['id', 'customer_id', 'version', 'state', 'current_step', 'is_waiting', 'next_run_at', 'end_reason', 'variant', 'converted_at', 'occurrence', 'log'])
      .where('workspace_id', '=', ws)
      .where('journey_id', '=', journeyId)
      .orderBy('id')
      .execute();

  const stats = async (c: Client, journeyId: string) => {
    const r = await c.get(`/api/v1/journeys/${journeyId}/stats`);
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as {
      totals: Record<string, number>;
      exitReasons: { reason: string; count: number }[];
      steps: { id: string; entered: number; waiting: number; sent: number; held: number; cancelled: number; suppressed: { reason: string; count: number }[]; converted: number; tasks: { open: number; done: number; skipped: number; outcomes: { outcome: string; count: number }[] } }[];
      variants: { key: string; entered: number; converted: number; weight: number | null; isControl: boolean }[];
    };
  };

  /** Hands the queued customers.changed messages to the journeys' subscriber, as its worker does. */
  async function pumpCustomersChanged(): Promise<number> {
    await relayPublished(siyu);
    const { rows } = await siyu.database.pool.query<{ id: string; data: Record<string, unknown> }>(`select id::text, data from pgboss.job where name = $1 order by created_on, id`, [CUSTOMERS_CHANGED_JOB]);
    const fresh = rows.filter((r) => !handled.has(r.id));
    fresh.forEach((r) => handled.add(r.id));
    if (fresh.length) await siyu.journeys.triggers.onCustomersChanged(fresh.map((r) => r.data));
    return fresh.length;
  }

  it('a wait until 09:00 reached at 23:30 runs at 09:00 local the next day', async () => {
    clock.set('2026-03-02T15:30:00Z'); // 23:30 in Shanghai
    const { ws, owner } = await workspace();
    const [c] = await customers(owner, 1);
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [
        { id: 'morning', type: 'wait_until', time: '09:00', next: 'hello' },
        { id: 'hello', type: 'send', channel: 'wecom', content: { text: '早上好' } },
      ],
    });
    await enroll(owner, id, [c!.id]);
    const [e] = await enrollments(ws, id);
    assert.equal(e!.current_step, 'morning');
    assert.equal(e!.next_run_at?.toISOString(), '2026-03-03T01:00:00.000Z');

    clock.set('2026-03-03T00:59:00Z');
    await siyu.journeys.runner.drain();
    assert.equal((await messages(ws, id)).length, 0, 'nothing before 09:00 local');

    clock.set('2026-03-03T01:00:00Z');
    await siyu.journeys.runner.drain();
    const sent = await messages(ws, id);
    assert.deepEqual(sent.map((m) => [m.source_step, m.status]), [['hello', 'sent']]);
    assert.equal(sent[0]!.sent_at?.toISOString(), '2026-03-03T01:00:00.000Z');
    assert.equal((await enrollments(ws, id))[0]!.state, 'completed');
  });

  it('in a workspace on another time zone, a one-day wait across a daylight-saving change ends at the same local time', async () => {
    clock.set('2026-03-07T18:00:00Z'); // 10:00 in Los Angeles (PST), the day before clocks go forward
    const { ws, owner } = await workspace();
    await siyu.db.updateTable('workspaces').set({ time_zone: 'America/Los_Angeles' }).where('id', '=', ws).execute();
    const [c] = await customers(owner, 1);
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [
        { id: 'day', type: 'wait', duration: { days: 1 }, next: 'nine' },
        { id: 'nine', type: 'wait_until', time: '09:00', next: 'hello' },
        { id: 'hello', type: 'send', channel: 'wecom', content: { text: 'hi' } },
      ],
    });
    await enroll(owner, id, [c!.id]);
    assert.equal((await enrollments(ws, id))[0]!.next_run_at?.toISOString(), '2026-03-08T17:00:00.000Z', '10:00 PDT, 23 hours later');
    clock.set('2026-03-08T17:00:00Z');
    await siyu.journeys.runner.drain();
    assert.equal((await enrollments(ws, id))[0]!.next_run_at?.toISOString(), '2026-03-09T16:00:00.000Z', '09:00 PDT the next morning');
    clock.set('2026-03-09T16:00:00Z');
    await siyu.journeys.runner.drain();
    assert.deepEqual((await messages(ws, id)).map((m) => m.status), ['sent']);
  });

  it('a wait that ends in quiet hours holds the send, which the releaser sends at 08:00', async () => {
    clock.set('2026-03-03T13:00:00Z'); // 21:00
    const { ws, owner } = await workspace();
    const [c] = await customers(owner, 1);
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [
        { id: 'two_hours', type: 'wait', duration: { hours: 2 }, next: 'late' },
        { id: 'late', type: 'send', channel: 'wecom', content: { text: '晚间提醒' } },
      ],
    });
    await enroll(owner, id, [c!.id]);
    clock.set('2026-03-03T15:00:00Z'); // 23:00
    await siyu.journeys.runner.drain();
    const held = await messages(ws, id);
    assert.deepEqual(held.map((m) => [m.status, m.reason]), [['held', 'quiet_hours']]);
    assert.equal(held[0]!.release_at?.toISOString(), '2026-03-04T00:00:00.000Z', 'released at 08:00 local');
    const [e] = await enrollments(ws, id);
    assert.equal((e!.log as { outcome: string }[]).at(-2)?.outcome, 'held');
    assert.equal((await stats(owner, id)).steps.find((s) => s.id === 'late')?.held, 1);

    clock.set('2026-03-03T23:59:00Z');
    await siyu.messaging.releaser.releaseDue({ workspaceId: ws });
    assert.equal((await messages(ws, id))[0]!.status, 'held', 'still quiet at 07:59');
    clock.set('2026-03-04T00:00:00Z');
    await siyu.messaging.releaser.releaseDue({ workspaceId: ws });
    const released = await messages(ws, id);
    assert.deepEqual(released.map((m) => m.status), ['sent']);
    assert.equal((await stats(owner, id)).steps.find((s) => s.id === 'late')?.sent, 1);
  });

  it("a customer's journey explanation follows a held message to its release", async () => {
    clock.set('2026-03-05T15:00:00Z'); // 23:00
    const { owner } = await workspace();
    const [c] = await customers(owner, 1);
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [
        { id: 'note', type: 'send', channel: 'wecom', content: { text: '晚安提醒' }, next: 'later' },
        { id: 'later', type: 'wait', duration: { days: 3 } },
      ],
    });
    await enroll(owner, id, [c!.id]);
    await siyu.journeys.runner.drain();
    const explanation = async () => ((await owner.get(`/api/v1/customers/${c!.id}/journeys`)).json().items as { explanation: string }[])[0]!.explanation;
    assert.match(await explanation(), /^Waiting at .*; last message held \(quiet_hours\)$/);
    clock.set('2026-03-06T00:00:00Z'); // 08:00
    await siyu.messaging.releaser.releaseDue({});
    assert.match(await explanation(), /^Waiting at "later" until 2026-03-08T15:00:00.000Z$/, 'the released message no longer shows as held');
  });

  /** The minute tick, then the run job it asks for (the worker's part). */
  async function tick() {
    const r = await siyu.journeys.triggers.tick();
    await siyu.journeys.runner.drain();
    return r;
  }

  it('quiet hours at their edges: a send at 22:00 is held, one at 08:00 goes out', async () => {
    clock.set('2026-03-05T13:00:00Z'); // 21:00
    const { ws, owner } = await workspace();
    const [c] = await customers(owner, 1);
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [
        { id: 'ten', type: 'wait_until', time: '22:00', next: 'late' },
        { id: 'late', type: 'send', channel: 'wecom', content: { text: '22 点' }, next: 'eight' },
        { id: 'eight', type: 'wait_until', time: '08:00', next: 'early' },
        { id: 'early', type: 'send', channel: 'wecom', content: { text: '8 点' } },
      ],
    });
    await enroll(owner, id, [c!.id]);
    clock.set('2026-03-05T14:00:00Z'); // 22:00
    await siyu.journeys.runner.drain();
    assert.deepEqual((await messages(ws, id)).map((m) => [m.source_step, m.status, m.release_at?.toISOString()]), [['late', 'held', '2026-03-06T00:00:00.000Z']]);
    clock.set('2026-03-06T00:00:00Z'); // 08:00
    await siyu.journeys.runner.drain();
    await siyu.messaging.releaser.releaseDue({ workspaceId: ws });
    assert.deepEqual((await messages(ws, id)).map((m) => [m.source_step, m.status]).sort(), [['early', 'sent'], ['late', 'sent']]);
  });

  it('a webhook step is an integration: it goes out in quiet hours and bypasses consent, recorded with its URL and payload', async () => {
    clock.set('2026-03-04T15:00:00Z'); // 23:00
    const { ws, owner } = await workspace();
    const [c] = await customers(owner, 1, { consent: 'denied' });
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [
        { id: 'crm', type: 'webhook', url: 'https://crm.example.com/hooks/journey', payload: { list: 'vip' }, next: 'note' },
        { id: 'note', type: 'send', channel: 'wecom', content: { text: '晚安' } },
      ],
    });
    await enroll(owner, id, [c!.id]);
    const rows = await siyu.db
      .selectFrom('messages')
      .select(['source_step', 'status', 'reason', 'channel', 'target_url', 'payload'])
      .where('workspace_id', '=', ws)
      .where('source_id', '=', id)
      .orderBy('source_step')
      .execute();
    assert.deepEqual(rows.map((m) => [m.source_step, m.channel, m.status, m.reason]), [['crm', 'webhook', 'sent', null], ['note', 'wecom', 'suppressed', 'opted_out']]);
    assert.equal(rows[0]!.target_url, 'https://crm.example.com/hooks/journey');
    const payload = rows[0]!.payload as Record<string, unknown>;
    assert.deepEqual([payload.journeyId, payload.step, payload.customerId, payload.list], [id, 'crm', c!.id, 'vip']);
  });

  it('a 29 February birthday fires on 28 February in a non-leap year and on 29 February in a leap year, once a year', async () => {
    clock.set('2027-02-27T02:00:00Z');
    const { ws, owner } = await workspace();
    const [leap] = await customers(owner, 1, { birthday: '2000-02-29' });
    const [feb28] = await customers(owner, 1, { birthday: '1990-02-28' });
    const [mar1] = await customers(owner, 1, { birthday: '1991-03-01' });
    const id = await journey(owner, {
      trigger: { type: 'date', attribute: 'birthday', at: '09:00' },
      steps: [{ id: 'card', type: 'task', kind: 'private_chat', title: '生日问候', assignee: { type: 'pool', pool: 'advisors' }, dueInHours: 4 }],
      reentry: { mode: 'always' },
    });
    const who = async () => (await enrollments(ws, id)).map((e) => [Number(e.customer_id), e.occurrence]);
    const j = await owner.get(`/api/v1/journeys/${id}`);
    assert.equal(new Date(j.json().nextFireAt).toISOString(), '2027-02-28T01:00:00.000Z');

    clock.set('2027-02-28T00:59:00Z');
    await tick();
    assert.deepEqual(await who(), []);
    clock.set('2027-02-28T01:00:30Z');
    await tick();
    assert.deepEqual((await who()).sort(), [[leap!.id, 'date:2027'], [feb28!.id, 'date:2027']].sort());

    // The same fire again (another worker, a retry) adds no one.
    await siyu.db.updateTable('journeys').set({ next_fire_at: new Date('2027-02-28T01:00:00Z') }).where('workspace_id', '=', ws).where('id', '=', id).execute();
    await tick();
    assert.equal((await who()).length, 2);

    clock.set('2027-03-01T01:00:30Z');
    await tick();
    assert.deepEqual((await who()).filter(([cid]) => cid === mar1!.id), [[mar1!.id, 'date:2027']]);

    // A leap year: 28 February is only for the 28th; the 29th has its own day.
    await siyu.db.updateTable('journeys').set({ next_fire_at: new Date('2028-02-28T01:00:00Z') }).where('workspace_id', '=', ws).where('id', '=', id).execute();
    clock.set('2028-02-28T01:00:30Z');
    await tick();
    assert.deepEqual((await who()).filter(([, o]) => o === 'date:2028'), [[feb28!.id, 'date:2028']]);
    clock.set('2028-02-29T01:00:30Z');
    await tick();
    assert.deepEqual((await who()).filter(([, o]) => o === 'date:2028').sort(), [[feb28!.id, 'date:2028'], [leap!.id, 'date:2028']].sort());
    const tasks = await siyu.db.selectFrom('tasks').select('customer_id').where('workspace_id', '=', ws).execute();
    assert.equal(tasks.filter((t) => Number(t.customer_id) === leap!.id).length, 2, 'one greeting per year');
    await owner.post(`/api/v1/journeys/${id}/stop`, {});
  });

  it('a joined-N-days trigger fires at its local time for customers who joined on that local day', async () => {
    clock.set('2026-03-10T03:00:00Z');
    const { ws, owner } = await workspace();
    const [late, early] = await customers(owner, 2);
    // 01:00 on 10 March local (17:00 UTC the day before) and 23:00 on 9 March local.
    await siyu.db.updateTable('customers').set({ joined_at: new Date('2026-03-09T17:00:00Z') }).where('workspace_id', '=', ws).where('id', '=', late!.id).execute();
    await siyu.db.updateTable('customers').set({ joined_at: new Date('2026-03-09T15:00:00Z') }).where('workspace_id', '=', ws).where('id', '=', early!.id).execute();
    const id = await journey(owner, {
      trigger: { type: 'joined', days: 3, at: '10:00' },
      steps: [{ id: 'check_in', type: 'send', channel: 'wecom', content: { text: '用得还习惯吗？' } }],
    });
    clock.set('2026-03-12T01:59:00Z');
    await tick();
    assert.equal((await enrollments(ws, id)).length, 0, 'not before 10:00 local');
    clock.set('2026-03-12T02:00:30Z');
    await tick();
    assert.deepEqual((await enrollments(ws, id)).map((e) => [Number(e.customer_id), e.occurrence]), [[early!.id, 'joined:2026-03-09']]);
    clock.set('2026-03-13T02:00:30Z');
    await tick();
    assert.deepEqual((await enrollments(ws, id)).map((e) => [Number(e.customer_id), e.occurrence]), [[early!.id, 'joined:2026-03-09'], [late!.id, 'joined:2026-03-10']]);
    assert.deepEqual((await messages(ws, id)).map((m) => m.status), ['sent', 'sent']);
    await owner.post(`/api/v1/journeys/${id}/stop`, {});
  });

  it('the third marketing message of a local day is suppressed capped_daily, in the step stats and the enrollment; the next day sends', async () => {
    clock.set('2026-03-16T02:00:00Z'); // 10:00
    const { ws, owner } = await workspace();
    const [c] = await customers(owner, 1);
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [
        { id: 'one', type: 'send', channel: 'wecom', content: { text: '一' }, next: 'two' },
        { id: 'two', type: 'send', channel: 'wecom', content: { text: '二' }, next: 'three' },
        { id: 'three', type: 'send', channel: 'wecom', content: { text: '三' }, next: 'tomorrow' },
        { id: 'tomorrow', type: 'wait_until', time: '10:00', next: 'four' },
        { id: 'four', type: 'send', channel: 'wecom', content: { text: '四' } },
      ],
    });
    await enroll(owner, id, [c!.id]);
    assert.deepEqual((await messages(ws, id)).map((m) => [m.source_step, m.status, m.reason]), [['one', 'sent', null], ['three', 'suppressed', 'capped_daily'], ['two', 'sent', null]]);
    const s = await stats(owner, id);
    assert.deepEqual(s.steps.find((x) => x.id === 'three')?.suppressed, [{ reason: 'capped_daily', count: 1 }]);
    assert.equal(s.steps.find((x) => x.id === 'two')?.sent, 1);
    const view = await owner.get(`/api/v1/customers/${c!.id}/journeys`);
    const log = view.json().items[0].log as { step: string; outcome: string; reason: string | null }[];
    assert.deepEqual(log.filter((l) => l.step === 'three').map((l) => [l.outcome, l.reason]), [['suppressed', 'capped_daily']]);

    clock.set('2026-03-17T02:00:00Z');
    await siyu.journeys.runner.drain();
    assert.deepEqual((await messages(ws, id)).filter((m) => m.source_step === 'four').map((m) => m.status), ['sent'], 'a new local day has a new cap');
  });

  it('the daily cap counts local days: a wait ending just before local midnight is capped, one ending just after is sent', async () => {
    clock.set('2026-03-17T15:30:00Z'); // 23:30 local, the same UTC day as 00:05 local
    const { ws, owner } = await workspace();
    const put = await owner.put('/api/v1/messaging/settings', { ...DEFAULT_SETTINGS, quietHours: { ...DEFAULT_SETTINGS.quietHours, enabled: false } });
    assert.equal(put.statusCode, 200, put.body);
    const [early, late] = await customers(owner, 2);
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [
        { id: 'one', type: 'send', channel: 'wecom', content: { text: '一' }, next: 'two' },
        { id: 'two', type: 'send', channel: 'wecom', content: { text: '二' }, next: 'pause' },
        { id: 'pause', type: 'wait', duration: { minutes: 20 }, next: 'three' },
        { id: 'three', type: 'send', channel: 'wecom', content: { text: '三' } },
      ],
    });
    await enroll(owner, id, [early!.id]); // 23:30 → the third at 23:50, the same local day
    clock.set('2026-03-17T15:45:00Z'); // 23:45
    await enroll(owner, id, [late!.id]); // → the third at 00:05, the next local day
    clock.set('2026-03-17T15:50:00Z'); // 23:50
    await siyu.journeys.runner.drain();
    clock.set('2026-03-17T16:05:00Z'); // 00:05 local, still 17 March in UTC
    await siyu.journeys.runner.drain();
    const third = (await messages(ws, id)).filter((m) => m.source_step === 'three');
    assert.deepEqual(third.map((m) => [Number(m.customer_id), m.status, m.reason]).sort(), [[early!.id, 'suppressed', 'capped_daily'], [late!.id, 'sent', null]].sort());
  });

  it('editing a live journey makes a new version: customers in flight finish on theirs, new entrants take the new one', async () => {
    clock.set('2026-03-18T02:00:00Z');
    const { ws, owner } = await workspace();
    const [a, b] = await customers(owner, 2);
    const v1 = {
      trigger: { type: 'manual' },
      steps: [
        { id: 'pause', type: 'wait', duration: { days: 1 }, next: 'old_copy' },
        { id: 'old_copy', type: 'send', channel: 'wecom', content: { text: '旧文案' } },
      ],
    };
    const id = await journey(owner, v1);
    await enroll(owner, id, [a!.id]);
    const edited = await owner.patch(`/api/v1/journeys/${id}`, {
      definition: {
        trigger: { type: 'manual' },
        steps: [
          { id: 'pause', type: 'wait', duration: { hours: 2 }, next: 'new_copy' },
          { id: 'new_copy', type: 'send', channel: 'wecom', content: { text: '新文案' } },
        ],
      },
    });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.deepEqual([edited.json().latestVersion, edited.json().liveVersion, edited.json().status], [2, 2, 'active']);
    await enroll(owner, id, [b!.id]);
    assert.deepEqual((await enrollments(ws, id)).map((e) => [Number(e.customer_id), e.version]), [[a!.id, 1], [b!.id, 2]]);

    clock.advance(2 * HOUR);
    await siyu.journeys.runner.drain();
    assert.deepEqual((await messages(ws, id)).map((m) => [Number(m.customer_id), m.source_step, m.source_version]), [[b!.id, 'new_copy', 2]]);
    clock.advance(DAY);
    await siyu.journeys.runner.drain();
    const all = await messages(ws, id);
    assert.deepEqual(all.map((m) => [Number(m.customer_id), m.source_step, m.source_version, m.status]), [[b!.id, 'new_copy', 2, 'sent'], [a!.id, 'old_copy', 1, 'sent']]);
    const versions = await owner.get(`/api/v1/journeys/${id}/versions`);
    assert.deepEqual(versions.json().items.map((v: { version: number; isLive: boolean }) => [v.version, v.isLive]), [[2, true], [1, false]]);
    const s = await stats(owner, id);
    assert.equal(s.steps.find((x) => x.id === 'old_copy')?.sent, 1, 'a step of an older version still has its numbers');
  });

  it('pause holds due steps and entries, resume runs them, stop exits everyone and withdraws held messages', async () => {
    clock.set('2026-03-19T13:30:00Z'); // 21:30
    const { ws, owner } = await workspace();
    const [a, b, c] = await customers(owner, 3);
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [
        { id: 'hour', type: 'wait', duration: { hours: 1 }, next: 'note' },
        { id: 'note', type: 'send', channel: 'wecom', content: { text: '提醒' }, next: 'day' },
        { id: 'day', type: 'wait', duration: { days: 1 }, next: 'again' },
        { id: 'again', type: 'send', channel: 'wecom', content: { text: '再提醒' } },
      ],
    });
    await enroll(owner, id, [a!.id, b!.id]);
    assert.equal((await owner.post(`/api/v1/journeys/${id}/pause`, {})).json().status, 'paused');
    const refused = await owner.post(`/api/v1/journeys/${id}/enrollments`, { customerIds: [c!.id] });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().error.code, 'journey.not_active');

    clock.set('2026-03-19T14:45:00Z'); // 22:45, the wait is over
    const drained = await siyu.journeys.runner.drain();
    assert.equal(drained.processed, 0);
    assert.equal((await messages(ws, id)).length, 0, 'nothing runs while paused');
    const explained = await owner.get(`/api/v1/customers/${a!.id}/journeys`);
    assert.match(explained.json().items[0].explanation, /paused/);

    assert.equal((await owner.post(`/api/v1/journeys/${id}/resume`, {})).json().status, 'active');
    await siyu.journeys.runner.drain();
    assert.deepEqual((await messages(ws, id)).map((m) => [m.source_step, m.status, m.reason]), [['note', 'held', 'quiet_hours'], ['note', 'held', 'quiet_hours']]);
    assert.deepEqual((await enrollments(ws, id)).map((e) => e.current_step), ['day', 'day']);

    const stopped = await owner.post(`/api/v1/journeys/${id}/stop`, { reason: '活动取消' });
    assert.equal(stopped.statusCode, 200, stopped.body);
    assert.equal(stopped.json().status, 'stopped');
    assert.deepEqual((await enrollments(ws, id)).map((e) => [e.state, e.end_reason]), [['exited', 'stopped'], ['exited', 'stopped']]);
    assert.deepEqual((await messages(ws, id)).map((m) => m.status), ['cancelled', 'cancelled']);
    clock.set('2026-03-20T00:00:00Z');
    await siyu.messaging.releaser.releaseDue({ workspaceId: ws });
    clock.set('2026-03-21T00:00:00Z');
    await siyu.journeys.runner.drain();
    assert.deepEqual((await messages(ws, id)).map((m) => m.status), ['cancelled', 'cancelled'], 'nothing goes out after a stop');
    const s = await stats(owner, id);
    assert.deepEqual(s.exitReasons, [{ reason: 'stopped', count: 2 }]);
    const note = s.steps.find((x) => x.id === 'note')!;
    assert.deepEqual([note.held, note.sent, note.cancelled], [0, 0, 2], 'the withdrawn messages are counted as such');
    assert.equal((await owner.post(`/api/v1/journeys/${id}/pause`, {})).statusCode, 409, 'a stopped journey cannot be paused');
  });

  it('a pause also holds messages already waiting for quiet hours; they go out after the resume, not at 08:00 while paused', async () => {
    clock.set('2026-03-23T14:30:00Z'); // 22:30
    const { ws, owner } = await workspace();
    const [a] = await customers(owner, 1);
    const id = await journey(owner, { trigger: { type: 'manual' }, steps: [{ id: 'late', type: 'send', channel: 'wecom', content: { text: '夜间下单提醒' } }] });
    await enroll(owner, id, [a!.id]);
    await siyu.journeys.runner.drain();
    assert.deepEqual((await messages(ws, id)).map((m) => [m.status, m.reason]), [['held', 'quiet_hours']]);
    assert.equal((await owner.post(`/api/v1/journeys/${id}/pause`, {})).json().status, 'paused');

    clock.set('2026-03-24T00:05:00Z'); // 08:05: the quiet hours are over, but the journey is paused
    await siyu.messaging.releaser.releaseDue({ workspaceId: ws });
    assert.deepEqual((await messages(ws, id)).map((m) => m.status), ['held'], 'nothing goes out while paused');

    clock.set('2026-03-24T01:00:00Z'); // 09:00
    assert.equal((await owner.post(`/api/v1/journeys/${id}/resume`, {})).json().status, 'active');
    await siyu.messaging.releaser.releaseDue({ workspaceId: ws });
    assert.deepEqual((await messages(ws, id)).map((m) => m.status), ['sent']);
    assert.equal((await siyu.db.selectFrom('message_source_holds').select('source_id').where('workspace_id', '=', ws).execute()).length, 0, 'the hold is gone');
  });

  it('no one enters a paused or stopped journey, even through a trigger that read it while it was active', async () => {
    clock.set('2026-03-20T02:00:00Z');
    const { ws, owner } = await workspace();
    const [a, b] = await customers(owner, 2);
    const definition = { trigger: { type: 'event', eventType: 'custom.signed_up' }, steps: [{ id: 'w', type: 'wait', duration: { days: 1 } }] };
    const id = await journey(owner, definition);
    const live = { id, version: 1, definition: (await owner.get(`/api/v1/journeys/${id}`)).json().definition };
    const candidate = (customerId: number) => ({ customerId, groupId: null, occurrence: `event:${customerId}`, trigger: { type: 'event' }, at: clock.now() });
    await owner.post(`/api/v1/journeys/${id}/pause`, {});
    assert.deepEqual(await siyu.journeys.triggers.enrollInto(ws, live, [candidate(a!.id)]), []);
    await owner.post(`/api/v1/journeys/${id}/stop`, {});
    assert.deepEqual(await siyu.journeys.triggers.enrollInto(ws, live, [candidate(b!.id)]), []);
    assert.equal((await enrollments(ws, id)).length, 0);
    assert.equal((await owner.get(`/api/v1/journeys/${id}`)).json().inFlight, 0);
  });

  it('re-entry: never, after_days and always (but never twice at once)', async () => {
    clock.set('2026-03-23T02:00:00Z');
    const { ws, owner } = await workspace();
    const [c] = await customers(owner, 1);
    const steps = [{ id: 'call', type: 'task', kind: 'call_back', title: '回访', assignee: { type: 'pool', pool: 'advisors' }, dueInHours: 24 }];
    const never = await journey(owner, { trigger: { type: 'manual' }, steps, reentry: { mode: 'never' } });
    const afterDays = await journey(owner, { trigger: { type: 'manual' }, steps, reentry: { mode: 'after_days', days: 2 } });
    const always = await journey(owner, { trigger: { type: 'manual' }, steps, reentry: { mode: 'always' } });
    const waiting = await journey(owner, { trigger: { type: 'manual' }, steps: [{ id: 'w', type: 'wait', duration: { days: 1 } }], reentry: { mode: 'always' } });
    for (const j of [never, afterDays, always, waiting]) assert.equal((await enroll(owner, j, [c!.id], 'first')).enrolled, 1);
    assert.equal((await enroll(owner, never, [c!.id], 'second')).enrolled, 0);
    assert.equal((await enroll(owner, afterDays, [c!.id], 'second')).enrolled, 0);
    assert.equal((await enroll(owner, always, [c!.id], 'second')).enrolled, 1);
    assert.equal((await enroll(owner, always, [c!.id], 'second')).enrolled, 0, 'the same occurrence enrolls once');
    assert.deepEqual(await enroll(owner, waiting, [c!.id], 'second'), { requested: 1, enrolled: 0, skipped: [c!.id] }, 'never twice at once');

    clock.advance(2 * DAY - 60_000);
    assert.equal((await enroll(owner, afterDays, [c!.id], 'third')).enrolled, 0, 'not before the days have passed');
    assert.equal((await enroll(owner, never, [c!.id], 'third')).enrolled, 0);
    clock.advance(2 * 60_000);
    assert.equal((await enroll(owner, afterDays, [c!.id], 'fourth')).enrolled, 1);
    assert.equal((await enroll(owner, never, [c!.id], 'fourth')).enrolled, 0);
    const counts = await siyu.db.selectFrom('journey_enrollments').select(['journey_id', sql<number>`count(*)::int`.as('n')]).where('workspace_id', '=', ws).groupBy('journey_id').execute();
    const n = new Map(counts.map((r) => [r.journey_id, Number(r.n)]));
    assert.deepEqual([n.get(never), n.get(afterDays), n.get(always), n.get(waiting)], [1, 2, 2, 1]);
  });

  it('branches on a condition and exits on a condition checked when the next step is due', async () => {
    clock.set('2026-03-24T02:00:00Z');
    const { ws, owner } = await workspace();
    const group = await owner.post('/api/v1/tag-groups', { name: '条件', kind: 'static' });
    const tagOf = async (name: string) => (await owner.post('/api/v1/tags', { groupId: group.json().id, name })).json().id as string;
    const [quit, vip] = [await tagOf('勿扰'), await tagOf('VIP')];
    const [a, b, c] = await customers(owner, 3);
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [
        { id: 'hour', type: 'wait', duration: { hours: 1 }, next: 'vip' },
        { id: 'vip', type: 'branch', condition: { type: 'tags', op: 'has_any', value: [vip] }, then: 'gold', else: 'plain' },
        { id: 'gold', type: 'send', channel: 'wecom', content: { text: 'VIP 专享' } },
        { id: 'plain', type: 'send', channel: 'wecom', content: { text: '大众福利' } },
      ],
      exits: [{ type: 'condition', condition: { type: 'tags', op: 'has_any', value: [quit] } }],
    });
    await enroll(owner, id, [a!.id, b!.id, c!.id]);
    assert.equal((await owner.post(`/api/v1/tags/${quit}/customers`, { customerIds: [a!.id] })).statusCode, 200);
    assert.equal((await owner.post(`/api/v1/tags/${vip}/customers`, { customerIds: [b!.id] })).statusCode, 200);
    clock.advance(HOUR);
    await siyu.journeys.runner.drain();
    const rows = await enrollments(ws, id);
    assert.deepEqual(rows.map((e) => [Number(e.customer_id), e.state, e.end_reason]), [[a!.id, 'exited', 'condition'], [b!.id, 'completed', 'completed'], [c!.id, 'completed', 'completed']]);
    assert.deepEqual((await messages(ws, id)).map((m) => [Number(m.customer_id), m.source_step]).sort(), [[b!.id, 'gold'], [c!.id, 'plain']].sort());
  });

  it('an event trigger enters on matching events only: filters on properties, no history older than a day, one entry per event', async () => {
    clock.set('2026-03-24T06:00:00Z');
    const { ws, owner } = await workspace();
    const id = await journey(owner, {
      trigger: { type: 'event', eventType: 'custom.viewed', filters: [{ property: 'product.category', op: 'eq', value: '精华' }, { property: 'price', op: 'gte', value: 100 }] },
      steps: [{ id: 'w', type: 'wait', duration: { days: 1 } }],
      reentry: { mode: 'always' },
    });
    const view = (n: string, mobile: string, props: Record<string, unknown>, occurredAt = clock.now()) => ({
      id: `view-${n}`, type: 'custom.viewed', occurredAt: occurredAt.toISOString(), identities: [{ type: 'mobile', value: mobile }], properties: props,
    });
    const r = await owner.post('/api/v1/events', {
      events: [
        view('1', '13912340001', { product: { category: '精华' }, price: 199 }),
        view('2', '13912340002', { product: { category: '面霜' }, price: 199 }),
        view('3', '13912340003', { product: { category: '精华' }, price: 99 }),
        view('4', '13912340004', { product: { category: '精华' }, price: 299 }, new Date(clock.now().getTime() - 2 * DAY)),
      ],
    });
    assert.equal(r.statusCode, 200, r.body);
    const [match] = r.json().results.map((x: { customerId: number }) => x.customerId);
    await pumpCustomersChanged();
    assert.deepEqual((await enrollments(ws, id)).map((e) => Number(e.customer_id)), [match]);
    // The same event delivered again enrolls nobody twice.
    await siyu.journeys.triggers.onCustomersChanged([{ workspaceId: ws, customerIds: [match], events: [{ id: Number((await enrollments(ws, id))[0]!.occurrence.split(':')[1]), type: 'custom.viewed', customerId: match, occurredAt: clock.now().toISOString() }] }]);
    assert.equal((await enrollments(ws, id)).length, 1);
  });

  it('exits on order.paid and on opt-out; the goal converts per step and per variant', async () => {
    clock.set('2026-03-25T02:00:00Z');
    const { ws, owner } = await workspace();
    const people = await customers(owner, 12);
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [
        { id: 'ab', type: 'split', variants: [{ key: 'A', weight: 50, next: 'copy_a' }, { key: 'B', weight: 50, next: 'copy_b' }] },
        { id: 'copy_a', type: 'send', channel: 'wecom', content: { text: '文案 A' }, next: 'wait' },
        { id: 'copy_b', type: 'send', channel: 'wecom', content: { text: '文案 B' }, next: 'wait' },
        { id: 'wait', type: 'wait', duration: { days: 3 }, next: 'last' },
        { id: 'last', type: 'send', channel: 'wecom', content: { text: '最后提醒' } },
      ],
      exits: [{ type: 'event', eventType: 'order.paid' }, { type: 'opted_out' }],
      goal: { eventType: 'order.paid', withinDays: 7 },
    });
    await enroll(owner, id, people.map((p) => p.id));
    const variantOf = new Map((await enrollments(ws, id)).map((e) => [Number(e.customer_id), e.variant]));
    const buyers = people.slice(0, 3);
    const quitter = people[3]!;
    clock.advance(HOUR);
    for (const [i, p] of buyers.entries()) {
      const r = await owner.request('PUT', `/api/v1/orders/shop/J-${ws.slice(0, 6)}-${i}`, {
        status: 'paid', statusAt: clock.now().toISOString(), orderedAt: clock.now().toISOString(), paidAt: clock.now().toISOString(), totalFen: 9900, identities: [{ type: 'mobile', value: p.mobile }],
      });
      assert.ok([200, 201].includes(r.statusCode), r.body);
    }
    const optOut = await owner.post('/api/v1/events', { events: [{ id: `optout-${quitter.mobile}`, type: 'custom.unsubscribed', occurredAt: clock.now().toISOString(), identities: [{ type: 'mobile', value: quitter.mobile }], profile: { consent: 'denied' } }] });
    assert.equal(optOut.statusCode, 200, optOut.body);
    assert.ok((await pumpCustomersChanged()) > 0);

    const rows = await enrollments(ws, id);
    const byCustomer = new Map(rows.map((e) => [Number(e.customer_id), e]));
    for (const p of buyers) {
      assert.equal(byCustomer.get(p.id)?.end_reason, 'event:order.paid');
      assert.ok(byCustomer.get(p.id)?.converted_at, 'the buyer converted');
    }
    assert.equal(byCustomer.get(quitter.id)?.end_reason, 'opted_out');
    assert.equal(rows.filter((e) => e.state === 'active').length, 8);

    clock.advance(3 * DAY);
    await siyu.journeys.runner.drain();
    const lastSends = (await messages(ws, id)).filter((m) => m.source_step === 'last');
    assert.equal(lastSends.length, 8, 'those who left get nothing more');

    const s = await stats(owner, id);
    assert.equal(s.totals.converted, 3);
    assert.equal(s.steps.find((x) => x.id === 'ab')?.converted, 3);
    assert.equal(s.steps.find((x) => x.id === 'last')?.converted, 0);
    for (const key of ['A', 'B']) {
      const expected = buyers.filter((p) => variantOf.get(p.id) === key).length;
      const v = s.variants.find((x) => x.key === key)!;
      assert.equal(v.converted, expected, `variant ${key}`);
      assert.equal(v.entered, people.filter((p) => variantOf.get(p.id) === key).length);
      assert.equal(s.steps.find((x) => x.id === `copy_${key.toLowerCase()}`)?.converted, expected);
    }
    assert.deepEqual(s.exitReasons.map((r) => [r.reason, r.count]).sort(), [['event:order.paid', 3], ['opted_out', 1]]);

    // An order after the goal's 7 days does not count.
    clock.advance(4 * DAY);
    const lateBuyer = people[4]!;
    const r = await owner.request('PUT', `/api/v1/orders/shop/J-${ws.slice(0, 6)}-late`, {
      status: 'paid', statusAt: clock.now().toISOString(), orderedAt: clock.now().toISOString(), paidAt: clock.now().toISOString(), totalFen: 9900, identities: [{ type: 'mobile', value: lateBuyer.mobile }],
    });
    assert.ok([200, 201].includes(r.statusCode), r.body);
    assert.ok((await pumpCustomersChanged()) > 0);
    assert.equal((await enrollments(ws, id)).find((e) => Number(e.customer_id) === lateBuyer.id)?.converted_at, null);
    assert.equal((await stats(owner, id)).totals.converted, 3);
  });

  it('a customer merged into another leaves with "merged"; their task moves to the survivor, who goes on', async () => {
    clock.set('2026-03-26T02:00:00Z');
    const { ws, owner } = await workspace();
    const [survivor, merged] = await customers(owner, 2);
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [
        { id: 'call', type: 'task', kind: 'follow_up', title: '跟进', assignee: { type: 'pool', pool: 'advisors' }, dueInHours: 24, next: 'later' },
        { id: 'later', type: 'wait', duration: { days: 1 }, next: 'note' },
        { id: 'note', type: 'send', channel: 'wecom', content: { text: '跟进结果' } },
      ],
    });
    await enroll(owner, id, [survivor!.id, merged!.id]);
    const m = await owner.post(`/api/v1/customers/${survivor!.id}/merge`, { otherId: merged!.id });
    assert.equal(m.statusCode, 200, m.body);
    assert.deepEqual((await enrollments(ws, id)).map((e) => [Number(e.customer_id), e.state, e.end_reason]), [[survivor!.id, 'active', null], [merged!.id, 'exited', 'merged']]);
    const tasks = await siyu.db.selectFrom('tasks').select('customer_id').where('workspace_id', '=', ws).where('source_id', '=', id).execute();
    assert.deepEqual(tasks.map((t) => Number(t.customer_id)), [survivor!.id, survivor!.id]);
    clock.advance(DAY);
    await siyu.journeys.runner.drain();
    assert.deepEqual((await messages(ws, id)).map((x) => [Number(x.customer_id), x.source_step, x.status]), [[survivor!.id, 'note', 'sent']], 'one message, to the survivor');
  });

  it('the A/B split is deterministic per customer and honours 20/80 weights over 2,000 customers', async () => {
    clock.set('2026-03-27T02:00:00Z');
    const { ws, owner } = await workspace();
    const people = await customers(owner, 2000);
    const variants = [{ key: 'small', weight: 20, next: 'hold' }, { key: 'large', weight: 80, next: 'hold' }];
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [{ id: 'ab', type: 'split', variants }, { id: 'hold', type: 'wait', duration: { days: 1 } }],
      reentry: { mode: 'always' },
    });
    await enroll(owner, id, people.slice(0, 1000).map((p) => p.id));
    await enroll(owner, id, people.slice(1000).map((p) => p.id));
    const rows = await enrollments(ws, id);
    assert.equal(rows.length, 2000);
    for (const e of rows) assert.equal(e.variant, chooseVariant(variants, id, Number(e.customer_id)).key);
    const small = rows.filter((e) => e.variant === 'small').length;
    // 400 expected; ±5 standard deviations (≈ 18 each).
    assert.ok(small > 310 && small < 490, `small: ${small}`);
    const s = await stats(owner, id);
    assert.deepEqual(s.variants.map((v) => [v.key, v.weight, v.entered, v.isControl]), [['small', 20, small, true], ['large', 80, 2000 - small, false]]);
    // Stopped and started again, every customer lands in the same variant.
    await owner.post(`/api/v1/journeys/${id}/stop`, {});
    await owner.post(`/api/v1/journeys/${id}/activate`, {});
    await enroll(owner, id, people.slice(0, 300).map((p) => p.id), 'again');
    const again = (await enrollments(ws, id)).filter((e) => e.occurrence.startsWith('manual:again'));
    const before = new Map(rows.map((e) => [Number(e.customer_id), e.variant]));
    assert.equal(again.length, 300);
    for (const e of again) assert.equal(e.variant, before.get(Number(e.customer_id)));
  });

  it('the lifecycle playbooks run: the welcome journey from a friend-added event to its last touch, the birthday greeting with its coupon, and every schedule fires', async () => {
    clock.set('2026-04-01T02:00:00Z'); // Wednesday 10:00
    const { ws, owner } = await workspace();
    const ids = new Map<string, string>();
    for (const key of ['welcome_new_friends', 'growth_recommendation', 'koc_invitation', 'repurchase_reminder', 'birthday_greeting', 'win_back']) {
      const r = await owner.post(`/api/v1/journey-playbooks/${key}/journeys`, { activate: true });
      assert.equal(r.statusCode, 201, r.body);
      ids.set(key, r.json().id);
    }
    const friend = await owner.post('/api/v1/events', {
      events: [{ id: 'friend-1', type: 'wecom.friend_added', occurredAt: clock.now().toISOString(), identities: [{ type: 'mobile', value: '13911110001' }], profile: { nickname: '小周', birthday: '1995-04-02' } }],
    });
    assert.equal(friend.statusCode, 200, friend.body);
    const customer = friend.json().results[0].customerId as number;
    await pumpCustomersChanged();
    const welcome = ids.get('welcome_new_friends')!;
    const bodies = async (journeyId: string) =>
      (await siyu.db.selectFrom('messages').select(['source_step', 'status', 'body']).where('workspace_id', '=', ws).where('source_id', '=', journeyId).orderBy('created_at').execute()).map((m) => [m.source_step, m.status, m.body]);
    assert.deepEqual((await bodies(welcome)).map(([step, status]) => [step, status]), [['welcome', 'sent']]);
    assert.match(String((await bodies(welcome))[0]![2]), /^小周，欢迎添加/);

    clock.set('2026-04-02T02:00:00Z'); // a day later, 10:00: the wait until 19:30 starts
    await siyu.journeys.runner.drain();
    // The birthday greeting at 09:00 on 2 April fired at 10:00 (made up by the tick).
    await tick();
    const birthday = await bodies(ids.get('birthday_greeting')!);
    assert.deepEqual(birthday.map(([step, status]) => [step, status]), [['greeting', 'sent']]);
    assert.match(String(birthday[0]![2]), /小周，生日快乐！.*满 199 减 50生日券/);
    clock.set('2026-04-02T11:30:00Z'); // 19:30
    await siyu.journeys.runner.drain();
    assert.deepEqual((await bodies(welcome)).map(([step]) => step), ['welcome', 'touch_1']);
    assert.match(String((await bodies(welcome))[1]![2]), /心仪好物/);
    clock.set('2026-04-05T11:30:00Z'); // 3 days later: no order, so the second touch
    await siyu.journeys.runner.drain();
    assert.deepEqual((await bodies(welcome)).map(([step, status]) => [step, status]), [['welcome', 'sent'], ['touch_1', 'sent'], ['touch_2', 'sent']]);
    assert.deepEqual((await enrollments(ws, welcome)).map((e) => [Number(e.customer_id), e.state]), [[customer, 'completed']]);

    // Every scheduled playbook fires (its audience query runs) and moves on to its next time.
    const scheduled = ['growth_recommendation', 'koc_invitation', 'repurchase_reminder', 'win_back'].map((k) => ids.get(k)!);
    await siyu.db.updateTable('journeys').set({ next_fire_at: new Date('2026-04-05T11:29:00Z') }).where('workspace_id', '=', ws).where('id', 'in', scheduled).execute();
    await tick();
    const fires = await siyu.db.selectFrom('journeys').select(['id', 'next_fire_at']).where('workspace_id', '=', ws).where('id', 'in', scheduled).execute();
    assert.ok(fires.every((f) => f.next_fire_at && f.next_fire_at > clock.now()), JSON.stringify(fires));
  });

  it('a task step puts the customer in their advisor\'s inbox; done and skip with outcomes show in the journey stats', async () => {
    clock.set('2026-03-30T02:00:00Z');
    const { ws, owner, operator: advisor, users } = await workspace();
    const people = await customers(owner, 3);
    await siyu.db.updateTable('customers').set({ owner_user_id: users.operator.id }).where('workspace_id', '=', ws).where('id', 'in', people.slice(0, 2).map((p) => p.id)).execute();
    const id = await journey(owner, {
      trigger: { type: 'manual' },
      steps: [{ id: 'chat', type: 'task', kind: 'private_chat', title: '一对一问候', script: '您好，我是您的专属顾问～', assignee: { type: 'owner', fallbackPool: 'advisors' }, dueInHours: 24 }],
    });
    await enroll(owner, id, people.map((p) => p.id));
    const inbox = await advisor.get('/api/v1/tasks?assignee=me');
    assert.equal(inbox.statusCode, 200, inbox.body);
    const mine = inbox.json().items as { id: string; customerId: number; dueAt: string; script: string; source: { kind: string; id: string; step: string } }[];
    assert.deepEqual(mine.map((t) => t.customerId).sort(), people.slice(0, 2).map((p) => p.id).sort());
    assert.equal(mine[0]!.dueAt, '2026-03-31T02:00:00.000Z');
    assert.equal(mine[0]!.script, '您好，我是您的专属顾问～');
    assert.deepEqual(mine[0]!.source, { kind: 'journey', id, version: 1, step: 'chat' });
    const pool = await owner.get('/api/v1/tasks?pool=advisors');
    assert.deepEqual(pool.json().items.map((t: { customerId: number }) => t.customerId), [people[2]!.id]);

    assert.equal((await advisor.post(`/api/v1/tasks/${mine[0]!.id}/complete`, { status: 'done', outcome: 'reached', note: '已聊' })).statusCode, 200);
    assert.equal((await advisor.post(`/api/v1/tasks/${mine[1]!.id}/complete`, { status: 'skipped', outcome: 'no_answer' })).statusCode, 200);
    const s = await stats(owner, id);
    const chat = s.steps.find((x) => x.id === 'chat')!;
    assert.deepEqual({ open: chat.tasks.open, done: chat.tasks.done, skipped: chat.tasks.skipped }, { open: 1, done: 1, skipped: 1 });
    assert.deepEqual(chat.tasks.outcomes.map((o) => [o.outcome, o.count]).sort(), [['no_answer', 1], ['reached', 1]]);
    assert.deepEqual((await enrollments(ws, id)).map((e) => e.state), ['completed', 'completed', 'completed']);

    // Stopping the journey takes its open task out of the pool; closed ones keep what they were.
    clock.advance(3600_000);
    assert.equal((await owner.post(`/api/v1/journeys/${id}/stop`, {})).statusCode, 200);
    assert.deepEqual((await owner.get('/api/v1/tasks?pool=advisors')).json().items, []);
    const all = (await owner.get('/api/v1/tasks?status=all')).json().items as { id: string; status: string; outcome: string | null; completedAt: string | null; completedBy: string | null }[];
    const closedByStop = all.filter((t) => t.id !== mine[0]!.id && t.id !== mine[1]!.id);
    assert.deepEqual(closedByStop.map((t) => [t.status, t.outcome, t.completedAt]), [['skipped', null, '2026-03-30T03:00:00.000Z']]);
    assert.ok(closedByStop[0]!.completedBy, 'who stopped the journey is recorded');
    assert.deepEqual(all.filter((t) => t.id === mine[0]!.id || t.id === mine[1]!.id).map((t) => [t.status, t.outcome]).sort(), [['done', 'reached'], ['skipped', 'no_answer']]);
    const after = (await stats(owner, id)).steps.find((x) => x.id === 'chat')!;
    assert.deepEqual({ open: after.tasks.open, done: after.tasks.done, skipped: after.tasks.skipped }, { open: 0, done: 1, skipped: 2 });
  });
});
