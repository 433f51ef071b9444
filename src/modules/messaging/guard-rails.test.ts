import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAdLawChecker } from '../compliance/index.ts';
import { decideBatch, type CapCounts, type Candidate, type DecideContext, type Recipient } from './guard-rails.ts';
import { DEFAULT_SETTINGS, type MessagingSettings } from './settings.schemas.ts';
import { parseTemplate } from './template.ts';

const SH = 'Asia/Shanghai';
const NOON = new Date('2025-06-04T12:00:00+08:00');
const checker = createAdLawChecker({ useDictionary: false });

const recipient = (over: Partial<Recipient> = {}): Recipient => ({ id: 1, name: '林', nickname: '小林', city: null, province: null, attributes: null, mobile: '+8613800000000', consentStatus: 'granted', ...over });
const candidate = (over: Partial<Candidate> = {}): Candidate => ({
  channel: 'wecom', purpose: 'marketing', recipient: recipient(), consents: new Map(), variables: {},
  content: { ok: true, title: null, body: parseTemplate('Hi {nickname}') }, ...over,
});
const counts = (day: number, week = day, month = week, channels: [string, number, number, number][] = []): CapCounts => ({
  all: { day, week, month },
  channels: new Map(channels.map(([c, d, w, m]) => [c, { day: d, week: w, month: m }])),
});
const ctx = (over: { now?: Date; settings?: Partial<MessagingSettings>; capCounts?: Map<number, CapCounts> } = {}): DecideContext => ({
  now: over.now ?? NOON, timeZone: SH, settings: { ...DEFAULT_SETTINGS, ...over.settings }, capCounts: over.capCounts ?? new Map(), checkAdLaw: (t) => checker.check(t),
});
const kinds = (ds: ReturnType<typeof decideBatch>) => ds.map((d) => (d.kind === 'accept' ? 'accept' : `${d.kind}:${d.reason}`));
const daily2 = { caps: { all: { daily: 2, weekly: null, monthly: null }, channels: {} } } as const;

describe('guard rails: consent', () => {
  it('suppresses marketing to a customer who opted out, on every channel at once', () => {
    const out = decideBatch([candidate({ recipient: recipient({ consentStatus: 'denied' }) }), candidate({ channel: 'sms', recipient: recipient({ consentStatus: 'denied' }) })], ctx());
    assert.deepEqual(kinds(out), ['suppress:opted_out', 'suppress:opted_out']);
  });

  it('honours a channel opt-out over a grant for all channels, and an all-channel opt-out everywhere', () => {
    const smsOnly = new Map([['marketing:all', 'granted'], ['marketing:sms', 'denied']] as const);
    assert.deepEqual(kinds(decideBatch([candidate({ channel: 'sms', consents: smsOnly }), candidate({ channel: 'wecom', consents: smsOnly })], ctx())), ['suppress:opted_out', 'accept']);
    const all = new Map([['marketing:all', 'denied'], ['marketing:wecom', 'granted']] as const);
    assert.deepEqual(kinds(decideBatch([candidate({ consents: all })], ctx())), ['suppress:opted_out']);
  });

  it('lets transactional messages through a marketing opt-out, caps and quiet hours', () => {
    const denied = recipient({ consentStatus: 'denied' });
    const night = new Date('2025-06-04T23:00:00+08:00');
    const out = decideBatch([candidate({ purpose: 'transactional', recipient: denied, consents: new Map([['marketing:all', 'denied']]) })], ctx({ now: night, capCounts: new Map([[1, counts(99)]]) }));
    assert.deepEqual(kinds(out), ['accept']);
  });

  it('stops transactional messages only on a consent decision recorded for the transactional purpose', () => {
    const out = decideBatch(
      [candidate({ purpose: 'transactional', channel: 'sms', consents: new Map([['transactional:sms', 'denied']]) }), candidate({ purpose: 'transactional', consents: new Map([['transactional:sms', 'denied']]) })],
      ctx(),
    );
    assert.deepEqual(kinds(out), ['suppress:opted_out', 'accept']);
  });

  it('suppresses an unknown customer and an SMS to a customer without a mobile', () => {
    assert.deepEqual(kinds(decideBatch([candidate({ recipient: null }), candidate({ channel: 'sms', recipient: recipient({ mobile: null }) })], ctx())), ['suppress:unknown_customer', 'suppress:no_address']);
  });
});

describe('guard rails: frequency caps', () => {
  it('with a daily cap of 2, allows the 2nd message of the day and caps the 3rd', () => {
    const settings = daily2;
    assert.deepEqual(kinds(decideBatch([candidate()], ctx({ settings, capCounts: new Map([[1, counts(1)]]) }))), ['accept']);
    const third = decideBatch([candidate()], ctx({ settings, capCounts: new Map([[1, counts(2)]]) }));
    assert.deepEqual(kinds(third), ['suppress:capped_daily']);
    assert.deepEqual(third[0]!.kind === 'suppress' && third[0]!.detail, { scope: 'all', limit: 2, used: 2 });
  });

  it('counts accepted messages of the same batch: three in one batch give two sent and one capped', () => {
    const out = decideBatch([candidate(), candidate({ channel: 'sms' }), candidate()], ctx({ settings: daily2 }));
    assert.deepEqual(kinds(out), ['accept', 'accept', 'suppress:capped_daily']);
  });

  it('does not count suppressed messages against the cap', () => {
    const out = decideBatch([candidate({ content: { ok: false, detail: { error: 'syntax' } } }), candidate(), candidate()], ctx({ settings: daily2 }));
    assert.deepEqual(kinds(out), ['suppress:template_error', 'accept', 'accept']);
  });

  it('applies the weekly and monthly caps at their limits', () => {
    const settings = { caps: { all: { daily: null, weekly: 3, monthly: 5 }, channels: {} } };
    assert.deepEqual(kinds(decideBatch([candidate()], ctx({ settings, capCounts: new Map([[1, counts(0, 2, 2)]]) }))), ['accept']);
    assert.deepEqual(kinds(decideBatch([candidate()], ctx({ settings, capCounts: new Map([[1, counts(0, 3, 3)]]) }))), ['suppress:capped_weekly']);
    assert.deepEqual(kinds(decideBatch([candidate()], ctx({ settings, capCounts: new Map([[1, counts(0, 0, 4)]]) }))), ['accept']);
    assert.deepEqual(kinds(decideBatch([candidate()], ctx({ settings, capCounts: new Map([[1, counts(0, 0, 5)]]) }))), ['suppress:capped_monthly']);
  });

  it('applies a per-channel cap on top of the all-channel cap', () => {
    const settings = { caps: { all: { daily: 5, weekly: null, monthly: null }, channels: { sms: { daily: 1, weekly: null, monthly: null } } } };
    const stored = new Map([[1, counts(1, 1, 1, [['sms', 1, 1, 1]])]]);
    const out = decideBatch([candidate({ channel: 'sms' }), candidate({ channel: 'wecom' })], ctx({ settings, capCounts: stored }));
    assert.deepEqual(kinds(out), ['suppress:capped_daily', 'accept']);
    assert.equal(out[0]!.kind === 'suppress' && out[0]!.detail?.scope, 'sms');
  });
});

describe('guard rails: quiet hours', () => {
  it('holds marketing inside quiet hours until they end, after consent and caps', () => {
    const night = new Date('2025-06-04T22:30:00+08:00');
    const out = decideBatch([candidate(), candidate({ recipient: recipient({ id: 2, consentStatus: 'denied' }) })], ctx({ now: night }));
    assert.deepEqual(kinds(out), ['hold:quiet_hours', 'suppress:opted_out']);
    assert.deepEqual(out[0]!.kind === 'hold' && out[0]!.releaseAt, new Date('2025-06-05T08:00:00+08:00'));
    const capped = decideBatch([candidate()], ctx({ now: night, settings: daily2, capCounts: new Map([[1, counts(2)]]) }));
    assert.deepEqual(kinds(capped), ['suppress:capped_daily'], 'a capped message is not held for nothing');
  });
});

describe('guard rails: content', () => {
  it('renders with the customer variables, overridden by the request', () => {
    const out = decideBatch([candidate({ content: { ok: true, title: parseTemplate('{coupon}'), body: parseTemplate('Hi {nickname}, {coupon}') }, variables: { coupon: '满100减20', nickname: 'Lin' } })], ctx());
    assert.deepEqual(out[0], { kind: 'accept', title: '满100减20', body: 'Hi Lin, 满100减20', warnings: null });
  });

  it('fails with template_error naming the missing variables', () => {
    const out = decideBatch([candidate({ content: { ok: true, title: parseTemplate('{headline}'), body: parseTemplate('Hi {name}, {coupon}') }, recipient: recipient({ name: null }) })], ctx());
    assert.deepEqual(out[0], { kind: 'suppress', reason: 'template_error', detail: { error: 'missing_variable', variables: ['name', 'coupon', 'headline'] } });
  });

  it('blocks statutory ad-law terms and records warn-tier findings', () => {
    const [blocked, warned] = decideBatch(
      [candidate({ content: { ok: true, title: null, body: parseTemplate('全网最佳的面霜') } }), candidate({ recipient: recipient({ id: 2 }), content: { ok: true, title: null, body: parseTemplate('独家新品上市') } })],
      ctx(),
    );
    assert.equal(blocked!.kind, 'suppress');
    assert.equal(blocked!.kind === 'suppress' && blocked!.reason, 'adlaw_blocked');
    assert.deepEqual(blocked!.kind === 'suppress' && blocked!.detail?.words, ['最佳']);
    assert.equal(warned!.kind, 'accept');
    assert.deepEqual(warned!.kind === 'accept' && warned!.warnings?.map((f) => [f.term, f.tier]), [['独家', 'warn']]);
  });

  it('accepts a webhook payload without text', () => {
    assert.deepEqual(decideBatch([candidate({ channel: 'webhook', content: { ok: true, none: true } })], ctx()), [{ kind: 'accept', title: null, body: null, warnings: null }]);
  });
});
