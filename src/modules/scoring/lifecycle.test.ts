import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { consumptionTierOf, monthsForAverage, valueLayerOf } from './layers.ts';
import { businessStageOf, daysStageOf, stageStageOf } from './lifecycle.ts';
import { DEFAULT_SETTINGS } from './settings.ts';

const lc = DEFAULT_SETTINGS.lifecycle;

describe('lifecycle models', () => {
  it('by days in the private domain: day 30 is silent, 31 growth, 90/91, 180/181 at the edges', () => {
    const at = (d: number) => daysStageOf(d, lc.days);
    assert.deepEqual([0, 30, 31, 90, 91, 180, 181, 2000].map(at), ['silent', 'silent', 'growth', 'growth', 'active', 'active', 'decline', 'decline']);
    assert.equal(daysStageOf(null, lc.days), null, 'not joined: no stage');
    assert.equal(daysStageOf(45, { silentMaxDays: 7, growthMaxDays: 30, activeMaxDays: 60 }), 'active');
  });

  it('by stage: reached, converted, active, silent and churned from orders and activity', () => {
    const s = lc.stage; // active ≤ 60 days since an order; silent > 60, churned > 180 days without activity
    assert.equal(stageStageOf({ daysSinceActivity: 3, hasOrders: false, daysSinceLastOrder: null }, s), 'reached');
    assert.equal(stageStageOf({ daysSinceActivity: 0, hasOrders: true, daysSinceLastOrder: 60 }, s), 'active');
    assert.equal(stageStageOf({ daysSinceActivity: 0, hasOrders: true, daysSinceLastOrder: 61 }, s), 'converted');
    assert.equal(stageStageOf({ daysSinceActivity: 60, hasOrders: true, daysSinceLastOrder: 60 }, s), 'active');
    assert.equal(stageStageOf({ daysSinceActivity: 61, hasOrders: true, daysSinceLastOrder: 61 }, s), 'silent');
    assert.equal(stageStageOf({ daysSinceActivity: 61, hasOrders: false, daysSinceLastOrder: null }, s), 'silent');
    assert.equal(stageStageOf({ daysSinceActivity: 180, hasOrders: true, daysSinceLastOrder: 200 }, s), 'silent');
    assert.equal(stageStageOf({ daysSinceActivity: 181, hasOrders: true, daysSinceLastOrder: 181 }, s), 'churned');
  });

  it('by business node: new, first purchase, repeat, VIP by orders or amount', () => {
    const b = lc.business; // repeat from 2 orders; VIP from 5 orders or ¥5000
    assert.equal(businessStageOf(0, 0, b), 'new');
    assert.equal(businessStageOf(1, 10_000, b), 'first_purchase');
    assert.equal(businessStageOf(2, 10_000, b), 'repeat');
    assert.equal(businessStageOf(5, 10_000, b), 'vip');
    assert.equal(businessStageOf(1, 500_000, b), 'vip');
    assert.equal(businessStageOf(1, 499_999, b), 'first_purchase');
    assert.equal(businessStageOf(4, 499_999, { ...b, vipMinOrders: null }), 'repeat');
  });
});

describe('value layers and consumption tiers', () => {
  const v = DEFAULT_SETTINGS.valueLayer; // VIP: ≥ 3 orders and AOV ≥ ¥300; potential: AOV ≥ ¥300 or ≥ 10 interactions

  it('puts frequent buyers with a high average order value in VIP, exactly at the boundary', () => {
    assert.equal(valueLayerOf(3, 90_000, 0, v), 'vip');
    assert.equal(valueLayerOf(3, 89_999, 0, v), 'normal');
    assert.equal(valueLayerOf(2, 90_000, 0, v), 'potential', 'high AOV, not yet frequent');
    assert.equal(valueLayerOf(0, 0, 10, v), 'potential', 'engaged without orders');
    assert.equal(valueLayerOf(0, 0, 9, v), 'normal');
    assert.equal(valueLayerOf(4, 200_000, 1, { ...v, vipMinInteractions: 2 }), 'potential');
  });

  it('tiers by average monthly spend: ¥2000.00 is high, ¥1999.99 medium, ¥500.00 medium, ¥499.99 basic', () => {
    const t = { period: 'd30' as const, highFromFen: 200_000, mediumFromFen: 50_000 };
    assert.equal(consumptionTierOf(true, 200_000, 1, t), 'high');
    assert.equal(consumptionTierOf(true, 199_999, 1, t), 'medium');
    assert.equal(consumptionTierOf(true, 50_000, 1, t), 'medium');
    assert.equal(consumptionTierOf(true, 49_999, 1, t), 'basic');
    assert.equal(consumptionTierOf(true, 0, 1, t), 'basic');
    assert.equal(consumptionTierOf(false, 0, 1, t), null);
    // Over 12 months: ¥24,000.00 a year is ¥2000 a month.
    assert.equal(consumptionTierOf(true, 2_400_000, 12, { ...t, period: 'd365' }), 'high');
    assert.equal(consumptionTierOf(true, 2_399_999, 12, { ...t, period: 'd365' }), 'medium');
  });

  it('averages over the months since the first order when it is inside the period', () => {
    assert.deepEqual([0, 29, 30, 59, 60, 400].map((d) => monthsForAverage('d365', d)), [1, 1, 2, 2, 3, 12]);
    assert.equal(monthsForAverage('d90', 400), 3);
    assert.equal(monthsForAverage('d30', 0), 1);
  });
});
