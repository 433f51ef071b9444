import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planResolution, type StoredIdentity } from './identity-resolution.ts';
import {
  BUILTIN_IDENTITY_TYPES,
  maskMobile,
  normalizeIdentity,
  normalizeMobile,
  parsePhoneQuery,
  type Identity,
  type IdentityTypeDef,
} from './identity-types.ts';

const TYPES = new Map<string, IdentityTypeDef>(BUILTIN_IDENTITY_TYPES.map((t) => [t.key, t]));
const AT = new Date('2025-03-01T00:00:00Z');
const id = (type: string, value: string, extra: Partial<Identity> = {}): Identity => ({ type, scope: '', value, verified: false, ...extra });
const union = (v: string) => id('wechat_unionid', v);
const mobile = (v: string, verified = false) => id('mobile', v, { verified });
const email = (v: string) => id('email', v);
const taobao = (v: string) => id('taobao_buyer_id', v);
let nextStored = 100;
const stored = (customerId: number, identity: Identity): StoredIdentity => ({ ...identity, id: nextStored++, customerId });
const row = (...identities: Identity[]) => ({ identities, at: AT });

describe('identity normalisation', () => {
  it('normalises Chinese mobiles to E.164 in every common spelling', () => {
    for (const text of ['13812348888', '+86 138 1234 8888', '0086-138-1234-8888', ' 138 1234 8888 ']) {
      assert.equal(normalizeMobile(text), '+8613812348888', text);
    }
    assert.equal(normalizeMobile('+1 415 555 2671'), '+14155552671');
    assert.equal(normalizeMobile('12345'), null);
    assert.equal(normalizeMobile('not a phone'), null);
  });

  it('lowercases emails and rejects malformed ones', () => {
    const ok = normalizeIdentity({ type: 'email', value: ' Li.Na@Example.COM ' }, TYPES);
    assert.deepEqual(ok, { ok: true, identity: { type: 'email', scope: '', value: 'li.na@example.com', verified: false } });
    const bad = normalizeIdentity({ type: 'email', value: 'li.na' }, TYPES);
    assert.deepEqual(bad.ok ? null : [bad.field, bad.reason], ['value', 'invalid_email']);
  });

  it('requires a scope for scoped types and refuses one for unscoped types', () => {
    const noScope = normalizeIdentity({ type: 'wechat_openid', value: 'o1' }, TYPES);
    assert.equal(noScope.ok ? null : noScope.reason, 'scope_required');
    const extra = normalizeIdentity({ type: 'wechat_unionid', value: 'u1', scope: 'wx1' }, TYPES);
    assert.equal(extra.ok ? null : extra.reason, 'scope_not_allowed');
    const scoped = normalizeIdentity({ type: 'wecom_external_userid', value: ' wm1 ', scope: 'corp1' }, TYPES);
    assert.deepEqual(scoped.ok && scoped.identity, { type: 'wecom_external_userid', scope: 'corp1', value: 'wm1', verified: false });
  });

  it('rejects unknown identity types and invalid mobiles with the field', () => {
    const unknown = normalizeIdentity({ type: 'fax', value: '1' }, TYPES);
    assert.deepEqual(unknown.ok ? null : [unknown.field, unknown.reason], ['type', 'unknown_identity_type']);
    const phone = normalizeIdentity({ type: 'mobile', value: '123' }, TYPES);
    assert.deepEqual(phone.ok ? null : [phone.field, phone.reason], ['value', 'invalid_mobile']);
  });

  it('masks phones as 138****8888 and reads masked searches', () => {
    assert.equal(maskMobile('+8613812348888'), '138****8888');
    assert.deepEqual(parsePhoneQuery('138****8888'), { kind: 'masked', prefix: '+86138', last4: '8888' });
    assert.deepEqual(parsePhoneQuery('8888'), { kind: 'last4', last4: '8888' });
    assert.deepEqual(parsePhoneQuery('138 1234 8888'), { kind: 'exact', e164: '+8613812348888' });
    assert.equal(parsePhoneQuery('abc'), null);
  });
});

describe('identity resolution', () => {
  it('creates one customer holding every identity of an unknown set', () => {
    const plan = planResolution([row(union('u1'), mobile('+8613800000001'))], [], TYPES);
    assert.deepEqual(plan.newCustomers, [{ ref: -1, row: 0 }]);
    assert.deepEqual(plan.newIdentities.map((n) => [n.identity.value, n.customer]), [['u1', -1], ['+8613800000001', -1]]);
    assert.equal(plan.rows[0]!.customer, -1);
    assert.equal(plan.rows[0]!.identity, plan.newIdentities[0]!.ref, 'attributed through the strong identity');
  });

  it('attaches new identities to the one customer that holds part of the set', () => {
    const plan = planResolution([row(taobao('tb1'), union('u1'))], [stored(7, taobao('tb1'))], TYPES);
    assert.deepEqual(plan.newCustomers, []);
    assert.deepEqual(plan.newIdentities.map((n) => [n.identity.value, n.customer]), [['u1', 7]]);
    assert.equal(plan.rows[0]!.customer, 7);
    assert.deepEqual(plan.merges, []);
  });

  it('merges two customers that share a verified mobile into the oldest', () => {
    const s = [stored(3, union('u1')), stored(9, mobile('+8613800000001', true))];
    const plan = planResolution([row(union('u1'), mobile('+8613800000001', true))], s, TYPES);
    assert.equal(plan.merges.length, 1);
    assert.deepEqual([plan.merges[0]!.from, plan.merges[0]!.to], [9, 3]);
    assert.equal(plan.rows[0]!.customer, 3);
    assert.deepEqual(plan.reviews, []);
  });

  it('does not merge through an unverified mobile: a weak link is flagged instead', () => {
    const s = [stored(3, union('u1')), stored(9, mobile('+8613800000001'))];
    const plan = planResolution([row(union('u1'), mobile('+8613800000001'))], s, TYPES);
    assert.deepEqual(plan.merges, []);
    assert.deepEqual(plan.reviews.map((r) => [r.a, r.b, r.kind]), [[3, 9, 'weak_link']]);
    assert.equal(plan.rows[0]!.customer, 3);
  });

  it('never merges two customers holding different unionids: a conflict is flagged', () => {
    const s = [stored(3, union('u1')), stored(3, mobile('+8613800000001', true)), stored(9, union('u2')), stored(9, id('member_card', 'm9'))];
    const plan = planResolution([row(mobile('+8613800000001', true), id('member_card', 'm9'))], s, TYPES);
    assert.deepEqual(plan.merges, []);
    assert.deepEqual(plan.reviews.map((r) => [r.a, r.b, r.kind]), [[3, 9, 'strong_conflict']]);
    assert.equal(plan.rows[0]!.customer, 3);
  });

  it('keeps a new strong identity that contradicts the owner apart, with a conflict review', () => {
    const s = [stored(3, union('u1')), stored(3, mobile('+8613800000001', true))];
    const plan = planResolution([row(mobile('+8613800000001', true), union('u2'), email('a@b.cn'))], s, TYPES);
    assert.deepEqual(plan.newCustomers, [{ ref: -1, row: 0 }]);
    const placed = Object.fromEntries(plan.newIdentities.map((n) => [n.identity.value, n.customer]));
    assert.deepEqual(placed, { u2: -1, 'a@b.cn': 3 });
    assert.deepEqual(plan.reviews.map((r) => [r.a, r.b, r.kind]), [[3, -1, 'strong_conflict']]);
    assert.equal(plan.rows[0]!.customer, 3);
  });

  it('flags owners reached only through weak identities and attributes to the strong owner', () => {
    const s = [stored(5, email('a@b.cn')), stored(8, union('u1'))];
    const plan = planResolution([row(email('a@b.cn'), union('u1'))], s, TYPES);
    assert.deepEqual(plan.merges, []);
    assert.deepEqual(plan.reviews.map((r) => [r.a, r.b, r.kind]), [[5, 8, 'weak_link']]);
    assert.equal(plan.rows[0]!.customer, 8);
  });

  it('merges three customers when each is reached by a strong identity and none conflict', () => {
    const s = [stored(4, union('u1')), stored(2, id('member_card', 'c1')), stored(6, mobile('+8613800000002', true))];
    const plan = planResolution([row(union('u1'), id('member_card', 'c1'), mobile('+8613800000002', true))], s, TYPES);
    assert.deepEqual(plan.merges.map((m) => [m.from, m.to]), [[4, 2], [6, 2]]);
    assert.equal(plan.rows[0]!.customer, 2);
  });

  it('follows merges made earlier in the same batch', () => {
    const s = [stored(1, union('u1')), stored(2, id('member_card', 'c2'))];
    const plan = planResolution([row(union('u1'), id('member_card', 'c2')), row(id('member_card', 'c2'), email('x@y.cn'))], s, TYPES);
    assert.deepEqual(plan.merges.map((m) => [m.from, m.to]), [[2, 1]]);
    assert.deepEqual(plan.rows.map((r) => r.customer), [1, 1]);
    assert.equal(plan.newIdentities[0]!.customer, 1);
  });

  it('folds a customer created earlier in the batch instead of storing a merge', () => {
    const s = [stored(1, union('u1'))];
    const plan = planResolution([row(id('member_card', 'c9')), row(union('u1'), id('member_card', 'c9'))], s, TYPES);
    assert.deepEqual(plan.newCustomers, []);
    assert.deepEqual(plan.merges, []);
    assert.deepEqual(plan.rows.map((r) => r.customer), [1, 1]);
    assert.equal(plan.newIdentities[0]!.customer, 1);
  });

  it('reuses the identities a batch created for later rows of the same person', () => {
    const plan = planResolution([row(union('u5')), row(union('u5'), taobao('t5')), row(taobao('t5'))], [], TYPES);
    assert.equal(plan.newCustomers.length, 1);
    assert.deepEqual(plan.rows.map((r) => r.customer), [-1, -1, -1]);
    assert.equal(plan.rows[2]!.identity, plan.newIdentities[1]!.ref);
  });

  it('marks a stored mobile verified once a row asserts it verified, which makes it merge', () => {
    const s = [stored(1, union('u1')), stored(2, mobile('+8613800000003'))];
    const plan = planResolution([row(mobile('+8613800000003', true)), row(union('u1'), mobile('+8613800000003'))], s, TYPES);
    assert.equal(plan.verify.length, 1);
    assert.deepEqual(plan.merges.map((m) => [m.from, m.to]), [[2, 1]]);
  });

  it('treats scoped identities in different scopes as different identities', () => {
    const s = [stored(1, id('wechat_openid', 'o1', { scope: 'appA' }))];
    const plan = planResolution([row(id('wechat_openid', 'o1', { scope: 'appB' }))], s, TYPES);
    assert.equal(plan.newCustomers.length, 1);
  });

  it('records each review once per pair and kind within a batch', () => {
    const s = [stored(5, email('a@b.cn')), stored(8, union('u1'))];
    const plan = planResolution([row(email('a@b.cn'), union('u1')), row(union('u1'), email('a@b.cn'))], s, TYPES);
    assert.equal(plan.reviews.length, 1);
  });
});
