/**
 * End to end through the API and the worker: a journey triggered by an ingested event sends
 * through the guarded send path, tags the customer, hands them to an advisor, waits a day on a
 * controlled clock, sends again and counts the goal — with no call into the runner from the
 * test except the clock moving.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { apiKeyClient, buildTestApp, ManualClock, seedWorkspace, signIn, readUntil, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

describeEachDatabase('journeys: an event-triggered journey end to end', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let owner: Client;
  let api: ReturnType<typeof apiKeyClient>;
  let workspaceId: string;
  // 11:00 in Shanghai: outside the default quiet hours.
  const clock = new ManualClock('2026-03-02T03:00:00Z');

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
    await siyu.jobs.work();
    const seeded = await seedWorkspace(siyu, ['owner']);
    workspaceId = seeded.workspaceId;
    owner = await signIn(app, seeded.users.owner.email, seeded.workspaceId);
    const key = await owner.post('/api/v1/api-keys', { name: 'shop', scopes: ['events.write'] });
    api = apiKeyClient(app, key.json().token);
  });
  after(async () => app?.close());


  it('enters on the event, sends, tags, creates a task, waits, sends again and converts', async () => {
    const group = await owner.post('/api/v1/tag-groups', { name: '旅程', kind: 'static' });
    assert.equal(group.statusCode, 201, group.body);
    const tag = await owner.post('/api/v1/tags', { groupId: group.json().id, name: '新客旅程' });
    assert.equal(tag.statusCode, 201, tag.body);
    const tagId = tag.json().id as string;
    const definition = {
      trigger: { type: 'event', eventType: 'custom.signed_up' },
      steps: [
        { id: 'hello', type: 'send', channel: 'wecom', content: { text: '你好 {nickname|朋友}，欢迎加入' }, next: 'mark' },
        { id: 'mark', type: 'tag', action: 'add', tagIds: [tagId], next: 'call' },
        { id: 'call', type: 'task', kind: 'private_chat', title: '新客一对一问候', assignee: { type: 'pool', pool: 'advisors' }, dueInHours: 24, next: 'later' },
        { id: 'later', type: 'wait', duration: { days: 1 }, next: 'again' },
        { id: 'again', type: 'send', channel: 'wecom', content: { text: '第二次触达' } },
      ],
      goal: { eventType: 'order.paid', withinDays: 7 },
    };
    const created = await owner.post('/api/v1/journeys', { name: '新客欢迎', definition });
    assert.equal(created.statusCode, 201, created.body);
    const journeyId = created.json().id as string;
    const activated = await owner.post(`/api/v1/journeys/${journeyId}/activate`, {});
    assert.equal(activated.statusCode, 200, activated.body);
    assert.equal(activated.json().status, 'active');

    const ingested = await api.post('/api/v1/events', {
      events: [{ id: 'signup-1', type: 'custom.signed_up', occurredAt: clock.now().toISOString(), identities: [{ type: 'mobile', value: '13800000001' }], profile: { nickname: '小林' } }],
    });
    assert.equal(ingested.statusCode, 200, ingested.body);
    const customerId = ingested.json().results[0].customerId as number;

    const journeysOf = () => owner.get(`/api/v1/customers/${customerId}/journeys`).then((r) => r.json().items as { currentStep: string | null; state: string }[]);
    const inFlight = await readUntil(journeysOf, (items) => items[0]?.currentStep === 'later');
    assert.equal(inFlight.length, 1);

    const messages = () => owner.get(`/api/v1/customers/${customerId}/messages`).then((r) => r.json().items as { status: string; body: string | null; source: { step: string } }[]);
    const first = await messages();
    assert.deepEqual(first.map((m) => [m.source.step, m.status]), [['hello', 'sent']]);
    assert.match(first[0]!.body ?? '', /你好 (小林|朋友)，欢迎加入/);
    await readUntil(
      () => siyu.db.selectFrom('customer_tags').select(['tag_id', 'source']).where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId).execute(),
      (rows) => rows.length === 1 && rows[0]!.source === 'journey' && rows[0]!.tag_id === tagId,
    );
    const tasks = await siyu.db.selectFrom('tasks').select(['title', 'pool']).where('workspace_id', '=', workspaceId).execute();
    assert.deepEqual(tasks, [{ title: '新客一对一问候', pool: 'advisors' }]);

    // A day later the wait ends; the minute tick (or the scheduled wake-up) runs the step.
    clock.advance(86_400_000 + 60_000);
    // drain() leaves a batch another worker holds to that worker, so read until it has committed.
    await siyu.journeys.runner.drain();
    const both = await readUntil(messages, (items) => items.length === 2);
    assert.deepEqual(both.map((m) => m.source.step).sort(), ['again', 'hello']);
    assert.ok(both.every((m) => m.status === 'sent'));

    const stats = await owner.get(`/api/v1/journeys/${journeyId}/stats`);
    assert.equal(stats.statusCode, 200, stats.body);
    const steps = stats.json().steps as { id: string; entered: number; sent: number }[];
    assert.equal(steps.find((s) => s.id === 'hello')?.sent, 1);
    assert.equal(steps.find((s) => s.id === 'again')?.sent, 1);
  });
});
