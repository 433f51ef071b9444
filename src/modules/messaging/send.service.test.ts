/**
 * The one send path against a real database, on both engines: consent, caps across sources
 * and channels at their local boundaries, quiet hours held and released through the guard
 * rails again, quotas shared by separate instances, templates, the ad-law check, the
 * ledger's exactly-once claim, and withdrawing a source's pending messages.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createKysely, createPool } from '../../platform/db/pool.ts';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { systemContext } from '../../platform/http/context.ts';
import { ManualClock, seedWorkspace, startTestSiyu } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { addCustomer, ledgerRows, messagingFor, recordConsent, setSettings, type Harness } from './fixtures.test-support.ts';
import { DEFAULT_SETTINGS, type SendRequest } from './index.ts';

/** Shanghai wall-clock time as an instant. */
const sh = (local: string) => new Date(`${local}+08:00`);
const NO_QUIET = { enabled: false, start: '22:00', end: '08:00' };
const NO_CAPS = { all: { daily: null, weekly: null, monthly: null }, channels: {} };
let seq = 0;

describeEachDatabase('messaging: the guarded send path', ({ database, target }) => {
  let siyu: Siyu;
  let h: Harness;
  const clock = new ManualClock(sh('2025-06-02T10:00:00'));

  before(async () => {
    siyu = await startTestSiyu(database(), { clock });
    h = messagingFor(siyu.db, clock);
  });
  after(async () => siyu?.jobs.stop());

  const workspace = async (patch: Parameters<typeof setSettings>[2] = {}) => {
    const ws = (await seedWorkspace(siyu)).workspaceId;
    await setSettings(h.messaging, ws, patch);
    return ws;
  };
  const req = (customerId: number, over: Partial<SendRequest> = {}): SendRequest => ({
    idempotencyKey: `k-${++seq}`, customerId, channel: 'wecom', content: { text: 'Hi {nickname}' }, source: { kind: 'journey', id: 'j1', step: 's1' }, ...over,
  });
  const sendOne = async (ws: string, customerId: number, over: Partial<SendRequest> = {}) => (await h.messaging.send(ws, [req(customerId, over)]))[0]!;
  const statusOf = (o: { status: string; reason: string | null }) => (o.reason ? `${o.status}:${o.reason}` : o.status);

  it('suppresses marketing to an opted-out customer at once, on every channel, while transactional still goes', async () => {
    clock.set(sh('2025-06-02T10:00:00'));
    const ws = await workspace();
    const c = await addCustomer(siyu.db, ws);
    assert.equal(statusOf(await sendOne(ws, c)), 'sent');
    await recordConsent(siyu.db, ws, c, 'denied', clock.now());
    const after = [await sendOne(ws, c), await sendOne(ws, c, { channel: 'sms' }), await sendOne(ws, c, { purpose: 'transactional', content: { text: '您的订单已发货' } })];
    assert.deepEqual(after.map(statusOf), ['suppressed:opted_out', 'suppressed:opted_out', 'sent']);
    assert.deepEqual(after[0]!.detail, { purpose: 'marketing', channel: 'wecom' });
    const d = await addCustomer(siyu.db, ws);
    await recordConsent(siyu.db, ws, d, 'denied', clock.now(), 'marketing', 'sms');
    assert.deepEqual([statusOf(await sendOne(ws, d, { channel: 'sms' })), statusOf(await sendOne(ws, d))], ['suppressed:opted_out', 'sent'], 'an SMS opt-out leaves WeCom');
    const rows = await ledgerRows(siyu.db, ws);
    assert.equal(rows.length, 6, 'every decision is in the ledger');
    assert.equal(rows.find((r) => r.purpose === 'transactional')!.counted_at, null, 'transactional messages do not count against caps');
  });

  it('caps per customer across sources and channels, per local day and Monday week', async () => {
    const ws = await workspace({ quietHours: NO_QUIET, caps: { all: { daily: 2, weekly: 4, monthly: 20 }, channels: {} } });
    const c = await addCustomer(siyu.db, ws);
    // Sunday 2025-06-01: two from different sources and channels, the third capped.
    clock.set(sh('2025-06-01T09:00:00'));
    assert.equal(statusOf(await sendOne(ws, c, { source: { kind: 'journey', id: 'j1' } })), 'sent');
    clock.set(sh('2025-06-01T12:00:00'));
    assert.equal(statusOf(await sendOne(ws, c, { channel: 'sms', source: { kind: 'campaign', id: 'c1' } })), 'sent', 'the 2nd is allowed');
    clock.set(sh('2025-06-01T23:59:59'));
    const third = await sendOne(ws, c, { source: { kind: 'api', id: 'key' } });
    assert.equal(statusOf(third), 'suppressed:capped_daily', 'the 3rd of the day is capped');
    assert.deepEqual(third.detail, { scope: 'all', limit: 2, used: 2 });
    // Monday 00:00 local is a new day and a new week.
    clock.set(sh('2025-06-02T00:00:00'));
    assert.equal(statusOf(await sendOne(ws, c)), 'sent');
    assert.equal(statusOf(await sendOne(ws, c, { channel: 'sms' })), 'sent');
    clock.set(sh('2025-06-03T10:00:00'));
    assert.equal(statusOf(await sendOne(ws, c, { source: { kind: 'sop', id: 'sop1' } })), 'sent');
    assert.equal(statusOf(await sendOne(ws, c)), 'sent', 'the 4th of the week is allowed');
    clock.set(sh('2025-06-04T10:00:00'));
    const fifth = await sendOne(ws, c);
    assert.deepEqual([statusOf(fifth), fifth.detail], ['suppressed:capped_weekly', { scope: 'all', limit: 4, used: 4 }]);
  });

  it('caps the month until the local 1st, and a week spanning two months counts both', async () => {
    const ws = await workspace({ quietHours: NO_QUIET, caps: { all: { daily: null, weekly: 2, monthly: 3 }, channels: {} } });
    const c = await addCustomer(siyu.db, ws);
    clock.set(sh('2025-06-23T10:00:00')); // a Monday
    await sendOne(ws, c);
    clock.set(sh('2025-06-29T23:00:00')); // the Sunday
    assert.equal(statusOf(await sendOne(ws, c)), 'sent');
    clock.set(sh('2025-06-29T23:59:59'));
    assert.equal(statusOf(await sendOne(ws, c)), 'suppressed:capped_weekly');
    clock.set(sh('2025-06-30T00:00:00')); // Monday: a new week; June's third
    assert.equal(statusOf(await sendOne(ws, c)), 'sent');
    clock.set(sh('2025-06-30T23:59:59'));
    assert.equal(statusOf(await sendOne(ws, c)), 'suppressed:capped_monthly', 'June is full');
    clock.set(sh('2025-07-01T00:00:00'));
    assert.equal(statusOf(await sendOne(ws, c)), 'sent', 'July counts from the 1st');
    clock.set(sh('2025-07-01T10:00:00'));
    assert.equal(statusOf(await sendOne(ws, c)), 'suppressed:capped_weekly', 'the week holds June 30 and July 1');
  });

  it('caps per channel on top of the all-channel cap', async () => {
    const ws = await workspace({ quietHours: NO_QUIET, caps: { all: { daily: 5, weekly: null, monthly: null }, channels: { sms: { daily: 1, weekly: null, monthly: null } } } });
    const c = await addCustomer(siyu.db, ws);
    clock.set(sh('2025-06-05T10:00:00'));
    const out = await h.messaging.send(ws, [req(c, { channel: 'sms' }), req(c, { channel: 'sms' }), req(c, { channel: 'wecom' })]);
    assert.deepEqual(out.map(statusOf), ['sent', 'suppressed:capped_daily', 'sent']);
    assert.equal(out[1]!.detail?.scope, 'sms');
  });

  it('holds marketing in quiet hours and releases it when the window opens, checking caps and consent again', async () => {
    const ws = await workspace({ caps: { all: { daily: 2, weekly: null, monthly: null }, channels: {} } });
    const [a, b] = [await addCustomer(siyu.db, ws), await addCustomer(siyu.db, ws)];
    clock.set(sh('2025-06-10T22:30:00'));
    const held = await h.messaging.send(ws, [req(a), req(a), req(a), req(b), req(a, { purpose: 'transactional' })]);
    assert.deepEqual(held.map(statusOf), ['held:quiet_hours', 'held:quiet_hours', 'held:quiet_hours', 'held:quiet_hours', 'sent']);
    assert.deepEqual(held[0]!.releaseAt, sh('2025-06-11T08:00:00'));
    const heldRow = (await ledgerRows(siyu.db, ws)).find((r) => r.id === held[0]!.messageId)!;
    assert.deepEqual([heldRow.body, heldRow.counted_at], [null, null], 'nothing rendered or counted while held');
    await recordConsent(siyu.db, ws, b, 'denied', sh('2025-06-11T07:00:00'));

    clock.set(sh('2025-06-11T07:59:59'));
    assert.equal((await h.messaging.releaser.releaseDue({ workspaceId: ws })).released, 0, 'not before the window opens');
    clock.set(sh('2025-06-11T08:00:00'));
    const r = await h.messaging.releaser.releaseDue({ workspaceId: ws });
    assert.deepEqual(r, { released: 4, sent: 2, queued: 0, held: 0, suppressed: 2 });
    const rows = new Map((await ledgerRows(siyu.db, ws)).map((x) => [x.id, x]));
    assert.deepEqual(held.slice(0, 4).map((o) => { const x = rows.get(o.messageId)!; return x.reason ? `${x.status}:${x.reason}` : x.status; }), ['sent', 'sent', 'suppressed:capped_daily', 'suppressed:opted_out']);
    const sent = rows.get(held[0]!.messageId)!;
    assert.match(sent.body!, /^Hi nick\d+$/);
    assert.deepEqual([sent.sent_at, sent.counted_at], [clock.now(), clock.now()]);
    assert.equal((await h.messaging.releaser.releaseDue({ workspaceId: ws })).released, 0, 'released once');
    assert.deepEqual((await h.messaging.send(ws, [{ ...req(a), idempotencyKey: held[0]!.idempotencyKey }]))[0]!.status, 'sent', 'the key now answers with the released outcome');
  });

  it('shares channel quotas between separate instances: over the minute limit held until the next minute, over the day suppressed', async () => {
    const ws = await workspace({ quietHours: NO_QUIET, caps: NO_CAPS, quotas: { sms: { perMinute: 3, perHour: null, perDay: 5 } } });
    const ids = await Promise.all(Array.from({ length: 8 }, () => addCustomer(siyu.db, ws)));
    // A second instance with its own connection pool, as another worker process would have.
    const pool = createPool({ url: database().url, max: 2, applicationName: 'siyu-test-2' });
    try {
      const other = messagingFor(createKysely(pool), clock);
      clock.set(sh('2025-06-12T10:15:10'));
      const [x, y] = await Promise.all([h.messaging.send(ws, ids.slice(0, 2).map((id) => req(id, { channel: 'sms' }))), other.messaging.send(ws, ids.slice(2, 4).map((id) => req(id, { channel: 'sms' })))]);
      const all = [...x, ...y];
      assert.equal(all.filter((o) => o.status === 'sent').length, 3, 'three of four fit the minute, whichever instance asked');
      const over = all.find((o) => o.status === 'held')!;
      assert.deepEqual([over.reason, over.releaseAt, over.detail?.window], ['quota', sh('2025-06-12T10:16:00'), 'minute']);
      const usage = await siyu.db.selectFrom('messaging_quota_usage').select(['window_kind', 'used']).where('workspace_id', '=', ws).orderBy('window_kind').execute();
      assert.deepEqual(usage.map((u) => [u.window_kind, u.used]), [['day', 3], ['minute', 3]], 'one global counter per window');

      clock.set(sh('2025-06-12T10:16:00'));
      assert.deepEqual(await other.messaging.releaser.releaseDue({ workspaceId: ws }), { released: 1, sent: 1, queued: 0, held: 0, suppressed: 0 });
      const more = await h.messaging.send(ws, ids.slice(4, 7).map((id) => req(id, { channel: 'sms' })));
      assert.deepEqual(more.map(statusOf), ['sent', 'suppressed:quota', 'suppressed:quota'], 'the day allows 5: the excess is suppressed, not carried over');
      assert.deepEqual(more[1]!.detail, { window: 'day' });
      assert.equal(statusOf(await sendOne(ws, ids[7]!, { channel: 'wecom' })), 'sent', 'another channel has its own quota');
    } finally {
      await pool.end();
    }
  });

  it('fails with template_error naming the missing variable, and for unknown or archived templates', async () => {
    clock.set(sh('2025-06-13T10:00:00'));
    const ws = await workspace({ caps: NO_CAPS });
    const ctx = systemContext(ws, 'test');
    const c = await addCustomer(siyu.db, ws, { nickname: null });
    const t = await h.messaging.templates.create(ctx, { name: 'coupon', channel: 'wecom', body: 'Hi {nickname|朋友}, your {coupon} is ready' });
    const missing = await sendOne(ws, c, { content: undefined, template: { id: t.id } });
    assert.deepEqual([statusOf(missing), missing.detail], ['suppressed:template_error', { error: 'missing_variable', variables: ['coupon'] }]);
    const ok = await sendOne(ws, c, { content: undefined, template: { id: t.id }, variables: { coupon: '满100减20' } });
    assert.equal(statusOf(ok), 'sent');
    const row = (await ledgerRows(siyu.db, ws)).find((r) => r.id === ok.messageId)!;
    assert.deepEqual([row.body, row.template_version], ['Hi 朋友, your 满100减20 is ready', 1]);
    await h.messaging.templates.update(ctx, t.id, { body: 'v2 {coupon}' });
    const pinned = await sendOne(ws, c, { content: undefined, template: { id: t.id, version: 1 }, variables: { coupon: 'X' } });
    assert.equal((await ledgerRows(siyu.db, ws)).find((r) => r.id === pinned.messageId)!.body, 'Hi 朋友, your X is ready', 'a named version is used');
    const unknown = await sendOne(ws, c, { content: undefined, template: { id: '00000000-0000-7000-8000-000000000000' } });
    assert.deepEqual([statusOf(unknown), unknown.detail?.error], ['suppressed:template_error', 'template_not_found']);
    const syntax = await sendOne(ws, c, { content: { text: 'Hi {name' } });
    assert.deepEqual([statusOf(syntax), syntax.detail?.error], ['suppressed:template_error', 'syntax']);
    await h.messaging.templates.archive(ctx, t.id);
    const archived = await sendOne(ws, c, { content: undefined, template: { id: t.id }, variables: { coupon: 'X' } });
    assert.deepEqual([statusOf(archived), archived.detail?.error], ['suppressed:template_error', 'template_archived']);
  });

  it('blocks statutory ad-law terms and records warn-tier findings on the sent message, with the workspace’s own terms', async () => {
    clock.set(sh('2025-06-13T11:00:00'));
    const ws = await workspace({ caps: DEFAULT_SETTINGS.caps, adLaw: { blockTerms: ['星河特饮'], warnTerms: ['月光杯'], useDictionary: false } });
    const c = await addCustomer(siyu.db, ws);
    const [blocked, custom, warned] = await h.messaging.send(ws, [req(c, { content: { text: '全网最佳面霜' } }), req(c, { content: { text: '星河特饮今日到店' } }), req(c, { content: { text: '独家月光杯今日到店' } })]);
    assert.deepEqual([statusOf(blocked!), blocked!.detail?.words], ['suppressed:adlaw_blocked', ['最佳']]);
    assert.deepEqual([statusOf(custom!), custom!.detail?.words], ['suppressed:adlaw_blocked', ['星河特饮']]);
    assert.equal(statusOf(warned!), 'sent');
    const row = (await ledgerRows(siyu.db, ws)).find((r) => r.id === warned!.messageId)!;
    assert.deepEqual((row.adlaw_warnings as { term: string; tier: string }[]).map((f) => [f.term, f.tier]).sort(), [['月光杯', 'warn'], ['独家', 'warn']].sort());
  });

  it('claims each idempotency key once: in one batch, in separate calls and in concurrent transactions', async () => {
    clock.set(sh('2025-06-16T10:00:00'));
    const ws = await workspace({ caps: NO_CAPS });
    const [a, b] = [await addCustomer(siyu.db, ws), await addCustomer(siyu.db, ws)];
    const first = req(a);
    const batch = await h.messaging.send(ws, [first, first, req(b)]);
    assert.deepEqual(batch.map((o) => o.duplicate), [false, true, false]);
    assert.equal(batch[0]!.messageId, batch[1]!.messageId);
    const again = await h.messaging.send(ws, [{ ...first, content: { text: 'changed' } }]);
    assert.deepEqual([again[0]!.duplicate, again[0]!.messageId, again[0]!.status], [true, batch[0]!.messageId, 'sent']);
    assert.equal((await ledgerRows(siyu.db, ws)).length, 2);

    // Concurrent transactions with the same key, for the same customer and across customers.
    for (const [x, y] of [[a, a], [a, b]] as const) {
      const key = `race-${++seq}`;
      const results = await Promise.all([h.messaging.send(ws, [req(x, { idempotencyKey: key })]), h.messaging.send(ws, [req(y, { idempotencyKey: key })])]);
      const outcomes = results.map((r) => r[0]!);
      assert.deepEqual(outcomes.map((o) => o.duplicate).sort(), [false, true]);
      assert.equal(outcomes[0]!.messageId, outcomes[1]!.messageId);
      assert.equal((await ledgerRows(siyu.db, ws)).filter((r) => r.idempotency_key === key).length, 1);
    }
    // A rolled-back transaction claims nothing: the retry sends.
    const key = `rollback-${++seq}`;
    await assert.rejects(siyu.db.transaction().execute(async (trx) => {
      await h.messaging.sendInTransaction(trx, ws, [req(a, { idempotencyKey: key })]);
      throw new Error('crash after the decision');
    }));
    const retried = await h.messaging.send(ws, [req(a, { idempotencyKey: key })]);
    assert.deepEqual([retried[0]!.duplicate, retried[0]!.status], [false, 'sent']);
  });

  it('gives back the quota a message took when a concurrent transaction claimed its key first', { skip: target === 'embedded' ? 'the embedded engine runs one transaction at a time: the key is always seen first' : false }, async () => {
    const ws = await workspace({ quietHours: NO_QUIET, caps: NO_CAPS, quotas: { sms: { perMinute: null, perHour: null, perDay: 10 } } });
    const [a, b] = [await addCustomer(siyu.db, ws), await addCustomer(siyu.db, ws)];
    clock.set(sh('2025-06-16T11:00:00'));
    const key = `lost-${++seq}`;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let decided!: () => void;
    const firstDecided = new Promise<void>((resolve) => (decided = resolve));
    const first = siyu.db.transaction().execute(async (trx) => {
      const out = await h.messaging.sendInTransaction(trx, ws, [req(b, { idempotencyKey: key, channel: 'sms' })]);
      decided();
      await gate;
      return out;
    });
    await firstDecided;
    // Another customer, so no customer lock orders the two: the second decides before the first commits.
    const second = h.messaging.send(ws, [req(a, { idempotencyKey: key, channel: 'sms' })]);
    for (let i = 0; i < 200; i++) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(siyu.db);
      if (rows[0]!.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    open();
    const [[one], [two]] = await Promise.all([first, second]);
    assert.deepEqual([one!.duplicate, two!.duplicate, two!.messageId, two!.customerId], [false, true, one!.messageId, b]);
    const usage = await siyu.db.selectFrom('messaging_quota_usage').select('used').where('workspace_id', '=', ws).where('window_kind', '=', 'day').executeTakeFirstOrThrow();
    assert.equal(usage.used, 1, 'one message recorded, one unit of quota used');
  });

  it('rejects a malformed request before anything is written', async () => {
    const ws = await workspace();
    const c = await addCustomer(siyu.db, ws);
    const bad: [Partial<SendRequest>, string][] = [
      [{ idempotencyKey: '' }, 'messages[1].idempotencyKey'],
      [{ channel: 'fax' as never }, 'messages[1].channel'],
      [{ customerId: -1 }, 'messages[1].customerId'],
      [{ template: { id: 'not-a-uuid' }, content: undefined }, 'messages[1].template.id'],
      [{ template: { id: '00000000-0000-7000-8000-000000000000', version: 1.5 }, content: undefined }, 'messages[1].template.version'],
      [{ content: undefined }, 'messages[1].content'],
    ];
    for (const [over, field] of bad) {
      await assert.rejects(h.messaging.send(ws, [req(c), req(c, over)]), (err: { code?: string; details?: { field: string }[] }) => err.code === 'message.invalid_request' && err.details?.[0]?.field === field, field);
    }
    assert.equal((await ledgerRows(siyu.db, ws)).length, 0);
  });

  it('withdraws held and queued messages of a stopped source, which then stop counting against caps', async () => {
    const ws = await workspace({ quietHours: NO_QUIET, caps: NO_CAPS, drivers: { ...DEFAULT_SETTINGS.drivers, webhook: 'webhook' } });
    const c = await addCustomer(siyu.db, ws);
    clock.set(sh('2025-06-17T10:00:00'));
    const src = { kind: 'journey' as const, id: 'j-stop', step: 'a' };
    const queued = await sendOne(ws, c, { channel: 'webhook', source: src });
    const sent = await sendOne(ws, c, { source: src });
    assert.deepEqual([queued.status, sent.status], ['queued', 'sent']);
    await setSettings(h.messaging, ws, { quietHours: { enabled: true, start: '00:00', end: '23:59' }, caps: NO_CAPS, drivers: { ...DEFAULT_SETTINGS.drivers, webhook: 'webhook' } });
    const held = await sendOne(ws, c, { source: src });
    const otherSource = await sendOne(ws, c, { source: { kind: 'journey', id: 'j-other' } });
    assert.deepEqual([held.status, otherSource.status], ['held', 'held']);
    const n = await siyu.db.transaction().execute((trx) => h.messaging.cancelPending(trx, ws, { sourceKind: 'journey', sourceId: 'j-stop' }));
    assert.equal(n, 2);
    const rows = new Map((await ledgerRows(siyu.db, ws)).map((r) => [r.id, r]));
    assert.deepEqual([queued, sent, held, otherSource].map((o) => rows.get(o.messageId)!.status), ['cancelled', 'sent', 'cancelled', 'held']);
    assert.equal(rows.get(queued.messageId)!.counted_at, null, 'a withdrawn message was never sent: it does not count');
    const counts = await h.messaging.countBySource(ws, 'journey', 'j-stop');
    assert.deepEqual(counts.map((x) => [x.step, x.status, x.reason, x.count]), [['a', 'cancelled', 'cancelled', 2], ['a', 'sent', null, 1]]);
  });
});
