/** Reading customers back (list, search, profile, timeline) and operator edits (profile, notes, consent). */
import { DateTime } from 'luxon';
import { invalid, notFound } from '../../platform/errors.ts';
import { can, type WorkspaceContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import type { CustomersDeps } from './customers.deps.ts';
import * as repo from './customers.repository.ts';
import type { CustomerProfile, ListCustomersQuery, PatchCustomerBody } from './customers.schemas.ts';
import { maskMobile, normalizeIdentity, parsePhoneQuery } from './identity-types.ts';
import { insertConsents, loadIdentityTypes } from './identity.repository.ts';
import { computeOrderStats } from './stats.repository.ts';
import { checkAttributes, loadAttributeDefinitions } from './settings.service.ts';
import type { Announce } from './change-feed.ts';

const num = (v: unknown) => Number(v ?? 0);
const latest = (a: Date | undefined, b: Date) => (a && a > b ? a : b);
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

export function createCustomersService(deps: CustomersDeps & { announce: Announce }) {
  const { db } = deps;
  const showMobile = (ctx: WorkspaceContext, v: string | null) => (v && !can(ctx, 'customers.pii') ? maskMobile(v) : v);

  async function list(ctx: WorkspaceContext, query: ListCustomersQuery) {
    const ws = ctx.workspaceId;
    let phone;
    if (query.phone) {
      phone = parsePhoneQuery(query.phone);
      if (!phone) throw invalid('customer.invalid_phone_query', 'Use a full number, 138****8888, or the last four digits', [{ field: 'query.phone', reason: 'invalid_phone' }]);
    }
    let identity;
    if (query.identityType || query.identityValue) {
      if (!query.identityType || !query.identityValue) {
        throw invalid('customer.invalid_identity_query', 'identityType and identityValue go together', [{ field: 'query.identityValue', reason: 'required' }]);
      }
      const n = normalizeIdentity({ type: query.identityType, value: query.identityValue, scope: query.identityScope }, await loadIdentityTypes(db, ws));
      if (!n.ok) throw invalid('customer.invalid_identity_query', n.message, [{ field: `query.identity${n.field[0]!.toUpperCase()}${n.field.slice(1)}`, reason: n.reason }]);
      identity = n.identity;
    }
    let attribute;
    if (query.attribute) {
      const [key, ...rest] = query.attribute.split('=');
      const defs = await loadAttributeDefinitions(db, ws);
      const def = defs.get(key!);
      if (!def) throw invalid('customer.unknown_attribute', `No attribute ${key}`, [{ field: 'query.attribute', reason: 'unknown_attribute' }]);
      const raw = rest.join('=');
      const value = def.type === 'number' ? Number(raw) : def.type === 'boolean' ? raw === 'true' : raw;
      attribute = { key: key!, value };
    }
    const rows = await repo.listCustomers(db, ws, {
      q: query.q, phone, identity, attribute, owner: query.owner, consent: query.consent, sourceChannel: query.sourceChannel, before: query.cursor, limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit).map((r) => ({
      id: r.id,
      name: r.name,
      nickname: r.nickname,
      mobile: showMobile(ctx, r.mobile),
      gender: r.gender,
      city: r.city,
      consentStatus: r.consent_status,
      sourceChannel: r.source_channel,
      ownerUserId: r.owner_user_id,
      joinedAt: r.joined_at,
      paidOrderCount: r.paid_order_count ?? 0,
      paidAmountFen: r.paid_amount_fen ?? 0,
      lastInteractionAt: r.last_interaction_at,
      createdAt: r.created_at,
    }));
    return { items, nextCursor: rows.length > query.limit ? items.at(-1)!.id : null };
  }

  async function load(ctx: WorkspaceContext, id: number) {
    const c = await repo.findCustomer(db, ctx.workspaceId, id);
    if (!c) throw notFound('customer.not_found', 'Customer not found');
    return c;
  }

  async function profile(ctx: WorkspaceContext, id: number): Promise<CustomerProfile> {
    const ws = ctx.workspaceId;
    const c = await load(ctx, id);
    const mergedInto = c.merged_into === null ? null : await repo.finalSurvivor(db, ws, id);
    const active = mergedInto === null;
    const now = deps.clock.now();
    const [identities, consents, stored, orders, tz] = await Promise.all([
      active ? repo.identitiesOf(db, ws, id) : [],
      repo.consentsOf(db, ws, id),
      active ? repo.statsOf(db, ws, id) : undefined,
      active ? computeOrderStats(db, ws, id, now) : undefined,
      deps.workspaces.timeZoneOf(ws),
    ]);
    const seen = await repo.identityLastSeen(db, ws, id, identities.map((i) => i.id));
    const window = (d: number) => ({ orders: num(orders?.[`orders_${d}d`]), amountFen: num(orders?.[`amount_${d}d_fen`]) });
    const daysSinceJoined = c.joined_at
      ? Math.floor(DateTime.fromJSDate(now, { zone: tz }).startOf('day').diff(DateTime.fromJSDate(c.joined_at, { zone: tz }).startOf('day'), 'days').days)
      : null;
    return {
      id: c.id,
      mergedInto,
      name: c.name,
      nickname: c.nickname,
      gender: c.gender,
      birthday: c.birthday_text,
      province: c.province,
      city: c.city,
      mobile: showMobile(ctx, c.mobile),
      email: c.email,
      consentStatus: c.consent_status,
      consentUpdatedAt: c.consent_updated_at,
      sourceChannel: c.source_channel,
      sourceLure: c.source_lure,
      ownerUserId: c.owner_user_id,
      attributes: c.attributes as Record<string, unknown>,
      joinedAt: c.joined_at,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      identities: identities.map((i) => ({
        id: i.id,
        type: i.type,
        scope: i.scope,
        value: i.type === 'mobile' ? showMobile(ctx, i.value)! : i.value,
        verified: i.is_verified,
        source: i.source,
        firstSeenAt: i.first_seen_at,
        lastSeenAt: latest(seen.get(i.id), i.last_seen_at),
      })),
      consents: consents.map((k) => ({ id: k.id, purpose: k.purpose, channel: k.channel, status: k.status, source: k.source, recordedAt: k.recorded_at })),
      stats: active
        ? {
            firstOrderAt: date(orders?.first_order_at),
            lastOrderAt: date(orders?.last_order_at),
            paidOrderCount: num(orders?.paid_order_count),
            paidAmountFen: num(orders?.paid_amount_fen),
            refundedAmountFen: num(orders?.refunded_amount_fen),
            windows: { d30: window(30), d90: window(90), d180: window(180), d365: window(365) },
            firstInteractionAt: stored?.first_interaction_at ?? null,
            lastInteractionAt: stored?.last_interaction_at ?? null,
            interactionCount: stored?.interaction_count ?? 0,
            daysSinceJoined,
          }
        : null,
    };
  }

  async function patch(ctx: WorkspaceContext, id: number, body: PatchCustomerBody): Promise<CustomerProfile> {
    const ws = ctx.workspaceId;
    const c = await load(ctx, id);
    if (c.merged_into !== null) throw invalid('customer.merged', 'This customer was merged into another; edit the survivor', [{ field: 'customerId', reason: 'merged' }]);
    if (body.ownerUserId && !(await deps.workspaces.isMember(ws, body.ownerUserId))) {
      throw invalid('customer.invalid_owner', 'The owner must be a member of the workspace', [{ field: 'ownerUserId', reason: 'not_a_member' }]);
    }
    let attributes = null;
    if (body.attributes) attributes = checkAttributes(await loadAttributeDefinitions(db, ws), body.attributes);
    const columns: Record<string, string> = { name: 'name', nickname: 'nickname', gender: 'gender', birthday: 'birthday', province: 'province', city: 'city', sourceChannel: 'source_channel', sourceLure: 'source_lure', ownerUserId: 'owner_user_id' };
    const set: Record<string, unknown> = {};
    for (const [k, col] of Object.entries(columns)) if ((body as Record<string, unknown>)[k] !== undefined) set[col] = (body as Record<string, unknown>)[k];
    await db.transaction().execute(async (trx) => {
      await repo.updateCustomer(trx, ws, id, set, attributes, deps.clock.now());
      await deps.announce(trx, ws, [id], 'profile');
      await recordAudit(trx, ctx, { action: 'customer.update', targetType: 'customer', targetId: String(id), details: { fields: Object.keys(body) } });
    });
    return profile(ctx, id);
  }

  async function addNote(ctx: WorkspaceContext, id: number, body: string) {
    await load(ctx, id);
    const note = { id: newId(), customerId: id, body, authorUserId: ctx.actor.type === 'user' ? ctx.actor.id : null, createdAt: deps.clock.now() };
    await db.transaction().execute(async (trx) => {
      await repo.insertNote(trx, { workspaceId: ctx.workspaceId, id: note.id, customerId: id, authorUserId: note.authorUserId, body, at: note.createdAt });
      await recordAudit(trx, ctx, { action: 'customer.note', targetType: 'customer', targetId: String(id), details: { noteId: note.id } });
    });
    return note;
  }

  /** Records a consent decision (history kept); marketing/all also sets the customer's consent state. */
  async function recordConsent(ctx: WorkspaceContext, id: number, input: { status: 'granted' | 'denied'; purpose: string; channel: string; source?: string | undefined; recordedAt?: string | undefined }) {
    const c = await load(ctx, id);
    if (c.merged_into !== null) throw invalid('customer.merged', 'This customer was merged into another; record consent on the survivor', [{ field: 'customerId', reason: 'merged' }]);
    const at = input.recordedAt ? new Date(input.recordedAt) : deps.clock.now();
    await db.transaction().execute(async (trx) => {
      await insertConsents(trx, ctx.workspaceId, [{ customerId: id, status: input.status, at, source: input.source ?? ctx.actor.type, purpose: input.purpose, channel: input.channel }]);
      if (input.purpose === 'marketing' && input.channel === 'all' && (!c.consent_updated_at || at >= c.consent_updated_at)) {
        await repo.updateCustomer(trx, ctx.workspaceId, id, { consent_status: input.status, consent_updated_at: at }, null, deps.clock.now());
      }
      await deps.announce(trx, ctx.workspaceId, [id], 'consent');
      await recordAudit(trx, ctx, { action: 'customer.consent', targetType: 'customer', targetId: String(id), details: { status: input.status, purpose: input.purpose, channel: input.channel } });
    });
    return profile(ctx, id);
  }

  async function timeline(ctx: WorkspaceContext, id: number, query: { cursor?: string | undefined; limit: number }) {
    await load(ctx, id);
    let cursor = null;
    if (query.cursor) {
      try {
        const [at, key] = JSON.parse(Buffer.from(query.cursor, 'base64url').toString()) as [string, string];
        cursor = { at: new Date(at), key: String(key) };
        if (Number.isNaN(cursor.at.getTime())) throw new Error('bad');
      } catch {
        throw invalid('timeline.invalid_cursor', 'The cursor is not valid', [{ field: 'query.cursor', reason: 'invalid_cursor' }]);
      }
    }
    const rows = await repo.timeline(db, ctx.workspaceId, id, cursor, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((r) => ({ kind: r.kind, at: r.at, id: r.kind === 'event' || r.kind === 'consent' ? String(Number(r.sort_key.slice(1))) : r.sort_key.slice(1), type: r.type, data: r.data })),
      nextCursor: rows.length > query.limit && last ? Buffer.from(JSON.stringify([last.at.toISOString(), last.sort_key])).toString('base64url') : null,
    };
  }

  return { list, profile, patch, addNote, recordConsent, timeline };
}

export type CustomersService = ReturnType<typeof createCustomersService>;
