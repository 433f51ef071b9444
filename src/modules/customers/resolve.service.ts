/**
 * Executes OneID for a batch inside the caller's transaction: one query for the stored
 * identities of the batch, one for what their owners hold, the pure plan, then the rare
 * merges and multi-row inserts. Callers (events, orders, imports) usually take the workspace
 * lock (`writes.lock`) before their own checks; resolution takes it too (once per transaction).
 */
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import type { Trx } from './customers.deps.ts';
import { planResolution, type ResolutionPlan } from './identity-resolution.ts';
import type { Identity, IdentityTypeDef } from './identity-types.ts';
import * as repo from './identity.repository.ts';
import type { MergeEngine } from './merges.service.ts';
import { EMPTY_PATCH, foldJoinedAt, foldTraits, isEmptyPatch, type ProfilePatch, type ProfileTraits } from './profile.ts';

/** One row asserting that its identities are one person. */
export interface CustomerAssertion {
  /** Normalised identities (see normalizeIdentity). */
  identities: Identity[];
  /** When the row happened (event time, order status time). */
  at: Date;
  profile?: ProfileTraits | undefined;
  /** Set when the row is a joining event (WeCom friend added, followed, joined a group): joined_at moves back to it. */
  joinedAt?: Date | undefined;
}

export interface ResolvedRow {
  customerId: number;
  identityId: number;
}

export interface ResolutionSummary {
  customersCreated: number;
  identitiesAdded: number;
  merges: number;
  reviews: number;
}

export function createIdentityResolver(deps: { merges: MergeEngine }) {
  async function resolve(
    trx: Trx,
    ctx: WorkspaceContext,
    rows: CustomerAssertion[],
    options: { source: string; now: Date; types?: Map<string, IdentityTypeDef> | undefined },
  ): Promise<{ rows: ResolvedRow[]; summary: ResolutionSummary }> {
    const ws = ctx.workspaceId;
    await repo.lockWorkspaceIdentities(trx, ws);
    const types = options.types ?? (await repo.loadIdentityTypes(trx, ws));
    const held = await repo.findIdentitiesWithOwners(trx, ws, uniqueByKey(rows.flatMap((r) => r.identities)));
    const plan = planResolution(rows, held, types);

    await deps.merges.mergeMany(
      trx,
      ctx,
      plan.merges.map((m) => ({ fromId: m.from, toId: m.to, reason: 'strong_identity', evidence: { identities: m.evidence, source: options.source } })),
      options.now,
    );
    const ids = await repo.allocateIds(trx, plan.newCustomers.length, plan.newIdentities.length);
    const customerOf = new Map(plan.newCustomers.map((c, i) => [c.ref, ids.customers[i]!]));
    const identityOf = new Map(plan.newIdentities.map((n, i) => [n.ref, ids.identities[i]!]));
    const realCustomer = (ref: number) => (ref > 0 ? ref : customerOf.get(ref)!);
    const realIdentity = (ref: number) => (ref > 0 ? ref : identityOf.get(ref)!);

    const patches = profilePatches(plan, rows, realCustomer);
    await repo.insertCustomers(
      trx,
      ws,
      plan.newCustomers.map((c) => ({ id: realCustomer(c.ref), patch: patches.get(realCustomer(c.ref)) ?? EMPTY_PATCH, createdAt: options.now })),
    );
    await repo.insertIdentities(
      trx,
      ws,
      plan.newIdentities.map((n) => ({ id: realIdentity(n.ref), customerId: realCustomer(n.customer), identity: n.identity, source: options.source, at: n.at })),
    );
    const created = new Set(plan.newCustomers.map((c) => realCustomer(c.ref)));
    const updates = [...patches].filter(([id, p]) => !created.has(id) && !isEmptyPatch(p)).map(([id, patch]) => ({ id, patch }));
    await repo.updateProfiles(trx, ws, updates, options.now);
    await repo.insertConsents(
      trx,
      ws,
      [...patches].filter(([, p]) => p.consent).map(([id, p]) => ({ customerId: id, status: p.consent!, at: p.consentAt!, source: options.source })),
    );
    await repo.markVerified(trx, ws, plan.verify);
    const reviews = await repo.insertReviews(
      trx,
      ws,
      plan.reviews.map((r) => ({ id: newId(), a: realCustomer(r.a), b: realCustomer(r.b), kind: r.kind, details: { ...r.details, source: options.source } })),
      options.now,
    );
    return {
      rows: plan.rows.map((r) => ({ customerId: realCustomer(r.customer), identityId: realIdentity(r.identity) })),
      summary: { customersCreated: plan.newCustomers.length, identitiesAdded: plan.newIdentities.length, merges: plan.merges.length, reviews },
    };
  }

  return { resolve };
}

export type IdentityResolver = ReturnType<typeof createIdentityResolver>;

function uniqueByKey(identities: Identity[]): Identity[] {
  const seen = new Map<string, Identity>();
  for (const i of identities) seen.set(`${i.type}\u0001${i.scope}\u0001${i.value}`, i);
  return [...seen.values()];
}

/** Per real customer: the batch's traits plus contact fields from mobile/email identities. */
function profilePatches(plan: ResolutionPlan, rows: CustomerAssertion[], real: (ref: number) => number): Map<number, ProfilePatch> {
  const patches = new Map<number, ProfilePatch>();
  rows.forEach((row, i) => {
    if (!row.profile && !row.joinedAt) return;
    const id = real(plan.rows[i]!.customer);
    patches.set(id, foldJoinedAt(foldTraits(patches.get(id) ?? EMPTY_PATCH, row.profile, row.at), row.joinedAt));
  });
  for (const n of plan.newIdentities) {
    if (n.identity.type !== 'mobile' && n.identity.type !== 'email') continue;
    const id = real(n.customer);
    const patch = patches.get(id) ?? { ...EMPTY_PATCH };
    if (n.identity.type === 'mobile' && !patch.mobile) patches.set(id, { ...patch, mobile: n.identity.value });
    if (n.identity.type === 'email' && !patch.email) patches.set(id, { ...patch, email: n.identity.value });
  }
  return patches;
}
