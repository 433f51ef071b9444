import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { apiKeyClient, buildTestApp, ManualClock, seedWorkspace, signIn, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { addCustomer, countRows } from './fixtures.test-support.ts';
import { DEFAULT_SETTINGS } from './index.ts';

const NOW = new Date('2025-06-02T10:00:00+08:00');
const NO_CAPS = { all: { daily: null, weekly: null, monthly: null }, channels: {} };
const MISSING_ID = '00000000-0000-7000-8000-000000000000';
let seq = 0;

describeEachDatabase('messaging API: sends, ledger, dead letters, templates, settings', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let otherWs: string;
  let owner: Client;
  let operator: Client;
  let analyst: Client;
  let viewer: Client;
  let outsider: Client;
  const clock = new ManualClock(NOW);

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'analyst', 'viewer']);
    ws = seeded.workspaceId;
    owner = await signIn(app, seeded.users.owner.email, ws);
    operator = await signIn(app, seeded.users.operator.email, ws);
    analyst = await signIn(app, seeded.users.analyst.email, ws);
    viewer = await signIn(app, seeded.users.viewer.email, ws);
    const other = await seedWorkspace(siyu, ['owner']);
    otherWs = other.workspaceId;
    outsider = await signIn(app, other.users.owner.email, otherWs);
    const put = await owner.put('/api/v1/messaging/settings', { ...DEFAULT_SETTINGS, caps: NO_CAPS, adLaw: { ...DEFAULT_SETTINGS.adLaw, useDictionary: false } });
    assert.equal(put.statusCode, 200, put.body);
  });
  after(async () => {
    await app?.close();
  });

  const send = (client: Client, customerId: number, over: Record<string, unknown> = {}) =>
    client.post('/api/v1/messages', { idempotencyKey: `r-${++seq}`, customerId, channel: 'wecom', content: { text: 'Hi {nickname}' }, ...over });
  const counts = async (workspaceId = ws) => ({
    messages: await countRows(siyu.db, 'messages', workspaceId),
    templates: await countRows(siyu.db, 'message_templates', workspaceId),
    versions: await countRows(siyu.db, 'message_template_versions', workspaceId),
    drivers: await countRows(siyu.db, 'messaging_drivers', workspaceId),
  });
  const settingsNow = async () => (await owner.get('/api/v1/messaging/settings')).json().settings;
  const expectInvalid = (res: { statusCode: number; body: string; json(): unknown }, code: string, field: string, reason?: string) => {
    assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
    const error = (res.json() as { error: { code: string; details?: { field: string; reason: string }[] } }).error;
    assert.equal(error.code, code, res.body);
    const detail = error.details?.find((d) => d.field === field);
    assert.ok(detail, `expected a detail on ${field}, got ${res.body}`);
    if (reason) assert.equal(detail.reason, reason, res.body);
  };

  it('sends one message and a batch through the guard rails, and a repeated key is the same message', async () => {
    const [a, b] = [await addCustomer(siyu.db, ws), await addCustomer(siyu.db, ws, { consent: 'denied' })];
    const one = await send(operator, a, { idempotencyKey: 'order-1' });
    assert.equal(one.statusCode, 200, one.body);
    assert.deepEqual([one.json().status, one.json().duplicate, one.json().idempotencyKey], ['sent', false, 'console:order-1']);
    const again = await send(operator, a, { idempotencyKey: 'order-1', content: { text: 'other' } });
    assert.deepEqual([again.json().messageId, again.json().duplicate], [one.json().messageId, true]);
    const batch = await operator.post('/api/v1/messages/batch', {
      messages: [
        { idempotencyKey: 'b-1', customerId: a, channel: 'sms', content: { text: '{coupon}' } },
        { idempotencyKey: 'b-2', customerId: b, channel: 'wecom', content: { text: 'Hi' } },
        { idempotencyKey: 'b-2', customerId: b, channel: 'wecom', content: { text: 'Hi' } },
        { idempotencyKey: 'b-3', customerId: a, channel: 'wecom', purpose: 'transactional', content: { text: '已发货' } },
      ],
    });
    assert.equal(batch.statusCode, 200, batch.body);
    assert.deepEqual(batch.json().items.map((o: { status: string; reason: string | null; duplicate: boolean }) => [o.status, o.reason, o.duplicate]), [
      ['suppressed', 'template_error', false], ['suppressed', 'opted_out', false], ['suppressed', 'opted_out', true], ['sent', null, false],
    ]);
    assert.deepEqual(batch.json().items[0].detail, { error: 'missing_variable', variables: ['coupon'] });
    const key = await owner.post('/api/v1/api-keys', { name: 'crm', scopes: ['messages.send', 'messages.read'] });
    const api = apiKeyClient(app, key.json().token);
    const viaKey = await api.post('/api/v1/messages', { idempotencyKey: 'order-1', customerId: a, channel: 'wecom', content: { text: 'Hi' } });
    assert.deepEqual([viaKey.statusCode, viaKey.json().idempotencyKey, viaKey.json().duplicate], [200, 'api:order-1', false], 'API keys and console users have their own key space');
    const audit = await siyu.db.selectFrom('audit_log').select('details').where('workspace_id', '=', ws).where('action', '=', 'messages.send').execute();
    assert.ok(audit.length >= 4, 'every send call is audited');
  });

  it('shows each customer’s messages with why they were not sent, and counts per source', async () => {
    const c = await addCustomer(siyu.db, ws);
    await send(operator, c);
    await send(operator, c, { content: { text: '{missing}' } });
    await send(operator, c, { content: { text: '全网最佳' } });
    const res = await viewer.get(`/api/v1/customers/${c}/messages`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(body.items.map((m: { status: string; reason: string | null }) => `${m.status}:${m.reason}`), ['suppressed:adlaw_blocked', 'suppressed:template_error', 'sent:null']);
    assert.deepEqual(body.items[0].reasonDetail.words, ['最佳']);
    assert.deepEqual(body.summary.map((s: { status: string; reason: string | null; count: number }) => [s.status, s.reason, s.count]).sort(), [['sent', null, 1], ['suppressed', 'adlaw_blocked', 1], ['suppressed', 'template_error', 1]]);
    assert.match(body.items[2].body, /^Hi nick\d+$/);
    const paged = await viewer.get(`/api/v1/customers/${c}/messages?limit=2`);
    const next = await viewer.get(`/api/v1/customers/${c}/messages?limit=2&cursor=${paged.json().nextCursor}`);
    assert.deepEqual([paged.json().items.length, next.json().items.length, next.json().nextCursor], [2, 1, null]);
    const listed = await viewer.get(`/api/v1/messages?customerId=${c}&reason=template_error`);
    assert.deepEqual(listed.json().items.map((m: { reason: string }) => m.reason), ['template_error']);
    const source = body.items[0].source as { kind: string; id: string };
    assert.equal(source.kind, 'console');
    const stats = await viewer.get(`/api/v1/message-stats?sourceKind=console&sourceId=${source.id}`);
    assert.equal(stats.statusCode, 200, stats.body);
    const byReason = new Map(stats.json().items.map((s: { status: string; reason: string | null; count: number }) => [`${s.status}:${s.reason}`, s.count]));
    assert.ok((byReason.get('suppressed:adlaw_blocked') as number) >= 1 && (byReason.get('suppressed:template_error') as number) >= 1);
    assert.equal((await viewer.get(`/api/v1/messages/${body.items[0].id}`)).json().reason, 'adlaw_blocked');
  });

  it('lists messages requested within a time range', async () => {
    const c = await addCustomer(siyu.db, ws);
    clock.set(new Date(NOW.getTime() - 3 * 86_400_000));
    const old = (await send(operator, c)).json().messageId as string;
    clock.set(NOW);
    const recent = (await send(operator, c)).json().messageId as string;
    const ids = async (query: string) => ((await viewer.get(`/api/v1/messages?customerId=${c}&${query}`)).json().items as { id: string }[]).map((m) => m.id);
    const dayAgo = encodeURIComponent(new Date(NOW.getTime() - 86_400_000).toISOString());
    assert.deepEqual(await ids(`since=${dayAgo}`), [recent]);
    assert.deepEqual(await ids(`until=${dayAgo}`), [old]);
    assert.deepEqual(await ids(''), [recent, old]);
    expectInvalid(await viewer.get('/api/v1/messages?since=yesterday'), 'validation_failed', 'query.since');
  });

  it('rejects bad sends with 400, a stable code, the field and the reason, writing nothing', async () => {
    const c = await addCustomer(siyu.db, ws);
    const before = await counts();
    const base = { idempotencyKey: 'bad-1', customerId: c, channel: 'wecom', content: { text: 'Hi' } };
    const cases: [unknown, string, string?][] = [
      [{ ...base, idempotencyKey: undefined }, 'idempotencyKey'],
      [{ ...base, idempotencyKey: '' }, 'idempotencyKey', 'too_small'],
      [{ ...base, channel: 'fax' }, 'channel', 'invalid_value'],
      [{ ...base, customerId: 'seven' }, 'customerId', 'invalid_type'],
      [{ ...base, purpose: 'spam' }, 'purpose', 'invalid_value'],
      [{ ...base, templateId: MISSING_ID }, 'content', 'one_of'],
      [{ ...base, content: undefined }, 'content', 'required'],
      [{ ...base, content: { text: '' } }, 'content.text', 'too_small'],
      [{ ...base, variables: { 'bad name': 'x' } }, 'variables.bad name'],
      [{ ...base, targetUrl: 'ftp://x.example' }, 'targetUrl'],
      [{ ...base, extra: 1 }, 'extra', 'unknown_field'],
    ];
    for (const [body, field, reason] of cases) expectInvalid(await operator.post('/api/v1/messages', body), 'validation_failed', field, reason);
    expectInvalid(await operator.post('/api/v1/messages/batch', { messages: [] }), 'validation_failed', 'messages', 'too_small');
    expectInvalid(await operator.post('/api/v1/messages/batch', { messages: [base, { ...base, channel: 'fax' }] }), 'validation_failed', 'messages[1].channel');
    const tooMany = Array.from({ length: 1001 }, (_, n) => ({ ...base, idempotencyKey: `many-${n}` }));
    expectInvalid(await operator.post('/api/v1/messages/batch', { messages: tooMany }), 'validation_failed', 'messages', 'too_big');
    expectInvalid(await viewer.get('/api/v1/messages?status=lost'), 'validation_failed', 'query.status');
    expectInvalid(await viewer.get('/api/v1/messages?limit=0'), 'validation_failed', 'query.limit');
    expectInvalid(await viewer.get('/api/v1/messages/not-a-uuid'), 'validation_failed', 'params.messageId');
    expectInvalid(await viewer.get('/api/v1/customers/abc/messages'), 'validation_failed', 'params.customerId');
    expectInvalid(await viewer.get('/api/v1/message-stats?sourceKind=journey'), 'validation_failed', 'query.sourceId');
    expectInvalid(await viewer.get('/api/v1/dead-letters?status=failed'), 'validation_failed', 'query.status', 'unknown_field');
    expectInvalid(await operator.post('/api/v1/dead-letters/replay', { ids: ['x'] }), 'validation_failed', 'ids[0]');
    expectInvalid(await operator.post('/api/v1/dead-letters/replay', { ids: [] }), 'validation_failed', 'ids', 'too_small');
    expectInvalid(await viewer.post('/api/v1/messages/preview', { customerId: c }), 'validation_failed', 'content', 'one_of');
    expectInvalid(await viewer.post('/api/v1/ad-law/check', { text: '' }), 'validation_failed', 'text', 'too_small');
    assert.deepEqual(await counts(), before, 'nothing was written');
    assert.equal((await viewer.get(`/api/v1/messages/${MISSING_ID}`)).json().error.code, 'message.not_found');
    assert.equal((await viewer.get('/api/v1/customers/987654321/messages')).json().error.code, 'customer.not_found');
  });

  it('lets viewers and analysts read but not send, replay or change settings; operators send but do not manage', async () => {
    const c = await addCustomer(siyu.db, ws);
    const before = await counts();
    const settingsBefore = await settingsNow();
    for (const client of [viewer, analyst]) {
      const denied = [
        await send(client, c),
        await client.post('/api/v1/messages/batch', { messages: [{ idempotencyKey: 'x', customerId: c, channel: 'wecom', content: { text: 'Hi' } }] }),
        await client.post(`/api/v1/messages/${MISSING_ID}/replay`),
        await client.post('/api/v1/dead-letters/replay', { ids: [MISSING_ID] }),
        await client.post('/api/v1/message-templates', { name: 'x', channel: 'wecom', body: 'x' }),
        await client.put('/api/v1/messaging/settings', { ...DEFAULT_SETTINGS, caps: NO_CAPS }),
        await client.put('/api/v1/messaging/drivers/webhook', { url: 'https://hooks.example.com/x' }),
      ];
      assert.deepEqual(denied.map((r) => [r.statusCode, r.json().error.code]), denied.map(() => [403, 'auth.forbidden']));
      for (const url of ['/api/v1/messages', `/api/v1/customers/${c}/messages`, '/api/v1/dead-letters', '/api/v1/message-templates', '/api/v1/messaging/settings', '/api/v1/message-stats?sourceKind=journey&sourceId=j']) {
        assert.equal((await client.get(url)).statusCode, 200, url);
      }
      assert.equal((await client.post('/api/v1/messages/preview', { content: { text: 'Hi {nickname}' }, customerId: c })).statusCode, 200);
      assert.equal((await client.post('/api/v1/ad-law/check', { text: '最佳' })).json().verdict, 'block');
    }
    for (const res of [await operator.put('/api/v1/messaging/settings', { ...DEFAULT_SETTINGS, caps: NO_CAPS }), await operator.put('/api/v1/messaging/drivers/sms', { url: 'https://sms.example.com', method: 'POST', contentType: 'application/json', bodyTemplate: '{}', headers: {}, authHeader: null, successContains: null })]) {
      assert.equal(res.statusCode, 403);
    }
    assert.deepEqual(await counts(), before);
    assert.deepEqual(await settingsNow(), settingsBefore);
    const readOnlyKey = apiKeyClient(app, (await owner.post('/api/v1/api-keys', { name: 'reader', scopes: ['messages.read'] })).json().token);
    assert.equal((await readOnlyKey.post('/api/v1/messages', { idempotencyKey: 'k', customerId: c, channel: 'wecom', content: { text: 'Hi' } })).statusCode, 403);
    assert.equal((await readOnlyKey.get('/api/v1/messages')).statusCode, 200);
    assert.equal((await readOnlyKey.get('/api/v1/messaging/settings')).statusCode, 403, 'settings are for people');
  });

  it('keeps workspaces apart: another workspace cannot read, replay or address this one’s messages and templates', async () => {
    const c = await addCustomer(siyu.db, ws);
    const sent = (await send(operator, c)).json();
    const tpl = (await operator.post('/api/v1/message-templates', { name: `private-${++seq}`, channel: 'wecom', body: 'Hi {nickname}' })).json();
    await siyu.db.updateTable('messages').set({ status: 'failed', reason: 'driver_failed' }).where('workspace_id', '=', ws).where('id', '=', sent.messageId).execute();
    const before = await counts();
    const notFound = [
      await outsider.get(`/api/v1/messages/${sent.messageId}`),
      await outsider.post(`/api/v1/messages/${sent.messageId}/replay`),
      await outsider.get(`/api/v1/customers/${c}/messages`),
      await outsider.get(`/api/v1/message-templates/${tpl.id}`),
      await outsider.patch(`/api/v1/message-templates/${tpl.id}`, { body: 'stolen' }),
      await outsider.delete(`/api/v1/message-templates/${tpl.id}`),
      await outsider.get(`/api/v1/message-templates/${tpl.id}/versions`),
      await outsider.post('/api/v1/messages/preview', { templateId: tpl.id }),
      await outsider.post('/api/v1/messages/preview', { content: { text: 'Hi {nickname}' }, customerId: c }),
    ];
    assert.deepEqual(notFound.map((r) => r.statusCode), notFound.map(() => 404), notFound.map((r) => r.body).join('\n'));
    assert.deepEqual((await outsider.post('/api/v1/dead-letters/replay', { ids: [sent.messageId] })).json(), { replayed: [], skipped: [sent.messageId] });
    assert.equal((await outsider.get('/api/v1/messages')).json().items.length, 0);
    assert.equal((await outsider.get('/api/v1/dead-letters')).json().items.length, 0);
    assert.equal((await outsider.get('/api/v1/message-templates')).json().items.length, 0);
    const viaTemplate = await outsider.post('/api/v1/messages', { idempotencyKey: 'steal', customerId: c, channel: 'wecom', templateId: tpl.id });
    assert.deepEqual([viaTemplate.json().status, viaTemplate.json().reason], ['suppressed', 'unknown_customer'], 'customer ids are per workspace');
    const crossHeader = await outsider.request('GET', `/api/v1/messages/${sent.messageId}`, undefined, { 'x-siyu-workspace': ws });
    assert.equal(crossHeader.statusCode, 404, 'a workspace one is not a member of does not exist');
    assert.deepEqual(await counts(), before, 'nothing changed here');
    assert.equal((await viewer.get(`/api/v1/messages/${sent.messageId}`)).json().status, 'failed');
    assert.equal((await owner.get(`/api/v1/message-templates/${tpl.id}`)).json().body, 'Hi {nickname}');
  });

  it('lists dead letters and replays them; a message that is not a dead letter is refused', async () => {
    const c = await addCustomer(siyu.db, ws);
    const [x, y] = [(await send(operator, c)).json(), (await send(operator, c)).json()];
    await siyu.db.updateTable('messages').set({ status: 'failed', reason: 'driver_failed', driver: 'webhook', attempts: 6 }).where('workspace_id', '=', ws).where('id', 'in', [x.messageId, y.messageId]).execute();
    const dead = (await viewer.get('/api/v1/dead-letters')).json().items.map((m: { id: string }) => m.id);
    assert.ok(dead.includes(x.messageId) && dead.includes(y.messageId));
    const one = await operator.post(`/api/v1/messages/${x.messageId}/replay`);
    assert.equal(one.statusCode, 200, one.body);
    assert.deepEqual([one.json().status, one.json().attempts, one.json().reason], ['queued', 0, null]);
    expectInvalid(await operator.post(`/api/v1/messages/${x.messageId}/replay`), 'message.not_dead_letter', 'messageId', 'not_failed');
    assert.deepEqual((await operator.post('/api/v1/dead-letters/replay', { ids: [x.messageId, y.messageId] })).json(), { replayed: [y.messageId], skipped: [x.messageId] });
    assert.equal((await operator.post(`/api/v1/messages/${MISSING_ID}/replay`)).statusCode, 404);
  });

  it('creates, edits (new versions), lists, archives templates and previews them for a customer', async () => {
    const c = await addCustomer(siyu.db, ws, { nickname: '小林' });
    const created = await operator.post('/api/v1/message-templates', { name: '上新提醒', channel: 'wecom', title: '{product}上新', body: 'Hi {nickname|朋友}, {product} 到了 {{限时}}' });
    assert.equal(created.statusCode, 201, created.body);
    const t = created.json();
    assert.deepEqual([t.version, t.variables, t.archived], [1, ['nickname', 'product'], false]);
    const before = await counts();
    expectInvalid(await operator.post('/api/v1/message-templates', { name: 'x', channel: 'wecom', body: 'Hi {nickname' }), 'template.syntax', 'body', 'template_syntax');
    expectInvalid(await operator.post('/api/v1/message-templates', { name: 'x', channel: 'wecom', title: '{ }', body: 'ok' }), 'template.syntax', 'title', 'template_syntax');
    expectInvalid(await operator.post('/api/v1/message-templates', { name: '', channel: 'wecom', body: 'x' }), 'validation_failed', 'name');
    expectInvalid(await operator.post('/api/v1/message-templates', { name: 'x', channel: 'email', body: 'x' }), 'validation_failed', 'channel');
    expectInvalid(await operator.patch(`/api/v1/message-templates/${t.id}`, {}), 'validation_failed', '', 'empty');
    expectInvalid(await operator.patch(`/api/v1/message-templates/${t.id}`, { body: '}' }), 'template.syntax', 'body');
    const dup = await operator.post('/api/v1/message-templates', { name: '上新提醒', channel: 'sms', body: 'x' });
    assert.deepEqual([dup.statusCode, dup.json().error.code], [409, 'template.name_taken']);
    assert.deepEqual(await counts(), before, 'refused edits wrote nothing');

    const v2 = (await operator.patch(`/api/v1/message-templates/${t.id}`, { body: 'Hi {nickname}, {product} 补货了' })).json();
    assert.deepEqual([v2.version, v2.variables], [2, ['nickname', 'product']]);
    const renamed = (await operator.patch(`/api/v1/message-templates/${t.id}`, { name: '补货提醒' })).json();
    assert.deepEqual([renamed.version, renamed.name], [2, '补货提醒'], 'a rename is not a new version');
    const versions = (await viewer.get(`/api/v1/message-templates/${t.id}/versions`)).json().items;
    assert.deepEqual(versions.map((v: { version: number }) => v.version), [2, 1]);

    const preview = await viewer.post('/api/v1/messages/preview', { templateId: t.id, templateVersion: 1, customerId: c, variables: { product: '最佳面霜' } });
    assert.equal(preview.statusCode, 200, preview.body);
    const p = preview.json();
    assert.deepEqual([p.customer.label, p.body.text, p.title.text, p.missing, p.verdict], ['小林', 'Hi 小林, 最佳面霜 到了 {限时}', '最佳面霜上新', [], 'block']);
    assert.deepEqual(p.body.findings.map((f: { term: string; start: number; end: number }) => [f.term, f.start, f.end]), [['最佳', 7, 9]]);
    const missing = (await viewer.post('/api/v1/messages/preview', { templateId: t.id })).json();
    assert.deepEqual([missing.body.text, missing.missing], ['Hi {nickname}, {product} 补货了', ['product', 'nickname']]);
    const syntax = (await viewer.post('/api/v1/messages/preview', { content: { text: 'Hi {nick' } })).json();
    assert.deepEqual(syntax.syntaxError, { message: 'A variable is not closed with }', position: 3 });
    assert.equal((await viewer.post('/api/v1/messages/preview', { templateId: t.id, templateVersion: 9 })).statusCode, 404);

    assert.deepEqual((await viewer.get('/api/v1/message-templates?channel=wecom')).json().items.some((x: { id: string }) => x.id === t.id), true);
    assert.deepEqual((await viewer.get('/api/v1/message-templates?channel=sms')).json().items.some((x: { id: string }) => x.id === t.id), false);
    assert.deepEqual((await operator.delete(`/api/v1/message-templates/${t.id}`)).json(), { ok: true });
    assert.equal((await viewer.get('/api/v1/message-templates')).json().items.some((x: { id: string }) => x.id === t.id), false);
    assert.equal((await viewer.get('/api/v1/message-templates?archived=true')).json().items.some((x: { id: string }) => x.id === t.id), true);
    assert.equal((await viewer.get(`/api/v1/message-templates/${t.id}`)).json().archived, true);
    assert.equal((await operator.patch(`/api/v1/message-templates/${t.id}`, { body: 'again' })).statusCode, 404);
    assert.equal((await operator.delete(`/api/v1/message-templates/${t.id}`)).statusCode, 404);
    const archivedSend = await send(operator, c, { content: undefined, templateId: t.id });
    assert.deepEqual([archivedSend.json().reason, archivedSend.json().detail.error], ['template_error', 'template_archived']);
  });

  it('saves settings and drivers for managers only, refusing inconsistent ones; secrets are shown once', async () => {
    const before = await counts();
    const settingsBefore = await settingsNow();
    const bad: [unknown, string, string, string?][] = [
      [{ ...DEFAULT_SETTINGS, caps: { all: { daily: 9, weekly: 3, monthly: null }, channels: {} } }, 'messaging.caps_inconsistent', 'caps.all.daily', 'above_weekly'],
      [{ ...DEFAULT_SETTINGS, caps: { all: { daily: null, weekly: 9, monthly: 3 }, channels: {} } }, 'messaging.caps_inconsistent', 'caps.all.weekly', 'above_monthly'],
      [{ ...DEFAULT_SETTINGS, drivers: { ...DEFAULT_SETTINGS.drivers, wecom: 'sms_http' } }, 'messaging.driver_mismatch', 'drivers.wecom', 'driver_mismatch'],
      [{ ...DEFAULT_SETTINGS, drivers: { ...DEFAULT_SETTINGS.drivers, wecom: 'wecom' } }, 'messaging.driver_unavailable', 'drivers.wecom', 'driver_unavailable'],
      [{ ...DEFAULT_SETTINGS, quietHours: { enabled: true, start: '24:00', end: '08:00' } }, 'validation_failed', 'quietHours.start'],
      [{ ...DEFAULT_SETTINGS, quotas: { fax: { perMinute: 1, perHour: null, perDay: null } } }, 'validation_failed', 'quotas.fax'],
      [{ ...DEFAULT_SETTINGS, delivery: { ...DEFAULT_SETTINGS.delivery, maxAttempts: 0 } }, 'validation_failed', 'delivery.maxAttempts', 'too_small'],
      [{ ...DEFAULT_SETTINGS, caps: { all: { daily: 0, weekly: null, monthly: null }, channels: {} } }, 'validation_failed', 'caps.all.daily', 'too_small'],
      [{ ...DEFAULT_SETTINGS, adLaw: undefined }, 'validation_failed', 'adLaw'],
    ];
    for (const [body, code, field, reason] of bad) expectInvalid(await owner.put('/api/v1/messaging/settings', body), code, field, reason);
    expectInvalid(await owner.put('/api/v1/messaging/drivers/webhook', { url: 'not a url' }), 'validation_failed', 'url');
    expectInvalid(await owner.put('/api/v1/messaging/drivers/sms', { url: 'https://sms.example.com', method: 'PATCH', contentType: 'application/json', bodyTemplate: '', headers: {}, authHeader: null, successContains: null }), 'validation_failed', 'method');
    assert.deepEqual(await settingsNow(), settingsBefore);
    assert.deepEqual(await counts(), before);

    const quotas = { sms: { perMinute: 100, perHour: null, perDay: 5000 } };
    const saved = await owner.put('/api/v1/messaging/settings', { ...settingsBefore, quotas, drivers: { ...DEFAULT_SETTINGS.drivers, webhook: 'webhook' } });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.deepEqual([saved.json().settings.quotas, saved.json().settings.drivers.webhook, saved.json().timeZone], [quotas, 'webhook', 'Asia/Shanghai']);
    assert.deepEqual(saved.json().availableDrivers, ['outbox', 'webhook', 'sms_http']);

    const hook = await owner.put('/api/v1/messaging/drivers/webhook', { url: 'https://hooks.example.com/siyu' });
    assert.equal(hook.statusCode, 200, hook.body);
    const secret = hook.json().secret as string;
    assert.match(secret, /^whsec_/);
    const same = (await owner.put('/api/v1/messaging/drivers/webhook', { url: 'https://hooks.example.com/v2' })).json();
    assert.deepEqual([same.secret, same.secretSet], [null, true], 'the secret is kept and not shown again');
    const rotated = (await owner.put('/api/v1/messaging/drivers/webhook', { url: 'https://hooks.example.com/v2', rotateSecret: true })).json();
    assert.ok(rotated.secret && rotated.secret !== secret);
    const sms = (await owner.put('/api/v1/messaging/drivers/sms', { url: 'https://sms.example.com/send', method: 'POST', contentType: 'application/json', bodyTemplate: '{"to":"{mobile}"}', headers: {}, authHeader: 'authorization', successContains: null, secret: 'Bearer t0ken' })).json();
    assert.deepEqual([sms.secret, sms.secretSet], [null, true]);
    const view = await viewer.get('/api/v1/messaging/settings');
    assert.deepEqual([view.json().drivers.webhook.configured, view.json().drivers.webhook.secretSet, view.json().drivers.webhook.config, view.json().drivers.sms_http.secretSet], [true, true, { url: 'https://hooks.example.com/v2' }, true]);
    assert.ok(!view.body.includes(rotated.secret) && !view.body.includes('t0ken'), 'secrets are never read back');
    const audits = await siyu.db.selectFrom('audit_log').select('action').where('workspace_id', '=', ws).where('action', 'in', ['messaging.settings', 'messaging.driver']).execute();
    assert.ok(audits.length >= 5);
  });
});
