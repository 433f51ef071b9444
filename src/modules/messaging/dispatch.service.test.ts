/**
 * Delivery after commit, on both engines, against local HTTP servers: the webhook driver's
 * signed requests, retries with backoff on a moved clock, dead letters and their replay;
 * the generic HTTP SMS driver's body template, auth header and success marker; consent
 * checked again at delivery.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { sql } from 'kysely';
import type { Job } from 'pg-boss';
import type { AddressInfo } from 'node:net';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { systemContext } from '../../platform/http/context.ts';
import { ManualClock, seedWorkspace, startTestSiyu } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { addCustomer, ledgerRows, messagingFor, recordConsent, setSettings, type Harness } from './fixtures.test-support.ts';
import { DEFAULT_SETTINGS, DISPATCH_JOB, SIGNATURE_HEADER, TICK_JOB, verifySignature, type DispatchJob, type SendRequest } from './index.ts';

const sh = (local: string) => new Date(`${local}+08:00`);
const NO_QUIET = { enabled: false, start: '22:00', end: '08:00' };
const NO_CAPS = { all: { daily: null, weekly: null, monthly: null }, channels: {} };

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 answering from a script of replies (then 200). */
async function startReceiver() {
  const received: Received[] = [];
  const replies: { status: number; body?: string; headers?: Record<string, string> }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body });
      const reply = replies.shift() ?? { status: 200, body: 'ok' };
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, replies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let seq = 0;

describeEachDatabase('messaging: delivery through the webhook and SMS drivers', ({ database }) => {
  let siyu: Siyu;
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const clock = new ManualClock(sh('2025-06-02T10:00:00'));

  before(async () => {
    siyu = await startTestSiyu(database(), { clock });
    h = messagingFor(siyu.db, clock, { random: () => 0.5 });
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver?.close();
    await siyu?.jobs.stop();
  });

  const req = (customerId: number, over: Partial<SendRequest> = {}): SendRequest => ({
    idempotencyKey: `d-${++seq}`, customerId, channel: 'webhook', content: { text: 'Hi {nickname}' }, source: { kind: 'journey', id: 'j1', step: 'welcome' }, ...over,
  });
  const row = async (ws: string, id: string) => (await ledgerRows(siyu.db, ws)).find((r) => r.id === id)!;
  const webhookWorkspace = async () => {
    const ws = (await seedWorkspace(siyu)).workspaceId;
    await setSettings(h.messaging, ws, { quietHours: NO_QUIET, caps: NO_CAPS, drivers: { ...DEFAULT_SETTINGS.drivers, webhook: 'webhook' }, delivery: { maxAttempts: 3, backoffSeconds: 10, timeoutMs: 5000 } });
    const saved = await h.messaging.settings.setWebhook(systemContext(ws, 'test'), { url: `${receiver.url}/hook`, rotateSecret: false });
    return { ws, secret: saved.secret! };
  };

  it('signs each request, retries with backoff, dead-letters after the attempt limit, and replays once', async () => {
    clock.set(sh('2025-06-02T10:00:00'));
    const { ws, secret } = await webhookWorkspace();
    assert.match(secret, /^whsec_/);
    const c = await addCustomer(siyu.db, ws);
    const [out] = await h.messaging.send(ws, [req(c, { payload: { orderId: 'o-1' } })]);
    assert.equal(out!.status, 'queued');
    assert.deepEqual(h.dispatches.at(-1), { workspaceId: ws, inTransaction: true, delaySeconds: undefined }, 'a worker is asked in the same transaction');
    receiver.received.length = 0;
    receiver.replies.push({ status: 500 }, { status: 503 }, { status: 502 });

    const first = await h.messaging.dispatcher.runDue({ workspaceId: ws });
    assert.deepEqual(first, { claimed: 1, sent: 0, retried: 1, failed: 0, suppressed: 0 });
    let r = await row(ws, out!.messageId);
    // backoff(attempt 1, 10 s, random 0.5) = 5 + 0.5 × 5 = 7.5 → 8 s.
    assert.deepEqual([r.status, r.attempts, r.last_error, r.next_attempt_at], ['queued', 1, 'HTTP 500', new Date(clock.now().getTime() + 8_000)]);
    assert.deepEqual(h.dispatches.at(-1), { workspaceId: ws, inTransaction: false, delaySeconds: 8 });
    assert.equal((await h.messaging.dispatcher.runDue({ workspaceId: ws })).claimed, 0, 'not due before the backoff');

    clock.advance(8_000);
    assert.equal((await h.messaging.dispatcher.runDue({ workspaceId: ws })).retried, 1);
    r = await row(ws, out!.messageId);
    assert.deepEqual([r.attempts, r.next_attempt_at], [2, new Date(clock.now().getTime() + 15_000)], 'attempt 2 waits 10 + 0.5 × 10 s');
    clock.advance(15_000);
    assert.deepEqual(await h.messaging.dispatcher.runDue({ workspaceId: ws }), { claimed: 1, sent: 0, retried: 0, failed: 1, suppressed: 0 });
    r = await row(ws, out!.messageId);
    assert.deepEqual([r.status, r.reason, r.attempts, r.last_error, r.next_attempt_at], ['failed', 'driver_failed', 3, 'HTTP 502', null]);

    // What the receiver got: three signed attempts of one message with one Idempotency-Key.
    assert.equal(receiver.received.length, 3);
    for (const [n, got] of receiver.received.entries()) {
      assert.equal(got.url, '/hook');
      assert.equal(got.headers['idempotency-key'], out!.messageId);
      assert.equal(got.headers['x-siyu-attempt'], String(n + 1));
      const header = String(got.headers[SIGNATURE_HEADER]);
      const t = Number(/t=(\d+)/.exec(header)![1]);
      assert.equal(verifySignature(secret, got.body, header, new Date(t * 1000)), true, 'signed with the workspace secret');
      assert.equal(verifySignature(secret, got.body.replace('o-1', 'o-2'), header, new Date(t * 1000)), false, 'a tampered body fails');
      assert.equal(verifySignature(secret, got.body, header, new Date((t + 301) * 1000)), false, 'an old timestamp fails');
      const body = JSON.parse(got.body);
      assert.deepEqual([body.id, body.customerId, body.payload, body.attempt, body.source.step], [out!.messageId, c, { orderId: 'o-1' }, n + 1, 'welcome']);
      assert.match(body.text, /^Hi nick\d+$/);
    }
    const ctx = systemContext(ws, 'test');
    const dead = await h.messaging.ledger.list(ctx, { status: 'failed', limit: 50 });
    assert.deepEqual(dead.items.map((m) => m.id), [out!.messageId]);

    // Replay: queued again with a fresh attempt count, delivered once.
    assert.deepEqual(await h.messaging.ledger.replay(ctx, [out!.messageId, '00000000-0000-7000-8000-000000000000']), { replayed: [out!.messageId], skipped: ['00000000-0000-7000-8000-000000000000'] });
    assert.deepEqual(await h.messaging.ledger.replay(ctx, [out!.messageId]), { replayed: [], skipped: [out!.messageId] }, 'a queued message is not a dead letter');
    assert.equal((await h.messaging.dispatcher.runDue({ workspaceId: ws })).sent, 1);
    assert.equal((await h.messaging.dispatcher.runDue({ workspaceId: ws })).claimed, 0);
    r = await row(ws, out!.messageId);
    assert.deepEqual([r.status, r.reason, r.reason_detail, r.attempts, r.sent_at], ['sent', null, null, 1, clock.now()]);
    assert.equal(r.last_error, 'HTTP 502', 'the last failure stays on record');
    assert.equal(receiver.received.length, 4, 'delivered exactly once after the replay');
    assert.equal(receiver.received[3]!.headers['x-siyu-attempt'], '1');
  });

  it('delivers again, with the same Idempotency-Key, a message whose worker died after claiming it, once its lease ran out', async () => {
    clock.set(sh('2025-06-02T15:00:00'));
    const { ws } = await webhookWorkspace();
    const c = await addCustomer(siyu.db, ws);
    const [out] = await h.messaging.send(ws, [req(c)]);
    // What a claim leaves behind when the process dies before recording the result.
    const leaseUntil = new Date(clock.now().getTime() + 300_000);
    await siyu.db.updateTable('messages').set({ status: 'sending', attempts: 1, lease_until: leaseUntil, next_attempt_at: leaseUntil }).where('workspace_id', '=', ws).where('id', '=', out!.messageId).execute();
    receiver.received.length = 0;
    assert.equal((await h.messaging.dispatcher.runDue({ workspaceId: ws })).claimed, 0, 'another worker holds the lease');
    clock.set(leaseUntil);
    assert.deepEqual(await h.messaging.dispatcher.runDue({ workspaceId: ws }), { claimed: 1, sent: 1, retried: 0, failed: 0, suppressed: 0 });
    assert.deepEqual(receiver.received.map((x) => [x.headers['idempotency-key'], x.headers['x-siyu-attempt']]), [[out!.messageId, '2']]);
    const r = await row(ws, out!.messageId);
    assert.deepEqual([r.status, r.attempts, r.lease_until], ['sent', 2, null]);
    assert.equal((await h.messaging.dispatcher.runDue({ workspaceId: ws })).claimed, 0);
  });

  it('as composed: a queued message asks a worker in the same transaction, and the worker jobs deliver and release', async () => {
    clock.set(sh('2025-06-02T21:59:00'));
    const { ws } = await webhookWorkspace();
    await setSettings(h.messaging, ws, { caps: NO_CAPS, drivers: { ...DEFAULT_SETTINGS.drivers, webhook: 'webhook' } }); // default quiet hours
    const c = await addCustomer(siyu.db, ws);
    const composed = siyu.messaging;
    const [queued] = await composed.send(ws, [req(c, { purpose: 'transactional' })]);
    assert.equal(queued!.status, 'queued');
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${DISPATCH_JOB} and data->>'workspaceId' = ${ws}`.execute(siyu.db);
    assert.equal(rows[0]!.n, 1, 'one dispatch job, committed with the message');
    const job = (name: string) => composed.jobs().find((j) => j.name === name)!;
    receiver.received.length = 0;
    const dispatchJob: Pick<Job<DispatchJob>, 'data'> = { data: { workspaceId: ws } };
    await job(DISPATCH_JOB).handler([dispatchJob as Job<DispatchJob>]);
    assert.equal((await row(ws, queued!.messageId)).status, 'sent');
    assert.equal(receiver.received.length, 1);

    clock.set(sh('2025-06-02T23:00:00'));
    const [held] = await composed.send(ws, [req(c)]);
    assert.deepEqual([held!.status, held!.releaseAt], ['held', sh('2025-06-03T08:00:00')]);
    clock.set(sh('2025-06-03T08:00:30'));
    await job(TICK_JOB).handler([]);
    const r = await row(ws, held!.messageId);
    assert.deepEqual([r.status, receiver.received.length], ['sent', 2], 'the minute tick released it and delivered it');
  });

  it('dead-letters a permanent refusal at once and honours Retry-After', async () => {
    clock.set(sh('2025-06-03T10:00:00'));
    const { ws } = await webhookWorkspace();
    const c = await addCustomer(siyu.db, ws);
    const [refused, limited] = await h.messaging.send(ws, [req(c), req(c)]);
    receiver.replies.push({ status: 400 }, { status: 429, headers: { 'retry-after': '120' } });
    const s = await h.messaging.dispatcher.runDue({ workspaceId: ws });
    assert.deepEqual([s.failed, s.retried], [1, 1]);
    const rows = [await row(ws, refused!.messageId), await row(ws, limited!.messageId)];
    const byStatus = new Map(rows.map((x) => [x.status, x]));
    assert.deepEqual([byStatus.get('failed')?.last_error, byStatus.get('failed')?.attempts], ['HTTP 400', 1]);
    assert.deepEqual(byStatus.get('queued')?.next_attempt_at, new Date(clock.now().getTime() + 120_000), 'Retry-After beats a shorter backoff');
  });

  it('checks consent again at delivery: an opt-out after the decision stops the message', async () => {
    clock.set(sh('2025-06-04T10:00:00'));
    const { ws } = await webhookWorkspace();
    const c = await addCustomer(siyu.db, ws);
    const [out] = await h.messaging.send(ws, [req(c)]);
    await recordConsent(siyu.db, ws, c, 'denied', clock.now());
    const before = receiver.received.length;
    assert.deepEqual(await h.messaging.dispatcher.runDue({ workspaceId: ws }), { claimed: 1, sent: 0, retried: 0, failed: 0, suppressed: 1 });
    const r = await row(ws, out!.messageId);
    assert.deepEqual([r.status, r.reason, r.reason_detail, r.counted_at], ['suppressed', 'opted_out', { at: 'delivery' }, null]);
    assert.equal(receiver.received.length, before, 'nothing went out');
  });

  it('delivers SMS through the generic HTTP provider: body template, auth header, success marker', async () => {
    clock.set(sh('2025-06-05T10:00:00'));
    const ws = (await seedWorkspace(siyu)).workspaceId;
    await setSettings(h.messaging, ws, { quietHours: NO_QUIET, caps: NO_CAPS, drivers: { ...DEFAULT_SETTINGS.drivers, sms: 'sms_http' }, delivery: { maxAttempts: 2, backoffSeconds: 10, timeoutMs: 5000 } });
    const ctx = systemContext(ws, 'test');
    const saved = await h.messaging.settings.setSms(ctx, {
      url: `${receiver.url}/sms/send`, method: 'POST', contentType: 'application/json', bodyTemplate: '{"phone":"{mobile}","content":"{text}","ref":"{id}"}',
      headers: { 'x-app-id': 'siyu-test' }, authHeader: 'authorization', successContains: '"code":0', secret: 'Bearer sms-token',
    });
    assert.deepEqual([saved.secret, saved.secretSet], [null, true], 'the secret is stored, never echoed');
    const c = await addCustomer(siyu.db, ws, { nickname: '小"林"', mobile: '+8613900001111' });
    const noMobile = await addCustomer(siyu.db, ws, { mobile: null });
    const [ok, rejected, unreachable] = await h.messaging.send(ws, [req(c, { channel: 'sms', content: { text: '{nickname}，您的券已到账' } }), req(c, { channel: 'sms' }), req(noMobile, { channel: 'sms' })]);
    assert.deepEqual([ok!.status, rejected!.status, unreachable!.status, unreachable!.reason], ['queued', 'queued', 'suppressed', 'no_address']);
    receiver.received.length = 0;
    receiver.replies.push({ status: 200, body: '{"code":0,"msgId":"abc"}' }, { status: 200, body: '{"code":17,"msg":"blacklisted"}' });
    const s = await h.messaging.dispatcher.runDue({ workspaceId: ws });
    assert.deepEqual([s.sent, s.retried], [1, 1]);
    const first = receiver.received.find((x) => JSON.parse(x.body).ref === ok!.messageId)!;
    assert.equal(first.url, '/sms/send');
    assert.deepEqual([first.headers.authorization, first.headers['x-app-id'], first.headers['content-type'], first.headers['idempotency-key']], ['Bearer sms-token', 'siyu-test', 'application/json', ok!.messageId]);
    assert.deepEqual(JSON.parse(first.body), { phone: '+8613900001111', content: '小"林"，您的券已到账', ref: ok!.messageId });
    const [sent, retry] = [await row(ws, ok!.messageId), await row(ws, rejected!.messageId)];
    assert.equal(sent.status, 'sent');
    assert.equal(retry.status, 'queued');
    assert.ok(retry.last_error!.startsWith('provider answered without ""code":0": {"code":17'), retry.last_error!);
    // The second attempt gets no marker either: a dead letter after maxAttempts 2.
    receiver.replies.push({ status: 200, body: '{"code":17}' });
    clock.advance(10_000);
    assert.equal((await h.messaging.dispatcher.runDue({ workspaceId: ws })).failed, 1);
    assert.equal((await row(ws, rejected!.messageId)).status, 'failed');
  });

  it('sends form-encoded GET and POST requests to an SMS provider configured that way', async () => {
    clock.set(sh('2025-06-06T10:00:00'));
    const ws = (await seedWorkspace(siyu)).workspaceId;
    await setSettings(h.messaging, ws, { quietHours: NO_QUIET, caps: NO_CAPS, drivers: { ...DEFAULT_SETTINGS.drivers, sms: 'sms_http' } });
    await h.messaging.settings.setSms(systemContext(ws, 'test'), {
      url: `${receiver.url}/form`, method: 'POST', contentType: 'application/x-www-form-urlencoded', bodyTemplate: 'to={mobile}&msg={text}',
      headers: {}, authHeader: null, successContains: null,
    });
    const c = await addCustomer(siyu.db, ws, { mobile: '+8613900002222' });
    await h.messaging.send(ws, [req(c, { channel: 'sms', content: { text: 'A&B 50%' } })]);
    receiver.received.length = 0;
    assert.equal((await h.messaging.dispatcher.runDue({ workspaceId: ws })).sent, 1);
    assert.equal(receiver.received[0]!.body, 'to=%2B8613900002222&msg=A%26B%2050%25');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(receiver.received[0]!.body)), { to: '+8613900002222', msg: 'A&B 50%' });
    assert.equal(receiver.received[0]!.headers.authorization, undefined);
  });
});
