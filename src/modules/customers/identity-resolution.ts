/**
 * OneID: which customer a row (event, order, import line) belongs to. Pure: given the
 * identities already stored and the rows of a batch, it plans what to create, attach,
 * merge and flag. The repository executes the plan set-based. Rules (docs/customers.md):
 *
 * - A row asserts that its identity set is one person. Owners = customers already holding
 *   an identity of the set. None: a new customer gets them all. One: new identities attach.
 * - Several: owners reached through a strong identity of the set merge into the oldest,
 *   unless two of them hold different strong values of the same type+scope (a conflict:
 *   never merged automatically, flagged `strong_conflict`). Owners reached only through
 *   weak identities are flagged `weak_link`, never merged.
 * - A new identity whose type+scope the owner already holds with a different strong value
 *   is not attached: it goes to a customer of its own, flagged `strong_conflict`.
 *
 * Customer refs: positive = stored customer ids; negative = customers this batch creates.
 * Identity refs likewise. Stored customers are always older than new ones.
 */
import { identityKey, isStrongIdentity, typeScopeKey, type Identity, type IdentityTypeDef } from './identity-types.ts';

export interface StoredIdentity extends Identity {
  id: number;
  customerId: number;
}

export interface ResolutionRow {
  identities: Identity[];
  at: Date;
}

export type ReviewKind = 'strong_conflict' | 'weak_link';

export interface PlannedMerge {
  from: number;
  to: number;
  row: number;
  /** The strong identities of the row that reached each customer. */
  evidence: { type: string; scope: string; value: string }[];
}

export interface PlannedReview {
  a: number;
  b: number;
  kind: ReviewKind;
  row: number;
  details: Record<string, unknown>;
}

export interface ResolutionPlan {
  /** Refs (negative) of customers to create, in creation order, with the row that made each. */
  newCustomers: { ref: number; row: number }[];
  newIdentities: { ref: number; identity: Identity; customer: number; at: Date }[];
  /** Stored identities now asserted verified. */
  verify: number[];
  merges: PlannedMerge[];
  reviews: PlannedReview[];
  /** Per row: the customer it is attributed to and the identity it arrived through. */
  rows: { customer: number; identity: number }[];
}

interface Held {
  ref: number;
  customer: number;
  identity: Identity;
}

/** Orders customers oldest first: stored before new, then by id / creation order. */
const rank = (ref: number) => (ref > 0 ? ref : Number.MAX_SAFE_INTEGER / 2 - ref);
const byAge = (a: number, b: number) => rank(a) - rank(b);

export function planResolution(
  rows: readonly ResolutionRow[],
  stored: readonly StoredIdentity[],
  types: ReadonlyMap<string, IdentityTypeDef>,
): ResolutionPlan {
  const held = new Map<string, Held>();
  const byCustomer = new Map<number, Set<string>>();
  const alias = new Map<number, number>();
  const verified = new Set<number>();
  const plan: ResolutionPlan = { newCustomers: [], newIdentities: [], verify: [], merges: [], reviews: [], rows: [] };
  let nextCustomer = -1;
  let nextIdentity = -1;

  const resolve = (c: number): number => {
    let r = c;
    while (alias.has(r)) r = alias.get(r)!;
    return r;
  };
  const keysOf = (c: number) => {
    let s = byCustomer.get(c);
    if (!s) byCustomer.set(c, (s = new Set()));
    return s;
  };
  const hold = (key: string, h: Held) => {
    held.set(key, h);
    keysOf(h.customer).add(key);
  };
  const strong = (i: Identity) => isStrongIdentity(types.get(i.type), i.verified);
  /** Strong values a customer holds, by type+scope. */
  const strongValues = (c: number) => {
    const out = new Map<string, Set<string>>();
    for (const key of keysOf(c)) {
      const h = held.get(key)!;
      if (!strong(h.identity)) continue;
      const ts = typeScopeKey(h.identity);
      if (!out.has(ts)) out.set(ts, new Set());
      out.get(ts)!.add(h.identity.value);
    }
    return out;
  };
  const conflicts = (a: number, b: number) => {
    const va = strongValues(a);
    for (const [ts, values] of strongValues(b)) {
      const other = va.get(ts);
      if (other && [...values].some((v) => !other.has(v))) return true;
    }
    return false;
  };
  const moveAll = (from: number, to: number) => {
    for (const key of keysOf(from)) {
      const h = held.get(key)!;
      h.customer = to;
      keysOf(to).add(key);
    }
    byCustomer.delete(from);
    alias.set(from, to);
  };
  const newCustomer = (row: number) => {
    const ref = nextCustomer--;
    plan.newCustomers.push({ ref, row });
    return ref;
  };
  const attach = (identity: Identity, customer: number, at: Date) => {
    const ref = nextIdentity--;
    plan.newIdentities.push({ ref, identity, customer, at });
    hold(identityKey(identity), { ref, customer, identity: { ...identity } });
    return ref;
  };

  for (const s of stored) {
    hold(identityKey(s), { ref: s.id, customer: s.customerId, identity: { type: s.type, scope: s.scope, value: s.value, verified: s.verified } });
  }

  rows.forEach((row, index) => {
    const identities = dedupe(row.identities);
    // Who holds what, before this row changes anything.
    const owners = new Map<number, { strong: Identity[] }>();
    const fresh: Identity[] = [];
    for (const identity of identities) {
      const h = held.get(identityKey(identity));
      if (!h) {
        fresh.push(identity);
        continue;
      }
      const customer = resolve(h.customer);
      const entry = owners.get(customer) ?? { strong: [] };
      const isVerified = identity.verified || h.identity.verified;
      if (isStrongIdentity(types.get(identity.type), isVerified)) entry.strong.push(identity);
      owners.set(customer, entry);
      if (identity.verified && !h.identity.verified) {
        h.identity.verified = true;
        if (h.ref > 0 && !verified.has(h.ref)) {
          verified.add(h.ref);
          plan.verify.push(h.ref);
        }
      }
    }

    let primary: number;
    if (owners.size === 0) {
      primary = newCustomer(index);
    } else {
      const strongOwners = [...owners].filter(([, o]) => o.strong.length > 0).map(([c]) => c).sort(byAge);
      const weakOwners = [...owners.keys()].filter((c) => !strongOwners.includes(c)).sort(byAge);
      primary = strongOwners[0] ?? weakOwners[0]!;
      const others = strongOwners.slice(1);
      const hasConflict = others.some((o, i) => [primary, ...others.slice(0, i)].some((p) => conflicts(p, o)));
      for (const other of others) {
        if (hasConflict) {
          plan.reviews.push({ a: primary, b: other, kind: 'strong_conflict', row: index, details: { reason: 'different_strong_identities', via: owners.get(other)!.strong.map(plain) } });
        } else {
          mergeInto(other, primary, index, owners);
        }
      }
      for (const other of weakOwners) {
        if (other === primary) continue;
        plan.reviews.push({ a: primary, b: other, kind: 'weak_link', row: index, details: { reason: 'shared_weak_identity', via: identities.filter((i) => resolve(held.get(identityKey(i))?.customer ?? 0) === other).map(plain) } });
      }
    }

    // New identities: attach to the primary unless they contradict one of its strong ones.
    const primaryStrong = strongValues(primary);
    const rejected: Identity[] = [];
    for (const identity of fresh) {
      const values = primaryStrong.get(typeScopeKey(identity));
      if (strong(identity) && values && !values.has(identity.value)) rejected.push(identity);
      else attach(identity, primary, row.at);
    }
    if (rejected.length) {
      const separate = newCustomer(index);
      for (const identity of rejected) attach(identity, separate, row.at);
      plan.reviews.push({ a: primary, b: separate, kind: 'strong_conflict', row: index, details: { reason: 'new_identity_conflicts', identities: rejected.map(plain) } });
    }
    plan.rows.push({ customer: primary, identity: arrivalIdentity(identities, primary) });
  });

  function mergeInto(from: number, to: number, row: number, owners: Map<number, { strong: Identity[] }>) {
    const evidence = [...(owners.get(from)?.strong ?? []), ...(owners.get(to)?.strong ?? [])].map(plain);
    moveAll(from, to);
    if (from > 0) plan.merges.push({ from, to, row, evidence });
    else {
      // A customer this batch created: fold it away before it is ever stored.
      plan.newCustomers = plan.newCustomers.filter((c) => c.ref !== from);
    }
  }

  function arrivalIdentity(identities: Identity[], customer: number): number {
    const mine = identities.map((i) => held.get(identityKey(i))!).filter((h) => resolve(h.customer) === customer);
    const best = mine.find((h) => strong(h.identity)) ?? mine[0];
    return best!.ref;
  }

  // Resolve every ref through the merges and folds of the batch.
  for (const n of plan.newIdentities) n.customer = resolve(n.customer);
  for (const r of plan.rows) r.customer = resolve(r.customer);
  for (const r of plan.reviews) {
    r.a = resolve(r.a);
    r.b = resolve(r.b);
  }
  plan.reviews = uniqueReviews(plan.reviews.filter((r) => r.a !== r.b));
  return plan;
}

function plain(i: Identity) {
  return { type: i.type, scope: i.scope, value: i.value };
}

function dedupe(identities: readonly Identity[]): Identity[] {
  const seen = new Map<string, Identity>();
  for (const i of identities) {
    const key = identityKey(i);
    const prev = seen.get(key);
    seen.set(key, prev ? { ...prev, verified: prev.verified || i.verified } : i);
  }
  return [...seen.values()];
}

function uniqueReviews(reviews: PlannedReview[]): PlannedReview[] {
  const out = new Map<string, PlannedReview>();
  for (const r of reviews) {
    const [a, b] = byAge(r.a, r.b) <= 0 ? [r.a, r.b] : [r.b, r.a];
    const key = `${a}:${b}:${r.kind}`;
    if (!out.has(key)) out.set(key, { ...r, a, b });
  }
  return [...out.values()];
}
