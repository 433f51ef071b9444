import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customersToEvaluate, isRelevantChange } from './changed-feed.ts';
import { planMerge, planUnmerge } from './merge-plan.ts';
import type { SnapshotRow } from './merges.repository.ts';
import { definitionProblems } from './rule-definition.ts';
import { combineAll, combineAny, DAY_MS, evaluateRule, matchesFilter, planReconcile, type CustomerFacts, type HeldTag } from './rule-evaluation.ts';
import { PropertyFilterSchema, RuleDefinitionSchema, type RuleDefinition } from './tags.schemas.ts';

const NOW = new Date('2025-06-10T04:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY_MS);
const rule = (raw: unknown): RuleDefinition => RuleDefinitionSchema.parse(raw);
const viewed = (category: string, d: number) => ({ type: 'product.viewed', at: daysAgo(d), properties: { productId: 'p', category } });
const facts = (events: CustomerFacts['events'] = [], orders: CustomerFacts['orders'] = []): CustomerFacts => ({ events, orders });

const BAKING = rule({
  conditions: [{ type: 'event', eventType: 'product.viewed', filters: [{ property: 'category', op: 'eq', value: '烘焙' }], minCount: 3, windowDays: 7 }],
});

describe('tag rule evaluation', () => {
  it('gives 烘焙爱好者 after three views of 烘焙 in 7 days, until the third newest view leaves the window', () => {
    const three = facts([viewed('烘焙', 1), viewed('烘焙', 2), viewed('烘焙', 5), viewed('美妆', 0)]);
    const m = evaluateRule(BAKING, three, NOW);
    assert.deepEqual(m, { until: new Date(daysAgo(5).getTime() + 7 * DAY_MS) });
    assert.equal(evaluateRule(BAKING, facts([viewed('烘焙', 1), viewed('烘焙', 2), viewed('美妆', 3)]), NOW), undefined, 'two views are not enough');
    assert.equal(evaluateRule(BAKING, facts([viewed('烘焙', 1), viewed('烘焙', 2), viewed('烘焙', 7)]), NOW), undefined, 'a view exactly 7 days ago is outside');
    // Two days later the view of 5 days ago is 7 days old: the rule stops holding.
    assert.equal(evaluateRule(BAKING, three, new Date(NOW.getTime() + 2 * DAY_MS)), undefined);
  });

  it('matches purchases of any product, a category or a product, with counts and amounts in a window', () => {
    const orders = [
      { paidAt: daysAgo(40), netFen: 30000, items: [{ productId: 'sku-oven', category: '烘焙' }] },
      { paidAt: daysAgo(3), netFen: 5000, items: [{ productId: 'sku-lip', category: '美妆' }] },
    ];
    const bought = rule({ conditions: [{ type: 'order' }] });
    assert.deepEqual(evaluateRule(bought, facts([], orders), NOW), { until: null }, 'purchased ever never expires');
    assert.equal(evaluateRule(bought, facts(), NOW), undefined);
    const baking30 = rule({ conditions: [{ type: 'order', category: '烘焙', windowDays: 30 }] });
    assert.equal(evaluateRule(baking30, facts([], orders), NOW), undefined);
    const oven = rule({ conditions: [{ type: 'order', productId: 'sku-oven' }] });
    assert.deepEqual(evaluateRule(oven, facts([], orders), NOW), { until: null });
    const big = rule({ conditions: [{ type: 'order', minAmountFen: 30000, windowDays: 60 }] });
    assert.deepEqual(evaluateRule(big, facts([], orders), NOW), { until: new Date(daysAgo(40).getTime() + 60 * DAY_MS) }, 're-checked when the oldest order leaves');
    const twice = rule({ conditions: [{ type: 'order', minCount: 2, windowDays: 30 }] });
    assert.equal(evaluateRule(twice, facts([], orders), NOW), undefined);
  });

  it('combines conditions: all holds until the first stops, any until the last (never if one never stops)', () => {
    const a = { until: daysAgo(-1) };
    const b = { until: daysAgo(-3) };
    assert.deepEqual(combineAll([a, b]), a);
    assert.deepEqual(combineAll([a, { until: null }]), a);
    assert.equal(combineAll([a, undefined]), undefined);
    assert.deepEqual(combineAny([a, b, undefined]), b);
    assert.deepEqual(combineAny([a, { until: null }]), { until: null });
    assert.equal(combineAny([undefined]), undefined);
    const joined = rule({
      match: 'any',
      conditions: [
        { type: 'event', eventType: 'checkin', filters: [{ property: 'activityId', op: 'in', value: ['a-618', 'a-1111'] }], windowDays: 30 },
        { type: 'event', eventType: 'custom.activity_joined' },
      ],
    });
    assert.deepEqual(evaluateRule(joined, facts([{ type: 'checkin', at: daysAgo(2), properties: { activityId: 'a-618' } }]), NOW), { until: new Date(daysAgo(2).getTime() + 30 * DAY_MS) });
    assert.deepEqual(evaluateRule(joined, facts([{ type: 'custom.activity_joined', at: daysAgo(400), properties: {} }]), NOW), { until: null });
  });

  it('filters properties like lax JSON paths: arrays by element, missing only for neq, types strict', () => {
    const f = (raw: unknown) => PropertyFilterSchema.parse(raw);
    const p = { category: '烘焙', tags: ['a', 'b'], price: 1990, flag: true, n: '5' };
    assert.equal(matchesFilter(p, f({ property: 'category', op: 'eq', value: '烘焙' })), true);
    assert.equal(matchesFilter(p, f({ property: 'tags', op: 'eq', value: 'b' })), true);
    assert.equal(matchesFilter(p, f({ property: 'missing', op: 'neq', value: 'x' })), true);
    assert.equal(matchesFilter(p, f({ property: 'missing', op: 'eq', value: 'x' })), false);
    assert.equal(matchesFilter(p, f({ property: 'n', op: 'gte', value: 1 })), false, 'a string is not a number');
    assert.equal(matchesFilter(p, f({ property: 'price', op: 'gte', value: 1990 })), true);
    assert.equal(matchesFilter(p, f({ property: 'price', op: 'lte', value: 1000 })), false);
    assert.equal(matchesFilter(p, f({ property: 'category', op: 'contains', value: '烘' })), true);
    assert.equal(matchesFilter(p, f({ property: 'flag', op: 'eq', value: true })), true);
    assert.equal(matchesFilter(p, f({ property: 'flag', op: 'exists' })), true);
    assert.equal(matchesFilter(p, f({ property: 'price', op: 'in', value: [1, 1990] })), true);
  });

  it('rejects bad definitions with the path of the bad field', () => {
    const bad = RuleDefinitionSchema.safeParse({ conditions: [{ type: 'event', eventType: 'product.viewed', filters: [{ property: 'category', op: 'gte', value: 'x' }] }] });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error!.issues.map((i) => i.path.join('.')), ['conditions.0.filters.0.value']);
    assert.equal(RuleDefinitionSchema.safeParse({ conditions: [] }).success, false);
    const problems = definitionProblems(rule({ conditions: [{ type: 'order' }, { type: 'event', eventType: 'tag.added' }, { type: 'event', eventType: 'viewed' }] }));
    assert.deepEqual(problems.map((p) => [p.field, p.reason]), [
      ['definition.conditions[1].eventType', 'reserved_type'],
      ['definition.conditions[2].eventType', 'unknown_type'],
    ]);
    assert.deepEqual(definitionProblems(rule({ conditions: [{ type: 'event', eventType: 'custom.shop_visited' }, { type: 'event', eventType: 'order.paid' }] })), []);
  });
});

describe('reconciling rule tags', () => {
  const held = (customerId: number, tagId: string, source: HeldTag['source'], ruleId: string | null, expiresAt: Date | null = null): HeldTag => ({ customerId, tagId, source, ruleId, expiresAt });

  it('adds missing rule tags, renews expiries, removes what no rule gives, and never touches manual tags', () => {
    const until = daysAgo(-2);
    const plan = planReconcile(
      [
        { customerId: 1, tagId: 'T', ruleId: 'r1', until },
        { customerId: 2, tagId: 'T', ruleId: 'r1', until },
        { customerId: 3, tagId: 'T', ruleId: 'r1', until },
      ],
      [held(2, 'T', 'rule', 'r1', daysAgo(-1)), held(3, 'T', 'manual', null), held(4, 'T', 'rule', 'r1', daysAgo(0)), held(5, 'T', 'manual', null), held(6, 'U', 'rule', 'r9')],
    );
    assert.deepEqual(plan.insert.map((h) => h.customerId), [1]);
    assert.deepEqual(plan.update.map((h) => [h.customerId, h.until]), [[2, until]]);
    assert.deepEqual(plan.remove.map((h) => [h.customerId, h.tagId]), [[4, 'T'], [6, 'U']]);
  });

  it('keeps a tag that several rules give while one holds, recording the rule it has', () => {
    const plan = planReconcile(
      [
        { customerId: 1, tagId: 'T', ruleId: 'ra', until: daysAgo(-1) },
        { customerId: 1, tagId: 'T', ruleId: 'rb', until: null },
      ],
      [held(1, 'T', 'rule', 'rb', null)],
    );
    assert.deepEqual(plan, { insert: [], update: [], remove: [] });
    const fresh = planReconcile([{ customerId: 1, tagId: 'T', ruleId: 'rb', until: daysAgo(-1) }, { customerId: 1, tagId: 'T', ruleId: 'ra', until: daysAgo(-5) }], []);
    assert.deepEqual(fresh.insert, [{ customerId: 1, tagId: 'T', ruleId: 'ra', until: daysAgo(-5) }]);
  });
});

describe('tags through merges', () => {
  const row = (tagId: string, source: SnapshotRow['source'], addedAt: string, ruleId: string | null = null): SnapshotRow => ({ tagId, source, ruleId, addedBy: source === 'rule' ? 'rule' : 'op@x', addedAt, expiresAt: null });
  const merged = [row('A', 'manual', '2025-01-01T00:00:00.000Z'), row('B', 'manual', '2025-01-02T00:00:00.000Z'), row('C', 'rule', '2025-01-03T00:00:00.000Z', 'r')];
  const survivor = [row('B', 'rule', '2025-02-01T00:00:00.000Z', 'r2'), row('C', 'manual', '2025-02-02T00:00:00.000Z'), row('D', 'manual', '2025-02-03T00:00:00.000Z')];

  it('gives the survivor every tag, a person’s row winning over a rule’s, and counts shared tags once', () => {
    const plan = planMerge(merged, survivor);
    assert.deepEqual(plan.survivorPuts.map((r) => [r.tagId, r.source]), [['A', 'manual'], ['B', 'manual']]);
    assert.deepEqual(plan.survivorBefore.map((r) => r.tagId), ['B', 'C']);
    assert.deepEqual([...plan.deltas], [['B', -1], ['C', -1]]);
  });

  it('undoes exactly when nothing changed in between, and leaves later changes alone', () => {
    const plan = planMerge(merged, survivor);
    const after = new Map(survivor.map((r) => [r.tagId, r]));
    for (const r of plan.survivorPuts) after.set(r.tagId, r);
    const undo = planUnmerge({ mergedRows: merged, survivorRows: plan.survivorBefore }, [...after.values()]);
    assert.deepEqual(undo.restoredPuts, merged);
    assert.deepEqual(undo.survivorDeletes, ['A']);
    assert.deepEqual(undo.survivorPuts, [survivor[0]]);
    assert.deepEqual([...undo.deltas], [['A', 0], ['B', 1], ['C', 1]]);
    // A removed from the survivor during the merge: the restored customer still gets it back.
    after.delete('A');
    const later = planUnmerge({ mergedRows: merged, survivorRows: plan.survivorBefore }, [...after.values()]);
    assert.deepEqual(later.survivorDeletes, []);
    assert.equal(later.deltas.get('A'), 1);
  });
});

describe('customers.changed feed', () => {
  it('re-evaluates for events, orders and merges but not for tag or score announcements', () => {
    assert.equal(isRelevantChange({ causes: ['tag'] }), false);
    assert.equal(isRelevantChange({ causes: ['score', 'tag'] }), false);
    assert.equal(isRelevantChange({ causes: ['merge', 'tag'] }), true);
    assert.equal(isRelevantChange({ causes: [] }), true);
    const map = customersToEvaluate([
      { workspaceId: 'w1', customerIds: [3, 1], causes: ['event'] },
      { workspaceId: 'w1', customerIds: [2, 3], causes: ['order'] },
      { workspaceId: 'w2', customerIds: [9], causes: ['tag'] },
      { workspaceId: 'w3', customerIds: [-1, 1.5, 4], causes: ['profile'] },
    ]);
    assert.deepEqual([...map], [['w1', [1, 2, 3]], ['w3', [4]]]);
  });
});
