import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { BUILTIN_IDENTITY_TYPES } from '../customers/index.ts';
import { planResolution } from '../customers/identity-resolution.ts';
import { normalizeMobile } from '../customers/identity-types.ts';
import { copyLine } from './bulk-rows.ts';
import { CHANNELS } from './catalog.ts';
import { createDemoContext, generatePerson, startOfDay, type DemoContext, type DemoPerson } from './generator.ts';
import { createRng, hashText } from './prng.ts';

const ANCHOR = startOfDay(new Date('2026-11-24T10:00:00Z'), 'Asia/Shanghai');
const context = (seed = 7, extra: { ordersPerCustomer?: number } = {}) =>
  createDemoContext({ seed, customers: 0, anchor: ANCHOR, timeZone: 'Asia/Shanghai', ...extra });

function persons(ctx: DemoContext, n: number, from = 0): DemoPerson[] {
  return Array.from({ length: n }, (_, i) => generatePerson(ctx, from + i));
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
const share = (list: unknown[], pred: (x: never) => boolean) => (list.filter(pred as (x: unknown) => boolean).length / list.length) * 100;

describe('demo prng', () => {
  it('repeats a sequence for a seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(seqA, Array.from({ length: 5 }, () => b.next()));
    assert.notDeepEqual(seqA, Array.from({ length: 5 }, () => c.next()));
    assert.ok(seqA.every((x) => x >= 0 && x < 1));
    assert.equal(hashText('demo'), hashText('demo'));
  });
});

describe('demo generator: determinism', () => {
  it('gives byte-identical persons for the same seed, and different ones for another seed', () => {
    const first = digest(persons(context(7), 300));
    assert.equal(digest(persons(context(7), 300)), first);
    assert.notEqual(digest(persons(context(8), 300)), first);
  });

  it('generates a person the same alone or within a range (chunks are independent)', () => {
    const ctx = context(7);
    const range = persons(ctx, 50, 100);
    assert.deepEqual(generatePerson(ctx, 123), range[23]);
  });

  it('never puts data at or after the anchor', () => {
    for (const p of persons(context(3), 500)) {
      for (const e of p.events) assert.ok(e.occurredAt < ANCHOR.getTime() && e.occurredAt >= p.joinedAt, `${e.clientId} at ${e.occurredAt}`);
      for (const o of p.orders) {
        for (const t of [o.orderedAt, o.paidAt, o.shippedAt, o.completedAt, o.refundedAt, o.statusAt]) assert.ok(t === null || t < ANCHOR.getTime());
      }
    }
  });
});

describe('demo generator: the brand looks real', () => {
  const ctx = context(11);
  const people = persons(ctx, 6000);
  const orders = people.flatMap((p) => p.orders);

  it('has the funnel shape: many never buy, a third buy once, a minority repurchases, a few VIPs', () => {
    const cls = (c: string) => share(people, (p: DemoPerson) => p.buyerClass === c);
    assert.ok(cls('never') >= 35 && cls('never') <= 45, `never ${cls('never')}`);
    assert.ok(cls('once') >= 32 && cls('once') <= 42, `once ${cls('once')}`);
    assert.ok(cls('repeat') >= 15 && cls('repeat') <= 22, `repeat ${cls('repeat')}`);
    assert.ok(cls('vip') >= 3 && cls('vip') <= 6, `vip ${cls('vip')}`);
    // Buyer classes match the orders each person has.
    for (const p of people) {
      const n = p.orders.length;
      assert.ok(p.buyerClass === 'never' ? n === 0 : p.buyerClass === 'once' ? n === 1 : p.buyerClass === 'repeat' ? n >= 2 : n >= 6);
    }
    const vipAov = avg(people.filter((p) => p.buyerClass === 'vip').flatMap((p) => p.orders).map((o) => o.totalFen));
    const onceAov = avg(people.filter((p) => p.buyerClass === 'once').flatMap((p) => p.orders).map((o) => o.totalFen));
    assert.ok(vipAov > onceAov * 1.2, `VIP AOV ${vipAov} vs ${onceAov}`);
  });

  it('acquires through every channel of SPEC C7 in its share', () => {
    for (const channel of CHANNELS) {
      const s = share(people, (p: DemoPerson) => p.profile.sourceChannel === channel.key);
      assert.ok(Math.abs(s - channel.share) <= 1.6, `${channel.key}: ${s}% vs ${channel.share}%`);
    }
  });

  it('completes most orders, cancels a few and refunds 3–6 %, with consistent amounts', () => {
    const st = (s: string) => share(orders, (o: DemoPerson['orders'][number]) => o.status === s);
    assert.ok(st('completed') > 75, `completed ${st('completed')}`);
    assert.ok(st('cancelled') >= 1 && st('cancelled') <= 4, `cancelled ${st('cancelled')}`);
    const refunds = st('refunded') + st('partially_refunded');
    assert.ok(refunds >= 3 && refunds <= 6, `refunds ${refunds}`);
    for (const o of orders) {
      assert.equal(o.totalFen, o.items.reduce((s, i) => s + i.amountFen, 0));
      assert.ok(o.refundedFen <= o.paidFen && o.discountFen <= o.totalFen);
      if (o.status === 'cancelled') assert.equal(o.paidFen, 0);
      else assert.equal(o.paidFen, o.totalFen - o.discountFen + o.shippingFen);
      if (o.status === 'refunded') assert.equal(o.refundedFen, o.paidFen);
      if (o.status === 'partially_refunded') assert.ok(o.refundedFen > 0 && o.refundedFen < o.paidFen);
    }
  });

  it('sells more around 618 and 双11 than on ordinary days', () => {
    const byCampaign = (c: string) => orders.filter((o) => o.campaign === c).length;
    // The 618 season spans ~32 days, the 双11 season ~23; ordinary days are the other ~310.
    const ordinary = orders.filter((o) => o.campaign === '').length / 310;
    assert.ok(byCampaign('618') / 32 > ordinary * 1.4, `618 ${byCampaign('618')}`);
    assert.ok(byCampaign('double11') / 23 > ordinary * 1.8, `double11 ${byCampaign('double11')}`);
  });

  it('has mostly women, Chinese names, valid birthdays (29 February too), mostly granted consent, advisors', () => {
    assert.ok(share(people, (p: DemoPerson) => p.profile.gender === 'female') > 75);
    assert.ok(people.every((p) => p.profile.name === null || /^[\u4e00-\u9fff]{2,4}$/.test(p.profile.name)));
    const birthdays = people.map((p) => p.profile.birthday).filter((b): b is string => b !== null);
    assert.ok(birthdays.every((b) => new Date(`${b}T00:00:00Z`).toISOString().startsWith(b)));
    const leapDay = persons(ctx, 20000).filter((p) => p.profile.birthday?.endsWith('-02-29'));
    assert.ok(leapDay.length >= 5, `29 February birthdays: ${leapDay.length}`);
    const consent = (c: string) => share(people, (p: DemoPerson) => p.profile.consent === c);
    assert.ok(consent('granted') > 85 && consent('denied') >= 2 && consent('denied') <= 6);
    assert.ok(share(people, (p: DemoPerson) => p.profile.owner !== null) > 40);
  });

  it('gives every identity to one person only, with valid E.164 mobiles', () => {
    const seen = new Map<string, number>();
    for (const p of people) {
      for (const i of p.identities) {
        const key = `${i.type}|${i.scope}|${i.value}`;
        assert.ok(!seen.has(key), `${key} shared by ${seen.get(key)} and ${p.index}`);
        seen.set(key, p.index);
        if (i.type === 'mobile') assert.equal(normalizeMobile(i.value), i.value);
      }
    }
    const verified = share(people, (p: DemoPerson) => p.identities.some((i) => i.type === 'mobile' && i.verified));
    const unverified = share(people, (p: DemoPerson) => p.identities.some((i) => i.type === 'mobile' && !i.verified));
    assert.ok(verified > 40 && unverified > 3, `mobiles verified ${verified}%, unverified ${unverified}%`);
    assert.ok(share(people, (p: DemoPerson) => p.identities.some((i) => i.type === 'taobao_buyer_id')) > 10);
  });

  it('ends every person as exactly one customer under the OneID rules, without reviews', () => {
    const types = new Map(BUILTIN_IDENTITY_TYPES.map((t) => [t.key, t]));
    let merged = 0;
    for (const p of people.slice(0, 2000)) {
      // The service loader's order: orders before joining, then events, then the other orders.
      const pre = p.orders.filter((o) => o.orderedAt < p.joinedAt);
      const rows = [...pre, ...p.events, ...p.orders.filter((o) => !pre.includes(o))].map((r) => ({ identities: r.identities, at: new Date(0) }));
      const plan = planResolution(rows, [], types);
      assert.equal(plan.newCustomers.length, 1, `person ${p.index}`);
      assert.deepEqual(plan.reviews, [], `person ${p.index}`);
      assert.equal(plan.newIdentities.length, p.identities.length);
      if (pre.length) merged++;
    }
    assert.ok(merged > 300, `persons who bought before joining: ${merged}`);
  });

  it('scales repeat purchases to a benchmark target while keeping the funnel', () => {
    // VIPs carry most orders at this scale, so the mean needs a large sample to settle.
    const big = persons(context(11, { ordersPerCustomer: 10 }), 12000);
    const mean = big.reduce((s, p) => s + p.orders.length, 0) / big.length;
    assert.ok(Math.abs(mean - 10) < 0.8, `mean orders ${mean}`);
    assert.deepEqual(big.slice(0, people.length).map((p) => p.buyerClass), people.map((p) => p.buyerClass));
  });
});

function avg(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}

describe('demo bulk rows: COPY text', () => {
  it('escapes tabs, newlines, carriage returns and backslashes, and writes null as \\N', () => {
    assert.equal(copyLine(['a', 1, true, null, undefined]), 'a\t1\tt\t\\N\t\\N\n');
    assert.equal(copyLine(['x\ty', 'line\nbreak', 'cr\r', 'back\\slash', '\\N']), 'x\\ty\tline\\nbreak\tcr\\r\tback\\\\slash\t\\\\N\n');
    assert.equal(copyLine(['{"a":"\\"q\\""}', false]), '{"a":"\\\\"q\\\\""}\tf\n');
  });
});
